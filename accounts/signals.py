"""Sign-ins and sign-outs go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record(actor=user, action="accounts.login", target=user, unit=user.unit)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action="accounts.logout", target=user, unit=user.unit)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name that was tried, never the password.
    record(
        actor=None,
        action="accounts.login_failed",
        details={"username": str(credentials.get("username", ""))[:150]},
    )
