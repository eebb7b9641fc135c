"""Notifications of what happened, read from the audit trail: every action the other apps record is
an AuditEvent, and the actions below tell the people who must know of it.

The event is read once its transaction has committed (`on_commit`), so that the handlers see the
state the action left (where the application now waits, which reviews were assigned) and nobody
is told of an action that was rolled back. The texts are stored in Chinese, the product's language,
as the e-mails are written.
"""

import logging
from collections import Counter
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.models import UnionUnit, User
from audit.models import AuditEvent
from awards.models import NoticeEntry, Objection, PublicNotice, Reassessment, ReassessmentItem, Revocation, Title
from awards.revocation import batch_of
from core.text import chinese_date
from core.urls import reverse_fast
from reviews.models import Assignment, Recommendation, ReviewResult
from teams.models import Application

from . import kinds
from .reminders import beijing
from .services import Message, deliver
from .staff import nearest_staff

log = logging.getLogger(__name__)

Handler = Callable[[AuditEvent], list[Message]]
HANDLERS: dict[str, Handler] = {}


def handles(*actions: str):
    def register(function: Handler) -> Handler:
        for action in actions:
            HANDLERS[action] = function
        return function

    return register


def on_audit_event(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    """post_save of AuditEvent: tell people once the action has committed."""
    if created and instance.action in HANDLERS:
        transaction.on_commit(partial(dispatch, instance.pk), robust=True)


def dispatch(event_id: int) -> list:
    event = AuditEvent.objects.select_related("unit").get(pk=event_id)
    with override(settings.LANGUAGE_CODE):
        messages = HANDLERS[event.action](event)
    return deliver(messages)


# --- Who ---------------------------------------------------------------------------------------


def staff_for(unit: UnionUnit) -> list[User]:
    return nearest_staff([unit])[unit.pk]


def leaders_of(application: Application) -> list[User]:
    return list(application.team.leaders.all())


def _application(event: AuditEvent) -> Application:
    return Application.objects.select_related("team", "campaign").get(pk=event.target_id)


def _user_named(candidates, label: str):
    """The one of `candidates` (assignments) whose expert the event names as str(user)."""
    return next((a for a in candidates if str(a.expert) == label), None)


# --- The chain ---------------------------------------------------------------------------------


def _waiting_place(application: Application) -> Recommendation | None:
    """Where the application now waits for a decision, if it does."""
    return (
        Recommendation.objects.select_related("unit")
        .filter(application=application, state=Recommendation.State.WAITING)
        .first()
    )


@handles("teams.application_submit")
def submitted(event: AuditEvent) -> list[Message]:
    application = _application(event)
    place = _waiting_place(application)
    if place is None:
        return []
    title = _("%(team)s submitted its application; it waits for your union's decision") % {
        "team": application.team.name
    }
    return [
        Message(user, kinds.SUBMITTED, title, application.campaign.title, place.decide_url)
        for user in staff_for(place.unit)
    ]


@handles("reviews.recommend")
def recommended(event: AuditEvent) -> list[Message]:
    application = _application(event)
    place = _waiting_place(application)
    if place is None:
        return []
    title = _("%(unit)s recommended %(team)s to your union") % {
        "unit": event.details.get("decided_by_unit", ""),
        "team": application.team.name,
    }
    body = f"{application.campaign.title}\n{_('Opinion')}：{event.details.get('opinion', '')}"
    return [Message(user, kinds.RECOMMENDED, title, body, place.decide_url) for user in staff_for(place.unit)]


@handles("reviews.return")
def returned(event: AuditEvent) -> list[Message]:
    application = _application(event)
    title = _("The application of %(team)s was returned for revision") % {"team": application.team.name}
    lines = [
        application.campaign.title,
        _("Returned by %(unit)s: %(opinion)s")
        % {"unit": event.details.get("decided_by_unit", ""), "opinion": event.details.get("opinion", "")},
    ]
    if application.resubmit_by:
        lines.append(_("Resubmit by %(when)s.") % {"when": beijing(application.resubmit_by)})
    body = "\n".join(lines)
    url = application.get_absolute_url()
    return [Message(user, kinds.RETURNED, title, body, url, essential=True) for user in leaders_of(application)]


@handles("reviews.reject")
def rejected(event: AuditEvent) -> list[Message]:
    application = _application(event)
    title = _("The application of %(team)s was not recommended") % {"team": application.team.name}
    body = "\n".join(
        [
            application.campaign.title,
            _("Decided by %(unit)s: %(opinion)s")
            % {"unit": event.details.get("decided_by_unit", ""), "opinion": event.details.get("opinion", "")},
        ]
    )
    url = application.get_absolute_url()
    return [Message(user, kinds.REJECTED, title, body, url) for user in leaders_of(application)]


# --- The expert review ---------------------------------------------------------------------------


def _assigned_message(expert: User, campaign_title: str, count: int) -> Message:
    title = ngettext(
        "%(n)s application was assigned to you for review", "%(n)s applications were assigned to you for review", count
    ) % {"n": count}
    return Message(expert, kinds.ASSIGNED, title, campaign_title, reverse_fast("reviews:my_reviews"))


@handles("reviews.assign_auto")
def assigned_automatically(event: AuditEvent) -> list[Message]:
    """The automatic run gave each expert some reviews at one moment: each is told how many."""
    if not event.details.get("assigned"):
        return []
    runs = Assignment.objects.filter(campaign_id=event.target_id, assigned_by=None)
    latest = runs.order_by("-assigned_at").values_list("assigned_at", flat=True).first()
    if latest is None:
        return []
    rows = runs.filter(assigned_at=latest, state=Assignment.State.ASSIGNED).select_related("expert", "campaign")
    counts = Counter()
    experts, campaign_title = {}, ""
    for assignment in rows:
        counts[assignment.expert_id] += 1
        experts[assignment.expert_id] = assignment.expert
        campaign_title = assignment.campaign.title
    return [_assigned_message(experts[pk], campaign_title, n) for pk, n in counts.items()]


@handles("reviews.assign", "reviews.decline")
def assigned_one(event: AuditEvent) -> list[Message]:
    """A review assigned by hand, or a replacement for an expert who declined."""
    label = event.details.get("expert") if event.action == "reviews.assign" else event.details.get("replaced_by")
    if not label:
        return []
    candidates = Assignment.objects.filter(
        result__application_id=event.target_id, state=Assignment.State.ASSIGNED
    ).select_related("expert", "campaign")
    assignment = _user_named(candidates, label)
    if assignment is None:
        return []
    return [_assigned_message(assignment.expert, assignment.campaign.title, 1)]


@handles("reviews.review_reopen")
def reopened(event: AuditEvent) -> list[Message]:
    candidates = Assignment.objects.filter(
        campaign_id=event.target_id, result__code=event.details.get("code", ""), state=Assignment.State.STARTED
    ).select_related("expert", "campaign")
    assignment = _user_named(candidates, event.details.get("expert", ""))
    if assignment is None:
        return []
    title = _("Your review of %(code)s was reopened") % {"code": event.details.get("code", "")}
    body = f"{assignment.campaign.title}\n{_('Reason')}：{event.details.get('reason', '')}"
    return [Message(assignment.expert, kinds.REOPENED, title, body, assignment.get_absolute_url())]


# --- The public notice and the naming ----------------------------------------------------------


@handles("awards.notice_publish")
def notice_published(event: AuditEvent) -> list[Message]:
    """The teams on a notice are told they are on it; at the organiser's notice, the teams reviewed
    and not selected are told so."""
    notice = PublicNotice.objects.select_related("campaign").get(campaign_id=event.target_id, unit_id=event.unit_id)
    campaign = notice.campaign
    period = _("on public notice from %(start)s to %(end)s") % {
        "start": chinese_date(notice.starts_on),
        "end": chinese_date(notice.ends_on),
    }
    url = reverse_fast("notices:detail", notice.pk)
    messages = []
    for entry in NoticeEntry.objects.filter(notice=notice).prefetch_related("application__team__leaders"):
        title = _("%(team)s is shortlisted and %(period)s") % {"team": entry.team_name, "period": period}
        for user in entry.application.team.leaders.all():
            messages.append(Message(user, kinds.SHORTLISTED, title, campaign.title, url))
    if notice.stage == PublicNotice.Stage.ORGANISER:
        for result in ReviewResult.objects.filter(
            campaign=campaign, state=ReviewResult.State.NOT_SELECTED
        ).prefetch_related("application__team__leaders"):
            application = result.application
            title = _("%(team)s was not selected this time") % {"team": application.team.name}
            for user in application.team.leaders.all():
                messages.append(
                    Message(user, kinds.NOT_SELECTED, title, campaign.title, application.get_absolute_url())
                )
    return messages


@handles("awards.objection_file")
def objection_filed(event: AuditEvent) -> list[Message]:
    objection = Objection.objects.select_related("notice__campaign", "notice__unit").get(
        reference=event.details.get("reference", "")
    )
    notice = objection.notice
    title = _("An objection (%(reference)s) was filed against %(team)s") % {
        "reference": objection.reference,
        "team": event.details.get("team", ""),
    }
    if notice.stage == PublicNotice.Stage.ORGANISER:
        url = reverse_fast("awards:objections", notice.campaign_id)
    else:
        url = reverse_fast("awards:notice", notice.pk)
    return [Message(user, kinds.OBJECTION, title, notice.campaign.title, url) for user in staff_for(notice.unit)]


@handles("awards.naming_issue")
def named(event: AuditEvent) -> list[Message]:
    titles = Title.objects.filter(decision__campaign_id=event.target_id).select_related("decision", "team")
    messages = []
    for title_row in titles.prefetch_related("team__leaders"):
        decision = title_row.decision
        title = _("%(team)s was named %(title)s") % {"team": title_row.team_name, "title": decision.title}
        body = _("Decision %(number)s; certificate number %(certificate)s.") % {
            "number": decision.document_number,
            "certificate": title_row.certificate_number,
        }
        url = reverse_fast("registry:team", title_row.team_id)
        for user in title_row.team.leaders.all():
            messages.append(Message(user, kinds.NAMED, title, body, url))
    return messages


@handles("awards.revoke")
def revoked(event: AuditEvent) -> list[Message]:
    """Each revoked title's team leaders, with the reason and the document (essential)."""
    first = Revocation.objects.select_related("revoked_by").get(pk=event.target_id)
    messages = []
    for revocation in batch_of(first):
        title_row = revocation.title
        title = _("The title of %(team)s was revoked") % {"team": title_row.team_name}
        body = _("Certificate number %(certificate)s; reason: %(reason)s; document %(number)s, %(date)s.") % {
            "certificate": title_row.certificate_number,
            "reason": revocation.get_reason_display(),
            "number": revocation.document_number,
            "date": chinese_date(revocation.revoked_on),
        }
        url = reverse_fast("registry:team", title_row.team_id)
        for user in User.objects.filter(led_teams=title_row.team_id):
            messages.append(Message(user, kinds.REVOKED, title, body, url))
    return messages


@handles("awards.revocation_reverse")
def revocation_reversed(event: AuditEvent) -> list[Message]:
    revocation = Revocation.objects.select_related("title").get(pk=event.target_id)
    title_row = revocation.title
    title = _("The revocation of the title of %(team)s was reversed") % {"team": title_row.team_name}
    body = _("Certificate number %(certificate)s stands again. Reason: %(reason)s") % {
        "certificate": title_row.certificate_number,
        "reason": revocation.reversal_reason,
    }
    url = reverse_fast("registry:team", title_row.team_id)
    return [Message(user, kinds.REVOKED, title, body, url) for user in User.objects.filter(led_teams=title_row.team_id)]


# --- The re-assessment (复核) ------------------------------------------------------------------------


@handles("awards.reassessment_start")
def reassessment_started(event: AuditEvent) -> list[Message]:
    """The leaders of every team re-assessed are told to report, with the deadline."""
    reassessment = Reassessment.objects.get(pk=event.target_id)
    body = "\n".join(
        [
            f"{reassessment.title}（{reassessment.document_number}）",
            reassessment.scope,
            _("Submit the report by %(when)s (Beijing time).") % {"when": beijing(reassessment.report_deadline)},
        ]
    )
    messages = []
    items = ReassessmentItem.objects.filter(reassessment=reassessment).select_related("team")
    for item in items.prefetch_related("team__leaders"):
        title = _("%(team)s is re-assessed: report on its work against the criteria") % {"team": item.team.name}
        url = reverse_fast("awards:reassessment_report", item.pk)
        for user in item.team.leaders.all():
            messages.append(Message(user, kinds.REASSESSMENT, title, body, url))
    return messages


@handles("awards.reassessment_return")
def reassessment_returned(event: AuditEvent) -> list[Message]:
    item = ReassessmentItem.objects.select_related("team", "reassessment").get(pk=event.target_id)
    title = _("The re-assessment report of %(team)s was returned for revision") % {"team": item.team.name}
    body = "\n".join(
        [
            item.reassessment.title,
            _("Returned by %(unit)s: %(opinion)s")
            % {"unit": event.details.get("decided_by_unit", ""), "opinion": event.details.get("opinion", "")},
            _("Resubmit by %(when)s.") % {"when": beijing(item.reassessment.review_deadline)},
        ]
    )
    url = reverse_fast("awards:reassessment_report", item.pk)
    return [Message(user, kinds.RETURNED, title, body, url, essential=True) for user in item.team.leaders.all()]
