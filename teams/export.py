"""The staff's team list and application list as Excel downloads, through the shared export helper."""

from operator import itemgetter

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
        Column(_("Team name"), itemgetter("team__name"), width=24),
        Column(_("Enterprise"), itemgetter("team__enterprise"), width=28),
        Column(_("Grassroots union"), itemgetter("team__grassroots_union__name"), width=28),
        Column(_("Campaign"), itemgetter("campaign__title"), width=30),
        Column(_("Document number"), itemgetter("campaign__document_number"), width=20),
        Column(_("Status"), lambda row: statuses.get(row["status"], row["status"]), width=14),
        Column(_("Version"), itemgetter("version"), kind=INT),
        Column(_("Submitted at"), itemgetter("submitted_at"), kind=DATETIME),
        Column(_("Summary"), summary_for_reader, width=60),
    ]
    # Plain rows of only what the columns show (no model objects for fifty thousand rows): the full
    # account, the statements, the versions and a notice's body stay in the database.
    rows = selectors.with_reader_view(applications, reader).values(
        "status",
        "version",
        "submitted_at",
        "summary",
        "submitted_summary",
        "reader_writes",
        "team__name",
        "team__enterprise",
        "team__grassroots_union__name",
        "campaign__title",
        "campaign__document_number",
    )
    return xlsx_response(name=_("Application list"), columns=columns, rows=rows)
