"""Every write of the expert review: the panel and declared conflicts, assignments (by hand, automatic,
declined), the experts' scores, submitting and reopening a review, excluding an application, and the
shortlist (拟命名). Each aggregate and rank is recomputed here, by the change that moves it.

Locks are taken in one order: the application, its place in the chain, the campaign, the review
result, the assignment. Everything that moves the ranking locks the campaign first, so that two
experts submitting at once rank on each other's totals."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, UnionUnit, User
from accounts.services import role_assign
from audit.services import record
from campaigns.models import Campaign
from campaigns.services import campaign_locked
from core.text import clean_text
from teams.models import Application

from .. import assignment as rules_of_assignment
from ..errors import ConflictOfInterest, NotAssigned, ReviewClosed, ShortlistRefused
from ..models import (
    ACTIVE_ASSIGNMENT_STATES,
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Assignment,
    Conflict,
    Decision,
    PanelMember,
    Recommendation,
    ReviewResult,
    Score,
)
from ..scoring import ReviewScores, aggregate_reviews, expert_total, parse_points
from ..signals import shortlist_changing
from .tallies import decision_counted, place_moved

A = Assignment.State
R = ReviewResult.State
EXPERT = RoleAssignment.Role.EXPERT


def _require_manager(actor: User, campaign: Campaign) -> None:
    if not actor.has_perm("reviews.manage_review", campaign):
        raise PermissionDenied(_("Only the staff of the organising unit run the expert review."))


def review_window_open(campaign: Campaign) -> bool:
    today = timezone.localdate()
    return campaign.status in Campaign.RUNNING and campaign.review_starts_on <= today <= campaign.review_ends_on


def _reason(text: str, *, field_name: str = "reason") -> str:
    text = clean_text(text, limit=REASON_MAX_LENGTH, label=_("Reason"))
    if not text:
        raise ValidationError({field_name: _("Give the reason; it is kept in the audit trail.")})
    return text


# --- Entering the review ----------------------------------------------------------------------


def result_open(*, application: Application, campaign: Campaign, version: int, now: datetime) -> ReviewResult:
    """The organiser accepted the application (called by decision_record inside its transaction, with
    the application and its place locked): it gets a code for blind review and waits for experts."""
    campaign = campaign_locked(campaign)
    last = (
        Decision.objects.filter(application=application, kind=Decision.Kind.RECOMMEND)
        .exclude(unit_id=campaign.organiser_id)
        .order_by("-decided_at", "-id")
        .values_list("unit_id", flat=True)
        .first()
    )
    number = ReviewResult.objects.filter(campaign=campaign).count() + 1
    result, _created = ReviewResult.objects.update_or_create(
        application=application,
        defaults={
            "campaign": campaign,
            "code": f"PS{campaign.pk:03d}-{number:04d}",
            "recommended_by_id": last or application.team.grassroots_union_id,
            "version": version,
            "team_sort": application.team_sort,
            "state": R.REVIEWING,
            "accepted_at": now,
        },
    )
    return result


# --- The panel and declared conflicts --------------------------------------------------------


@transaction.atomic
def panel_add(
    *, actor: User, campaign: Campaign, expert: User, unit: UnionUnit | None = None, enterprise: str = "", grant=False
) -> PanelMember:
    """Put an expert on the campaign's panel, with their own unit and enterprise (the conflict rules).
    With `grant`, a user of the organiser's subtree without the expert role is given it here."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    if campaign.status not in Campaign.RUNNING:
        raise ReviewClosed(_("The campaign is not running: its panel can no longer change."))
    expert.forget_roles()
    if not expert.has_role(EXPERT):
        if not grant:
            raise ValidationError({"expert": _("%(name)s is not an expert reviewer.") % {"name": expert}})
        if expert.unit is None or not expert.unit.path.startswith(campaign.organiser.path):
            raise ValidationError(
                {"expert": _("Only a user of the organising unit's subtree may be made an expert here.")}
            )
        role_assign(actor=actor, user=expert, role=EXPERT, unit=campaign.organiser)
    if PanelMember.objects.filter(campaign=campaign, expert=expert).exists():
        raise ValidationError({"expert": _("%(name)s is on the panel already.") % {"name": expert}})
    unit = unit if unit is not None else expert.unit
    enterprise = clean_text(enterprise, limit=100, label=_("enterprise")) or (unit.enterprise if unit else "")
    member = PanelMember.objects.create(
        campaign=campaign, expert=expert, unit=unit, enterprise=enterprise, added_by=actor
    )
    record(
        actor=actor,
        action="reviews.panel_add",
        target=campaign,
        unit=campaign.organiser,
        details={"expert": str(expert), "own_unit": unit.name if unit else "", "enterprise": enterprise},
    )
    return member


@transaction.atomic
def panel_remove(*, actor: User, campaign: Campaign, member: PanelMember) -> int:
    """Take an expert off the panel. Their reviews not yet submitted are cancelled (the automatic
    assignment fills the gaps); an expert with a submitted review stays, as the ranking counts it."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    member = PanelMember.objects.select_for_update().get(pk=member.pk, campaign=campaign)
    open_ones = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, expert_id=member.expert_id, state__in=[A.ASSIGNED, A.STARTED])
        .select_related("result")
    )
    if Assignment.objects.filter(campaign=campaign, expert_id=member.expert_id, state=A.SUBMITTED).exists():
        raise ValidationError(_("The expert has submitted reviews in this campaign and stays on its panel."))
    Assignment.objects.filter(pk__in=[a.pk for a in open_ones]).update(state=A.CANCELLED)
    for result in {a.result for a in open_ones}:
        _recompute(result, campaign)
    member.delete()
    record(
        actor=actor,
        action="reviews.panel_remove",
        target=campaign,
        unit=campaign.organiser,
        details={"expert": str(member.expert), "cancelled": len(open_ones)},
    )
    return len(open_ones)


@transaction.atomic
def conflict_record(
    *, actor: User, campaign: Campaign, expert: User, reason: str, team=None, enterprise: str = ""
) -> Conflict:
    """An expert's declared conflict with a team or an enterprise, recorded by the organiser's staff.
    The expert's unsubmitted reviews it touches are cancelled."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    enterprise = clean_text(enterprise, limit=100, label=_("enterprise"))
    if team is None and not enterprise:
        raise ValidationError({"enterprise": _("Name the enterprise (or the team) the conflict is with.")})
    conflict = Conflict.objects.create(
        campaign=campaign, expert=expert, team=team, enterprise=enterprise, reason=_reason(reason), recorded_by=actor
    )
    touched = [
        a
        for a in Assignment.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, expert=expert, state__in=[A.ASSIGNED, A.STARTED])
        .select_related("result__application__team__grassroots_union")
        if rules_of_assignment.conflict_of(_expert_of(expert, campaign), _candidate(a.result)) is not None
    ]
    Assignment.objects.filter(pk__in=[a.pk for a in touched]).update(state=A.CANCELLED)
    for result in {a.result for a in touched}:
        _recompute(result, campaign)
    record(
        actor=actor,
        action="reviews.conflict_record",
        target=campaign,
        unit=campaign.organiser,
        details={"expert": str(expert), "with": team.name if team else enterprise, "reason": conflict.reason},
    )
    return conflict


# --- Assignment ------------------------------------------------------------------------------


def _candidate(result: ReviewResult, assignments: list[Assignment] | None = None) -> rules_of_assignment.Candidate:
    team = result.application.team
    if assignments is None:
        assignments = list(Assignment.objects.filter(result=result))
    return rules_of_assignment.Candidate(
        id=result.pk,
        team_id=team.pk,
        union_path=team.grassroots_union.path,
        enterprises=tuple(e for e in (team.enterprise, team.grassroots_union.enterprise) if e),
        assigned=frozenset(a.expert_id for a in assignments if a.state in ACTIVE_ASSIGNMENT_STATES),
        declined=frozenset(a.expert_id for a in assignments if a.state == A.DECLINED),
    )


def _experts(campaign: Campaign, members: list[PanelMember] | None = None) -> list[rules_of_assignment.Expert]:
    if members is None:
        members = list(PanelMember.objects.filter(campaign=campaign).select_related("unit"))
    conflicts = list(Conflict.objects.filter(campaign=campaign))
    return [
        rules_of_assignment.Expert(
            id=m.expert_id,
            unit_path=m.unit.path if m.unit else "",
            enterprise=m.enterprise,
            conflict_teams=frozenset(c.team_id for c in conflicts if c.expert_id == m.expert_id and c.team_id),
            conflict_enterprises=tuple(c.enterprise for c in conflicts if c.expert_id == m.expert_id and c.enterprise),
        )
        for m in members
    ]


def _expert_of(expert: User, campaign: Campaign) -> rules_of_assignment.Expert:
    member = PanelMember.objects.select_related("unit").filter(campaign=campaign, expert=expert).first()
    if member is None:
        return rules_of_assignment.Expert(id=expert.pk, unit_path=expert.unit.path if expert.unit else "")
    return _experts(campaign, [member])[0]


def _loads(campaign: Campaign) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(campaign=campaign, state__in=ACTIVE_ASSIGNMENT_STATES)
        .values_list("expert_id")
        .annotate(n=Count("*"))
        .order_by()
    )


def _open_result(result: ReviewResult) -> ReviewResult:
    if result.state != R.REVIEWING:
        raise ReviewClosed(_("The application's review is closed: %(state)s.") % {"state": result.get_state_display()})
    return result


@dataclass
class AutoReport:
    assigned: int = 0
    short: list[tuple[ReviewResult, str]] = field(default_factory=list)
    panel: int = 0


@transaction.atomic
def assignments_auto(*, actor: User, campaign: Campaign) -> AutoReport:
    """Give every application under review K experts without a conflict of interest, loads balanced.
    Repeatable: a second run fills the gaps (a decline, a new application, a larger panel) and moves
    no review already assigned."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    if campaign.status not in Campaign.RUNNING:
        raise ReviewClosed(_("The campaign is not running: its review can no longer be assigned."))
    results = {
        r.pk: r
        for r in ReviewResult.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, state=R.REVIEWING)
        .select_related("application__team__grassroots_union")
    }
    by_result: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(result_id__in=list(results)):
        by_result.setdefault(a.result_id, []).append(a)
    experts = _experts(campaign)
    outcome = rules_of_assignment.plan(
        [_candidate(r, by_result.get(pk, [])) for pk, r in results.items()],
        experts,
        k=campaign.experts_per_application,
        loads=_loads(campaign),
    )
    now = timezone.now()
    Assignment.objects.bulk_create(
        [
            Assignment(result_id=r, campaign=campaign, expert_id=e, assigned_by=None, assigned_at=now)
            for r, e in outcome.pairs
        ]
    )
    # New assignments change only how many reviews each application has assigned: counted here for
    # all of them at once (a province's campaign has thousands), not recomputed one by one.
    added = Counter(r for r, _e in outcome.pairs)
    for pk, n in added.items():
        results[pk].reviews_assigned = sum(a.is_active for a in by_result.get(pk, [])) + n
    ReviewResult.objects.bulk_update([results[pk] for pk in added], ["reviews_assigned"], batch_size=500)
    report = AutoReport(
        assigned=len(outcome.pairs),
        short=[(results[pk], why) for pk, why in sorted(outcome.short.items(), key=lambda i: results[i[0]].code)],
        panel=len(experts),
    )
    record(
        actor=actor,
        action="reviews.assign_auto",
        target=campaign,
        unit=campaign.organiser,
        details={
            "assigned": report.assigned,
            "short": len(report.short),
            "per_application": campaign.experts_per_application,
        },
    )
    return report


@transaction.atomic
def assignment_add(*, actor: User, result: ReviewResult, expert: User) -> Assignment:
    """Staff assign one expert of the panel to one application by hand; a conflict refuses it."""
    campaign = campaign_locked(result.campaign)
    _require_manager(actor, campaign)
    result = _open_result(
        ReviewResult.objects.select_for_update(of=("self",))
        .select_related("application__team__grassroots_union")
        .get(pk=result.pk)
    )
    if not PanelMember.objects.filter(campaign=campaign, expert=expert).exists():
        raise ValidationError({"expert": _("Put the expert on the campaign's panel first.")})
    existing = Assignment.objects.filter(result=result, expert=expert).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"expert": _("%(name)s already reviews this application.") % {"name": expert}})
    reason = rules_of_assignment.conflict_of(_expert_of(expert, campaign), _candidate(result))
    if reason is not None:
        raise ConflictOfInterest(
            _("%(name)s may not review this application: %(reason)s.") % {"name": expert, "reason": reason}
        )
    now = timezone.now()
    if existing is not None:  # cancelled before (the expert left the panel and came back)
        existing.state, existing.assigned_by, existing.assigned_at = A.ASSIGNED, actor, now
        existing.save(update_fields=["state", "assigned_by", "assigned_at"])
        assignment = existing
    else:
        assignment = Assignment.objects.create(
            result=result, campaign=campaign, expert=expert, assigned_by=actor, assigned_at=now
        )
    _recompute(result, campaign, rank=False)
    record(
        actor=actor,
        action="reviews.assign",
        target=result.application,
        unit=result.application.team.grassroots_union,
        details={"code": result.code, "expert": str(expert)},
    )
    return assignment


@transaction.atomic
def assignment_decline(*, actor: User, assignment: Assignment, reason: str) -> Assignment | None:
    """The expert declines an assigned application for a conflict of interest (回避), with the reason.
    The conflict with the team is recorded, and another expert of the panel takes the place (None
    when no one without a conflict is left: the assignment page then says so)."""
    reason = _reason(reason)
    campaign = campaign_locked(assignment.campaign)
    result = (
        ReviewResult.objects.select_for_update(of=("self",))
        .select_related("application__team__grassroots_union")
        .get(pk=assignment.result_id)
    )
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise NotAssigned()
    if assignment.state not in (A.ASSIGNED, A.STARTED):
        raise ReviewClosed(_("Only a review not yet submitted can be declined."))
    _open_result(result)
    assignment.state, assignment.decline_reason = A.DECLINED, reason
    assignment.save(update_fields=["state", "decline_reason"])
    team = result.application.team
    Conflict.objects.create(campaign=campaign, expert=actor, team=team, reason=reason, recorded_by=actor)
    outcome = rules_of_assignment.plan(
        [_candidate(result)], _experts(campaign), k=campaign.experts_per_application, loads=_loads(campaign)
    )
    replacement = None
    for _r, expert_id in outcome.pairs[:1]:
        replacement = Assignment.objects.create(
            result=result, campaign=campaign, expert_id=expert_id, assigned_by=None, assigned_at=timezone.now()
        )
    _recompute(result, campaign, rank=False)
    record(
        actor=actor,
        action="reviews.decline",
        target=result.application,
        unit=team.grassroots_union,
        details={
            "code": result.code,
            "reason": reason,
            "replaced_by": str(replacement.expert) if replacement else "",
        },
    )
    return replacement


# --- Scoring ---------------------------------------------------------------------------------


def _scoring_assignment(actor: User, assignment: Assignment, *, lock: bool = True) -> Assignment:
    query = Assignment.objects.select_related("campaign", "result")
    if lock:
        query = query.select_for_update(of=("self",))
    assignment = query.get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise NotAssigned()
    if not review_window_open(assignment.campaign):
        raise ReviewClosed(
            _("Scores are taken from %(start)s to %(end)s only.")
            % {"start": assignment.campaign.review_starts_on, "end": assignment.campaign.review_ends_on}
        )
    if assignment.state not in (A.ASSIGNED, A.STARTED) or assignment.result.state != R.REVIEWING:
        raise ReviewClosed(_("This review is submitted or closed: its scores can no longer change."))
    return assignment


def scores_save(
    *, actor: User, assignment: Assignment, scores: dict[int, dict], overall_comment: str | None = None
) -> Assignment:
    """Save what the expert typed, criterion by criterion (as they type, or all at once). Every valid
    value is saved; the others are not, and raise one ValidationError afterwards naming each field
    (`points_<criterion>`, `comment_<criterion>`, `overall_comment`)."""
    with transaction.atomic():
        assignment, errors = _scores_write(actor, assignment, scores, overall_comment)
    if errors:
        raise ValidationError(errors)
    return assignment


def _scores_write(actor, assignment, scores, overall_comment) -> tuple[Assignment, dict[str, list[str]]]:
    assignment = _scoring_assignment(actor, assignment)
    campaign = assignment.campaign
    criteria = {c.pk: c for c in campaign.criteria.all()}
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    errors: dict[str, list[str]] = {}
    for criterion_id, values in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            continue
        score = existing.get(criterion.pk) or Score(assignment=assignment, criterion=criterion)
        if "points" in values and not criterion.is_veto:
            try:
                score.points = parse_points(
                    values["points"], maximum=criterion.max_score, half_points=campaign.half_points
                )
            except ValueError as error:
                errors[f"points_{criterion.pk}"] = [str(error)]
        if "vetoed" in values and criterion.is_veto:
            score.vetoed = values["vetoed"]
        if "comment" in values:
            try:
                score.comment = clean_text(values["comment"], limit=COMMENT_MAX_LENGTH, label=_("Comment"))
            except ValidationError as error:
                errors[f"comment_{criterion.pk}"] = error.messages
        score.save()
    if overall_comment is not None:
        try:
            assignment.overall_comment = clean_text(
                overall_comment, limit=COMMENT_MAX_LENGTH * 2, label=_("Overall comment")
            )
        except ValidationError as error:
            errors["overall_comment"] = error.messages
    if assignment.state == A.ASSIGNED:
        assignment.state = A.STARTED
    assignment.save(update_fields=["state", "overall_comment"])
    return assignment, errors


def missing_for_submit(assignment: Assignment) -> list[str]:
    """What the expert must still fill before submitting: a score for every criterion, a yes or no
    for every veto item, and the reason of a veto that applies."""
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    missing = []
    for criterion in assignment.campaign.criteria.all():
        score = scores.get(criterion.pk)
        label = f"{criterion.code} {criterion.title}"
        if criterion.is_veto:
            if score is None or score.vetoed is None:
                missing.append(_("%(criterion)s: say whether the veto applies") % {"criterion": label})
            elif score.vetoed and not score.comment:
                missing.append(_("%(criterion)s: give the reason of the veto") % {"criterion": label})
        elif score is None or score.points is None:
            missing.append(_("%(criterion)s: no score") % {"criterion": label})
    return missing


def review_submit(*, actor: User, assignment: Assignment) -> Assignment:
    """Submit a complete review: its scores are final (only the organiser can reopen it) and the
    application's aggregate and the campaign's ranking are recomputed."""
    with transaction.atomic():
        campaign = campaign_locked(assignment.campaign)
        result = ReviewResult.objects.select_for_update().get(pk=assignment.result_id)
        assignment = _scoring_assignment(actor, assignment)
        missing = missing_for_submit(assignment)
        if missing:
            raise ValidationError([_("The review is not complete:"), *missing])
        criteria = list(campaign.criteria.all())
        scores = {s.criterion_id: s for s in assignment.scores.all()}
        weights = {c.pk: c.weight for c in criteria if not c.is_veto}
        assignment.total = expert_total({c: scores[c].points for c in weights}, weights)
        assignment.vetoed = any(scores[c.pk].vetoed for c in criteria if c.is_veto)
        assignment.state, assignment.submitted_at = A.SUBMITTED, timezone.now()
        assignment.save(update_fields=["total", "vetoed", "state", "submitted_at"])
        _recompute(result, campaign)
        record(
            actor=actor,
            action="reviews.review_submit",
            target=campaign,
            unit=campaign.organiser,
            details={"code": result.code, "total": assignment.total, "veto": assignment.vetoed},
        )
        return assignment


@transaction.atomic
def review_reopen(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """The organiser reopens a submitted review (a mistake the expert reported, say): the expert may
    change it again, and it leaves the aggregate until submitted again."""
    campaign = campaign_locked(assignment.campaign)
    _require_manager(actor, campaign)
    reason = _reason(reason)
    result = _open_result(ReviewResult.objects.select_for_update().get(pk=assignment.result_id))
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("expert").get(pk=assignment.pk)
    if assignment.state != A.SUBMITTED:
        raise ReviewClosed(_("Only a submitted review can be reopened."))
    old_total = assignment.total
    assignment.state, assignment.submitted_at, assignment.total, assignment.vetoed = A.STARTED, None, None, False
    assignment.save(update_fields=["state", "submitted_at", "total", "vetoed"])
    _recompute(result, campaign)
    record(
        actor=actor,
        action="reviews.review_reopen",
        target=campaign,
        unit=campaign.organiser,
        details={"code": result.code, "expert": str(assignment.expert), "total": old_total, "reason": reason},
    )
    return assignment


# --- Aggregation and rank ---------------------------------------------------------------------


def _recompute(result: ReviewResult, campaign: Campaign, *, rank: bool = True) -> ReviewResult:
    """The application's counts, aggregate, spread and vetoes from its assignments; then, when the
    totals may have moved, the campaign's ranks. Called with the campaign and the result locked."""
    assignments = list(Assignment.objects.filter(result=result).prefetch_related("scores"))
    submitted = [a for a in assignments if a.state == A.SUBMITTED]
    criteria = list(campaign.criteria.all())
    weights = {c.pk: c.weight for c in criteria if not c.is_veto}
    outcome = aggregate_reviews(
        [
            ReviewScores(
                points={
                    s.criterion_id: s.points
                    for s in a.scores.all()
                    if s.points is not None and s.criterion_id in weights
                },
                vetoed=a.vetoed,
            )
            for a in submitted
        ],
        weights,
        campaign.aggregation,
    )
    result.reviews_assigned = sum(a.state in ACTIVE_ASSIGNMENT_STATES for a in assignments)
    result.reviews_done = len(submitted)
    result.total = outcome.total
    result.criterion_scores = {str(c): str(v) for c, v in outcome.by_criterion.items()}
    result.spread = outcome.spread
    result.vetoes = outcome.vetoes
    result.save(update_fields=["reviews_assigned", "reviews_done", "total", "criterion_scores", "spread", "vetoes"])
    if rank:
        ranks_recompute(campaign)
    return result


def ranks_recompute(campaign: Campaign) -> None:
    """Rank the campaign's reviewed applications by total (equal totals share a rank: 1, 2, 2, 4);
    an application without a submitted review, vetoed or excluded has none."""
    rows = list(
        ReviewResult.objects.filter(campaign=campaign)
        .order_by("-total", "team_sort", "pk")
        .values_list("pk", "total", "vetoes", "state", "rank")
    )
    changed = []
    position, previous_total, current_rank = 0, None, None
    for pk, total, vetoes, state, old_rank in rows:
        if total is None or vetoes or state == R.EXCLUDED:
            new_rank = None
        else:
            position += 1
            if total != previous_total:
                current_rank, previous_total = position, total
            new_rank = current_rank
        if new_rank != old_rank:
            changed.append(ReviewResult(pk=pk, rank=new_rank))
    ReviewResult.objects.bulk_update(changed, ["rank"], batch_size=500)


# --- Leaving the review and the shortlist ----------------------------------------------------


def review_exclude(*, actor: User, result: ReviewResult, reason: str) -> ReviewResult:
    """The organiser takes an accepted application out of the review (fraud found, say): it is not
    recommended after all, with the reason recorded as the organiser's decision; unsubmitted reviews
    are cancelled and the ranking recomputed."""
    reason = _reason(reason)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("team__grassroots_union")
            .get(pk=result.application_id)
        )
        place = Recommendation.objects.select_for_update().get(application=application)
        campaign = campaign_locked(result.campaign)
        _require_manager(actor, campaign)
        result = _open_result(ReviewResult.objects.select_for_update().get(pk=result.pk))
        Assignment.objects.filter(result=result, state__in=[A.ASSIGNED, A.STARTED]).update(state=A.CANCELLED)
        # Its rank goes here too, not only in the ranks recomputed below: the result returned says so.
        result.state, result.excluded_reason, result.decided_at, result.rank = R.EXCLUDED, reason, timezone.now(), None
        result.save(update_fields=["state", "excluded_reason", "decided_at", "rank"])
        before = (place.state, place.unit_id)
        place.state = Recommendation.State.REJECTED
        place.save(update_fields=["state"])
        place_moved(place, before=before)
        organiser_decision = Decision.objects.filter(application=application, accepted=True).order_by("-id").first()
        rejection = Decision.objects.create(
            application=application,
            campaign=campaign,
            unit=campaign.organiser,
            level=organiser_decision.level if organiser_decision else 1,
            kind=Decision.Kind.REJECT,
            opinion=reason,
            version=result.version,
            decided_by=actor,
            decided_at=result.decided_at,
        )
        decision_counted(rejection)
        _recompute(result, campaign)
        record(
            actor=actor,
            action="reviews.exclude",
            target=application,
            unit=application.team.grassroots_union,
            details={"code": result.code, "team": application.team.name, "reason": reason},
        )
        return result


def departures(ranked: list[ReviewResult], selected: set[int]) -> set[int]:
    """The results whose choice departs from rank order, with `cut` the rank of the last place the
    selection fills: a selected one ranked below the cut, and one left out ranked above it — or at it,
    when a lower-ranked one was taken instead. Equal ranks at the cut are otherwise free choices."""
    if not selected:
        return set()
    cut = ranked[min(len(selected), len(ranked)) - 1].rank
    taken_below = {r.pk for r in ranked if r.pk in selected and r.rank > cut}
    left_above = {r.pk for r in ranked if r.pk not in selected and (r.rank < cut or (r.rank == cut and taken_below))}
    return taken_below | left_above


@transaction.atomic
def shortlist_record(
    *, actor: User, campaign: Campaign, selected: set[int], reasons: dict[int, str]
) -> list[ReviewResult]:
    """The organiser's shortlist (拟命名): the selected applications, within the number of titles, are
    shortlisted, and the rest of the reviewed ones not selected. Every departure from rank order
    carries a written reason. Run again, it replaces the previous shortlist."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    if campaign.status not in Campaign.RUNNING:
        raise ReviewClosed(_("The campaign is not running: its shortlist can no longer change."))
    shortlist_changing.send(sender=ReviewResult, campaign=campaign)
    results = list(
        ReviewResult.objects.select_for_update(of=("self",))
        .filter(campaign=campaign)
        .exclude(state=R.EXCLUDED)
        .select_related("application__team")
        .order_by("rank", "team_sort", "pk")
    )
    unfinished = Assignment.objects.filter(campaign=campaign, state__in=[A.ASSIGNED, A.STARTED]).count()
    if unfinished:
        raise ShortlistRefused(
            _("%(n)s reviews are not submitted yet: shortlist when every assigned review is in.") % {"n": unfinished}
        )
    ranked = [r for r in results if r.rank is not None]
    by_pk = {r.pk: r for r in results}
    unknown = selected - {r.pk for r in ranked}
    if unknown:
        names = "、".join(by_pk[pk].application.team.name if pk in by_pk else str(pk) for pk in sorted(unknown))
        raise ShortlistRefused(
            _("Only ranked applications (reviewed, not vetoed) can be shortlisted: %(names)s.") % {"names": names}
        )
    if len(selected) > campaign.titles_to_award:
        raise ShortlistRefused(
            _("%(n)s selected, but the campaign awards %(titles)s titles.")
            % {"n": len(selected), "titles": campaign.titles_to_award}
        )
    needing = departures(ranked, selected)
    errors = {}
    clean = {}
    for pk in needing:
        try:
            clean[pk] = clean_text(reasons.get(pk, ""), limit=REASON_MAX_LENGTH, label=_("Reason"))
        except ValidationError as error:
            errors[f"reason_{pk}"] = error.messages
            continue
        if not clean[pk]:
            errors[f"reason_{pk}"] = [_("A departure from rank order needs a written reason.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for result in results:
        result.state = R.SHORTLISTED if result.pk in selected else R.NOT_SELECTED
        result.shortlist_reason = clean.get(result.pk, "")
        result.decided_at = now
    ReviewResult.objects.bulk_update(results, ["state", "shortlist_reason", "decided_at"], batch_size=500)
    Assignment.objects.filter(campaign=campaign, state__in=[A.ASSIGNED, A.STARTED]).update(state=A.CANCELLED)
    record(
        actor=actor,
        action="reviews.shortlist",
        target=campaign,
        unit=campaign.organiser,
        details={
            "shortlisted": len(selected),
            "titles": campaign.titles_to_award,
            "departures": [f"{by_pk[pk].application.team.name}：{clean[pk]}" for pk in sorted(needing)],
        },
    )
    return [r for r in results if r.pk in selected]


def shortlist_withdraw(*, result: ReviewResult, reason: str) -> ReviewResult:
    """A later stage takes a shortlisted application off the shortlist (an objection upheld during the
    public notice): it is not selected after all, with the reason. Runs in the caller's transaction,
    which audits the change."""
    result = ReviewResult.objects.select_for_update().get(pk=result.pk)
    if result.state != R.SHORTLISTED:
        raise ReviewClosed(_("The application is not on the shortlist."))
    result.state, result.shortlist_reason, result.decided_at = R.NOT_SELECTED, reason, timezone.now()
    result.save(update_fields=["state", "shortlist_reason", "decided_at"])
    return result
