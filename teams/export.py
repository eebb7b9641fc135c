"""The staff's team list and application list as Excel downloads, through the shared export helper."""

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _

from accounts.models import User
from core.exports import DATE, DATETIME, INT, Column, choice_labels, xlsx_response

from . import selectors
from .content import summary_for_reader
from .models import Application, Team


def teams_export(teams: QuerySet[Team]) -> FileResponse:
    """The teams of the list, filtered as the list is (one query for all rows)."""
    industries = choice_labels(Team, "industry")
    categories = choice_labels(Team, "category")
    statuses = choice_labels(Team, "status")
    columns = [
        Column(_("Team name"), lambda team: team.name, width=24),
        Column(_("Enterprise"), lambda team: team.enterprise, width=28),
        Column(_("Grassroots union"), lambda team: team.grassroots_union.name, width=28),
        Column(_("Industry"), lambda team: industries.get(team.industry, team.industry), width=20),
        Column(_("Region"), lambda team: team.region, width=14),
        Column(_("Category"), lambda team: categories.get(team.category, team.category), width=14),
        Column(_("Founded on"), lambda team: team.founded_on, kind=DATE),
        Column(_("Current members"), lambda team: team.member_count, kind=INT),
        Column(_("Status"), lambda team: statuses.get(team.status, team.status)),
        Column(_("Registered at"), lambda team: team.created_at, kind=DATETIME),
    ]
    # Only what the columns show: a team's description stays in the database.
    rows = teams.only(
        "name",
        "enterprise",
        "grassroots_union__name",
        "industry",
        "region",
        "category",
        "founded_on",
        "status",
        "created_at",
        "member_count",
    )
    return xlsx_response(name=_("Team list"), columns=columns, rows=rows)


def applications_export(applications: QuerySet[Application], *, reader: User) -> FileResponse:
    """The applications of the list, filtered as the list is; the summary is the one the pages show
    the reader (the latest submitted version, never a returned application's new draft). One query."""
    statuses = choice_labels(Application, "status")
    columns = [
        Column(_("Team name"), lambda application: application.team.name, width=24),
        Column(_("Enterprise"), lambda application: application.team.enterprise, width=28),
        Column(_("Grassroots union"), lambda application: application.team.grassroots_union.name, width=28),
        Column(_("Campaign"), lambda application: application.campaign.title, width=30),
        Column(_("Document number"), lambda application: application.campaign.document_number, width=20),
        Column(_("Status"), lambda application: statuses.get(application.status, application.status), width=14),
        Column(_("Version"), lambda application: application.version, kind=INT),
        Column(_("Submitted at"), lambda application: application.submitted_at, kind=DATETIME),
        Column(_("Summary"), summary_for_reader, width=60),
    ]
    # Only what the columns show: the full account, the statements and a notice's body stay behind.
    rows = selectors.with_reader_view(applications, reader).only(
        "status",
        "version",
        "submitted_at",
        "summary",
        "team__name",
        "team__enterprise",
        "team__grassroots_union__name",
        "campaign__title",
        "campaign__document_number",
    )
    return xlsx_response(name=_("Application list"), columns=columns, rows=rows)
