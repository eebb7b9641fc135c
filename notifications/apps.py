from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts import user_cache
        from audit.models import AuditEvent
        from audit.registry import register_actions

        from .events import on_audit_event
        from .models import Notification
        from .selectors import BELL, notification_changed, unread_key

        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notifications.on_audit_event")
        # The bell's cached count, when a notification is saved or deleted one at a time (the bulk
        # writes of the services forget it themselves).
        post_save.connect(notification_changed, sender=Notification, dispatch_uid="notifications.bell.save")
        post_delete.connect(notification_changed, sender=Notification, dispatch_uid="notifications.bell.delete")
        # Every signed-in page shows the bell: its figure comes in the same round trip to the cache as
        # the user.
        user_cache.register_companion(BELL, unread_key)
        # Staff's "send again" of a failed e-mail (notifications.mailer.email_resend).
        register_actions({"notifications.email_resend": _("E-mail queued again")})
