"""The organiser's progress of the recommendation chain as an Excel download (the shared export helper)."""

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from accounts.models import UnionUnit
from campaigns.models import Campaign
from core.exports import DATETIME, INT, Column, choice_labels, xlsx_response

from .chain import Deadlines
from .selectors import UnitProgress, active_units, unit_progress


def _rows(campaign: Campaign) -> list[UnitProgress]:
    """Every unit with work in the campaign, in tree order: the units, then their counts for the
    whole campaign at once (a few grouped queries, however many units)."""
    units = list(active_units(campaign).only("name", "kind", "code", "path", "depth", "numchild"))
    return unit_progress(campaign, units, Deadlines(campaign), every_unit=True)


def progress_workbook(campaign: Campaign) -> StreamingHttpResponse:
    kinds = choice_labels(UnionUnit, "kind")
    columns = [
        Column(_("Unit"), lambda row: row.unit.name, width=30),
        Column(_("Code"), lambda row: row.unit.code, width=14),
        Column(_("Level"), lambda row: kinds.get(row.unit.kind, row.unit.kind), width=16),
        Column(_("Received"), lambda row: row.received, kind=INT),
        Column(_("Waiting"), lambda row: row.waiting, kind=INT),
        Column(_("Recommended"), lambda row: row.recommended, kind=INT),
        Column(_("Returned, with the team"), lambda row: row.returned, kind=INT),
        Column(_("Not recommended"), lambda row: row.rejected, kind=INT),
        Column(_("Quota"), lambda row: row.quota, kind=INT),
        Column(_("Deadline"), lambda row: row.deadline, kind=DATETIME),
        Column(_("Overdue, not recommended"), lambda row: row.overdue, kind=INT),
    ]
    return xlsx_response(
        name=_("Recommendation progress %(campaign)s") % {"campaign": campaign.document_number},
        columns=columns,
        rows=_rows(campaign),
    )
