"""The organiser's downloads (the shared export helper): the recommendation chain's progress and the
expert review's ranking."""

from typing import NamedTuple

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from accounts.models import UnionUnit
from campaigns.models import Campaign
from core.exports import DATETIME, INT, NUMBER, Column, choice_labels, xlsx_response

from .chain import Deadlines
from .models import ReviewResult
from .selectors import UnitProgress, active_units, criteria_of, unit_progress
from .selectors.experts import decimal_or_none


class UnitRow(NamedTuple):
    """A unit as the export reads it: plain values. The biggest campaign has work at some 30,000
    units, and building that many model instances took most of the time before the first byte."""

    pk: int
    name: str
    code: str
    kind: str
    numchild: int


def _rows(campaign: Campaign) -> list[UnitProgress]:
    """Every unit with work in the campaign, in tree order: the units, then their counts for the
    whole campaign at once (a few grouped queries, however many units)."""
    units = [UnitRow(*values) for values in active_units(campaign).values_list(*UnitRow._fields)]
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


def ranking_workbook(campaign: Campaign, results) -> StreamingHttpResponse:
    """The ranking as the page shows it (the same selector and filter), one column per scored criterion."""
    criteria = [c for c in criteria_of(campaign) if not c.is_veto]
    states = choice_labels(ReviewResult, "state")

    def criterion_column(criterion):
        return Column(
            f"{criterion.code} {criterion.title}",
            lambda r: decimal_or_none(r.criterion_scores.get(str(criterion.pk))),
            kind=NUMBER,
            width=12,
        )

    columns = [
        Column(_("Rank"), lambda r: r.rank, kind=INT),
        Column(_("Application code"), lambda r: r.code, width=14),
        Column(_("Team"), lambda r: r.application.team.name, width=30),
        Column(_("Enterprise"), lambda r: r.application.team.enterprise, width=30),
        Column(_("Recommended by"), lambda r: r.recommended_by.name, width=30),
        Column(_("Total"), lambda r: r.total, kind=NUMBER),
        *[criterion_column(c) for c in criteria],
        Column(_("Reviews done"), lambda r: r.reviews_done, kind=INT),
        Column(_("Reviews assigned"), lambda r: r.reviews_assigned, kind=INT),
        Column(_("Spread"), lambda r: r.spread, kind=NUMBER),
        Column(_("Above the spread threshold"), lambda r: _("yes") if _flagged(campaign, r) else "", width=10),
        Column(_("Vetoes"), lambda r: r.vetoes, kind=INT),
        Column(_("State"), lambda r: states.get(r.state, r.state), width=16),
        Column(_("Reason for the departure from rank"), lambda r: r.shortlist_reason or r.excluded_reason, width=40),
    ]
    return xlsx_response(
        name=_("Expert review ranking %(campaign)s") % {"campaign": campaign.document_number},
        columns=columns,
        rows=results.iterator(chunk_size=500),
    )


def _flagged(campaign: Campaign, result) -> bool:
    return result.spread is not None and result.spread > campaign.spread_threshold
