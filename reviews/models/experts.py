"""The expert review (评审) of the applications accepted at the organising unit: the campaign's panel,
declared conflicts, the assignments with their scores, and each application's aggregated result,
rank and shortlisting (拟命名)."""

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels
from core.urls import reverse_fast

COMMENT_MAX_LENGTH = 500
# An expert's assignments with nothing left to do: their list shows these after the others.
DONE_STATES = ("submitted", "declined")
REASON_MAX_LENGTH = 500


class PanelMember(models.Model):
    """An expert on a campaign's panel, with the unit and enterprise the conflict rules compare."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="panel_memberships",
        editable=False,
    )
    unit = models.ForeignKey(
        "accounts.UnionUnit",
        verbose_name=_("own unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The union the expert works for: never assigned a team of it or of a unit below it."),
    )
    enterprise = models.CharField(
        _("own enterprise"),
        max_length=100,
        blank=True,
        help_text=_("Never assigned a team of this enterprise."),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "expert"], name="expert_once_per_panel")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.expert_id}"


class Conflict(models.Model):
    """A conflict of interest an expert declared (回避): with one team, or with a whole enterprise (a
    relative works there, say). The automatic assignment never pairs them, nor may staff by hand."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False)
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    enterprise = models.CharField(_("enterprise"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False) | ~Q(enterprise=""), name="conflict_names_a_team_or_enterprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} ≠ {self.team_id or self.enterprise}"


class ReviewResult(CachedChoiceLabels, models.Model):
    """An application accepted for expert review: its code for blind review, the unit that recommended
    it, the aggregated scores and rank (kept by the services that change scores, never computed on
    a page view), and the organiser's shortlisting."""

    class State(models.TextChoices):
        REVIEWING = "reviewing", _("Under expert review")
        SHORTLISTED = "shortlisted", _("Shortlisted (拟命名)")
        NOT_SELECTED = "not_selected", _("Not selected")
        EXCLUDED = "excluded", _("Excluded from the review")

    application = models.OneToOneField(
        "teams.Application", on_delete=models.CASCADE, related_name="review", editable=False
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    code = models.CharField(_("application code"), max_length=20, editable=False)
    # The unit that recommended it to the organiser (the ranking's filter).
    recommended_by = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("recommended by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("reviewed version"), editable=False)
    team_sort = models.CharField(max_length=300, editable=False, default="")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.REVIEWING, editable=False)
    reviews_assigned = models.PositiveSmallIntegerField(_("reviews assigned"), default=0, editable=False)
    reviews_done = models.PositiveSmallIntegerField(_("reviews done"), default=0, editable=False)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, editable=False)
    criterion_scores = models.JSONField(_("scores by criterion"), default=dict, editable=False)
    spread = models.DecimalField(_("spread"), max_digits=7, decimal_places=2, null=True, editable=False)
    vetoes = models.PositiveSmallIntegerField(_("vetoes"), default=0, editable=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, editable=False)
    shortlist_reason = models.TextField(_("reason for the departure from rank"), blank=True, editable=False)
    excluded_reason = models.TextField(_("reason for the exclusion"), blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), editable=False)
    decided_at = models.DateTimeField(_("shortlist decided at"), null=True, editable=False)

    class Meta:
        verbose_name = _("expert review result")
        verbose_name_plural = _("expert review results")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="review_code_unique_per_campaign"),
        ]
        indexes = [
            models.Index(fields=["campaign", "rank", "team_sort"], name="review_ranking"),
            models.Index(fields=["campaign", "recommended_by", "rank"], name="review_ranking_by_unit"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def disqualified(self) -> bool:
        return self.vetoes > 0


class Assignment(CachedChoiceLabels, models.Model):
    """One expert's review of one application: assigned by staff or by the automatic run, started with
    the first score saved, submitted when complete; or declined for a conflict (回避), or cancelled
    when the application left the review."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Not started")
        STARTED = "started", _("Being scored")
        SUBMITTED = "submitted", _("Submitted")
        DECLINED = "declined", _("Declined for a conflict of interest")
        CANCELLED = "cancelled", _("Cancelled")

    result = models.ForeignKey(ReviewResult, on_delete=models.CASCADE, related_name="assignments", editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
        editable=False,
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the automatic assignment chose the expert."),
    )
    assigned_at = models.DateTimeField(_("assigned at"), editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, editable=False)
    vetoed = models.BooleanField(_("vetoed"), default=False, editable=False)
    overall_comment = models.TextField(_("overall comment"), max_length=COMMENT_MAX_LENGTH * 2, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "expert"], name="one_assignment_per_expert_and_application"),
        ]
        indexes = [
            models.Index(fields=["expert", "state", "campaign"], name="assignment_expert_state"),
            # The expert's list (selectors.my_assignments): those to do first, then the newest campaign
            # first, in the order the applications were accepted — read in index order, never sorted.
            models.Index(
                F("expert"),
                ExpressionWrapper(Q(state__in=DONE_STATES), output_field=models.BooleanField()),
                F("campaign").desc(),
                F("result"),
                F("id"),
                name="assignment_expert_list",
            ),
            models.Index(fields=["campaign", "expert", "state"], name="assignment_campaign_load"),
        ]

    def __str__(self) -> str:
        return f"{self.result_id} → {self.expert_id} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse_fast("reviews:score", self.pk)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ASSIGNMENT_STATES


# Assignments that count towards an application's K experts and an expert's load.
ACTIVE_ASSIGNMENT_STATES = (Assignment.State.ASSIGNED, Assignment.State.STARTED, Assignment.State.SUBMITTED)


class Score(models.Model):
    """One expert's score of one criterion: points within the criterion's maximum, or, for a veto
    criterion (一票否决), whether it applies — with the reason required when it does."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores", editable=False)
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+", editable=False)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("veto applies"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0) | Q(points__isnull=True), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.criterion_id} {self.points}"
