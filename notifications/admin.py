"""Admin of the inbox and the outbox: superusers look up what someone was told and what was mailed;
rows are written by the services only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import ReadOnlyAdmin

from .mailer import NotFailed, email_resend
from .models import Notification, OutboundEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "essential", "read_at"]
    list_filter = ["kind", "essential", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "recipient__name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "title", "body", "url", "essential", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """Read-only: the outbox changes only by sending, and by "queue again" (the same service as the
    outbox page's button), which skips any selected e-mail that has not failed."""

    list_display = ["created_at", "to", "subject", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to", "subject", "recipient__username", "recipient__name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient", "to", "kind", "subject", "text", "html", "state", "attempts", "last_error", "created_at",
        "next_attempt_at", "attempt_started_at", "sent_at",
    ]  # fmt: skip
    actions = ["queue_again"]

    @admin.action(description=_("Queue the failed e-mails again"))
    def queue_again(self, request, queryset):
        queued = 0
        for pk in queryset.filter(state=OutboundEmail.State.FAILED).values_list("pk", flat=True):
            try:
                email_resend(actor=request.user, email_id=pk)
            except NotFailed:  # queued again meanwhile, from the outbox page
                continue
            queued += 1
        self.message_user(
            request,
            ngettext("%(n)s e-mail queued again.", "%(n)s e-mails queued again.", queued) % {"n": queued},
            messages.SUCCESS if queued else messages.WARNING,
        )
