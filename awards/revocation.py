"""Revocation (摘牌) of named titles: one title or a batch in one audited step with one reason, the
hand-back of the plaque and the certificate, and the reversal of a revocation made in error. Nothing
is deleted: a reversal is written on the revocation, and both stay in the title's history.

Locks are taken in one order: the titles (by id), then the revocation."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, UnionUnit, User
from audit.services import record
from core.text import clean_text

from .errors import AwardsError
from .models import REVOCATION_TEXT_MAX_LENGTH, Revocation, Title

NAMED = Title.State.NAMED
REVOKED = Title.State.REVOKED
Reason = Revocation.Reason
STAFF_ROLE = RoleAssignment.Role.STAFF
AUDITOR_ROLE = RoleAssignment.Role.AUDITOR


def may_revoke(user: User, title: Title) -> bool:
    """The staff of the organising unit of the campaign that named the title (or above it)."""
    return user.has_perm("awards.manage_awards", title.decision.campaign)


def common_unit(units: Iterable[UnionUnit]) -> UnionUnit:
    """The lowest unit above (or equal to) all of `units`: the audit event of a batch is visible in
    its subtree."""
    units = list(units)
    path = units[0].path
    for unit in units[1:]:
        while not unit.path.startswith(path):
            path = path[: -UnionUnit.steplen]
    for unit in units:
        if unit.path == path:
            return unit
    return UnionUnit.objects.get(path=path)


def _locked_titles(title_ids: list[int]) -> list[Title]:
    return list(
        Title.objects.select_for_update(of=("self",))
        .select_related("decision__campaign__organiser")
        .filter(pk__in=title_ids)
        .order_by("pk")
    )


@transaction.atomic
def revoke(
    *,
    actor: User,
    titles: Iterable[Title],
    reason: str,
    document_number: str,
    revoked_on: date,
    details: str = "",
    plaque_returned: bool = False,
    certificate_returned: bool = False,
) -> list[Revocation]:
    """Revoke one title or a batch with one reason and document: each shows as revoked (已摘牌) from
    then on — in the registry, on the team's page, in the exports and the figures — and no
    certificate can be printed for it again. A title revoked already (by a colleague a moment ago, or
    twice in the batch) refuses the whole step, as does one the actor may not revoke."""
    title_ids = sorted({title.pk for title in titles})
    if not title_ids:
        raise AwardsError(_("Choose the titles to revoke."))
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = [_("Choose the reason for the revocation.")]
    details = clean_text(details, limit=REVOCATION_TEXT_MAX_LENGTH, label=_("details"))
    if reason == Reason.OTHER and not details:
        errors["details"] = [_("Say what the other reason is.")]
    document_number = clean_text(document_number, limit=50, label=_("document number"))
    if not document_number:
        errors["document_number"] = [_("Give the number of the document that revokes the title.")]
    today = timezone.localdate()
    if revoked_on is None or revoked_on > today:
        errors["revoked_on"] = [_("The revocation cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    locked = _locked_titles(title_ids)
    if len(locked) != len(title_ids):
        raise AwardsError(_("Only a named title can be revoked."))
    for title in locked:
        if not may_revoke(actor, title):
            raise PermissionDenied(_("Only the staff of the unit that named a team revoke its title."))
    already = [title.certificate_number for title in locked if title.state != NAMED]
    if already:
        raise AwardsError(_("These titles are revoked already: %(numbers)s.") % {"numbers": "、".join(already)})
    for title in locked:
        if revoked_on < title.decision.decided_on:
            raise ValidationError({"revoked_on": [_("A title cannot be revoked before the day it was conferred.")]})
    now = timezone.now()
    revocations = Revocation.objects.bulk_create(
        Revocation(
            title=title,
            reason=reason,
            details=details,
            document_number=document_number,
            revoked_on=revoked_on,
            plaque_returned=plaque_returned,
            certificate_returned=certificate_returned,
            revoked_by=actor,
            revoked_at=now,
            batch_size=len(locked),
        )
        for title in locked
    )
    Title.objects.filter(pk__in=title_ids).update(state=REVOKED, revoked_on=revoked_on, revocation_reason=reason)
    record(
        actor=actor,
        action="awards.revoke",
        target=revocations[0],
        unit=common_unit(title.decision.campaign.organiser for title in locked),
        details={
            "reason": reason,
            **({"reason_details": details} if details else {}),
            "document_number": document_number,
            "revoked_on": revoked_on,
            "certificate_numbers": "、".join(title.certificate_number for title in locked),
            "team": "、".join(title.team_name for title in locked),
            "plaque_returned": plaque_returned,
            "certificate_returned": certificate_returned,
        },
    )
    return revocations


def _locked_revocation(revocation: Revocation) -> tuple[Title, Revocation]:
    title = _locked_titles([revocation.title_id])[0]
    revocation = Revocation.objects.select_for_update().get(pk=revocation.pk)
    return title, revocation


@transaction.atomic
def handback_record(
    *, actor: User, revocation: Revocation, plaque_returned: bool, certificate_returned: bool
) -> Revocation:
    """Record that the plaque and the certificate of a revoked title were handed back (or not yet)."""
    title, revocation = _locked_revocation(revocation)
    if not may_revoke(actor, title):
        raise PermissionDenied(_("Only the staff of the unit that named a team revoke its title."))
    if not revocation.is_standing:
        raise AwardsError(_("This revocation was reversed."))
    before = {"plaque_returned": revocation.plaque_returned, "certificate_returned": revocation.certificate_returned}
    after = {"plaque_returned": plaque_returned, "certificate_returned": certificate_returned}
    if before == after:
        return revocation
    revocation.plaque_returned, revocation.certificate_returned = plaque_returned, certificate_returned
    revocation.save(update_fields=["plaque_returned", "certificate_returned"])
    record(
        actor=actor,
        action="awards.handback_record",
        target=revocation,
        unit=title.decision.campaign.organiser,
        details={
            "certificate_numbers": title.certificate_number,
            "changes": {key: [before[key], after[key]] for key in before if before[key] != after[key]},
        },
    )
    return revocation


@transaction.atomic
def revocation_reverse(*, actor: User, revocation: Revocation, reason: str) -> Revocation:
    """Reverse a revocation made in error: the title stands again (named) and the revocation stays in
    its history with the reversal's reason. Never a deletion."""
    title, revocation = _locked_revocation(revocation)
    if not may_revoke(actor, title):
        raise PermissionDenied(_("Only the staff of the unit that named a team revoke its title."))
    reason = clean_text(reason, limit=REVOCATION_TEXT_MAX_LENGTH, label=_("reason for the reversal"))
    if not reason:
        raise ValidationError({"reason": [_("Give the reason why the revocation is reversed.")]})
    if not revocation.is_standing:
        raise AwardsError(_("This revocation was reversed already."))
    revocation.reversed_at, revocation.reversed_by, revocation.reversal_reason = timezone.now(), actor, reason
    revocation.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
    Title.objects.filter(pk=title.pk).update(state=NAMED, revoked_on=None, revocation_reason="")
    record(
        actor=actor,
        action="awards.revocation_reverse",
        target=revocation,
        unit=title.decision.campaign.organiser,
        details={
            "certificate_numbers": title.certificate_number,
            "team": title.team_name,
            "document_number": revocation.document_number,
            "reversal_reason": reason,
        },
    )
    return revocation


def batch_of(revocation: Revocation) -> list[Revocation]:
    """The revocations recorded in the same step as `revocation` (same person, same moment)."""
    return list(
        Revocation.objects.filter(revoked_by=revocation.revoked_by_id, revoked_at=revocation.revoked_at)
        .select_related("title")
        .order_by("title__certificate_number")
    )
