"""Reads of the re-assessment (复核): the items of one re-assessment with each level's opinions, the
staff's queue, a team leader's open reports, and a report's content as a reader sees it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page
from django.db.models import Count, QuerySet
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import UnionUnit, User
from accounts.unit_names import display_names
from core.rows import ValueRows
from core.templatetags.times import minute
from core.urls import reverse_fast

from .models import ReassessmentDecision, ReassessmentItem, ReassessmentVersion
from .reassessment import RUNNING, conclusion_allowed, is_overdue, report_content
from .rules import may_conclude

S = ReassessmentItem.State
OUT = ReassessmentItem.Outcome


# What a row of the organiser's page shows and decides with, and no more (the team's description,
# the title's search text and the units' paths stay in the database).
ITEM_ROW_FIELDS = (
    "id", "reassessment_id", "title_id", "team_id", "unit_id", "criteria_campaign_id", "team_sort", "state",
    "version", "submitted_at", "outcome", "title__certificate_number", "team__name", "team__enterprise",
    "unit__name", "unit__short_name",
)  # fmt: skip


@dataclass(frozen=True)
class Opinion:
    """A level's opinion as a row of the organiser's page shows it: read as plain values, since a page
    holds a hundred of them and a model instance with its unit costs more than the rest of its line.
    `{{ opinion }}` is its line of the list, the markup of awards/_reassessment_opinions.html built
    here: through the template language, a page's hundred-odd lines cost about a tenth more CPU."""

    kind: str
    kind_label: str
    unit_name: str
    decided_at: datetime
    version: int
    opinion: str

    def __html__(self) -> SafeString:
        return format_html(
            '<li class="mb-1" data-testid="opinion"><span class="badge text-bg-{}">{}</span> '
            '<span class="fw-semibold">{}</span> <span class="text-muted">{} · v{}</span><div>{}</div></li>',
            BADGE.get(self.kind, "warning"),
            self.kind_label,
            self.unit_name,
            minute(self.decided_at),
            self.version,
            linebreaksbr(self.opinion, autoescape=True),
        )

    __str__ = __html__  # what the template prints: already safe, so not escaped again


BADGE = {ReassessmentDecision.Kind.PASS: "success", ReassessmentDecision.Kind.FAIL: "danger"}


def item_page_rows(reassessment, items: list[ReassessmentItem], user: User) -> list[ReassessmentItem]:
    """The rows of one page of `reassessment`'s items, each with its levels' opinions (one query for
    the page), whether it is overdue (逾期未报送), its report's link and the conclusions the user may
    give it now, as (outcome, link, the button's words)."""
    opinions = defaultdict(list)
    kinds = dict(ReassessmentDecision.Kind.choices)
    for item_id, kind, unit_name, unit_short_name, decided_at, version, opinion in (
        ReassessmentDecision.objects.filter(item__in=items)
        .order_by("decided_at", "id")
        .values_list("item_id", "kind", "unit__name", "unit__short_name", "decided_at", "version", "opinion")
    ):
        opinions[item_id].append(
            Opinion(
                kind,
                kinds.get(kind, kind),
                UnionUnit.display_name_of(unit_name, unit_short_name),
                decided_at,
                version,
                opinion,
            )
        )
    now = timezone.now()
    # The buttons' words, translated once for the page rather than once per button.
    conclude_labels = {
        OUT.PASSED: _("Conclude: passed"),
        OUT.FAILED: _("Conclude: failed"),
        OUT.NOT_REPORTED: _("Conclude: not reported"),
    }
    concludes = None  # whether the user may conclude (the organiser's staff may): the same for every row
    for item in items:
        item.reassessment = reassessment  # read once by the page, not joined into every row
        item.opinions = opinions[item.pk]
        item.overdue = is_overdue(item, now)
        item.report_url = reverse_fast("awards:reassessment_report", item.pk)
        if concludes is None:
            concludes = may_conclude(user, item)
        conclude_url = reverse_fast("awards:reassessment_conclude", item.pk)
        item.conclusions = (
            [
                (o, f"{conclude_url}?outcome={o}", conclude_labels[o])
                for o in OUT.values
                if conclusion_allowed(item, o, now)
            ]
            if concludes
            else []
        )
    return items


def item_rows(reassessment) -> QuerySet[ReassessmentItem]:
    return reassessment.items.select_related("title", "team", "unit").only(*ITEM_ROW_FIELDS).order_by("team_sort", "id")


def state_counts(reassessment) -> dict[str, int]:
    """How many items are in each state, and concluded with each outcome (one query)."""
    counts = {}
    for state, outcome, n in (
        reassessment.items.order_by()
        .values_list("state", "outcome")
        .annotate(n=Count("id"))
        .values_list("state", "outcome", "n")
    ):
        counts[state] = counts.get(state, 0) + n
        if outcome:
            counts[outcome] = n
    return counts


# What a row of the queue shows, and no more, read as plain values (core.rows); the units are named
# from memory (queue_page).
QUEUE_ROWS = ValueRows(
    ReassessmentItem,
    (
        "pk", "version", "arrived_at", "unit_id", "team__name", "team__enterprise", "team__grassroots_union_id",
        "title__certificate_number", "reassessment__title", "reassessment__review_deadline",
    ),
)  # fmt: skip


def queue(user: User) -> QuerySet[ReassessmentItem]:
    """The reports waiting at the units the user is staff of, in team order."""
    units = [a.unit_id for a in user.role_assignment_list() if a.role == "staff"]
    return ReassessmentItem.objects.filter(unit_id__in=units, state=S.WAITING, reassessment__state=RUNNING).order_by(
        "team_sort", "id"
    )


def queue_page(user: User, number) -> Page:
    """A page of the queue's rows, each with its team's grassroots union and its unit named
    (`union_name`, `unit_name`; accounts.unit_names)."""
    page = QUEUE_ROWS.page(queue(user), number)
    rows = page.object_list
    names = display_names({r.unit_id for r in rows} | {r.team.grassroots_union_id for r in rows}, user=user)
    for row in rows:
        row.unit_name = names.get(row.unit_id, "")
        row.union_name = names.get(row.team.grassroots_union_id, "")
    return page


def open_reports(user: User) -> list[ReassessmentItem]:
    """The re-assessment reports of the teams `user` leads, in re-assessments still running."""
    return list(
        ReassessmentItem.objects.filter(team__leaders=user, reassessment__state=RUNNING)
        .select_related("reassessment", "team")
        .only("state", "outcome", "team__name", "reassessment__title", "reassessment__report_deadline")
        .order_by("reassessment__report_deadline", "team_sort", "id")
    )


def latest_version(item: ReassessmentItem) -> ReassessmentVersion | None:
    return item.versions.select_related("submitted_by").order_by("-number").first()


def content_for_reader(item: ReassessmentItem, *, writing: bool) -> tuple[dict, ReassessmentVersion | None]:
    """The content the reader sees: the report as it stands for its leaders while they may change it
    (or before any submission); else the latest submitted version."""
    version = latest_version(item)
    if version is None or (writing and item.state in (S.NOT_STARTED, S.DRAFT, S.RETURNED)):
        return report_content(item), None
    return version.content, version


def stored_file(item: ReassessmentItem, sha256: str) -> dict | None:
    """The evidence file of `item` with this hash — attached now, or named by a submitted version —
    as (stored name, file name, type)."""
    evidence = item.evidence.filter(sha256=sha256).first()
    if evidence is not None:
        return {"stored": evidence.file.name, "name": evidence.original_name, "content_type": evidence.content_type}
    for version in item.versions.order_by("-number"):
        for criterion in version.content["criteria"]:
            for entry in criterion["evidence"]:
                if entry["sha256"] == sha256:
                    return entry
    return None
