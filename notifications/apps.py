from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self) -> None:
        from audit.registry import register_actions

        # Staff's "send again" of a failed e-mail (notifications.mailer.email_resend).
        register_actions({"notifications.email_resend": _("E-mail queued again")})
