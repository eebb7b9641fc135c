"""The inbox pages: a signed-in user's own notifications, marked read one by one or all at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.pagination import BoundedPaginator

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification


@login_required
def inbox(request):
    page = BoundedPaginator(selectors.inbox(user=request.user)).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page, "inbox_days": selectors.INBOX_DAYS})


@login_required
@require_POST
def read(request, pk: int):
    """Mark one notification read; with `open`, go on to the object it is about."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    if request.POST.get("open") and notification.url and safe:
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    marked = services.notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(
            request,
            ngettext("%(n)s notification marked read.", "%(n)s notifications marked read.", marked) % {"n": marked},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """How the signed-in person is told: e-mail at once or once a day, and what they muted."""
    current = services.preferences_of([request.user.pk])[request.user.pk]
    form = PreferenceForm(request.POST or None, initial={"mail": current.mail, "muted": current.muted})
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, mail=form.cleaned_data["mail"], muted=form.cleaned_data["muted"])
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "has_email": bool(request.user.email)})
