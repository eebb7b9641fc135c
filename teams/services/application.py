"""Every write to applications: start, save the draft, evidence, submit, withdraw, and the leader's
side of a return for revision (decided in the recommendation chain).

Each runs in one transaction, locks the application (only its own row: thousands of applications
share a campaign), checks the state, the window and the actor's permission, and writes one audit
event. Saving a draft writes none: drafts save as the leader types, and the submitted versions are
the record."""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from campaigns.models import Campaign, Criterion
from campaigns.selectors import campaign_admits
from core.tallies import add_to_tally
from core.text import clean_text

from ..content import application_content, is_complete, missing_by_criterion
from ..errors import (
    ApplicationExists,
    ApplicationIncomplete,
    DeadlinePassed,
    EvidenceLimitExceeded,
    NotOpenToTeam,
    TransitionNotAllowed,
)
from ..models import (
    Application,
    ApplicationTally,
    ApplicationVersion,
    CriterionAnswer,
    Evidence,
    LedgerEntry,
    Team,
)
from ..models.application import ACCOUNT_MAX_LENGTH, STATEMENT_MAX_LENGTH, SUMMARY_MAX_LENGTH
from ..rules import may_apply_for, may_write_application
from ..signals import application_submitted, application_withdrawn
from ..transitions import EDITABLE, find_transition
from .files import inspect_team_files, stored_file_fields

S = Application.Status


def _require_leader(actor: User, application: Application) -> None:
    if not may_write_application(actor, application):
        raise PermissionDenied(_("Only the team's leaders may change its application."))


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("team__grassroots_union", "campaign")
        .get(pk=application.pk)
    )


def _record(actor: User, action: str, application: Application, details: dict | None = None) -> None:
    record(
        actor=actor,
        action=f"teams.application_{action}",
        target=application,
        unit=application.team.grassroots_union,
        details={"team": application.team.name, "campaign": application.campaign.title, **(details or {})},
    )


def editing_deadline(application: Application) -> datetime:
    """Until when the leader may change and submit: the application deadline for a draft; for an
    application returned for revision, the deadline of the level that returned it."""
    campaign = application.campaign
    if application.status == S.DRAFT:
        return campaign.application_deadline
    return application.resubmit_by or campaign.recommendation_deadline


def window_is_open(application: Application, now: datetime | None = None) -> bool:
    """Whether the leader may change and submit the application now."""
    now = now or timezone.now()
    campaign = application.campaign
    if application.status == S.DRAFT:
        campaign_states = (Campaign.Status.PUBLISHED,)
    elif application.status in EDITABLE:
        campaign_states = Campaign.RUNNING
    else:
        return False
    return campaign.status in campaign_states and campaign.application_opens_at <= now < editing_deadline(application)


def _require_window(application: Application) -> None:
    if not window_is_open(application):
        raise DeadlinePassed(
            _("The deadline (%(deadline)s, Beijing time) has passed; the application can no longer be changed.")
            % {"deadline": timezone.localtime(editing_deadline(application)).strftime("%Y-%m-%d %H:%M")}
        )


def _require_editable(actor: User, application: Application) -> None:
    _require_leader(actor, application)
    if application.status not in EDITABLE:
        raise TransitionNotAllowed(_("A submitted application can be changed only when it is returned for revision."))
    _require_window(application)


def _require_open_to_team(campaign: Campaign, team: Team) -> None:
    if team.status != Team.Status.APPROVED:
        raise NotOpenToTeam(_("Only a team whose registration is approved may apply."))
    if not campaign_admits(campaign, team.grassroots_union, team.industry):
        raise NotOpenToTeam()


@transaction.atomic
def application_start(*, actor: User, team: Team, campaign: Campaign) -> Application:
    # The team's row serialises two starts at once (a double click): the second sees the first.
    team = Team.objects.select_for_update(of=("self",)).select_related("grassroots_union").get(pk=team.pk)
    if not may_apply_for(actor, team):
        raise PermissionDenied(_("Only the team's leaders may apply for it."))
    existing = Application.objects.filter(team=team, campaign=campaign).first()
    if existing is not None:
        raise ApplicationExists(existing)
    now = timezone.now()
    if not (
        campaign.status == Campaign.Status.PUBLISHED
        and campaign.application_opens_at <= now < campaign.application_deadline
    ):
        raise NotOpenToTeam(_("The campaign is not open for applications at the moment."))
    _require_open_to_team(campaign, team)
    try:
        with transaction.atomic():
            application = Application.objects.create(team=team, campaign=campaign, created_by=actor)
        _count(campaign.pk, S.DRAFT, +1)
    except IntegrityError as error:
        raise ApplicationExists(Application.objects.get(team=team, campaign=campaign)) from error
    _record(actor, "start", application)
    return application


def _clean_indicators(criterion: Criterion, values: Mapping[str, int | None]) -> dict:
    cleaned = {}
    for code in criterion.indicators:
        value = values.get(code)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(_("Indicators are whole numbers, 0 or more."))
        cleaned[code] = value
    return cleaned


@transaction.atomic
def application_save(
    *,
    actor: User,
    application: Application,
    summary: str,
    account: str,
    answers: Mapping[int, Mapping],
) -> Application:
    """Save the draft: the summary, the account, and per criterion id a statement and indicators."""
    application = _locked(application)
    _require_editable(actor, application)
    application.summary = clean_text(summary, limit=SUMMARY_MAX_LENGTH, label=_("Summary"))
    application.account = clean_text(account, limit=ACCOUNT_MAX_LENGTH, label=_("Full account"))
    application.full_clean(exclude=["team", "campaign", "created_by", "status", "version"], validate_constraints=False)
    criteria = {c.pk: c for c in application.campaign.criteria.all()}
    existing = {a.criterion_id: a for a in application.answers.all()}
    for criterion_id, values in answers.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise PermissionDenied(_("That criterion belongs to another campaign."))
        answer = existing.get(criterion_id) or CriterionAnswer(application=application, criterion=criterion)
        answer.statement = clean_text(
            values.get("statement", ""),
            limit=STATEMENT_MAX_LENGTH,
            label=_("%(code)s statement") % {"code": criterion.code},
        )
        answer.indicators = _clean_indicators(criterion, values.get("indicators", {}))
        answer.full_clean(exclude=["application", "criterion"], validate_constraints=False)
        answer.save()
    application.save()
    return application


def evidence_total(application: Application) -> int:
    """The bytes an application carries; a file attached to two criteria counts once."""
    return sum(dict(application.evidence.values_list("sha256", "size")).values())


def _criterion_of(application: Application, criterion: Criterion) -> Criterion:
    if criterion.campaign_id != application.campaign_id:
        raise PermissionDenied(_("That criterion belongs to another campaign."))
    return criterion


@transaction.atomic
def evidence_add(
    *, actor: User, application: Application, criterion: Criterion, uploads: Iterable
) -> tuple[list[Evidence], list[str]]:
    """Attach files to a criterion. Each file is checked on its own: the good ones are kept even
    when another fails, and each failure comes back as a message naming the file."""
    application = _locked(application)
    _require_editable(actor, application)
    criterion = _criterion_of(application, criterion)
    limit = settings.APPLICATION_EVIDENCE_MAX_BYTES
    stored = dict(application.evidence.values_list("sha256", "size"))
    attached = set(application.evidence.filter(criterion=criterion).values_list("sha256", flat=True))
    added: list[Evidence] = []
    errors: list[str] = []
    good, refused = inspect_team_files(uploads)
    errors.extend(file.message for file in refused)
    for upload, inspected in good:
        sha256 = inspected.sha256
        if sha256 in attached:
            errors.append(str(_("%(name)s is already attached to this criterion.") % {"name": upload.name}))
            continue
        if sha256 not in stored and sum(stored.values()) + upload.size > limit:
            errors.append(
                str(
                    _("%(name)s: the evidence of one application may total at most %(limit)s.")
                    % {"name": upload.name, "limit": filesizeformat(limit)}
                )
            )
            continue
        fields = stored_file_fields(team=application.team, upload=upload, actor=actor, inspected=inspected)
        added.append(Evidence.objects.create(application=application, criterion=criterion, **fields))
        attached.add(sha256)
        stored[sha256] = fields["size"]
    if added:
        _record(
            actor,
            "evidence_add",
            application,
            {"criterion": criterion.code, "files": [{"name": e.original_name, "sha256": e.sha256} for e in added]},
        )
    return added, errors


@transaction.atomic
def evidence_from_ledger(
    *, actor: User, application: Application, criterion: Criterion, entry: LedgerEntry
) -> list[Evidence]:
    """Attach a ledger entry's files as evidence of a criterion."""
    application = _locked(application)
    _require_editable(actor, application)
    criterion = _criterion_of(application, criterion)
    if entry.team_id != application.team_id:
        raise PermissionDenied(_("That ledger entry belongs to another team."))
    files = list(entry.attachments.all())
    if not files:
        raise ValidationError(_("This ledger entry has no files to attach."))
    stored = dict(application.evidence.values_list("sha256", "size"))
    attached = set(application.evidence.filter(criterion=criterion).values_list("sha256", flat=True))
    new = [f for f in files if f.sha256 not in attached]
    growth = sum(f.size for f in {f.sha256: f for f in new if f.sha256 not in stored}.values())
    if sum(stored.values()) + growth > settings.APPLICATION_EVIDENCE_MAX_BYTES:
        raise EvidenceLimitExceeded()
    added = [
        Evidence.objects.create(
            application=application,
            criterion=criterion,
            ledger_entry=entry,
            file=f.file.name,
            original_name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            uploaded_by=actor,
        )
        for f in new
    ]
    if added:
        _record(
            actor,
            "evidence_add",
            application,
            {
                "criterion": criterion.code,
                "ledger_entry": str(entry),
                "files": [{"name": e.original_name, "sha256": e.sha256} for e in added],
            },
        )
    return added


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    # The stored file stays: a submitted version may name its hash.
    application = _locked(evidence.application)
    _require_editable(actor, application)
    evidence = Evidence.objects.filter(pk=evidence.pk, application=application).first()
    if evidence is None:  # removed a moment ago (a double click)
        return
    evidence.delete()
    _record(actor, "evidence_remove", application, {"file": evidence.original_name, "sha256": evidence.sha256})


def _count(campaign_id: int, status: str, change: int) -> None:
    """Add `change` to the campaign's tally of applications in `status` (ApplicationTally)."""
    add_to_tally(ApplicationTally, change, campaign_id=campaign_id, status=status)


def _change_status(application: Application, target: str) -> None:
    """Every change of an application's state goes through here, and so do the campaign's tallies."""
    if target != application.status:
        _count(application.campaign_id, application.status, -1)
        _count(application.campaign_id, target, +1)
    application.status = target


def tallies_recount(campaign_ids=None) -> int:
    """Rebuild the tallies from the applications themselves (after a bulk load); how many rows."""
    applications = Application.objects.all()
    tallies = ApplicationTally.objects.all()
    if campaign_ids is not None:
        applications = applications.filter(campaign_id__in=campaign_ids)
        tallies = tallies.filter(campaign_id__in=campaign_ids)
    counted = applications.order_by().values_list("campaign_id", "status").annotate(n=Count("*"))
    tallies.delete()
    rows = [ApplicationTally(campaign_id=campaign_id, status=status, count=n) for campaign_id, status, n in counted]
    ApplicationTally.objects.bulk_create(rows)
    return len(rows)


def _target(application: Application, action: str, refusal: str | None = None) -> str:
    """The state the transition table gives for `action` from the current one, or a refusal."""
    transition = find_transition(application.status, action)
    if transition is None:
        raise TransitionNotAllowed(refusal)
    return transition.target


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Submit when complete and inside the window; the content and evidence hashes freeze as a version."""
    application = _locked(application)
    _require_leader(actor, application)
    target = _target(application, "submit", _("The application has already been submitted."))
    _require_window(application)
    _require_open_to_team(application.campaign, application.team)
    content = application_content(application)
    if not is_complete(content):
        raise ApplicationIncomplete(missing=missing_by_criterion(content))
    now = timezone.now()
    _change_status(application, target)
    application.version += 1
    application.submitted_at = now
    application.return_reason = ""
    application.submitted_summary = content["summary"]
    application.save(
        update_fields=["status", "version", "submitted_at", "return_reason", "submitted_summary", "updated_at"]
    )
    ApplicationVersion.objects.create(
        application=application, number=application.version, content=content, submitted_by=actor, submitted_at=now
    )
    _record(
        actor,
        "submit",
        application,
        {"version": application.version, "evidence": sum(len(c["evidence"]) for c in content["criteria"])},
    )
    application_submitted.send(sender=Application, application=application, actor=actor)
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    """Take a submitted application back as a draft, until the first recommendation."""
    application = _locked(application)
    _require_leader(actor, application)
    target = _target(
        application,
        "withdraw",
        _("The application can be withdrawn only until its grassroots union has recommended it."),
    )
    if application.first_decision_at is not None:
        raise TransitionNotAllowed(_("The application can be withdrawn only until a union has decided on it."))
    if timezone.now() >= application.campaign.application_deadline:
        # A draft can be submitted only before the deadline: withdrawn now, the team would drop out.
        raise DeadlinePassed(
            _(
                "After the application deadline an application can no longer be withdrawn: "
                "it could not be submitted again."
            )
        )
    _change_status(application, target)
    application.save(update_fields=["status", "updated_at"])
    _record(actor, "withdraw", application, {"version": application.version})
    application_withdrawn.send(sender=Application, application=application, actor=actor)
    return application


def application_return(*, application: Application, reason: str, resubmit_by: datetime) -> Application:
    """The leader's side of a return for revision, decided in the recommendation chain (reviews), which
    locks the application, checks who may decide, validates the reasons and records the decision: the
    application becomes editable again until `resubmit_by`, with the reasons shown to the leader."""
    _change_status(application, _target(application, "return"))
    application.return_reason = reason
    application.resubmit_by = resubmit_by
    application.first_decision_at = application.first_decision_at or timezone.now()
    application.save(update_fields=["status", "return_reason", "resubmit_by", "first_decision_at", "updated_at"])
    return application


def application_note_decision(*, application: Application) -> None:
    """A union decided on the application (reviews): from now on the leader cannot withdraw it."""
    if application.first_decision_at is None:
        application.first_decision_at = timezone.now()
        application.save(update_fields=["first_decision_at"])
