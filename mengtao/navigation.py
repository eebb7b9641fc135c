"""The main navigation: which entries a user sees follows from their permissions."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: Promise
    description: Promise | str
    url_name: str
    icon: str
    perm: str | None  # None: every signed-in user; PUBLIC: everyone, signed in or not


PUBLIC = "public"


NAV_ENTRIES = [
    NavEntry(_("Workbench"), "", "home", "house", None),
    NavEntry(_("Notices"), _("The published campaign notices."), "notices:list", "newspaper", PUBLIC),
    NavEntry(
        _("Campaigns"),
        _("Draft, publish and follow the campaign notices of your unit."),
        "campaigns:list",
        "megaphone",
        "campaigns.list_campaigns",
    ),
    NavEntry(
        _("My teams"),
        _("Register your team, keep its members, and see the campaigns it may apply to."),
        "teams:mine",
        "people-fill",
        "teams.own_teams",
    ),
    NavEntry(
        _("Teams"),
        _("The teams of the grassroots unions in your scope: approve registrations, export the list."),
        "teams:list",
        "card-list",
        "teams.list_teams",
    ),
    NavEntry(
        _("Applications"),
        _("The submitted applications of the teams in your scope: read, compare versions, return, export."),
        "applications:list",
        "file-earmark-text",
        "teams.list_applications",
    ),
    NavEntry(
        _("To recommend"),
        _("The applications waiting for your unit's decision: recommend, return or reject, each with an opinion."),
        "reviews:queue",
        "check2-square",
        "reviews.view_queue",
    ),
    NavEntry(
        _("Union units"),
        _("The union tree below you: units, their enterprises and who holds which role."),
        "unit_list",
        "diagram-3",
        "accounts.list_units",
    ),
    NavEntry(
        _("Users"),
        _("The people of the units in your scope and their roles."),
        "user_list",
        "people",
        "accounts.list_users",
    ),
    NavEntry(
        _("Audit trail"),
        _("Who did what, when and from where, in the units in your scope."),
        "audit:event_list",
        "journal-text",
        "audit.view_trail",
    ),
]


def _visible(entry: NavEntry, user) -> bool:
    if entry.perm == PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    return entry.perm is None or user.has_perm(entry.perm)


def navigation(request):
    user = getattr(request, "user", None)
    current = request.resolver_match.view_name if request.resolver_match else ""
    entries = [
        {
            "label": entry.label,
            "description": entry.description,
            "url": reverse(entry.url_name),
            "icon": entry.icon,
            "active": current == entry.url_name,
        }
        for entry in NAV_ENTRIES
        if _visible(entry, user)
    ]
    return {"nav_entries": entries}
