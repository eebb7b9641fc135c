"""Teams (班组): their registration, members and mentor-apprentice pairs (师带徒)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from campaigns.industries import Industry
from campaigns.models import Category
from core.choices import CachedChoiceLabels
from core.urls import reverse_fast


def pinyin_key(text: str) -> str:
    """A sort key that puts Chinese names in pinyin order (张 after 王), as people expect."""
    return " ".join(lazy_pinyin(text)).lower()[:300]


class Team(CachedChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Registered")
        REJECTED = "rejected", _("Not approved")

    name = models.CharField(_("team name"), max_length=100)
    name_pinyin = models.CharField(max_length=300, editable=False)
    enterprise = models.CharField(_("enterprise"), max_length=100)
    grassroots_union = models.ForeignKey(
        "accounts.UnionUnit", verbose_name=_("grassroots union"), on_delete=models.PROTECT, related_name="teams"
    )
    # The grassroots union's place in the tree, copied here so that "the teams of a subtree" is one
    # indexed range scan rather than a join per row. Kept by save() and by the receivers of unit
    # moves (teams.services.team.follow_unit_move).
    union_path = models.CharField(max_length=255, editable=False, default="")
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    region = models.CharField(_("region"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.MENGTAO)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team leaders"), related_name="led_teams", blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.TextField(_("reason"), blank=True)
    # Kept by the member services (teams.services.team.member_save), so that a list of teams shows
    # each team's size without counting members for every row.
    member_count = models.PositiveIntegerField(_("current members"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grassroots_union", "name"], name="unique_team_name_per_union"),
        ]
        indexes = [
            # The lists' order: a page of fifty reads fifty index entries (with the name alone, the
            # teams sharing the first name were all read and sorted by id).
            models.Index(fields=["name_pinyin", "id"], name="team_list_order"),
            models.Index(fields=["grassroots_union", "status"], name="team_union_status"),
            models.Index(fields=["union_path"], name="team_union_path", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["status", "union_path"],
                name="team_status_union_path",
                opclasses=["text_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        self.union_path = self.grassroots_union.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_fast("teams:detail", self.pk)


class Member(CachedChoiceLabels, models.Model):
    """A member of a team. No national ID numbers are kept; a phone number is optional and private."""

    class SkillGrade(models.TextChoices):
        NONE = "", _("No grade")
        JUNIOR = "junior", _("Junior worker")
        INTERMEDIATE = "intermediate", _("Intermediate worker")
        SENIOR = "senior", _("Senior worker")
        TECHNICIAN = "technician", _("Technician")
        SENIOR_TECHNICIAN = "senior_technician", _("Senior technician")

    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy team leader")
        SAFETY = "safety", _("Safety officer")
        QUALITY = "quality", _("Quality officer")
        MEMBER = "member", _("Member")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(max_length=150, editable=False)
    position = models.CharField(_("position"), max_length=50, blank=True)
    skill_grade = models.CharField(_("skill grade"), max_length=20, choices=SkillGrade.choices, blank=True)
    role = models.CharField(_("role in the team"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Optional; never shown in public."))

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["left_on", "name_pinyin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class MentorPair(models.Model):
    """师带徒: a mentor and an apprentice of the same team, from a start date, with its outcome."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="mentor_pairs")
    mentor = models.ForeignKey(Member, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="+")
    apprentice = models.ForeignKey(Member, verbose_name=_("apprentice"), on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=200, blank=True, help_text=_("E.g. the apprentice passed the senior worker test.")
    )

    class Meta:
        verbose_name = _("mentor-apprentice pair")
        verbose_name_plural = _("mentor-apprentice pairs")
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("apprentice")), name="mentor_is_not_own_apprentice"),
            models.UniqueConstraint(fields=["mentor", "apprentice", "started_on"], name="unique_mentor_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.apprentice}"
