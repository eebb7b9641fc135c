"""A campaign's "what will be sent" page: the coming deadline reminders, and those sent with their
e-mail's state, for the organiser's staff and the oversight above it."""

from django.shortcuts import render
from django.utils import timezone

from campaigns.decorators import organiser_campaign
from core.pagination import BoundedPaginator

from . import reminder_selectors
from . import rules as _rules  # noqa: F401 (registers notifications.view_reminders)


@organiser_campaign("notifications.view_reminders")
def campaign_reminders(request, campaign):
    now = timezone.now()
    showing = "sent" if request.GET.get("list") == "sent" else "coming"
    if showing == "sent":
        page = BoundedPaginator(reminder_selectors.sent_reminders(campaign)).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    else:
        items = reminder_selectors.coming_reminders(campaign, now)
        page = BoundedPaginator(items).get_page(request.GET.get("page"))
        rows = reminder_selectors.next_reminders(list(page.object_list), now)
    return render(
        request,
        "notifications/campaign_reminders.html",
        {
            "campaign": campaign,
            "showing": showing,
            "page_obj": page,
            "rows": rows,
        },
    )
