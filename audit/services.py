"""The one way into the audit trail."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from .context import current_ip_address
from .models import AuditEvent
from .registry import is_registered


def as_audit_value(value: Any) -> Any:
    """`value` as the trail keeps it in JSON, so that the details table can read it back.

    Date-times become ISO 8601 in UTC with their offset (a naive one is taken to be in the current
    time zone), dates ISO dates, decimals and lazy texts strings, model instances their `str()`;
    lists and maps are converted item by item.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): as_audit_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_audit_value(item) for item in value]
    return str(value)  # decimals, lazy texts, model instances


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    unit=None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes.

    `actor` may be None (the system, e.g. a scheduled task) or an anonymous user; `unit` is the
    union unit whose subtree may see the event; the address defaults to the current request's.
    `details` may hold dates, times, decimals and model instances: they are stored through
    `as_audit_value()`.
    """
    if not is_registered(action):
        raise ValueError(f"audit action {action!r} is not registered")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_full_name() if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        unit=unit,
        details=as_audit_value(details or {}),
        ip_address=ip_address or current_ip_address.get(),
    )
