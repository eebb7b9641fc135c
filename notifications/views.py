"""The inbox pages: a signed-in user's own notifications, marked read one by one or all at once; and
the outbox page, where the province's staff see the e-mails that failed and send them again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import perm_required
from core.pagination import BoundedPaginator

from . import mailer, selectors, services
from .forms import PreferenceForm
from .models import Notification, OutboundEmail

OUTBOX_FILTER_LABELS = {
    "failed": gettext_lazy("Failed"),
    "queued": gettext_lazy("Waiting to be sent"),
    "sent": gettext_lazy("Sent"),
    "all": gettext_lazy("All"),
}


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


@perm_required("notifications.manage_outbox")
def outbox(request):
    """The outgoing e-mails for the province's staff: the failed ones first (the default filter), with
    their attempts and last error, and a button to send each again."""
    show = request.GET.get("show", "failed")
    if show not in selectors.OUTBOX_FILTERS:
        show = "failed"
    page = BoundedPaginator(selectors.outbox(show=show)).get_page(request.GET.get("page"))
    return render(
        request, "notifications/outbox.html", {"page_obj": page, "show": show, "filters": OUTBOX_FILTER_LABELS}
    )


@perm_required("notifications.manage_outbox")
@require_POST
def outbox_resend(request, pk: int):
    try:
        email = mailer.email_resend(actor=request.user, email_id=pk)
    except OutboundEmail.DoesNotExist:
        raise Http404 from None
    except mailer.NotFailed:
        messages.info(request, _("This e-mail is already queued or sent."))
    else:
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": email.to})
    return redirect("notifications:outbox")
