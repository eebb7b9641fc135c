from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from audit.models import AuditEvent
        from audit.registry import register_actions

        from .events import on_audit_event

        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notifications.on_audit_event")
        # Staff's "send again" of a failed e-mail (notifications.mailer.email_resend).
        register_actions({"notifications.email_resend": _("E-mail queued again")})
