"""The append-only audit trail: who did what, to what, in which union unit, when and from where.

Rows are written only through `audit.services.record()`. The ORM refuses to update or delete them
(model and queryset), the admin offers no change or delete, and on PostgreSQL a trigger refuses
UPDATE and DELETE for anyone who goes around the ORM.

Like Django's admin log, the trail sits beneath the apps that write to it and refers to users and
union units by lazy model reference only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .details import DetailTable, detail_table
from .registry import action_label


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be updated")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    _raw_delete = delete
    bulk_update = update


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "accounts.UnionUnit",
        verbose_name=_("union unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-occurred_at"], name="audit_action_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["unit", "-occurred_at"], name="audit_unit_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @cached_property
    def details_table(self) -> DetailTable:
        """The details as rows, labelled, with codes and times made readable; `{{ event.details_table.as_html }}`
        renders them as the table (audit.details.DetailTable)."""
        return detail_table(action=self.action, target_type=self.target_type, details=self.details)
