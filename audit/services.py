"""The one way into the audit trail."""

from typing import Any

from django.db import models

from .context import current_ip_address
from .models import AuditEvent
from .registry import is_registered


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
        details=details or {},
        ip_address=ip_address or current_ip_address.get(),
    )
