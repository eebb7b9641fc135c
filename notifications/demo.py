"""The demo's inbox, after the other demos: the demo leader (`leader`) finds a notification about each
of their teams' applications that was submitted or returned, unread, so that the bell shows a count.
Loaded twice, nothing changes."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from teams.models import Application

from .models import Notification
from .services import notify_many

DEMO_LEADER = "leader"
KIND = "demo.application_status"


def seed() -> None:
    leader = User.objects.filter(username=DEMO_LEADER).first()
    if leader is None or Notification.objects.filter(recipient=leader, kind=KIND).exists():
        return
    S = Application.Status
    applications = (
        Application.objects.filter(team__leaders=leader, status__in=[S.SUBMITTED, S.RETURNED])
        .select_related("team", "campaign")
        .order_by("pk")
    )
    with override("zh-hans"):
        for application in applications:
            if application.status == S.RETURNED:
                title = _("The application of %(team)s was returned for revision") % {"team": application.team.name}
            else:
                title = _("The application of %(team)s was submitted") % {"team": application.team.name}
            notify_many(
                recipients=[leader],
                kind=KIND,
                title=title,
                body=application.campaign.title,
                url=application.get_absolute_url(),
            )
