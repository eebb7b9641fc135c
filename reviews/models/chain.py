"""The recommendation chain (逐级推荐): where each submitted application waits, every level's decision
with its opinion, and the organiser's extensions of a level's or a unit's deadline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import UnionUnit
from core.choices import CachedChoiceLabels
from core.urls import reverse_fast

OPINION_MAX_LENGTH = 1000


class Recommendation(CachedChoiceLabels, models.Model):
    """An application's place in the chain: the unit that holds it now (or that decided it last) and
    the chain's state there. One row per submitted application, kept by reviews.services."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for a decision")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted for expert review")
        REJECTED = "rejected", _("Not recommended")
        WITHDRAWN = "withdrawn", _("Withdrawn by the team")

    application = models.OneToOneField(
        "teams.Application", on_delete=models.CASCADE, related_name="recommendation", editable=False
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("at unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, editable=False)
    # The submitted version it waits with: a decision names it, and a page left open on an older
    # version cannot decide on a newer one.
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    # The team's sort key (Application.team_sort), so that the queue sorts on this table's index.
    team_sort = models.CharField(max_length=300, editable=False, default="")
    # Every criterion has at least one evidence file in the submitted version (the queue's filter).
    evidence_complete = models.BooleanField(_("evidence for every criterion"), default=False, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"), editable=False)

    class Meta:
        verbose_name = _("place in the recommendation chain")
        verbose_name_plural = _("places in the recommendation chain")
        indexes = [
            # The queue: what waits at a unit, in team order (all campaigns, or one).
            models.Index(fields=["unit", "state", "team_sort", "application"], name="recommendation_queue"),
            models.Index(
                fields=["unit", "state", "campaign", "team_sort", "application"], name="recommendation_queue_campaign"
            ),
            models.Index(fields=["campaign", "state", "unit"], name="recommendation_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.state} @ {self.unit_id}"

    @property
    def decide_url(self) -> str:
        return reverse_fast("reviews:decide", self.application_id)


class Decision(CachedChoiceLabels, models.Model):
    """One level's decision on one submitted version, with its opinion (推荐意见). Never changed."""

    class Kind(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        RETURN = "return", _("Return for revision")
        REJECT = "reject", _("Not recommended")

    application = models.ForeignKey(
        "teams.Application", on_delete=models.CASCADE, related_name="decisions", editable=False
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    # 1 for the team's grassroots union, counting up the chain to the organiser.
    level = models.PositiveSmallIntegerField(_("level"), editable=False)
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices, editable=False)
    # At the organising unit "recommend" accepts the application for expert review.
    accepted = models.BooleanField(_("accepted for expert review"), default=False, editable=False)
    opinion = models.TextField(_("opinion"), max_length=OPINION_MAX_LENGTH, editable=False)
    version = models.PositiveSmallIntegerField(_("on version"), editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), editable=False)

    class Meta:
        verbose_name = _("recommendation decision")
        verbose_name_plural = _("recommendation decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(opinion=""), name="decision_has_opinion"),
            models.CheckConstraint(condition=Q(level__gte=1), name="decision_level_from_one"),
        ]
        # A unit's quota in use and the progress's counts of distinct applications, from the index alone.
        indexes = [models.Index(fields=["campaign", "unit", "kind", "application"], name="decision_quota_use")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} @ {self.unit_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A recommendation decision is a record: it is never changed.")
        super().save(*args, **kwargs)


class ChainTally(models.Model):
    """How many applications a unit holds in a campaign's chain (waiting, returned; at the organiser,
    accepted) and how many it decided (recommended, rejected), kept by the chain's services in the
    transaction of every move (reviews.services.chain), so that the progress shows its units' counts
    and the organiser's totals without counting the campaign's places and decisions on every page
    view. `chain_tallies_recount()` rebuilds them."""

    class Counter(models.TextChoices):
        WAITING = "waiting", _("Waiting for a decision")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted for expert review")
        RECOMMENDED = "recommended", _("Recommended")
        REJECTED = "rejected", _("Not recommended")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey("accounts.UnionUnit", on_delete=models.CASCADE, related_name="+", editable=False)
    counter = models.CharField(max_length=20, choices=Counter.choices, editable=False)
    count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "counter"], name="one_chain_tally_per_unit_counter")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.unit_id} {self.counter}: {self.count}"


class DeadlineExtension(models.Model):
    """The organiser moves one level's (unit kind's) or one unit's recommendation deadline later, with
    a reason. The latest extension counts; a unit's own extension comes before its level's."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey(
        "accounts.UnionUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    unit_kind = models.CharField(_("level"), max_length=20, blank=True, editable=False)
    deadline = models.DateTimeField(_("new deadline"), editable=False)
    reason = models.TextField(_("reason"), max_length=500, editable=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["granted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(unit_kind="")) | (Q(unit__isnull=True) & ~Q(unit_kind="")),
                name="extension_for_a_unit_or_a_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.unit_id or self.unit_kind} {self.deadline:%Y-%m-%d %H:%M}"

    def get_unit_kind_label(self) -> str:
        return str(UnionUnit.Kind(self.unit_kind).label) if self.unit_kind in UnionUnit.Kind.values else self.unit_kind
