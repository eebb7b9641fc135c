"""The campaign's timeline as people read it: dated steps and the countdown to the deadline."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import UnionUnit

from .models import Campaign
from .workdays import next_working_days


@dataclass(frozen=True)
class Step:
    label: Promise
    when: datetime | date | None
    text: str = ""

    @property
    def when_text(self) -> str:
        """Dates as dates, moments in Beijing time."""
        if isinstance(self.when, datetime):
            return dateformat.format(timezone.localtime(self.when), "Y-m-d H:i")
        return dateformat.format(self.when, "Y-m-d") if self.when else ""


def public_notice_window(campaign: Campaign) -> tuple[date, date]:
    """The expected public notice: from the first working day after the review, for N working days."""
    days = next_working_days(campaign.review_ends_on, campaign.public_notice_working_days)
    return days[0], days[-1]


def steps(campaign: Campaign) -> list[Step]:
    notice_start, notice_end = public_notice_window(campaign)
    return [
        Step(_("Applications open"), campaign.application_opens_at),
        Step(_("Application deadline"), campaign.application_deadline),
        *(
            Step(_("Recommendation deadline: %(level)s") % {"level": UnionUnit.Kind(d.unit_kind).label}, d.deadline)
            for d in sorted(campaign.level_deadlines.all(), key=lambda d: d.deadline)
        ),
        Step(_("Recommendation deadline"), campaign.recommendation_deadline),
        Step(_("Expert review"), campaign.review_starts_on, _("until %(date)s") % {"date": campaign.review_ends_on}),
        Step(
            _("Public notice"),
            notice_start,
            ngettext(
                "until %(date)s (%(days)s working day)",
                "until %(date)s (%(days)s working days)",
                campaign.public_notice_working_days,
            )
            % {"date": notice_end, "days": campaign.public_notice_working_days},
        ),
        Step(_("Planned naming"), campaign.naming_planned_on),
    ]


def countdown(campaign: Campaign, now: datetime | None = None) -> tuple[str, str]:
    """(text, state) for the application window: state is upcoming, open, last-day or closed."""
    now = now or timezone.now()
    if campaign.status == Campaign.Status.CANCELLED:
        return str(_("Cancelled")), "closed"
    if now >= campaign.application_deadline or campaign.status != Campaign.Status.PUBLISHED:
        return str(_("Closed")), "closed"
    today = timezone.localdate(now)
    if now < campaign.application_opens_at:
        days = (timezone.localdate(campaign.application_opens_at) - today).days
        if days == 0:
            return str(_("Applications open today")), "upcoming"
        return ngettext("Applications open in %(days)s day", "Applications open in %(days)s days", days) % {
            "days": days
        }, "upcoming"
    days = (timezone.localdate(campaign.application_deadline) - today).days
    if days == 0:
        return str(_("Last day to apply")), "last-day"
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}, "open"
