"""Every write of the recommendation chain: entering it on submission, leaving it on withdrawal, each
level's decision, and the organiser's deadline extensions.

Locks are taken in one order everywhere: the application (teams), then its place in the chain, then
the deciding unit's quota. Two staff deciding the same application at once queue on the first lock
and the second finds it decided; two staff of one unit recommending different applications queue on
the quota row, so that the count they check is exact."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UnionUnit, User
from audit.services import record
from campaigns.models import Campaign, LevelDeadline, Quota
from campaigns.services import campaign_locked
from core.text import clean_text
from teams.models import Application
from teams.services import application_note_decision, application_return

from ..chain import Deadlines, level_of, parent_path
from ..errors import CampaignNotDeciding, DeadlinePassed, NotWaitingHere, QuotaExceeded, StaleVersion
from ..models import OPINION_MAX_LENGTH, DeadlineExtension, Decision, Recommendation
from ..rules import may_decide, staff_unit_ids
from ..transitions import ENTRY_STATES, decision_for
from .experts import result_open
from .tallies import decision_counted, place_moved

S = Recommendation.State
K = Decision.Kind


def _evidence_complete(application: Application) -> bool:
    version = application.versions.only("content").get(number=application.version)
    return all(criterion["evidence"] for criterion in version.content["criteria"])


def chain_enter(*, application: Application, actor: User | None = None, **kwargs) -> Recommendation:
    """The application was submitted (teams.signals.application_submitted, inside the submission's
    transaction): a first submission waits at the team's grassroots union; a resubmission after a
    return goes back to the unit that returned it."""
    place = Recommendation.objects.select_for_update().filter(application=application).first()
    now = timezone.now()
    before = None if place is None else (place.state, place.unit_id)
    if place is None:
        place = Recommendation(application=application, campaign_id=application.campaign_id)
    if place.pk is None or place.state == S.WITHDRAWN:
        place.unit = application.team.grassroots_union
    elif place.state not in ENTRY_STATES:
        raise NotWaitingHere()
    place.state = S.WAITING
    place.version = application.version
    place.team_sort = application.team_sort
    place.evidence_complete = _evidence_complete(application)
    place.arrived_at = now
    place.save()
    place_moved(place, before=before)
    return place


def chain_leave(*, application: Application, actor: User | None = None, **kwargs) -> None:
    """The leader withdrew the application before any decision (teams.signals.application_withdrawn)."""
    place = Recommendation.objects.select_for_update().filter(application=application, state=S.WAITING).first()
    if place is not None:
        place.state = S.WITHDRAWN
        place.save(update_fields=["state"])
        place_moved(place, before=(S.WAITING, place.unit_id))


def _clean_opinion(opinion: str) -> str:
    text = clean_text(opinion, limit=OPINION_MAX_LENGTH, label=_("Opinion"))
    if not text:
        raise ValidationError(
            {"opinion": _("Write your opinion: it goes on the application form with your unit's name.")}
        )
    return text


def _use_quota(campaign: Campaign, unit: UnionUnit) -> None:
    """Refuse a recommendation beyond the unit's quota. The quota row is locked until the decision
    commits, so that the count below is exact when staff of the unit recommend at the same moment."""
    quota = Quota.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    if quota is None:
        return
    used = Decision.objects.filter(campaign=campaign, unit=unit, kind=K.RECOMMEND).count()
    if used >= quota.max_recommendations:
        raise QuotaExceeded(
            _("%(unit)s has used its whole quota of %(quota)s recommendations for this campaign.")
            % {"unit": unit.name, "quota": quota.max_recommendations}
        )


def decision_record(
    *, actor: User, application: Application, kind: str, opinion: str, version: int | None = None
) -> Decision:
    """One level's decision on the application waiting at the actor's unit: recommend (up to the parent
    unit; at the organiser, accepted for expert review), return for revision (back to the leader until
    the level's deadline), or reject (final for this campaign). `version` is the submitted version the
    actor read: a newer one waiting refuses the decision."""
    opinion = _clean_opinion(opinion)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("team__grassroots_union", "campaign")
            .get(pk=application.pk)
        )
        place = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(application=application)
            .first()
        )
        if place is None:
            raise NotWaitingHere()
        if not may_decide(actor, place):
            if Decision.objects.filter(application=application, unit_id__in=staff_unit_ids(actor)).exists():
                raise NotWaitingHere()  # decided by a colleague a moment ago, and gone up the chain
            raise PermissionDenied(_("Only the staff of the unit where the application waits may decide on it."))
        move = decision_for(place.state, kind)
        if move is None:
            raise NotWaitingHere()
        if version is not None and version != place.version:
            raise StaleVersion()
        campaign = application.campaign
        if campaign.status not in Campaign.RUNNING:
            raise CampaignNotDeciding()
        unit = place.unit
        deadline = Deadlines(campaign).for_unit(unit)
        now = timezone.now()
        if now >= deadline:
            raise DeadlinePassed(
                _("The deadline of your level (%(deadline)s, Beijing time) has passed; your unit can no longer decide.")
                % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
            )
        at_organiser = unit.pk == campaign.organiser_id
        before = (place.state, place.unit_id)
        grassroots_path = application.team.grassroots_union.path
        if kind == K.RECOMMEND and not at_organiser:
            _use_quota(campaign, unit)
            place.unit = UnionUnit.objects.get(path=parent_path(unit))
            place.arrived_at = now
        elif kind == K.RETURN:
            application_return(application=application, reason=opinion, resubmit_by=deadline)
        place.state = move.target_at_organiser if at_organiser else move.target
        application_note_decision(application=application)
        place.save()
        place_moved(place, before=before)
        if place.state == S.ACCEPTED:
            result_open(application=application, campaign=campaign, version=place.version, now=now)
        decision = Decision.objects.create(
            application=application,
            campaign=campaign,
            unit=unit,
            level=level_of(unit, grassroots_path),
            kind=kind,
            accepted=kind == K.RECOMMEND and at_organiser,
            opinion=opinion,
            version=place.version,
            decided_by=actor,
            decided_at=now,
        )
        decision_counted(decision)
        record(
            actor=actor,
            action=f"reviews.{'accept' if decision.accepted else kind}",
            target=application,
            unit=application.team.grassroots_union,
            details={
                "team": application.team.name,
                "campaign": campaign.title,
                "decided_by_unit": unit.name,
                "version": place.version,
                "opinion": opinion,
                **({"to_unit": place.unit.name} if kind == K.RECOMMEND and not at_organiser else {}),
            },
        )
        return decision


@transaction.atomic
def deadline_extend(
    *,
    actor: User,
    campaign: Campaign,
    deadline: datetime,
    reason: str,
    unit: UnionUnit | None = None,
    unit_kind: str = "",
) -> DeadlineExtension:
    """Move one unit's or one level's recommendation deadline later, with a reason."""
    campaign = campaign_locked(campaign)
    if not actor.has_perm("reviews.extend_deadline", campaign):
        raise PermissionDenied(_("Only the staff of the organising unit may extend a deadline."))
    if campaign.status not in Campaign.RUNNING:
        raise CampaignNotDeciding()
    reason = clean_text(reason, limit=500, label=_("Reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension; it is kept in the audit trail.")})
    if (unit is None) == (not unit_kind):
        raise ValidationError(_("Extend either one unit's deadline or one level's."))
    if unit is not None and (unit.pk == campaign.organiser_id or not unit.path.startswith(campaign.organiser.path)):
        raise ValidationError({"unit": _("Choose a recommending unit below the organising unit.")})
    if unit_kind and unit_kind not in LevelDeadline.LEVELS:
        raise ValidationError({"unit_kind": _("Choose a level that recommends upwards.")})
    deadlines = Deadlines(campaign)
    current = deadlines.for_unit(unit) if unit is not None else deadlines.level_deadline(unit_kind)
    if deadline <= max(current, timezone.now()):
        raise ValidationError(
            {
                "deadline": _("The new deadline must be later than the current one (%(current)s) and than now.")
                % {"current": timezone.localtime(current).strftime("%Y-%m-%d %H:%M")}
            }
        )
    extension = DeadlineExtension.objects.create(
        campaign=campaign, unit=unit, unit_kind=unit_kind, deadline=deadline, reason=reason, granted_by=actor
    )
    record(
        actor=actor,
        action="reviews.deadline_extend",
        target=campaign,
        unit=campaign.organiser,
        details={
            "campaign": campaign.title,
            "for": unit.name if unit is not None else str(UnionUnit.Kind(unit_kind).label),
            "old_deadline": current,
            "new_deadline": deadline,
            "reason": reason,
        },
    )
    return extension
