"""Every write to teams, members and mentor pairs: one transaction, a permission check, one audit event."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import UnionUnit, User
from accounts.services import user_create
from audit.services import record
from core.text import clean_text

from ..models import Application, Member, MentorPair, Team

TEAM_FIELDS = ("name", "enterprise", "industry", "region", "category", "founded_on", "description")
MEMBER_FIELDS = ("name", "position", "skill_grade", "role", "joined_on", "left_on", "phone")
PAIR_FIELDS = ("mentor", "apprentice", "started_on", "ended_on", "outcome")

# The team's registration: which review action leads from which state to which.
TEAM_TRANSITIONS = {
    ("approve", Team.Status.PENDING): Team.Status.APPROVED,
    ("reject", Team.Status.PENDING): Team.Status.REJECTED,
    ("resubmit", Team.Status.REJECTED): Team.Status.PENDING,
}


class TeamStateError(ValidationError):
    """A review action the team's state does not allow (double click, two staff at once)."""


def _require(actor: User, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to perform this action."))


def _locked(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("grassroots_union").get(pk=team.pk)


def _check_union(union: UnionUnit) -> None:
    if union.kind != UnionUnit.Kind.GRASSROOTS or not union.is_active:
        raise ValidationError({"grassroots_union": _("A team belongs to an active grassroots union.")})


def _save_team(team: Team) -> Team:
    team.full_clean(exclude=["created_by", "leaders"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("The grassroots union already has a team of this name.")}) from error
    # Its applications carry copies of the team's place in the tree and of its sort key.
    Application.objects.filter(team=team).exclude(union_path=team.union_path, team_sort=team.name_pinyin).update(
        union_path=team.union_path, team_sort=team.name_pinyin
    )
    return team


@transaction.atomic
def team_register(*, actor: User, grassroots_union: UnionUnit, **fields) -> Team:
    """A team leader registers their team; the grassroots union's staff then approve it."""
    _require(actor, "teams.register_team")
    _check_union(grassroots_union)
    team = _save_team(
        Team(
            grassroots_union=grassroots_union,
            created_by=actor,
            status=Team.Status.PENDING,
            **{k: fields[k] for k in TEAM_FIELDS if k in fields},
        )
    )
    team.leaders.add(actor)
    if actor.unit_id is None:
        actor.unit = grassroots_union
        actor.save(update_fields=["unit"])
    record(actor=actor, action="teams.register", target=team, unit=grassroots_union, details={"name": team.name})
    return team


@transaction.atomic
def team_create(
    *, actor: User, grassroots_union: UnionUnit, leader_name: str, leader_email: str, request_host: str, **fields
) -> Team:
    """Staff register a team themselves and invite its leader by e-mail to set a password."""
    _check_union(grassroots_union)
    if not (actor.is_superuser or actor.has_role_over(grassroots_union, "staff")):
        raise PermissionDenied(_("You do not have permission to perform this action."))
    team = _save_team(
        Team(
            grassroots_union=grassroots_union,
            created_by=actor,
            status=Team.Status.APPROVED,
            **{k: fields[k] for k in TEAM_FIELDS if k in fields},
        )
    )
    leader = User.objects.filter(email__iexact=leader_email).first()
    if leader is None:
        username = leader_email.split("@")[0][:140]
        while User.objects.filter(username=username).exists():
            username = f"{username}1"
        leader = user_create(
            actor=actor, username=username, name=leader_name, email=leader_email, unit=grassroots_union
        )
    team.leaders.add(leader)
    record(
        actor=actor,
        action="teams.create",
        target=team,
        unit=grassroots_union,
        details={"name": team.name, "leader": leader.username},
    )
    transaction.on_commit(lambda: _send_invitation(team=team, leader=leader, host=request_host))
    return team


def _send_invitation(*, team: Team, leader: User, host: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(leader.pk))
    token = default_token_generator.make_token(leader)
    link = host + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    body = render_to_string("teams/invitation_email.txt", {"team": team, "leader": leader, "link": link})
    send_mail(_("Your team is registered: set your password"), body, None, [leader.email])


@transaction.atomic
def team_update(*, actor: User, team: Team, **fields) -> Team:
    team = _locked(team)
    _require(actor, "teams.edit_team", team)
    changes = {}
    for name, value in fields.items():
        if name not in TEAM_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(team, name) != value:
            changes[name] = [getattr(team, name), value]
            setattr(team, name, value)
    if not changes:
        return team
    _save_team(team)
    record(actor=actor, action="teams.update", target=team, unit=team.grassroots_union, details={"changes": changes})
    return team


def _review(*, actor: User, team: Team, action: str, reason: str = "") -> Team:
    team = _locked(team)
    _require(actor, "teams.review_team" if action != "resubmit" else "teams.edit_team", team)
    target = TEAM_TRANSITIONS.get((action, team.status))
    if target is None:
        raise TeamStateError(_("The team is no longer in a state that allows this; the page may be out of date."))
    team.status = target
    team.reject_reason = reason
    team.save(update_fields=["status", "reject_reason", "updated_at"])
    record(
        actor=actor,
        action=f"teams.{action}",
        target=team,
        unit=team.grassroots_union,
        details={"reason": reason} if reason else {},
    )
    return team


@transaction.atomic
def team_approve(*, actor: User, team: Team) -> Team:
    return _review(actor=actor, team=team, action="approve")


@transaction.atomic
def team_reject(*, actor: User, team: Team, reason: str) -> Team:
    reason = clean_text(reason, limit=1000, label=_("Reason"))
    if not reason:
        raise ValidationError({"reason": _("Tell the team leader why, so that they can correct it.")})
    return _review(actor=actor, team=team, action="reject", reason=reason)


@transaction.atomic
def team_resubmit(*, actor: User, team: Team) -> Team:
    return _review(actor=actor, team=team, action="resubmit")


@transaction.atomic
def team_move(*, actor: User, team: Team, new_union: UnionUnit) -> Team:
    """Move a team to another grassroots union; staff over both unions may."""
    team = _locked(team)
    _check_union(new_union)
    old_union = team.grassroots_union
    if not (
        actor.is_superuser or (actor.has_role_over(old_union, "staff") and actor.has_role_over(new_union, "staff"))
    ):
        raise PermissionDenied(_("Moving a team needs staff rights over both grassroots unions."))
    if old_union.pk == new_union.pk:
        return team
    team.grassroots_union = new_union
    _save_team(team)  # its applications follow it into the new subtree
    record(
        actor=actor,
        action="teams.move",
        target=team,
        unit=new_union,
        details={"from": old_union.name, "to": new_union.name},
    )
    return team


@transaction.atomic
def member_save(*, actor: User, team: Team, member: Member | None = None, **fields) -> Member:
    team = _locked(team)
    _require(actor, "teams.edit_team", team)
    if member is not None and member.team_id != team.pk:
        raise PermissionDenied(_("That member belongs to another team."))
    created = member is None
    member = member or Member(team=team)
    for name, value in fields.items():
        if name not in MEMBER_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(member, name, value)
    member.full_clean(exclude=["team"])
    member.save()
    team_count_members(team)
    record(
        actor=actor,
        action="teams.member_add" if created else "teams.member_update",
        target=team,
        unit=team.grassroots_union,
        details={"member": member.name},
    )
    return member


def team_count_members(team: Team) -> None:
    """Store the team's number of current members (counted afresh, so that it cannot drift)."""
    current = Member.objects.filter(team=team, left_on__isnull=True).count()
    Team.objects.filter(pk=team.pk).update(member_count=current)
    team.member_count = current


@transaction.atomic
def mentor_pair_save(*, actor: User, team: Team, pair: MentorPair | None = None, **fields: Any) -> MentorPair:
    team = _locked(team)
    _require(actor, "teams.edit_team", team)
    if pair is not None and pair.team_id != team.pk:
        raise PermissionDenied(_("That pair belongs to another team."))
    values: Mapping[str, Any] = {k: v for k, v in fields.items() if k in PAIR_FIELDS}
    for person in (values.get("mentor"), values.get("apprentice")):
        if person is not None and person.team_id != team.pk:
            raise ValidationError(_("Mentor and apprentice must both be members of this team."))
    if values.get("mentor") is not None and values.get("mentor") == values.get("apprentice"):
        raise ValidationError({"apprentice": _("A mentor cannot be their own apprentice.")})
    created = pair is None
    pair = pair or MentorPair(team=team)
    for name, value in values.items():
        setattr(pair, name, value)
    if pair.ended_on and pair.ended_on < pair.started_on:
        raise ValidationError({"ended_on": _("A pair cannot end before it starts.")})
    pair.full_clean(exclude=["team"])
    pair.save()
    record(
        actor=actor,
        action="teams.pair_add" if created else "teams.pair_update",
        target=team,
        unit=team.grassroots_union,
        details={"mentor": pair.mentor.name, "apprentice": pair.apprentice.name},
    )
    return pair


def follow_unit_move(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    """A unit moved (accounts.signals.unit_moved): the teams and applications below it carry the
    new path of their grassroots union. Runs inside the move's transaction."""
    moved = {"union_path": Concat(Value(new_path), Substr("union_path", len(old_path) + 1))}
    Team.objects.filter(union_path__startswith=old_path).update(**moved)
    Application.objects.filter(union_path__startswith=old_path).update(**moved)
