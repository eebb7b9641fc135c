"""Every write of a re-assessment (复核) of named titles: the organiser starts it over a set of titles;
each team's leaders write a report against the criteria (statements and evidence, frozen as a version
when submitted); the report climbs the union tree from the team's grassroots union, each level
passing or failing it with an opinion or returning it for revision; the organiser concludes each
title passed, failed or — once the deadline has passed without a report — not reported (逾期未报送);
and the re-assessment is concluded when every title is. The failed titles are revoked (摘牌) on the
revocation page, not here.

Each service runs in one transaction, locks the item first (then anything else), checks the state,
the clock and the actor's permission, and writes one audit event. Two staff deciding the same report
at once queue on the item's row: the second finds it decided and is told so.

Deadlines: a report is written and submitted until the report deadline; one returned for revision
may be submitted again until the review deadline (never earlier than the report deadline), so that
a return shortly before the report deadline still leaves the team time. The levels below the
organiser decide until the review deadline. The organiser concludes at any time while the
re-assessment runs: after the review deadline it also concludes the reports the levels below did
not decide in time — otherwise they could never be concluded, nor the re-assessment closed."""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import UnionUnit, User
from audit.services import record
from campaigns.models import Campaign, Criterion
from core.text import clean_text
from reviews.chain import level_of, parent_path
from reviews.rules import staff_unit_ids
from teams.models import LedgerAttachment
from teams.services.files import inspect_team_files, stored_file_fields

from .errors import AwardsError
from .models import (
    REASSESSMENT_OPINION_MAX_LENGTH,
    REASSESSMENT_STATEMENT_MAX_LENGTH,
    Reassessment,
    ReassessmentAnswer,
    ReassessmentDecision,
    ReassessmentEvidence,
    ReassessmentItem,
    ReassessmentVersion,
    Title,
)
from .rules import may_conclude, may_decide_report, may_write_report

S = ReassessmentItem.State
OUT = ReassessmentItem.Outcome
K = ReassessmentDecision.Kind
RUNNING = Reassessment.State.RUNNING

# The states in which the team's leaders write the report.
EDITABLE = (S.NOT_STARTED, S.DRAFT, S.RETURNED)

AUDIT_ACTIONS = {
    "awards.reassessment_start": gettext_lazy("Re-assessment started"),
    "awards.reassessment_report_save": gettext_lazy("Re-assessment report saved"),
    "awards.reassessment_evidence_add": gettext_lazy("Evidence added to a re-assessment report"),
    "awards.reassessment_evidence_remove": gettext_lazy("Evidence removed from a re-assessment report"),
    "awards.reassessment_submit": gettext_lazy("Re-assessment report submitted"),
    "awards.reassessment_pass": gettext_lazy("Re-assessment report passed by a level"),
    "awards.reassessment_fail": gettext_lazy("Re-assessment report failed by a level"),
    "awards.reassessment_return": gettext_lazy("Re-assessment report returned for revision"),
    "awards.reassessment_conclude": gettext_lazy("Re-assessment of a title concluded"),
    "awards.reassessment_close": gettext_lazy("Re-assessment concluded"),
}
DETAIL_LABELS = {
    "reassessment": gettext_lazy("re-assessment"),
    "report_deadline": gettext_lazy("report deadline"),
    "review_deadline": gettext_lazy("review deadline"),
    "outcome": gettext_lazy("outcome"),
    "certificate_number": gettext_lazy("certificate number"),
}


class ReassessmentRefused(AwardsError):
    default_message = gettext_lazy(
        "The re-assessment is no longer in a state that allows this; the page may be out of date. Please reload it."
    )

    def __init__(self, message=None):
        super().__init__(message or self.default_message)


class ReportDeadlinePassed(ReassessmentRefused):
    default_message = gettext_lazy("The deadline has passed; the re-assessment report can no longer be changed.")


class NotWaitingHere(ReassessmentRefused):
    default_message = gettext_lazy(
        "The report is no longer waiting for a decision of your unit: someone decided on it a moment ago. "
        "Please reload the page."
    )


class StaleReport(ReassessmentRefused):
    default_message = gettext_lazy(
        "The team submitted a new version after you opened the page. Please read the new version and decide again."
    )


class ReportIncomplete(ReassessmentRefused):
    default_message = gettext_lazy("The report is not complete yet: write the statement of every criterion marked *.")

    def __init__(self, message=None, *, missing=()):
        super().__init__(message)
        self.missing = list(missing)


def _beijing(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- Starting ----------------------------------------------------------------------------------


def reassessable_titles(organiser: UnionUnit) -> QuerySet[Title]:
    """The titles `organiser` may re-assess: named (not revoked) by a campaign of its own or of a unit
    below it."""
    return Title.objects.filter(state=Title.State.NAMED, decision__campaign__organiser__path__startswith=organiser.path)


class Scope:
    """The four ways the organiser picks the titles (the start page offers them)."""

    YEAR = "year"
    DECISION = "decision"
    REGION = "region"
    NUMBERS = "numbers"


def scope_titles(organiser: UnionUnit, kind: str, value) -> QuerySet[Title]:
    """The titles `organiser` may re-assess that a scope picks: named in a year, by one naming
    decision, of one region, or by their certificate numbers (a list)."""
    titles = reassessable_titles(organiser)
    if kind == Scope.YEAR:
        return titles.filter(year=value)
    if kind == Scope.DECISION:
        return titles.filter(decision_id=value)
    if kind == Scope.REGION:
        return titles.filter(region=value)
    if kind == Scope.NUMBERS:
        return titles.filter(certificate_number__in=list(value))
    return titles.none()


def titles_in_running(title_ids: Iterable[int]) -> QuerySet[ReassessmentItem]:
    """The items of these titles in a re-assessment still running."""
    return ReassessmentItem.objects.filter(title_id__in=list(title_ids), reassessment__state=RUNNING)


def _numbers(titles) -> str:
    numbers = [t.certificate_number for t in titles]
    shown = "、".join(numbers[:10])
    return shown + (_("… (%(n)s in all)") % {"n": len(numbers)} if len(numbers) > 10 else "")


def _clean_required(value: str, *, limit: int, label, field: str) -> str:
    text = clean_text(value, limit=limit, label=label)
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def reassessment_start(
    *,
    actor: User,
    organiser: UnionUnit,
    title: str,
    document_number: str,
    scope: str,
    titles,
    report_deadline: datetime,
    review_deadline: datetime,
    criteria_campaign: Campaign | None = None,
) -> Reassessment:
    """Start a re-assessment of `titles` (a queryset or a list of Title) by `organiser`."""
    if not actor.has_perm("awards.manage_reassessment", organiser):
        raise PermissionDenied(_("Only the staff of the organising unit may start a re-assessment."))
    title = _clean_required(title, limit=200, label=_("Title"), field="title")
    document_number = _clean_required(document_number, limit=50, label=_("Document number"), field="document_number")
    scope = _clean_required(scope, limit=500, label=_("Scope"), field="scope")
    now = timezone.now()
    if report_deadline <= now:
        raise ValidationError({"report_deadline": _("The report deadline must lie in the future.")})
    if review_deadline < report_deadline:
        raise ValidationError({"review_deadline": _("The review deadline cannot come before the report deadline.")})
    if criteria_campaign is not None:
        related = criteria_campaign.organiser.path.startswith(organiser.path) or organiser.path.startswith(
            criteria_campaign.organiser.path
        )
        if not related or criteria_campaign.status == Campaign.Status.DRAFT:
            raise ValidationError(
                {"criteria_campaign": _("Choose a published campaign of your unit, of a unit below or above it.")}
            )
    ids = sorted({t.pk for t in titles})
    if not ids:
        raise ValidationError(_("No named title matches: choose at least one title to re-assess."))
    with transaction.atomic():
        # The titles' rows serialise two starts over the same titles: the second sees the first's items.
        locked = list(
            Title.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("decision__campaign__organiser", "team__grassroots_union")
            .order_by("pk")
        )
        revoked = [t for t in locked if t.state != Title.State.NAMED]
        if revoked:
            raise ValidationError(
                _("These titles are revoked and cannot be re-assessed: %(numbers)s.") % {"numbers": _numbers(revoked)}
            )
        foreign = [
            t
            for t in locked
            if not t.decision.campaign.organiser.path.startswith(organiser.path)
            or not t.team.grassroots_union.path.startswith(organiser.path)
        ]
        if foreign:
            raise ValidationError(
                _("These titles were not conferred by your unit or a unit below it: %(numbers)s.")
                % {"numbers": _numbers(foreign)}
            )
        running = {i.title_id for i in titles_in_running(ids)}
        if running:
            raise ValidationError(
                _("These titles are already in a re-assessment that is still running: %(numbers)s.")
                % {"numbers": _numbers([t for t in locked if t.pk in running])}
            )
        if Reassessment.objects.filter(organiser=organiser, document_number=document_number).exists():
            raise ValidationError({"document_number": _("Your unit already used this document number.")})
        reassessment = Reassessment.objects.create(
            organiser=organiser,
            title=title,
            document_number=document_number,
            scope=scope,
            criteria_campaign=criteria_campaign,
            report_deadline=report_deadline,
            review_deadline=review_deadline,
            item_count=len(locked),
            created_by=actor,
            created_at=now,
        )
        ReassessmentItem.objects.bulk_create(
            ReassessmentItem(
                reassessment=reassessment,
                title=t,
                team=t.team,
                criteria_campaign=criteria_campaign or t.decision.campaign,
                team_sort=t.team_sort,
            )
            for t in locked
        )
        record(
            actor=actor,
            action="awards.reassessment_start",
            target=reassessment,
            unit=organiser,
            details={
                "reassessment": title,
                "document_number": document_number,
                "teams": len(locked),
                "report_deadline": report_deadline,
                "review_deadline": review_deadline,
            },
        )
    return reassessment


# --- The team's report -----------------------------------------------------------------------------


def _locked(item: ReassessmentItem) -> ReassessmentItem:
    return (
        ReassessmentItem.objects.select_for_update(of=("self",))
        .select_related("reassessment__organiser", "team__grassroots_union", "title", "unit", "criteria_campaign")
        .get(pk=item.pk)
    )


def _record(actor: User, action: str, item: ReassessmentItem, details: dict | None = None) -> None:
    record(
        actor=actor,
        action=f"awards.reassessment_{action}",
        target=item,
        unit=item.team.grassroots_union,
        details={
            "team": item.team.name,
            "certificate_number": item.title.certificate_number,
            "reassessment": item.reassessment.title,
            **(details or {}),
        },
    )


def report_deadline_of(item: ReassessmentItem) -> datetime:
    """Until when the leaders may change and submit the report: the report deadline; for a report
    returned for revision, the review deadline."""
    reassessment = item.reassessment
    return reassessment.review_deadline if item.state == S.RETURNED else reassessment.report_deadline


def report_open(item: ReassessmentItem, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return item.reassessment.state == RUNNING and item.state in EDITABLE and now < report_deadline_of(item)


def is_overdue(item: ReassessmentItem, now: datetime | None = None) -> bool:
    """Not submitted, and its deadline has passed (逾期未报送)."""
    now = now or timezone.now()
    return item.state in EDITABLE and now >= report_deadline_of(item)


def _require_writable(actor: User, item: ReassessmentItem) -> None:
    if not may_write_report(actor, item):
        raise PermissionDenied(_("Only the team's leaders may write its re-assessment report."))
    if item.reassessment.state != RUNNING or item.state not in EDITABLE:
        raise ReassessmentRefused(
            _("The report has been submitted; it can be changed only when it is returned for revision.")
        )
    if timezone.now() >= report_deadline_of(item):
        raise ReportDeadlinePassed(
            _(
                "The deadline (%(deadline)s, Beijing time) has passed; the re-assessment report can no longer "
                "be changed or submitted."
            )
            % {"deadline": _beijing(report_deadline_of(item))}
        )


def _criterion_of(item: ReassessmentItem, criterion: Criterion) -> Criterion:
    if criterion.campaign_id != item.criteria_campaign_id:
        raise PermissionDenied(_("That criterion is not one of this re-assessment's."))
    return criterion


def _started(item: ReassessmentItem) -> None:
    if item.state == S.NOT_STARTED:
        item.state = S.DRAFT
        item.save(update_fields=["state", "updated_at"])


@transaction.atomic
def report_save(*, actor: User, item: ReassessmentItem, statements: Mapping[int, str]) -> ReassessmentItem:
    """Save the draft: the statement of each criterion (by criterion id)."""
    item = _locked(item)
    _require_writable(actor, item)
    criteria = {c.pk: c for c in item.criteria_campaign.criteria.all()}
    existing = {a.criterion_id: a for a in item.answers.all()}
    changed = []
    for criterion_id, text in statements.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise PermissionDenied(_("That criterion is not one of this re-assessment's."))
        statement = clean_text(
            text, limit=REASSESSMENT_STATEMENT_MAX_LENGTH, label=_("%(code)s statement") % {"code": criterion.code}
        )
        answer = existing.get(criterion_id) or ReassessmentAnswer(item=item, criterion=criterion)
        if answer.pk is None or answer.statement != statement:
            answer.statement = statement
            answer.save()
            changed.append(criterion.code)
    _started(item)
    item.save(update_fields=["updated_at"])
    if changed:
        _record(actor, "report_save", item, {"criteria": changed})
    return item


def _evidence_limit_reached(stored: dict[str, int], sha256: str, size: int) -> bool:
    return sha256 not in stored and sum(stored.values()) + size > settings.APPLICATION_EVIDENCE_MAX_BYTES


@transaction.atomic
def report_evidence_add(
    *, actor: User, item: ReassessmentItem, criterion: Criterion, uploads: Iterable
) -> tuple[list[ReassessmentEvidence], list[str]]:
    """Attach uploaded files to a criterion, checked and stored as an application's evidence is (by
    content and size, under the team, by hash). The good files are kept when another fails; each
    failure comes back as a message naming the file."""
    item = _locked(item)
    _require_writable(actor, item)
    criterion = _criterion_of(item, criterion)
    stored = dict(item.evidence.values_list("sha256", "size"))
    attached = set(item.evidence.filter(criterion=criterion).values_list("sha256", flat=True))
    added, errors = [], []
    good, refused = inspect_team_files(uploads)
    errors.extend(file.message for file in refused)
    for upload, inspected in good:
        if inspected.sha256 in attached:
            errors.append(_("%(name)s is already attached to this criterion.") % {"name": upload.name})
            continue
        if _evidence_limit_reached(stored, inspected.sha256, upload.size):
            errors.append(
                _("%(name)s: the evidence of one report may total at most %(limit)s.")
                % {"name": upload.name, "limit": filesizeformat(settings.APPLICATION_EVIDENCE_MAX_BYTES)}
            )
            continue
        fields = stored_file_fields(team=item.team, upload=upload, actor=actor, inspected=inspected)
        added.append(ReassessmentEvidence.objects.create(item=item, criterion=criterion, **fields))
        attached.add(inspected.sha256)
        stored[inspected.sha256] = fields["size"]
    if added:
        _started(item)
        _record(
            actor,
            "evidence_add",
            item,
            {"criterion": criterion.code, "files": [{"name": e.original_name, "sha256": e.sha256} for e in added]},
        )
    return added, errors


@transaction.atomic
def report_evidence_from_ledger(
    *, actor: User, item: ReassessmentItem, criterion: Criterion, attachment: LedgerAttachment
) -> ReassessmentEvidence:
    """Attach a file of the team's ledger (台帐) to a criterion: the same stored file, by its hash, with
    the ledger entry it came from."""
    item = _locked(item)
    _require_writable(actor, item)
    criterion = _criterion_of(item, criterion)
    attachment = LedgerAttachment.objects.select_related("entry").get(pk=attachment.pk)
    if attachment.entry.team_id != item.team_id:
        raise PermissionDenied(_("That ledger entry belongs to another team."))
    if item.evidence.filter(criterion=criterion, sha256=attachment.sha256).exists():
        raise ValidationError(_("%(name)s is already attached to this criterion.") % {"name": attachment.original_name})
    if _evidence_limit_reached(dict(item.evidence.values_list("sha256", "size")), attachment.sha256, attachment.size):
        raise ValidationError(
            _("%(name)s: the evidence of one report may total at most %(limit)s.")
            % {"name": attachment.original_name, "limit": filesizeformat(settings.APPLICATION_EVIDENCE_MAX_BYTES)}
        )
    evidence = ReassessmentEvidence.objects.create(
        item=item,
        criterion=criterion,
        ledger_entry=attachment.entry,
        file=attachment.file.name,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_by=actor,
    )
    _started(item)
    _record(
        actor,
        "evidence_add",
        item,
        {
            "criterion": criterion.code,
            "ledger_entry": str(attachment.entry),
            "files": [{"name": evidence.original_name, "sha256": evidence.sha256}],
        },
    )
    return evidence


@transaction.atomic
def report_evidence_remove(*, actor: User, evidence: ReassessmentEvidence) -> None:
    # The stored file stays: a submitted version may name its hash.
    item = _locked(evidence.item)
    _require_writable(actor, item)
    evidence = ReassessmentEvidence.objects.filter(pk=evidence.pk, item=item).first()
    if evidence is None:  # removed a moment ago (a double click)
        return
    evidence.delete()
    _record(actor, "evidence_remove", item, {"file": evidence.original_name, "sha256": evidence.sha256})


def report_content(item: ReassessmentItem) -> dict:
    """The report as it stands now: per criterion of the item's criteria, the statement and the
    evidence with their hashes (three queries: criteria, statements, evidence)."""
    answers = {a.criterion_id: a.statement for a in item.answers.all()}
    evidence: dict[int, list] = {}
    for file in item.evidence.select_related("ledger_entry"):
        entry = file.as_snapshot()
        entry["id"] = file.pk
        if file.ledger_entry is not None:
            entry["ledger_entry"] = str(file.ledger_entry)
        evidence.setdefault(file.criterion_id, []).append(entry)
    return {
        "certificate_number": item.title.certificate_number,
        "team": item.team.name,
        "criteria": [
            {
                "id": c.pk,
                "code": c.code,
                "title": c.title,
                "description": c.description,
                "statement_required": c.statement_required,
                "statement": answers.get(c.pk, ""),
                "evidence": evidence.get(c.pk, []),
            }
            for c in item.criteria_campaign.criteria.all()
        ],
    }


def missing_statements(content: dict) -> list[str]:
    """The criteria whose required statement is still empty, as "code title"."""
    return [
        f"{c['code']} {c['title']}"
        for c in content["criteria"]
        if c["statement_required"] and not c["statement"].strip()
    ]


@transaction.atomic
def report_submit(*, actor: User, item: ReassessmentItem) -> ReassessmentItem:
    """Submit the complete report before its deadline: it freezes as a version (statements and
    evidence hashes) and waits at the team's grassroots union — or, after a return for revision, at
    the unit that returned it."""
    item = _locked(item)
    _require_writable(actor, item)
    content = report_content(item)
    missing = missing_statements(content)
    if missing:
        raise ReportIncomplete(missing=missing)
    for criterion in content["criteria"]:
        for entry in criterion["evidence"]:
            entry.pop("id", None)
    now = timezone.now()
    organiser = item.reassessment.organiser
    if item.state != S.RETURNED or item.unit is None:
        grassroots = item.team.grassroots_union
        # A team moved out of the organiser's subtree since the start reports to the organiser.
        item.unit = grassroots if grassroots.path.startswith(organiser.path) else organiser
    item.version += 1
    item.state = S.WAITING
    item.submitted_at = item.arrived_at = now
    item.save(update_fields=["version", "state", "unit", "submitted_at", "arrived_at", "updated_at"])
    ReassessmentVersion.objects.create(
        item=item, number=item.version, content=content, submitted_by=actor, submitted_at=now
    )
    _record(actor, "submit", item, {"version": item.version, "to_unit": item.unit.name})
    return item


# --- The levels' opinions and the organiser's conclusion -------------------------------------------


def _clean_opinion(opinion: str) -> str:
    text = clean_text(opinion, limit=REASSESSMENT_OPINION_MAX_LENGTH, label=_("Opinion"))
    if not text:
        raise ValidationError({"opinion": _("Write your opinion: it is kept with your unit's name.")})
    return text


def _decision(item: ReassessmentItem, *, actor: User, unit: UnionUnit, kind: str, opinion: str, now):
    return ReassessmentDecision.objects.create(
        item=item,
        unit=unit,
        level=level_of(unit, item.team.grassroots_union.path)
        if item.team.grassroots_union.path.startswith(unit.path)
        else 1,
        kind=kind,
        opinion=opinion,
        version=item.version,
        decided_by=actor,
        decided_at=now,
    )


def _conclude(item: ReassessmentItem, *, actor: User, outcome: str, opinion: str, now) -> None:
    item.state = S.CONCLUDED
    item.outcome = outcome
    item.conclusion = opinion
    item.concluded_by = actor
    item.concluded_at = now
    item.save(update_fields=["state", "unit", "outcome", "conclusion", "concluded_by", "concluded_at", "updated_at"])
    _record(actor, "conclude", item, {"outcome": str(OUT(outcome).label), "opinion": opinion})


def report_decide(
    *, actor: User, item: ReassessmentItem, kind: str, opinion: str, version: int | None = None
) -> ReassessmentDecision:
    """One level's opinion on the report waiting at the actor's unit: pass or fail (it goes up one
    level with the opinion; at the organiser, this is the conclusion, passed or failed), or return
    for revision (back to the team, to be submitted again until the review deadline). `version` is
    the version the actor read: a newer one refuses the decision."""
    opinion = _clean_opinion(opinion)
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose pass, fail or return.")})
    with transaction.atomic():
        item = _locked(item)
        if item.state != S.WAITING or not may_decide_report(actor, item):
            decided = ReassessmentDecision.objects.filter(item=item, unit_id__in=staff_unit_ids(actor)).exists()
            if item.state != S.WAITING or decided:
                raise NotWaitingHere()
            raise PermissionDenied(_("Only the staff of the unit where the report waits may decide on it."))
        if version is not None and version != item.version:
            raise StaleReport()
        reassessment = item.reassessment
        if reassessment.state != RUNNING:
            raise ReassessmentRefused()
        unit = item.unit
        at_organiser = unit.pk == reassessment.organiser_id
        now = timezone.now()
        if now >= reassessment.review_deadline and (kind == K.RETURN or not at_organiser):
            raise ReassessmentRefused(
                _("The review deadline (%(deadline)s, Beijing time) has passed; your unit can no longer decide.")
                % {"deadline": _beijing(reassessment.review_deadline)}
            )
        decision = _decision(item, actor=actor, unit=unit, kind=kind, opinion=opinion, now=now)
        details = {"decided_by_unit": unit.name, "version": item.version, "opinion": opinion}
        if kind == K.RETURN:
            item.state = S.RETURNED
            item.save(update_fields=["state", "updated_at"])
        elif not at_organiser:
            item.unit = UnionUnit.objects.get(path=parent_path(unit))
            item.arrived_at = now
            item.save(update_fields=["unit", "arrived_at", "updated_at"])
            details["to_unit"] = item.unit.name
        _record(actor, kind, item, details)
        if kind != K.RETURN and at_organiser:
            _conclude(item, actor=actor, outcome=OUT.PASSED if kind == K.PASS else OUT.FAILED, opinion=opinion, now=now)
        return decision


def conclusion_allowed(item: ReassessmentItem, outcome: str, now: datetime | None = None) -> bool:
    """Whether the organiser may conclude `item` with `outcome` now (the table the buttons read too):
    passed or failed when the report waits at the organiser, or anywhere once the review deadline has
    passed; not reported once the report's deadline has passed without a submission."""
    now = now or timezone.now()
    if item.state == S.CONCLUDED or item.reassessment.state != RUNNING:
        return False
    if outcome == OUT.NOT_REPORTED:
        return is_overdue(item, now)
    if outcome in (OUT.PASSED, OUT.FAILED):
        return item.state == S.WAITING and (
            item.unit_id == item.reassessment.organiser_id or now >= item.reassessment.review_deadline
        )
    return False


def reassessment_conclude(
    *, actor: User, item: ReassessmentItem, outcome: str, opinion: str, version: int | None = None
) -> ReassessmentItem:
    """The organiser's conclusion of one title: passed or failed (with its opinion, as the last
    level's), or not reported (逾期未报送) once the deadline has passed without a report."""
    opinion = _clean_opinion(opinion)
    if outcome not in OUT.values:
        raise ValidationError({"outcome": _("Choose passed, failed or not reported.")})
    with transaction.atomic():
        item = _locked(item)
        if not may_conclude(actor, item):
            raise PermissionDenied(_("Only the staff of the organising unit may conclude a re-assessment."))
        if item.state == S.CONCLUDED:
            raise ReassessmentRefused(_("This title's re-assessment is already concluded."))
        if version is not None and item.state == S.WAITING and version != item.version:
            raise StaleReport()
        now = timezone.now()
        if not conclusion_allowed(item, outcome, now):
            if outcome == OUT.NOT_REPORTED:
                raise ReassessmentRefused(
                    _("A title is concluded as not reported only once its report deadline has passed unsubmitted.")
                )
            raise ReassessmentRefused(
                _(
                    "The report is not waiting for the organiser: the levels below decide on it until the "
                    "review deadline."
                )
            )
        if outcome != OUT.NOT_REPORTED:
            kind = K.PASS if outcome == OUT.PASSED else K.FAIL
            _decision(item, actor=actor, unit=item.reassessment.organiser, kind=kind, opinion=opinion, now=now)
            item.unit = item.reassessment.organiser
        _conclude(item, actor=actor, outcome=outcome, opinion=opinion, now=now)
        return item


@transaction.atomic
def reassessment_close(*, actor: User, reassessment: Reassessment) -> Reassessment:
    """Conclude the re-assessment once every title in it is concluded."""
    if not actor.has_perm("awards.run_reassessment", reassessment):
        raise PermissionDenied(_("Only the staff of the organising unit may conclude a re-assessment."))
    reassessment = Reassessment.objects.select_for_update().select_related("organiser").get(pk=reassessment.pk)
    if reassessment.state != RUNNING:
        raise ReassessmentRefused(_("The re-assessment is already concluded."))
    open_items = reassessment.items.exclude(state=S.CONCLUDED).count()
    if open_items:
        raise ReassessmentRefused(
            _("%(n)s titles are not concluded yet; conclude every title first.") % {"n": open_items}
        )
    reassessment.state = Reassessment.State.CONCLUDED
    reassessment.concluded_at = timezone.now()
    reassessment.save(update_fields=["state", "concluded_at"])
    counts = {o: reassessment.items.filter(outcome=o).count() for o in OUT.values}
    record(
        actor=actor,
        action="awards.reassessment_close",
        target=reassessment,
        unit=reassessment.organiser,
        details={"reassessment": reassessment.title, **{str(OUT(o).label): n for o, n in counts.items()}},
    )
    return reassessment


# --- Reads ---------------------------------------------------------------------------------------


def reassessments_visible_to(user: User) -> QuerySet[Reassessment]:
    """The re-assessments of the units the user staffs or audits (and those below them)."""
    rows = Reassessment.objects.select_related("organiser")
    if user.is_superuser:
        return rows
    paths = user.scope_paths("staff", "auditor")
    if not paths:
        return rows.none()
    query = Q()
    for path in paths:
        query |= Q(organiser__path__startswith=path)
    return rows.filter(query)


def failed_title_ids(reassessment: Reassessment) -> list[int]:
    """The titles concluded failed or not reported, still named: those the revocation page is for."""
    return list(
        reassessment.items.filter(outcome__in=[OUT.FAILED, OUT.NOT_REPORTED], title__state=Title.State.NAMED)
        .order_by("title_id")
        .values_list("title_id", flat=True)
    )


def register() -> None:
    """The audit trail's words for the re-assessment's actions (awards.apps)."""
    from audit.registry import register_actions, register_detail_labels

    register_actions(AUDIT_ACTIONS)
    register_detail_labels(DETAIL_LABELS)
