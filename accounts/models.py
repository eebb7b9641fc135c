"""Users, the union tree and role assignments scoped to a unit and its subtree."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.choices import CachedChoiceLabels


class UnionUnit(CachedChoiceLabels, MP_Node):
    """One union in the tree 省总工会 → 市总工会 / 产业工会 → (县区总工会) → 基层工会.

    The tree is a materialised path (django-treebeard): a unit's subtree is every unit whose
    indexed `path` starts with its own, one range scan whatever the depth.
    """

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial federation of trade unions")
        CITY = "city", _("City federation of trade unions")
        INDUSTRY = "industry", _("Industry union")
        COUNTY = "county", _("County or district federation of trade unions")
        GRASSROOTS = "grassroots", _("Grassroots union")

    # Which kinds may stand directly below which: the tree's shape is data, its depth is free.
    ALLOWED_CHILDREN = {
        Kind.PROVINCIAL: {Kind.CITY, Kind.INDUSTRY, Kind.GRASSROOTS},
        Kind.CITY: {Kind.COUNTY, Kind.INDUSTRY, Kind.GRASSROOTS},
        Kind.INDUSTRY: {Kind.INDUSTRY, Kind.GRASSROOTS},
        Kind.COUNTY: {Kind.GRASSROOTS},
        Kind.GRASSROOTS: {Kind.GRASSROOTS},
    }

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("A short identifier unique across the tree, e.g. SX-XA-001."),
    )
    enterprise = models.CharField(
        _("enterprise"),
        max_length=100,
        blank=True,
        help_text=_("For a grassroots union: the enterprise or institution it belongs to."),
    )
    region = models.CharField(_("region"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # No node_order_by: a new unit is appended after its siblings, so adding one never shifts the
    # paths of others. Paths change only when a unit is moved (accounts.services.unit_move), which
    # tells whoever copies them (signals.unit_moved). Siblings stand in the order they were added.

    class Meta:
        verbose_name = _("union unit")
        verbose_name_plural = _("union units")
        ordering = ["path"]
        indexes = [
            # The units directly below one (depth + 1 within its path): one index range, not a scan of
            # the whole subtree, whose 40,000 grassroots unions lie deeper.
            models.Index(fields=["depth", "path"], name="unit_children", opclasses=["int4_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.display_name_of(self.name, self.short_name)

    @staticmethod
    def display_name_of(name: str, short_name: str) -> str:
        """The name a unit is shown by, from its two names read as plain values."""
        return short_name or name

    def is_in_subtree_of(self, other: "UnionUnit") -> bool:
        """True when `other` is this unit or one of its ancestors."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A person who signs in. Chinese names do not split into first and last, so one `name`."""

    first_name = None
    last_name = None
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Optional; never shown in public."))
    unit = models.ForeignKey(
        UnionUnit,
        verbose_name=_("union unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("The union the person works for or belongs to, if any."),
    )

    REQUIRED_FIELDS = ["email", "name"]
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    # --- Roles and scope. Loaded once per user object (one query), then answered from memory.

    def role_assignment_list(self) -> list["RoleAssignment"]:
        if not hasattr(self, "_role_assignment_cache"):
            self._role_assignment_cache = list(self.role_assignments.select_related("unit")) if self.pk else []
        return self._role_assignment_cache

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_assignment_cache", None)

    def has_role(self, *roles: str) -> bool:
        return any(a.role in roles for a in self.role_assignment_list())

    def has_role_over(self, unit: "UnionUnit", *roles: str) -> bool:
        """True when the user holds one of `roles` on `unit` or on one of its ancestors."""
        return any(a.role in roles and unit.path.startswith(a.unit.path) for a in self.role_assignment_list())

    def scope_paths(self, *roles: str) -> list[str]:
        """The tree paths of the subtrees the user holds one of `roles` over, none nested in another."""
        paths = sorted({a.unit.path for a in self.role_assignment_list() if a.role in roles})
        roots: list[str] = []
        for path in paths:
            if not any(path.startswith(root) for root in roots):
                roots.append(path)
        return roots

    def audit_scope_paths(self) -> list[str]:
        """The subtrees whose audit trail this user may read: those they staff or audit."""
        return self.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)


class RoleAssignment(CachedChoiceLabels, models.Model):
    """A role a user holds over one union unit and its whole subtree. A user may hold several."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Union staff")
        EXPERT = "expert", _("Expert reviewer")
        AUDITOR = "auditor", _("Auditor")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        UnionUnit, verbose_name=_("union unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_per_user_and_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
