"""The navigation is kept per kind of user (signed in, superuser, roles held): that is right only while
every entry's permission is decided by those alone, whatever the units the roles are held over."""

import pytest
from django.utils import translation

from accounts.services import role_assign
from mengtao.navigation import NAV_ENTRIES, _kind_of_user, _visible, menu_html, visible_entries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_users_of_one_kind_see_the_same_entries_whatever_their_units(tree, role_users):
    # Two more of each kind, over other units: a grassroots union's staff, an industry union's auditor.
    grassroots_staff = UserFactory(username="a1_staff", unit=tree.grassroots_a1)
    role_assign(actor=None, user=grassroots_staff, role="staff", unit=tree.grassroots_a1)
    industry_auditor = UserFactory(username="industry_auditor", unit=tree.industry)
    role_assign(actor=None, user=industry_auditor, role="auditor", unit=tree.industry)
    users = [*role_users.values(), grassroots_staff, industry_auditor]
    seen: dict[tuple, list[str]] = {}
    for user in users:
        direct = [entry.url_name for entry in NAV_ENTRIES if _visible(entry, user)]
        assert seen.setdefault(_kind_of_user(user), direct) == direct, user
        assert [entry.url_name for entry, _url in visible_entries(user)] == direct, user
    assert len(seen) >= 5  # anonymous, leader, staff, expert, auditor, superuser


def test_the_menu_marks_the_current_page_in_the_current_language(role_users):
    staff = role_users["staff_unit"]
    with translation.override("zh-hans"):
        on_teams = menu_html(staff, "teams:list")
        on_campaigns = menu_html(staff, "campaigns:list")
        assert menu_html(staff, "teams:list") is on_teams  # kept, not rendered again
    with translation.override("en"):
        in_english = menu_html(staff, "teams:list")
    assert 'class="nav-link active" href="/teams/"' in on_teams
    assert 'class="nav-link active" href="/campaigns/"' in on_campaigns
    assert 'class="nav-link active" href="/teams/"' not in on_campaigns
    assert "班组" in on_teams and ">Teams</a>" not in on_teams
    assert "Teams</a>" in in_english
    assert "/audit/" not in menu_html(role_users["leader"], "teams:list")
