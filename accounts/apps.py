from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and union tree")

    def ready(self) -> None:
        from audit.registry import register_actions, register_detail_labels

        from . import signals, user_cache  # noqa: F401  (connect the login audit and the user cache's receivers)

        register_actions(
            {
                "accounts.login": _("Signed in"),
                "accounts.login_failed": _("Sign-in failed"),
                "accounts.logout": _("Signed out"),
                "accounts.password_change": _("Password changed"),
                "accounts.user_create": _("User created"),
                "accounts.user_update": _("User updated"),
                "accounts.unit_create": _("Union unit created"),
                "accounts.unit_update": _("Union unit updated"),
                "accounts.unit_move": _("Union unit moved"),
                "accounts.role_assign": _("Role granted"),
                "accounts.role_revoke": _("Role revoked"),
            }
        )
        # Keys that are no field of the event's target (a user, a union unit, a role assignment).
        register_detail_labels(
            {
                "username": _("user name tried"),
                "fields": _("fields changed"),
                "from": _("moved from"),
                "to": _("moved to"),
            }
        )
