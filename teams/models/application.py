"""Applications (申报): one per team per campaign, a statement and indicators for every criterion,
evidence files, and the frozen version of every submission."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels
from core.urls import reverse_fast

from .files import StoredFile
from .ledger import LedgerEntry
from .team import Team

SUMMARY_MAX_LENGTH = 500
ACCOUNT_MAX_LENGTH = 2000
STATEMENT_MAX_LENGTH = 1500


class Application(CachedChoiceLabels, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="applications")
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The team's union path (Team.union_path), so that "the applications of a subtree" is an index range.
    union_path = models.CharField(max_length=255, editable=False, default="")
    # The team's pinyin sort key (Team.name_pinyin), so that a list sorted by team reads an index.
    team_sort = models.CharField(max_length=300, editable=False, default="")
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    account = models.TextField(_("full account"), max_length=ACCOUNT_MAX_LENGTH, blank=True)
    # The summary as last submitted (also in the latest ApplicationVersion): lists and exports show it
    # to staff without reading the versions' content.
    submitted_summary = models.TextField(blank=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=0, help_text=_("How often it was submitted."))
    return_reason = models.TextField(_("reasons for the return"), blank=True)
    # Until when a returned application may be submitted again: the deadline of the level that
    # returned it, set by the recommendation chain (reviews) when it returns the application.
    resubmit_by = models.DateTimeField(_("resubmit by"), null=True, blank=True, editable=False)
    # When a union first decided on it (recommended, returned or rejected): from then on the leader
    # can no longer withdraw it. Set by the recommendation chain.
    first_decision_at = models.DateTimeField(_("first decided at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "campaign"], name="one_application_per_team_per_campaign"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(version__gte=1), name="application_submitted_has_version"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="application_campaign_status"),
            # With the state in the index, a subtree's applications to a campaign are counted from
            # the index alone (the lists leave drafts out).
            models.Index(
                fields=["campaign", "union_path"],
                name="application_campaign_path",
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["status"],
            ),
            models.Index(
                fields=["status", "union_path"],
                name="application_status_path",
                opclasses=["text_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["campaign", "team_sort", "team"], name="application_campaign_sort"),
            models.Index(fields=["team_sort", "team"], name="application_team_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.campaign}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.union_path = self.team.union_path
            self.team_sort = self.team.name_pinyin
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_fast("applications:detail", self.pk)


class ApplicationTally(models.Model):
    """How many applications a campaign has in each state, kept by the services at every change of
    state (teams.services.application), so that the campaign list shows the counts without counting
    a campaign's applications on every page view. `tallies_recount()` rebuilds them."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="application_tallies", editable=False
    )
    status = models.CharField(max_length=20, choices=Application.Status.choices, editable=False)
    count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "status"], name="one_tally_per_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.status} {self.count}"


class CriterionAnswer(models.Model):
    """What the team says against one criterion: a statement and the numbers the criterion asks for."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("statement"), max_length=STATEMENT_MAX_LENGTH, blank=True)
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)

    class Meta:
        verbose_name = _("answer to a criterion")
        verbose_name_plural = _("answers to the criteria")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="one_answer_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.criterion_id}"


class Evidence(StoredFile):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    ledger_entry = models.ForeignKey(
        LedgerEntry,
        verbose_name=_("from the ledger entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "sha256"], name="evidence_file_once_per_criterion"
            ),
        ]


class ApplicationVersion(models.Model):
    """A submission as it was sent: the content and the evidence list with hashes. Never changed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_version_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"

    def evidence_hashes(self) -> set[str]:
        return {item["sha256"] for criterion in self.content["criteria"] for item in criterion["evidence"]}
