"""The main navigation: which entries a user sees follows from their permissions."""

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from notifications.context_processors import bell_of


@dataclass(frozen=True)
class NavEntry:
    label: Promise
    description: Promise | str
    url_name: str
    icon: str
    # None: every signed-in user; PUBLIC: everyone, signed in or not. Otherwise a global permission
    # decided by the user's roles and superuser flag alone (the entries are kept per kind of user).
    perm: str | None


PUBLIC = "public"


NAV_ENTRIES = [
    NavEntry(_("Workbench"), "", "home", "house", None),
    NavEntry(_("Notices"), _("The published campaign notices."), "notices:list", "newspaper", PUBLIC),
    NavEntry(
        _("Public notices"),
        _("The teams proposed for naming, published for objections."),
        "publicity:list",
        "megaphone-fill",
        PUBLIC,
    ),
    NavEntry(
        _("Registry"),
        _("Every named team and its honours, searchable by name, enterprise or pinyin."),
        "registry:list",
        "journal-bookmark",
        PUBLIC,
    ),
    NavEntry(
        _("Typical examples"),
        _("Named teams held up as examples: their stories and photos, and the honours they hold."),
        "showcase:list",
        "stars",
        PUBLIC,
    ),
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
        _("Re-assessment"),
        _("Re-assessment (复核) of named teams: start one, decide the reports waiting at your unit, conclude."),
        "awards:reassessments",
        "arrow-repeat",
        "awards.list_reassessments",
    ),
    NavEntry(
        _("My reviews"),
        _("The applications assigned to you for expert review: score each criterion and submit."),
        "reviews:my_reviews",
        "clipboard-check",
        "reviews.view_my_reviews",
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


def _kind_of_user(user) -> tuple:
    """What the entries' permissions depend on: signed in, active, superuser, and which roles are held
    (not over which units). An entry's `perm` must be a global permission decided by these alone."""
    if user is None or not user.is_authenticated:
        return (False,)
    if user.is_active and user.is_superuser:
        return (True, True, True)  # every permission, whatever the roles (not even read, then)
    roles = frozenset(a.role for a in user.role_assignment_list())
    return (True, user.is_active, user.is_superuser, roles)


# The entries (with their paths) each kind of user sees, per script prefix: asked of the permissions
# once per kind and process rather than on every page (nine has_perm and nine reverse() calls were a
# fifth of a signed-in list page's time).
_entries_by_kind: dict[tuple, list[tuple[NavEntry, str]]] = {}


def visible_entries(user) -> list[tuple[NavEntry, str]]:
    key = (_kind_of_user(user), get_script_prefix())
    entries = _entries_by_kind.get(key)
    if entries is None:
        entries = [(entry, reverse(entry.url_name)) for entry in NAV_ENTRIES if _visible(entry, user)]
        _entries_by_kind[key] = entries
    return entries


# The bar's entries as HTML, per kind of user, script prefix, language and current page: the loop
# over a dozen entries was the most expensive part of the layout, and its output follows from these
# alone. The keys are bounded by the kinds of user times the named views times the languages.
_menus: dict[tuple, str] = {}


def menu_html(user, current: str) -> str:
    key = (_kind_of_user(user), get_script_prefix(), get_language(), current)
    html = _menus.get(key)
    if html is None:
        html = _menus[key] = render_to_string("includes/nav_menu.html", {"nav_entries": _entries(user, current)})
    return html


def _entries(user, current: str) -> list[dict]:
    return [
        {
            "label": entry.label,
            "description": entry.description,
            "url": url,
            "icon": entry.icon,
            "active": current == entry.url_name,
        }
        for entry, url in visible_entries(user)
    ]


# The whole bar as the fixed HTML between the request's own values (the CSRF token, the path a change
# of language returns to, the user's name, the unread count and what the bell says of it): rendered once
# per kind of user, script prefix, language, current page, access to the outbox and whether anything is
# unread, then filled in. Rendering it each time was most of the layout's cost.
_bars: dict[tuple, list[str]] = {}
# Marks a value's place in the rendered bar; the parts between two marks are fixed HTML and value names
# in turn. Escaping leaves it alone, and no template text contains it.
_MARK = "\x00"
_VALUES = ("csrf_token", "next", "name", "unread", "bell_label")


class Bar:
    """The navigation bar of one request, rendered when the layout prints it (`{{ nav_bar }}`)."""

    def __init__(self, request, current: str):
        self.request = request
        self.current = current

    def __html__(self) -> str:
        request = self.request
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        bell = bell_of(request) if signed_in else None
        unread = bell.unread if signed_in else 0
        outbox = signed_in and user.has_perm("notifications.manage_outbox")
        key = (_kind_of_user(user), get_script_prefix(), get_language(), self.current, outbox, bool(unread))
        parts = _bars.get(key)
        if parts is None:
            parts = _bars[key] = _render_bar(user, self.current, signed_in=signed_in, outbox=outbox, unread=unread)
        values = {
            "csrf_token": get_token(request),
            "next": request.get_full_path(),
            "name": user.get_full_name() if signed_in else "",
            "unread": unread,
            "bell_label": bell.label() if signed_in else "",
        }
        return mark_safe(
            "".join(part if i % 2 == 0 else conditional_escape(values[part]) for i, part in enumerate(parts))
        )

    __str__ = __html__  # Django's templates print str(value), which must stay marked safe


def _render_bar(user, current: str, *, signed_in: bool, outbox: bool, unread: int) -> list[str]:
    marks = {name: f"{_MARK}{name}{_MARK}" for name in _VALUES}
    html = render_to_string(
        "layout/navbar.html",
        {
            "menu": mark_safe(menu_html(user, current)),
            "signed_in": signed_in,
            "superuser": signed_in and user.is_superuser,
            "outbox": outbox,
            "has_unread": bool(unread),
            **marks,
        },
        using="jinja2",
    )
    # "a\0name\0b" splits into ["a", "name", "b"]: fixed HTML at even places, names at odd ones.
    return html.split(_MARK)


def navigation(request):
    user = getattr(request, "user", None)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_entries": SimpleLazyObject(lambda: _entries(user, current)), "nav_bar": Bar(request, current)}
