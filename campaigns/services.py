"""Every write to campaigns. Each runs in one transaction, locks the campaign, checks the state and
the actor's permission, and writes one audit event."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UnionUnit, User
from audit.services import record
from core.text import clean_text
from core.uploads import inspect_upload

from .errors import CampaignIncomplete, CriteriaFrozen, TransitionNotAllowed
from .models import Attachment, Campaign, CriteriaTemplate, Criterion, LevelDeadline, Quota
from .timeline import public_notice_window
from .transitions import find_transition
from .validation import normalise_document_number, sanitise_body, validate_document_number

# How the expert review runs: internal settings of the organiser, not part of the public notice.
REVIEW_FIELDS = ("experts_per_application", "blind_review", "half_points", "aggregation", "spread_threshold")
CAMPAIGN_FIELDS = (
    "title",
    "category",
    "document_number",
    "body",
    "scope_unit",
    "industries",
    "titles_to_award",
    "application_opens_at",
    "application_deadline",
    "recommendation_deadline",
    "review_starts_on",
    "review_ends_on",
    "public_notice_working_days",
    "two_level_notice",
    "naming_planned_on",
    "reminder_days",
    "show_opinions_to_teams",
    *REVIEW_FIELDS,
)
# Settings the public notice does not show: changing them after publishing is no revision of it.
INTERNAL_FIELDS = {"reminder_days", "show_opinions_to_teams", *REVIEW_FIELDS}
# Published notices are public documents: what makes them what they are stays as published.
FROZEN_ON_PUBLISH = ("category", "document_number", "scope_unit", "industries")
CRITERION_FIELDS = (
    "order",
    "code",
    "title",
    "description",
    "max_score",
    "weight",
    "statement_required",
    "min_evidence",
    "indicators",
    "is_veto",
)


def _require(actor: User | None, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to perform this action."))


def _require_editable(campaign: Campaign) -> None:
    if campaign.status in (Campaign.Status.CONCLUDED, Campaign.Status.CANCELLED):
        raise TransitionNotAllowed(_("A concluded or cancelled campaign can no longer be edited."))


def campaign_locked(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until the transaction ends (its organiser and scope read with it), for
    a change here or in a later stage that counts on the campaign staying as it is."""
    return (
        Campaign.objects.select_for_update(of=("self",)).select_related("organiser", "scope_unit").get(pk=campaign.pk)
    )


def _mark_revised(campaign: Campaign) -> None:
    if campaign.published_at is not None:
        campaign.revised_at = timezone.now()
        campaign.save(update_fields=["revised_at", "updated_at"])


def level_deadline_field(kind: str) -> str:
    return f"deadline_{kind}"


def validate_level_deadlines(campaign: Campaign, deadlines: Mapping[str, datetime | None]) -> None:
    """Each level's deadline lies between the application and the general recommendation deadline,
    and a lower level's comes no later than a higher level's."""
    errors: dict[str, list[str]] = {}
    set_deadlines = {kind: moment for kind, moment in deadlines.items() if moment is not None}
    for kind, moment in set_deadlines.items():
        if kind not in LevelDeadline.LEVELS:
            raise ValueError(f"{kind} does not recommend")
        if not campaign.application_deadline <= moment <= campaign.recommendation_deadline:
            errors[level_deadline_field(kind)] = [
                _(
                    "A level's recommendation deadline lies between the application deadline "
                    "and the general recommendation deadline."
                )
            ]
    for lower, lower_moment in set_deadlines.items():
        for higher, higher_moment in set_deadlines.items():
            if LevelDeadline.LEVELS[lower] < LevelDeadline.LEVELS[higher] and lower_moment > higher_moment:
                errors.setdefault(level_deadline_field(lower), []).append(
                    _("A lower level must recommend no later than the level above it.")
                )
    if errors:
        raise ValidationError(errors)


def _save_level_deadlines(campaign: Campaign, deadlines: Mapping[str, datetime | None]) -> dict:
    current = {d.unit_kind: d for d in campaign.level_deadlines.all()}
    changes = {}
    for kind, moment in deadlines.items():
        existing = current.get(kind)
        if moment is None and existing is not None:
            existing.delete()
            changes[kind] = [existing.deadline, None]
        elif moment is not None and (existing is None or existing.deadline != moment):
            LevelDeadline.objects.update_or_create(campaign=campaign, unit_kind=kind, defaults={"deadline": moment})
            changes[kind] = [existing.deadline if existing else None, moment]
    return changes


def validate_campaign(campaign: Campaign) -> None:
    """Field checks, the timeline's order and the scope, with messages on the fields concerned."""
    campaign.document_number = normalise_document_number(campaign.document_number)
    errors: dict[str, list[str]] = {}
    try:
        validate_document_number(campaign.document_number)
    except ValidationError as error:
        errors["document_number"] = error.messages
    order = [
        ("application_deadline", campaign.application_opens_at, campaign.application_deadline,
         _("The application deadline must come after applications open.")),
        ("recommendation_deadline", campaign.application_deadline, campaign.recommendation_deadline,
         _("The recommendation deadline cannot come before the application deadline.")),
    ]  # fmt: skip
    for field, earlier, later, message in order:
        if earlier and later and later <= earlier and not (field == "recommendation_deadline" and later == earlier):
            errors.setdefault(field, []).append(message)
    deadline = campaign.recommendation_deadline
    if deadline and campaign.review_starts_on and campaign.review_starts_on < timezone.localdate(deadline):
        errors.setdefault("review_starts_on", []).append(
            _("The expert review cannot start before the recommendation deadline.")
        )
    if campaign.review_starts_on and campaign.review_ends_on and campaign.review_ends_on < campaign.review_starts_on:
        errors.setdefault("review_ends_on", []).append(_("The review cannot end before it starts."))
    if campaign.review_ends_on and campaign.naming_planned_on and campaign.naming_planned_on <= campaign.review_ends_on:
        errors.setdefault("naming_planned_on", []).append(
            _("Naming comes after the review and the public notice; choose a later date.")
        )
    if not errors and campaign.review_ends_on and campaign.naming_planned_on and campaign.public_notice_working_days:
        notice_end = public_notice_window(campaign)[1]
        if campaign.naming_planned_on <= notice_end:
            errors.setdefault("naming_planned_on", []).append(
                _("Naming comes after the public notice, which is expected to end on %(date)s.")
                % {"date": notice_end.isoformat()}
            )
    if any(not isinstance(d, int) or d < 1 for d in campaign.reminder_days):
        errors.setdefault("reminder_days", []).append(_("Reminder thresholds are whole numbers of days, 1 or more."))
    if (
        campaign.organiser_id
        and campaign.scope_unit_id
        and not campaign.scope_unit.is_in_subtree_of(campaign.organiser)
    ):
        errors.setdefault("scope_unit", []).append(_("Only the organising unit or a unit below it can be the scope."))
    duplicate = Campaign.objects.filter(
        organiser_id=campaign.organiser_id, document_number=campaign.document_number
    ).exclude(pk=campaign.pk)
    if duplicate.exists():
        errors.setdefault("document_number", []).append(
            _("The organising unit already has a notice with this document number.")
        )
    if errors:
        raise ValidationError(errors)
    campaign.full_clean(exclude=["created_by", "document_number"], validate_unique=False)


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    organiser: UnionUnit,
    template: CriteriaTemplate | None = None,
    level_deadlines: Mapping[str, datetime | None] | None = None,
    **fields,
) -> Campaign:
    _require(actor, "campaigns.create_campaign")
    if not (actor.is_superuser or actor.has_role_over(organiser, "staff")):
        raise PermissionDenied(_("You can organise campaigns only for units you work for."))
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {unknown}")
    fields.setdefault("scope_unit", organiser)
    fields.setdefault("reminder_days", [7, 3, 1])
    campaign = Campaign(organiser=organiser, created_by=actor, **fields)
    campaign.body = sanitise_body(campaign.body)
    validate_campaign(campaign)
    validate_level_deadlines(campaign, level_deadlines or {})
    campaign.save()
    _save_level_deadlines(campaign, level_deadlines or {})
    if template is not None:
        _copy_criteria(campaign, template)
    record(
        actor=actor,
        action="campaigns.create",
        target=campaign,
        unit=organiser,
        details={"document_number": campaign.document_number, "template": template.name if template else None},
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: User, campaign: Campaign, level_deadlines: Mapping[str, datetime | None] | None = None, **fields
) -> Campaign:
    campaign = campaign_locked(campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    _require_editable(campaign)
    if "body" in fields:
        fields["body"] = sanitise_body(fields["body"])
    if "document_number" in fields:
        fields["document_number"] = normalise_document_number(fields["document_number"])
    changes = {}
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(campaign, name) != value:
            if campaign.status != Campaign.Status.DRAFT and name in FROZEN_ON_PUBLISH:
                raise CriteriaFrozen(
                    _("“%(field)s” was fixed when the notice was published.")
                    % {"field": Campaign._meta.get_field(name).verbose_name}
                )
            changes[name] = [getattr(campaign, name), value]
            setattr(campaign, name, value)
    validate_campaign(campaign)
    existing = {d.unit_kind: d.deadline for d in campaign.level_deadlines.all()}
    validate_level_deadlines(campaign, existing | dict(level_deadlines or {}))
    level_changes = _save_level_deadlines(campaign, level_deadlines or {})
    if level_changes:
        changes["level_deadlines"] = level_changes
    if not changes:
        return campaign
    if campaign.published_at is not None and set(changes) - INTERNAL_FIELDS:
        campaign.revised_at = timezone.now()  # readers of the published notice see "更新于 …"
    campaign.save()
    if "body" in changes:
        changes["body"] = "…"  # the trail says that the text changed, not the whole text twice
    record(
        actor=actor, action="campaigns.update", target=campaign, unit=campaign.organiser, details={"changes": changes}
    )
    return campaign


def _copy_criteria(campaign: Campaign, template: CriteriaTemplate) -> list[Criterion]:
    return Criterion.objects.bulk_create(
        Criterion(campaign=campaign, **{f: getattr(source, f) for f in CRITERION_FIELDS})
        for source in template.criteria.all()
    )


@transaction.atomic
def criteria_copy_from_template(*, actor: User, campaign: Campaign, template: CriteriaTemplate) -> list[Criterion]:
    """Replace the campaign's criteria with a copy of the template's."""
    campaign = campaign_locked(campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    if campaign.criteria_frozen:
        raise CriteriaFrozen()
    campaign.criteria.all().delete()
    criteria = _copy_criteria(campaign, template)
    record(
        actor=actor,
        action="campaigns.criteria_copy",
        target=campaign,
        unit=campaign.organiser,
        details={"template": template.name, "criteria": len(criteria)},
    )
    return criteria


@dataclass
class CriterionChange:
    """One row of the criteria editor: `criterion` None adds, `delete` removes, otherwise update."""

    criterion: Criterion | None
    values: Mapping[str, Any]
    delete: bool = False


def validate_criteria_set(rows: Iterable[Mapping[str, Any]]) -> None:
    rows = list(rows)
    codes = [row["code"] for row in rows]
    if len(codes) != len(set(codes)):
        raise ValidationError(_("Each criterion needs its own code."))
    if not any(not row["is_veto"] and row["max_score"] > 0 for row in rows):
        raise ValidationError(_("At least one criterion must carry a score."))
    for row in rows:
        if row["is_veto"] and row["max_score"] != 0:
            raise ValidationError(
                _("“%(title)s” is a veto item: it carries no score, so its maximum must be 0.")
                % {"title": row["title"]}
            )
        if not row["is_veto"] and row["max_score"] <= 0:
            raise ValidationError(_("The maximum score of “%(title)s” must be positive.") % {"title": row["title"]})


@transaction.atomic
def criteria_save(*, actor: User, campaign: Campaign, changes: list[CriterionChange]) -> list[Criterion]:
    """Apply the criteria editor's rows at once: the set is valid as a whole or nothing changes."""
    campaign = campaign_locked(campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    if campaign.criteria_frozen:
        raise CriteriaFrozen()
    existing = {c.pk: c for c in campaign.criteria.all()}
    final = {pk: {f: getattr(c, f) for f in CRITERION_FIELDS} for pk, c in existing.items()}
    new_rows = []
    for change in changes:
        if change.criterion is not None and change.criterion.pk not in existing:
            raise PermissionDenied(_("That criterion belongs to another campaign."))
        if change.delete:
            if change.criterion is not None:
                final.pop(change.criterion.pk)
        elif change.criterion is None:
            new_rows.append(dict(change.values))
        else:
            final[change.criterion.pk] = dict(change.values)
    validate_criteria_set([*final.values(), *new_rows])
    campaign.criteria.exclude(pk__in=final).delete()
    for pk, values in final.items():
        criterion = existing[pk]
        for field, value in values.items():
            setattr(criterion, field, value)
        criterion.full_clean(exclude=["campaign"], validate_unique=False)
        criterion.save()
    for values in new_rows:
        criterion = Criterion(campaign=campaign, **values)
        criterion.full_clean(exclude=["campaign"], validate_unique=False)
        criterion.save()
    record(
        actor=actor,
        action="campaigns.criteria_save",
        target=campaign,
        unit=campaign.organiser,
        details={"criteria": len(final) + len(new_rows)},
    )
    return list(campaign.criteria.all())


@transaction.atomic
def quotas_save(*, actor: User, campaign: Campaign, quotas: Mapping[UnionUnit, int | None]) -> list[Quota]:
    """Set the quota of each recommending unit directly below the organiser; None removes it."""
    campaign = campaign_locked(campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    _require_editable(campaign)
    below = set(UnionUnit.objects.get_children(campaign.organiser).values_list("pk", flat=True))
    changes = {}
    for unit, value in quotas.items():
        if unit.pk not in below:
            raise ValidationError(_("Quotas are set for the units directly below the organiser."))
        current = Quota.objects.filter(campaign=campaign, unit=unit).first()
        if value is None:
            if current is not None:
                current.delete()
                changes[unit.name] = [current.max_recommendations, None]
        elif current is None or current.max_recommendations != value:
            Quota.objects.update_or_create(campaign=campaign, unit=unit, defaults={"max_recommendations": value})
            changes[unit.name] = [current.max_recommendations if current else None, value]
    if changes:
        record(actor=actor, action="campaigns.quotas_save", target=campaign, unit=campaign.organiser, details=changes)
    return list(campaign.quotas.select_related("unit"))


@transaction.atomic
def attachment_add(*, actor: User, campaign: Campaign, upload) -> Attachment:
    campaign = campaign_locked(campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    _require_editable(campaign)
    content_type, sha256 = inspect_upload(upload, limit=settings.CAMPAIGN_ATTACHMENT_MAX_BYTES)
    if campaign.attachments.filter(sha256=sha256).exists():
        raise ValidationError(_("This file is already attached."))
    attachment = Attachment(
        campaign=campaign,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save(sha256, upload, save=False)
    attachment.save()
    _mark_revised(campaign)
    record(
        actor=actor,
        action="campaigns.attachment_add",
        target=campaign,
        unit=campaign.organiser,
        details={"file": attachment.original_name, "sha256": sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    campaign = campaign_locked(attachment.campaign)
    _require(actor, "campaigns.manage_campaign", campaign)
    _require_editable(campaign)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    _mark_revised(campaign)
    transaction.on_commit(lambda: storage.delete(stored))
    record(
        actor=actor,
        action="campaigns.attachment_remove",
        target=campaign,
        unit=campaign.organiser,
        details={"file": attachment.original_name, "sha256": attachment.sha256},
    )


# --- Transitions: one service each, all through the table in transitions.py ----------------


def _transition(*, actor: User | None, campaign: Campaign, action: str, details: dict | None = None) -> Campaign:
    _require(actor, "campaigns.manage_campaign", campaign)
    transition = find_transition(campaign.status, action)
    if transition is None:
        raise TransitionNotAllowed()
    campaign.status = transition.target
    campaign.save(update_fields=["status", "cancel_reason", "published_at", "updated_at"])
    record(
        actor=actor,
        action=f"campaigns.{action}",
        target=campaign,
        unit=campaign.organiser,
        details={"from": transition.source, "to": transition.target, **(details or {})},
    )
    return campaign


def publish_problems(campaign: Campaign) -> list[str]:
    """What still keeps a draft from being published; empty when it can be."""
    problems = []
    criteria = list(campaign.criteria.all())
    if not criteria:
        problems.append(_("The notice has no criteria yet."))
    elif not any(not c.is_veto and c.max_score > 0 for c in criteria):
        problems.append(_("At least one criterion must carry a score."))
    if not campaign.body.strip():
        problems.append(_("The body of the notice is empty."))
    return problems


def deadline_change_effects(campaign: Campaign, values: Mapping[str, Any], now: datetime | None = None) -> list[str]:
    """What moving a published campaign's deadlines to `values` would shut at once: a deadline moved
    into the past closes every draft (application deadline) or returned application (recommendation
    deadline) still waiting. Empty when nothing is shut."""
    if campaign.status == Campaign.Status.DRAFT:
        return []
    now = now or timezone.now()
    # Applications belong to the teams app, above this one: reached through the reverse relation.
    applications = campaign.applications.model
    effects = []
    new_deadline = values.get("application_deadline")
    if new_deadline and new_deadline != campaign.application_deadline and new_deadline <= now:
        drafts = campaign.applications.filter(status=applications.Status.DRAFT).count()
        effects.append(
            _(
                "The new application deadline %(deadline)s has already passed: applications close at once, and "
                "%(count)s unsubmitted drafts can no longer be submitted."
            )
            % {"deadline": timezone.localtime(new_deadline).strftime("%Y-%m-%d %H:%M"), "count": drafts}
        )
    new_deadline = values.get("recommendation_deadline")
    if new_deadline and new_deadline != campaign.recommendation_deadline and new_deadline <= now:
        returned = campaign.applications.filter(status=applications.Status.RETURNED).count()
        effects.append(
            _(
                "The new recommendation deadline %(deadline)s has already passed: %(count)s applications returned "
                "for revision can no longer be resubmitted."
            )
            % {"deadline": timezone.localtime(new_deadline).strftime("%Y-%m-%d %H:%M"), "count": returned}
        )
    return effects


def publish_warnings(campaign: Campaign) -> list[str]:
    """What the organiser should confirm before publishing, though it does not stop them: no quotas
    (every unit may recommend without limit), or quotas adding up to more than the titles."""
    quotas = list(campaign.quotas.all())
    if not quotas:
        return [
            _(
                "No quotas are set: the recommending units may recommend any number of applications. "
                "Set them under “Edit quotas” if that is not intended."
            )
        ]
    total = sum(q.max_recommendations for q in quotas)
    if total > campaign.titles_to_award:
        return [
            _(
                "The quotas add up to %(total)s, more than the %(titles)s titles to award: the experts will "
                "choose among more applications than can be named."
            )
            % {"total": total, "titles": campaign.titles_to_award}
        ]
    return []


@transaction.atomic
def campaign_publish(*, actor: User, campaign: Campaign) -> Campaign:
    campaign = campaign_locked(campaign)
    problems = publish_problems(campaign)
    if problems:
        raise CampaignIncomplete(" ".join(problems))
    campaign.published_at = timezone.now()
    return _transition(actor=actor, campaign=campaign, action="publish")


@transaction.atomic
def campaign_close(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Close for applications; allowed once the application deadline has passed (server time)."""
    campaign = campaign_locked(campaign)
    if campaign.status == Campaign.Status.PUBLISHED and timezone.now() < campaign.application_deadline:
        raise TransitionNotAllowed(_("Applications can be closed only after the application deadline."))
    return _transition(actor=actor, campaign=campaign, action="close")


@transaction.atomic
def campaign_conclude(*, actor: User, campaign: Campaign) -> Campaign:
    return _transition(actor=actor, campaign=campaign_locked(campaign), action="conclude")


@transaction.atomic
def campaign_cancel(*, actor: User, campaign: Campaign, reason: str) -> Campaign:
    campaign = campaign_locked(campaign)
    reason = clean_text(reason, limit=1000, label=_("Reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling; it is shown with the notice.")})
    campaign.cancel_reason = reason
    return _transition(actor=actor, campaign=campaign, action="cancel", details={"reason": reason})


def campaigns_close_due() -> int:
    """Close every published campaign whose application deadline has passed. Run by Celery beat."""
    due = Campaign.objects.filter(status=Campaign.Status.PUBLISHED, application_deadline__lte=timezone.now())
    closed = 0
    for campaign in due.only("pk"):
        try:
            campaign_close(actor=None, campaign=campaign)
            closed += 1
        except TransitionNotAllowed:
            continue  # someone else closed or cancelled it meanwhile
    return closed
