"""Every write of the public notice and the naming: publishing the shortlist for N working days,
filing an objection and settling it, and issuing the naming decision with its certificate numbers.

Locks are taken in one order: the campaign, the notice, the objection (or the entry), the review
result, the certificate counter."""

import re
import secrets
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UnionUnit, User
from audit.services import record
from campaigns.models import Campaign
from campaigns.services import campaign_locked
from campaigns.workdays import next_working_days
from core.text import clean_text
from core.uploads import inspect_upload
from reviews.errors import ReviewError, ShortlistRefused
from reviews.models import ReviewResult
from reviews.services import shortlist_withdraw
from teams.models import Application, pinyin_key

from .errors import AwardsError
from .models import (
    FACTS_MAX_LENGTH,
    FINDINGS_MAX_LENGTH,
    CertificateCounter,
    NamingDecision,
    NoticeEntry,
    Objection,
    PublicNotice,
    Title,
)
from .search import search_text

E = NoticeEntry.State
OB = Objection.State
R = ReviewResult.State

PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


def _require_manager(actor: User, campaign: Campaign) -> None:
    if not actor.has_perm("awards.manage_awards", campaign):
        raise PermissionDenied(_("Only the staff of the organising unit publish the notice and name the teams."))


def organiser_notice(campaign: Campaign) -> PublicNotice | None:
    return (
        PublicNotice.objects.filter(campaign=campaign, stage=PublicNotice.Stage.ORGANISER)
        .select_related("unit")
        .first()
    )


def notice_period(first_day: date, working_days: int) -> tuple[date, date]:
    """From `first_day` (or the first working day after it) for `working_days` working days, with the
    Chinese holiday calendar and its overrides."""
    days = next_working_days(first_day - timedelta(days=1), working_days)
    return days[0], days[-1]


# --- The public notice -------------------------------------------------------------------------


def first_level_units(campaign: Campaign) -> set[int]:
    """The recommending unions (other than the organiser) with a team on the shortlist: on a
    two-level notice (两级公示) each publishes its own teams first."""
    return set(
        ReviewResult.objects.filter(campaign=campaign, state=R.SHORTLISTED)
        .exclude(recommended_by=campaign.organiser_id)
        .values_list("recommended_by", flat=True)
    )


def first_level_pending(campaign: Campaign, today: date | None = None) -> list[str]:
    """The names of the recommending unions whose notice is not yet over (not published, still
    running, or with an objection open): the organiser's notice waits for them."""
    today = today or timezone.localdate()
    notices = {
        n.unit_id: n
        for n in PublicNotice.objects.filter(campaign=campaign, stage=PublicNotice.Stage.RECOMMENDING).select_related(
            "unit"
        )
    }
    open_at = set(
        Objection.objects.filter(notice__in=notices.values(), state=OB.INVESTIGATING).values_list(
            "notice__unit", flat=True
        )
    )
    waiting = first_level_units(campaign) | set(notices)
    names = dict(UnionUnit.objects.filter(pk__in=waiting).values_list("pk", "name"))
    return sorted(
        names[unit] for unit in waiting if unit not in notices or today <= notices[unit].ends_on or unit in open_at
    )


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    campaign: Campaign,
    contact_phone: str,
    contact_address: str,
    unit: UnionUnit | None = None,
    first_day: date | None = None,
    show_leader_names: bool = False,
) -> PublicNotice:
    """Publish the campaign's shortlist for its number of working days, from `first_day` (default:
    the next working day). The shortlist must be final: every application reviewed and decided.

    By default the organiser publishes the whole shortlist. On a two-level notice (两级公示) each
    recommending union (`unit`) first publishes the shortlisted teams it recommended, with the same
    rules; the organiser's notice follows once all of theirs have ended with no objection open."""
    campaign = campaign_locked(campaign)
    unit = unit or campaign.organiser
    first_level = unit.pk != campaign.organiser_id
    if first_level:
        if not actor.has_perm("awards.publish_unit_notice", unit):
            raise PermissionDenied(_("Only the staff of the recommending union publish its notice."))
        if not campaign.two_level_notice:
            raise AwardsError(_("This campaign has a single public notice, published by its organiser."))
    else:
        _require_manager(actor, campaign)
    if PublicNotice.objects.filter(campaign=campaign, unit=unit).exists():
        raise AwardsError(_("The shortlist of this campaign is already on public notice."))
    results = list(
        ReviewResult.objects.filter(campaign=campaign)
        .exclude(state=R.EXCLUDED)
        .select_related("application__team__grassroots_union")
        .order_by("rank", "team_sort", "pk")
    )
    if not any(r.state == R.SHORTLISTED for r in results) or any(r.state == R.REVIEWING for r in results):
        raise AwardsError(_("The shortlist is not final yet: record it on the expert review's 拟命名 page first."))
    shortlisted = [r for r in results if r.state == R.SHORTLISTED]
    if first_level:
        shortlisted = [r for r in shortlisted if r.recommended_by_id == unit.pk]
        if not shortlisted:
            raise AwardsError(_("None of the teams this union recommended is on the shortlist."))
    elif campaign.two_level_notice:
        pending = first_level_pending(campaign)
        if pending:
            raise AwardsError(
                _(
                    "The recommending unions' notices come first: wait until those of %(units)s have ended "
                    "with every objection settled."
                )
                % {"units": "、".join(pending)}
            )
    errors = {}
    phone = clean_text(contact_phone, limit=20, label=_("phone for objections"))
    if not PHONE.match(phone):
        errors["contact_phone"] = [_("Enter a telephone number, e.g. 029-87654321.")]
    address = clean_text(contact_address, limit=200, label=_("address for objections"))
    if not address:
        errors["contact_address"] = [_("Say where written objections are to be sent.")]
    today = timezone.localdate()
    first_day = first_day or today + timedelta(days=1)
    if first_day < today:
        errors["first_day"] = [_("The notice cannot start in the past.")]
    if errors:
        raise ValidationError(errors)
    starts_on, ends_on = notice_period(first_day, campaign.public_notice_working_days)
    notice = PublicNotice.objects.create(
        campaign=campaign,
        stage=PublicNotice.Stage.RECOMMENDING if first_level else PublicNotice.Stage.ORGANISER,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        working_days=campaign.public_notice_working_days,
        contact_phone=phone,
        contact_address=address,
        show_leader_names=show_leader_names,
        published_by=actor,
        published_at=timezone.now(),
    )
    leaders = _leader_names([r.application_id for r in shortlisted]) if show_leader_names else {}
    NoticeEntry.objects.bulk_create(
        NoticeEntry(
            notice=notice,
            application_id=r.application_id,
            order=order,
            team_name=r.application.team.name,
            enterprise=r.application.team.enterprise,
            union_name=r.application.team.grassroots_union.name,
            region=r.application.team.region,
            summary=r.application.submitted_summary,
            leader_names=leaders.get(r.application_id, ""),
        )
        for order, r in enumerate(shortlisted, start=1)
    )
    record(
        actor=actor,
        action="awards.notice_publish",
        target=campaign,
        unit=unit,
        details={"notice_from": starts_on, "notice_until": ends_on, "teams": len(shortlisted), "phone": phone},
    )
    return notice


def _leader_names(application_ids: list[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    rows = Application.objects.filter(pk__in=application_ids).values_list("pk", "team__leaders__name")
    for pk, name in rows.order_by("pk", "team__leaders__name"):
        if name:
            names.setdefault(pk, []).append(name)
    return {pk: "、".join(found) for pk, found in names.items()}


def notice_is_running(notice: PublicNotice, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.starts_on <= today <= notice.ends_on


# --- Objections --------------------------------------------------------------------------------


def _reference() -> str:
    """A reference the filer can quote and look the outcome up with: not guessable from another's."""
    return f"YY{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def objection_file(
    *,
    entry: NoticeEntry,
    name: str,
    unit: str,
    phone: str,
    facts: str,
    attachment=None,
    ip_address: str | None = None,
) -> Objection:
    """A real-name objection to a team on the notice, by anyone, while the notice runs, with an
    optional attachment checked as evidence files are (content, size, Office archives)."""
    notice = PublicNotice.objects.select_for_update().get(pk=entry.notice_id)
    if not notice_is_running(notice):
        raise AwardsError(
            _("Objections are taken from %(start)s to %(end)s only.")
            % {"start": notice.starts_on, "end": notice.ends_on}
        )
    errors = {}
    values = {}
    for field_name, value, limit, label in (
        ("name", name, 50, _("real name")),
        ("unit", unit, 100, _("unit")),
        ("phone", phone, 20, _("phone")),
        ("facts", facts, FACTS_MAX_LENGTH, _("facts")),
    ):
        try:
            values[field_name] = clean_text(value, limit=limit, label=label)
        except ValidationError as error:
            errors[field_name] = error.messages
            continue
        if not values[field_name]:
            errors[field_name] = [_("An objection is taken under a real name, with a unit, a phone and the facts.")]
    if "phone" not in errors and not PHONE.match(values["phone"]):
        errors["phone"] = [_("Enter a telephone number, e.g. 13912345678 or 029-87654321.")]
    inspected = None
    if attachment is not None:
        try:
            inspected = inspect_upload(attachment, limit=settings.TEAM_FILE_MAX_BYTES)
        except ValidationError as error:
            errors["attachment"] = error.messages
    if errors:
        raise ValidationError(errors)
    entry = NoticeEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != E.LISTED:
        raise AwardsError(_("This team is no longer on the notice."))
    objection = Objection(
        notice=notice,
        entry=entry,
        reference=_reference(),
        filed_at=timezone.now(),
        ip_address=ip_address,
        **values,
    )
    if inspected is not None:
        objection.attachment_name = Path(attachment.name).name[:255]
        objection.attachment_type = inspected.content_type
        objection.attachment.save(f"{objection.reference}{Path(attachment.name).suffix.lower()[:10]}", attachment,
                                  save=False)  # fmt: skip
    objection.save()
    record(
        actor=None,
        action="awards.objection_file",
        target=notice.campaign,
        unit=notice.unit,
        details={"reference": objection.reference, "team": entry.team_name},
    )
    return objection


@transaction.atomic
def objection_decide(*, actor: User, objection: Objection, upheld: bool, findings: str) -> Objection:
    """Settle an objection with the findings: upheld takes the team off the notice and the shortlist
    (the leader reads it on the application's page); dismissed leaves it there."""
    notice = PublicNotice.objects.select_for_update().select_related("campaign", "unit").get(pk=objection.notice_id)
    if not actor.has_perm("awards.manage_notice", notice):
        raise PermissionDenied(_("Only the staff of the union that published the notice settle its objections."))
    objection = Objection.objects.select_for_update().select_related("entry").get(pk=objection.pk)
    if objection.state != OB.INVESTIGATING:
        raise AwardsError(_("This objection was settled already."))
    findings = clean_text(findings, limit=FINDINGS_MAX_LENGTH, label=_("findings"))
    if not findings:
        raise ValidationError({"findings": _("Write down the findings of the investigation.")})
    objection.state = OB.UPHELD if upheld else OB.DISMISSED
    objection.findings, objection.decided_by, objection.decided_at = findings, actor, timezone.now()
    objection.save(update_fields=["state", "findings", "decided_by", "decided_at"])
    entry = objection.entry
    if upheld and entry.state == E.LISTED:
        entry.state = E.WITHDRAWN
        entry.save(update_fields=["state"])
        result = ReviewResult.objects.get(application_id=entry.application_id)
        try:
            reason = _("Objection %(reference)s upheld: %(findings)s") % {
                "reference": objection.reference,
                "findings": findings,
            }
            shortlist_withdraw(result=result, reason=reason)
        except ReviewError as error:
            raise AwardsError(error) from error
    record(
        actor=actor,
        action="awards.objection_uphold" if upheld else "awards.objection_dismiss",
        target=notice.campaign,
        unit=notice.unit,
        details={"reference": objection.reference, "team": entry.team_name, "findings": findings},
    )
    return objection


def shortlist_guard(*, campaign: Campaign, **kwargs) -> None:
    """reviews.signals.shortlist_changing: once on public notice, the shortlist changes only through
    objections."""
    if PublicNotice.objects.filter(campaign=campaign).exists():
        raise ShortlistRefused(_("The shortlist is on public notice: it changes only through upheld objections."))


# --- Naming ------------------------------------------------------------------------------------


def certificate_prefix(campaign: Campaign) -> str:
    return settings.CERTIFICATE_PREFIXES.get(campaign.category, settings.CERTIFICATE_PREFIXES["other"])


def certificate_number(prefix: str, year: int, number: int) -> str:
    """The documented scheme: category prefix, year of the decision, a sequence number per prefix and
    year (e.g. MT-2026-0001)."""
    return f"{prefix}-{year}-{number:04d}"


@transaction.atomic
def naming_issue(
    *,
    actor: User,
    campaign: Campaign,
    document_number: str,
    decided_on: date,
    level: str,
    title: str,
    text: str,
) -> NamingDecision:
    """The naming decision: after the public notice has ended with no objection open, every team
    still on it is named, each with the next certificate number of the campaign's category and year
    (consecutive within the decision)."""
    campaign = campaign_locked(campaign)
    _require_manager(actor, campaign)
    if NamingDecision.objects.filter(campaign=campaign).exists():
        raise AwardsError(_("The teams of this campaign are named already."))
    notice = organiser_notice(campaign)
    if notice is None:
        raise AwardsError(_("Publish the shortlist first: teams are named after the public notice."))
    if timezone.localdate() <= notice.ends_on:
        raise AwardsError(_("The public notice runs until %(end)s: name the teams after it.") % {"end": notice.ends_on})
    open_objections = Objection.objects.filter(notice=notice, state=OB.INVESTIGATING).count()
    if open_objections:
        raise AwardsError(
            _("%(n)s objections are still being investigated: settle them before naming.") % {"n": open_objections}
        )
    errors = {}
    values = {}
    for field_name, value, limit in (
        ("document_number", document_number, 50),
        ("title", title, 100),
        ("text", text, 5000),
    ):
        label = NamingDecision._meta.get_field(field_name).verbose_name
        values[field_name] = clean_text(value, limit=limit, label=label)
        if not values[field_name]:
            errors[field_name] = [_("This field is required.")]
    if level not in NamingDecision.Level.values:
        errors["level"] = [_("Choose the level of the title.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The decision cannot be dated in the future.")]
    if errors:
        raise ValidationError(errors)
    decision = NamingDecision.objects.create(
        campaign=campaign, decided_on=decided_on, level=level, issued_by=actor, issued_at=timezone.now(), **values
    )
    entries = list(
        NoticeEntry.objects.filter(notice=notice, state=E.LISTED).select_related("application__team").order_by("order")
    )
    prefix, year = certificate_prefix(campaign), decided_on.year
    counter, _created = CertificateCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    Title.objects.bulk_create(
        Title(
            decision=decision,
            application_id=entry.application_id,
            team_id=entry.application.team_id,
            certificate_number=certificate_number(prefix, year, counter.last + index),
            team_name=entry.team_name,
            team_sort=pinyin_key(entry.team_name),
            enterprise=entry.enterprise,
            region=entry.region,
            industry=entry.application.team.industry,
            year=year,
            level=level,
            search_text=search_text(entry.team_name, entry.enterprise),
        )
        for index, entry in enumerate(entries, start=1)
    )
    counter.last += len(entries)
    counter.save(update_fields=["last"])
    record(
        actor=actor,
        action="awards.naming_issue",
        target=campaign,
        unit=campaign.organiser,
        details={
            "document_number": decision.document_number,
            "teams": len(entries),
            "first": certificate_number(prefix, year, counter.last - len(entries) + 1) if entries else "",
            "last": certificate_number(prefix, year, counter.last) if entries else "",
        },
    )
    return decision
