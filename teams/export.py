"""The staff's team list as an Excel workbook, streamed row by row (write-only mode)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Team


def teams_workbook(teams: QuerySet[Team]) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Teams"))
    sheet.append(
        [
            _("Team name"),
            _("Enterprise"),
            _("Grassroots union"),
            _("Industry"),
            _("Region"),
            _("Category"),
            _("Founded on"),
            _("Current members"),
            _("Status"),
            _("Registered at"),
        ]
    )
    for team in teams.iterator(chunk_size=2000):
        sheet.append(
            [
                team.name,
                team.enterprise,
                team.grassroots_union.name,
                team.get_industry_display(),
                team.region,
                team.get_category_display(),
                team.founded_on,
                team.member_count,
                team.get_status_display(),
                timezone.localtime(team.created_at).replace(tzinfo=None),
            ]
        )
    return workbook


def applications_workbook(applications) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Applications"))
    sheet.append(
        [
            _("Team name"),
            _("Enterprise"),
            _("Grassroots union"),
            _("Campaign"),
            _("Document number"),
            _("Status"),
            _("Version"),
            _("Submitted at"),
            _("Summary"),
        ]
    )
    for application in applications.iterator(chunk_size=2000):
        submitted = application.submitted_at
        sheet.append(
            [
                application.team.name,
                application.team.enterprise,
                application.team.grassroots_union.name,
                application.campaign.title,
                application.campaign.document_number,
                application.get_status_display(),
                application.version,
                timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
                application.summary,
            ]
        )
    return workbook
