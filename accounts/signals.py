"""Sign-ins and sign-outs go to the audit trail; a moved unit is announced to the apps above."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from audit.services import record

# Sent inside the transaction of a move, with `old_path` and `new_path`: every path that began with
# `old_path` now begins with `new_path`. Apps that copy units' paths (teams) follow it.
unit_moved = Signal()


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
