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


def bar(client, user, path="/accounts/profile/", language="zh-hans"):
    """The navigation bar of the page at `path`, as `user` sees it."""
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_the_bar_is_rendered_once_per_kind_of_user_and_filled_with_the_requests_own_values(client, role_users):
    from mengtao import navigation

    staff, sibling = role_users["staff_unit"], role_users["staff_sibling"]
    staff.name = 'Zhang <b>"San"</b>'
    staff.save()
    navigation._bars.clear()
    first = bar(client, staff, "/accounts/profile/?q=<x>&page=2")
    kept = len(navigation._bars)
    second = bar(client, sibling)
    assert len(navigation._bars) == kept  # the same kind of user on the same page: the bar was kept
    # Each request's own values, escaped: the name, the path a change of language returns to, the token.
    assert "Zhang &lt;b&gt;&quot;San&quot;&lt;/b&gt;" in first and "<b>" not in first
    assert 'name="next" value="/accounts/profile/?q=%3Cx%3E&amp;page=2"' in first
    assert sibling.get_full_name() in second and "Zhang" not in second
    assert 'name="next" value="/accounts/profile/"' in second
    tokens = [line for line in second.splitlines() if "csrfmiddlewaretoken" in line]
    assert len(tokens) == 2 and all('value=""' not in line and "\x00" not in line for line in tokens)
    assert "\x00" not in first


def test_the_bar_shows_each_user_their_own_unread_count_links_and_language(client, role_users):
    from notifications.services import notify

    staff, province_staff = role_users["staff_unit"], role_users["staff_ancestor"]
    for _ in range(3):
        notify(recipient=staff, kind="test.thing", title="新的创建通知", url="/teams/")
    own = bar(client, staff)
    assert 'data-testid="unread-count">3<' in own and "bi-bell-fill" in own
    other = bar(client, province_staff)  # the same kind (staff), nothing unread, a root unit
    assert 'data-testid="unread-count"' not in other and "bi-bell-fill" not in other
    assert 'data-testid="outbox-link"' in other and 'data-testid="outbox-link"' not in own
    assert "/admin/" not in other and "/admin/" in bar(client, role_users["superuser"])
    english = bar(client, staff, language="en")
    assert "Notifications: 3 unread" in english and 'data-testid="language-zh-hans"' in english
    assert 'data-testid="language-en"' in own and 'data-testid="language-zh-hans"' not in own
    visitor = bar(client, None, "/notices/")
    assert 'data-testid="bell"' not in visitor and 'href="/accounts/login/"' in visitor
