"""Reads of the audit trail, scoped to what the reader may see."""

from django.db.models import Q, QuerySet

from .models import AuditEvent


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Superusers read everything; staff and auditors read the events of the subtrees they hold."""
    events = AuditEvent.objects.select_related("actor", "unit")
    if user.is_superuser:
        return events
    paths = user.audit_scope_paths()
    if not paths:
        return events.none()
    in_scope = Q()
    for path in paths:
        in_scope |= Q(unit__path__startswith=path)
    return events.filter(in_scope)
