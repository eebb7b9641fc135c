"""Configuration of third-party apps that the project adjusts."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def _attempt_str(attempt) -> str:
    return gettext("Failed sign-ins of “%(username)s” from %(ip_address)s") % {
        "username": attempt.username,
        "ip_address": attempt.ip_address,
    }


def _failure_str(failure) -> str:
    text = gettext("Failed sign-in of “%(username)s” at %(time)s from %(ip_address)s") % {
        "username": failure.username,
        "time": _local(failure.attempt_time),
        "ip_address": failure.ip_address,
    }
    return text + gettext(" (locked out)") if failure.locked_out else text


def _log_str(log) -> str:
    return gettext("Sign-in of “%(username)s” at %(time)s") % {
        "username": log.username,
        "time": _local(log.attempt_time),
    }


class AxesConfig(AxesAppConfig):
    """django-axes (failed sign-ins and lock-outs), named in Chinese in the admin. Its catalogue is in
    locale_vendor/axes/; the names of its records are English f-strings no catalogue can reach, so they
    are replaced here with translated ones (in Beijing time), which the admin's headings show."""

    verbose_name = _("Sign-in lock-outs")

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _attempt_str
        AccessFailureLog.__str__ = _failure_str
        AccessLog.__str__ = _log_str
