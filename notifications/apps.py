from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from audit.models import AuditEvent

        from .events import on_audit_event

        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notifications.on_audit_event")
