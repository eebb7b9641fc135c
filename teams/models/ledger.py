"""The team's ledger (台帐): dated entries of what the team did and achieved, with attachments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels

from .files import StoredFile
from .team import Team


class LedgerEntry(CachedChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        INNOVATION = "innovation", _("Innovation (five-small, QC, patent, proposal)")
        TRAINING = "training", _("Training")
        AWARD = "award", _("Award")
        SAFETY = "safety", _("Safety event")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="ledger_entries")
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["team", "-occurred_on"], name="ledger_team_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"


class LedgerAttachment(StoredFile):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("ledger attachment")
        verbose_name_plural = _("ledger attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "sha256"], name="ledger_file_once_per_entry")]
