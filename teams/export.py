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
