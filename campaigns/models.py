"""Campaign notices (通知): criteria sets and their templates, the timeline, quotas and attachments."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import CachedChoiceLabels
from core.urls import reverse_fast

from .indicators import Indicator
from .industries import Industry


class Category(models.TextChoices):
    MENGTAO = "mengtao", _("Mengtao-style team")
    PIONEER = "pioneer", _("Workers' Pioneer")
    STUDIO = "studio", _("Model worker (craftsman) innovation studio")
    MODEL_TEAM = "model_team", _("Model team")
    OTHER = "other", _("Other")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the experts' scores")
    TRIMMED = "trimmed", _("Trimmed mean: without the highest and the lowest score (at least 5 reviews)")


class CriteriaTemplate(CachedChoiceLabels, models.Model):
    """A criteria set a campaign copies: 梦桃式班组 five aspects, 七有, 六好, or one staff wrote."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(
        _("default for its category"), default=False, help_text=_("Offered first for campaigns of this category.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("criteria template")
        verbose_name_plural = _("criteria templates")
        ordering = ["category", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"], condition=Q(is_default=True), name="one_default_template_per_category"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CriterionFields(models.Model):
    """What a criterion says, in a template and in a campaign alike."""

    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Positive for a scored criterion; 0 for a veto item."),
    )
    weight = models.DecimalField(
        _("weight"), max_digits=4, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(Decimal("0"))]
    )
    statement_required = models.BooleanField(_("statement required"), default=True)
    min_evidence = models.PositiveSmallIntegerField(_("minimum evidence files"), default=0)
    indicators = models.JSONField(_("indicators asked for"), default=list, blank=True)
    is_veto = models.BooleanField(
        _("veto item"),
        default=False,
        help_text=_("一票否决: meeting it disqualifies the application; it carries no score."),
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def indicator_labels(self) -> list[str]:
        return [str(Indicator(code).label) for code in self.indicators if code in Indicator.values]


def _score_matches_veto(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(is_veto=True, max_score=0) | Q(is_veto=False, max_score__gt=0),
            name=f"{prefix}_score_positive_unless_veto",
        ),
        models.CheckConstraint(condition=Q(weight__gte=0), name=f"{prefix}_weight_not_negative"),
    ]


class CriterionTemplate(CriterionFields):
    template = models.ForeignKey(
        CriteriaTemplate, verbose_name=_("criteria template"), on_delete=models.CASCADE, related_name="criteria"
    )

    class Meta(CriterionFields.Meta):
        verbose_name = _("template criterion")
        verbose_name_plural = _("template criteria")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_template_criterion_code"),
            *_score_matches_veto("template_criterion"),
        ]


class Campaign(CachedChoiceLabels, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        CONCLUDED = "concluded", _("Concluded")
        CANCELLED = "cancelled", _("Cancelled")

    # The states in which a campaign's applications move on: through the chain, the review, the notice.
    RUNNING = (Status.PUBLISHED, Status.CLOSED)

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.MENGTAO)
    organiser = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="campaigns"
    )
    document_number = models.CharField(
        _("document number"), max_length=50, help_text=_("The official form, e.g. 陕工发〔2026〕12号.")
    )
    body = models.TextField(_("body"), help_text=_("The text of the notice. Formatting is kept; scripts are removed."))
    scope_unit = models.ForeignKey(
        "accounts.UnionUnit",
        verbose_name=_("who may apply"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Teams of this unit and every unit below it may apply."),
    )
    industries = models.JSONField(
        _("industries"), default=list, blank=True, help_text=_("Leave empty to admit every industry.")
    )
    titles_to_award = models.PositiveIntegerField(
        _("number of titles"), validators=[MinValueValidator(1)], help_text=_("How many teams will be named.")
    )

    application_opens_at = models.DateTimeField(_("applications open"))
    application_deadline = models.DateTimeField(_("application deadline"))
    recommendation_deadline = models.DateTimeField(
        _("recommendation deadline"), help_text=_("For every level that has no deadline of its own.")
    )
    review_starts_on = models.DateField(_("expert review starts"))
    review_ends_on = models.DateField(_("expert review ends"))
    public_notice_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    two_level_notice = models.BooleanField(
        _("two-level public notice"),
        default=False,
        help_text=_(
            "Each recommending city or industry union publishes its own teams on the shortlist first; "
            "the organiser's notice follows once theirs have ended."
        ),
    )
    naming_planned_on = models.DateField(_("planned naming date"))
    reminder_days = models.JSONField(_("reminder thresholds (days before a deadline)"), default=list, blank=True)
    show_opinions_to_teams = models.BooleanField(
        _("show recommendation opinions to the teams"),
        default=False,
        help_text=_("The reasons of a return or a rejection are always shown to the team leader."),
    )

    # The expert review (lifecycle step 4): how it is run, set with the notice and changeable until it starts.
    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("How many experts the automatic assignment gives each application accepted for review."),
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Experts see an application code only: no team, enterprise, union or person names."),
    )
    half_points = models.BooleanField(_("half points allowed"), default=False)
    aggregation = models.CharField(
        _("aggregation of the scores"), max_length=20, choices=Aggregation.choices, default=Aggregation.TRIMMED
    )
    spread_threshold = models.DecimalField(
        _("spread threshold"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("15"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The ranking flags an application whose highest and lowest total differ by more than this."),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revised_at = models.DateTimeField(
        _("revised at"), null=True, blank=True, help_text=_("When the published notice was last changed.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-application_opens_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "document_number"], name="unique_document_number_per_organiser"
            ),
            models.CheckConstraint(
                condition=Q(application_opens_at__lt=F("application_deadline")), name="campaign_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(recommendation_deadline__gte=F("application_deadline")),
                name="campaign_recommendation_after_application",
            ),
            models.CheckConstraint(
                condition=Q(review_starts_on__lte=F("review_ends_on")), name="campaign_review_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(naming_planned_on__gt=F("review_ends_on")), name="campaign_naming_after_review"
            ),
        ]
        indexes = [models.Index(fields=["status", "-application_opens_at"], name="campaign_status_opens")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_fast("campaigns:detail", self.pk)

    @property
    def is_open_for_applications(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and self.application_opens_at <= now < self.application_deadline

    @property
    def criteria_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def year(self) -> int:
        return timezone.localtime(self.application_opens_at).year

    def recommendation_deadline_for(self, unit_kind: str):
        """When units of `unit_kind` must have recommended: their level's own deadline, else the general one."""
        own = {d.unit_kind: d.deadline for d in self.level_deadlines.all()}
        return own.get(unit_kind, self.recommendation_deadline)

    @property
    def industry_labels(self) -> list[str]:
        return [str(Industry(code).label) for code in self.industries if code in Industry.values]


class Criterion(CriterionFields):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="criteria"
    )

    class Meta(CriterionFields.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_criterion_code_per_campaign"),
            *_score_matches_veto("criterion"),
        ]


class LevelDeadline(models.Model):
    """A recommendation deadline for the units of one kind, overriding the campaign's general one."""

    # The kinds that recommend upwards, from the lowest level; a level's deadline comes no later
    # than the next level's, which needs time to decide in its turn.
    LEVELS = {"grassroots": 0, "county": 1, "city": 2, "industry": 2}

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="level_deadlines")
    unit_kind = models.CharField(_("level"), max_length=20)
    deadline = models.DateTimeField(_("recommendation deadline"))

    class Meta:
        verbose_name = _("recommendation deadline of a level")
        verbose_name_plural = _("recommendation deadlines of the levels")
        ordering = ["deadline"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit_kind"], name="one_deadline_per_level")]

    def __str__(self) -> str:
        return f"{self.unit_kind} {self.deadline:%Y-%m-%d %H:%M}"


class Quota(models.Model):
    """How many applications one recommending unit below the organiser may recommend."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey("accounts.UnionUnit", verbose_name=_("recommending unit"), on_delete=models.PROTECT)
    max_recommendations = models.PositiveIntegerField(_("maximum recommendations"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_quota_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.max_recommendations}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is the hash: no user-supplied name reaches the file system.
    return f"campaigns/{instance.campaign_id}/{instance.sha256}"


class Attachment(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "sha256"], name="attachment_once_per_campaign")]

    def __str__(self) -> str:
        return self.original_name


class CalendarOverride(models.Model):
    """A day the national holiday calendar gets wrong or does not know yet (years after its data)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"
