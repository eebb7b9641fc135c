"""The home page as each user meets it first: a team leader's teams, campaigns and applications with a
returned one first; a staff member's counts of what waits for them, each linking to its list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import Team
from teams.services import application_start, application_submit
from tests.factories import decide, fill_application, make_campaign, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, publish=True)


def test_a_leaders_home_shows_the_returned_application_first_then_teams_campaigns_and_applications(
    client, tree, role_users, campaign
):
    leader = role_users["leader"]
    returned_team = make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班")
    other_team = make_team(leader=leader, union=tree.grassroots_a1, name="织布乙班")
    application = application_start(actor=leader, team=returned_team, campaign=campaign)
    fill_application(application, actor=leader)
    application_submit(actor=leader, application=application)
    decide(application, kind="return", opinion="请补充近三年安全台帐")
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()

    assert "暂无工会角色" not in page and "hold no union role" not in page
    returned = page.index('data-testid="returned"')
    assert returned < page.index('data-testid="team-card"')  # first, before the teams
    assert "请补充近三年安全台帐" in page
    assert reverse("applications:edit", args=[application.pk]) in page
    assert "细纱甲班" in page and "织布乙班" in page
    assert "退回修改" in page  # the application's status
    # The other team may still apply, and the deadline is shown in Beijing time.
    deadline = timezone.localtime(campaign.application_deadline).strftime("%Y-%m-%d %H:%M")
    assert f"申报截止 {deadline}" in page
    assert page.count('data-testid="apply"') == 1
    assert other_team.pk and f'name="team" value="{other_team.pk}"' in page


def test_a_leader_without_a_team_is_asked_to_register_one(client, role_users):
    client.force_login(role_users["leader"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="leader-home"' in page and reverse("teams:register") in page


def test_staff_see_no_leader_section_and_auditors_no_counts(client, role_users):
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="leader-home"' not in page and 'data-testid="waiting"' in page
    client.force_login(role_users["auditor"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="waiting"' not in page and 'data-testid="workbench"' in page


def _waiting(client) -> dict[str, tuple[int, str]]:
    response = client.get(reverse("home"))
    return {str(item.label): (item.count, item.url) for item in response.context["waiting"]}


def test_staff_counts_cover_their_subtree_and_link_to_the_same_rows(client, tree, role_users, campaign):
    leader = role_users["leader"]
    make_team(leader=leader, union=tree.grassroots_a1, name="待审甲班", approve=False)
    make_team(leader=leader, union=tree.grassroots_b1, name="待审乙班", approve=False)  # sibling city
    submitted_team = make_team(leader=leader, union=tree.grassroots_a1, name="已报班")
    application = application_start(actor=leader, team=submitted_team, campaign=campaign)
    fill_application(application, actor=leader)
    application_submit(actor=leader, application=application)
    decide(application)  # its grassroots union recommends it: it waits at city A
    soon = make_campaign(
        organiser=tree.province,
        publish=True,
        document_number="测工发〔2026〕2号",
        application_deadline=timezone.now() + timedelta(days=3),
    )
    draft_team = make_team(leader=leader, union=tree.grassroots_a1, name="草稿班")
    application_start(actor=leader, team=draft_team, campaign=soon)
    application_start(actor=leader, team=draft_team, campaign=campaign)  # due in 30 days: not counted

    client.force_login(role_users["staff_unit"])
    waiting = _waiting(client)
    assert waiting["待审批的班组"][0] == 1
    assert waiting["等待本单位决定的申报"][0] == 1
    assert waiting["有草稿 7 天内截止的班组"][0] == 1
    pending_list = client.get(waiting["待审批的班组"][1]).content.decode()
    assert "待审甲班" in pending_list and "待审乙班" not in pending_list
    assert "已报班" in client.get(waiting["等待本单位决定的申报"][1]).content.decode()
    due_list = client.get(waiting["有草稿 7 天内截止的班组"][1]).content.decode()
    assert "草稿班" in due_list and "已报班" not in due_list

    client.force_login(role_users["staff_ancestor"])
    assert _waiting(client)["待审批的班组"][0] == 2


@pytest.mark.parametrize("rows", [1, 3])
def test_home_query_counts(client, tree, role_users, campaign, django_assert_num_queries, rows):
    leader = role_users["leader"]
    for number in range(rows):
        team = make_team(leader=leader, union=tree.grassroots_a1, name=f"班组{number}")
        make_team(leader=leader, union=tree.grassroots_a1, name=f"待审{number}", approve=False)
        application_start(actor=leader, team=team, campaign=campaign)
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, notices, waiting at the user's units, pending teams, drafts due,
    # whether the staff member leads a team, the bell
    with django_assert_num_queries(8):
        client.get(reverse("home"))
    client.force_login(leader)
    # session, user, roles, notices, teams, applications, open campaigns, re-assessment reports, the bell
    with django_assert_num_queries(9):
        page = client.get(reverse("home")).content.decode()
    assert page.count('data-testid="team-card"') == 2 * rows


def test_the_team_list_filter_for_drafts_due_is_offered(client, role_users):
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("teams:list")).content.decode()
    assert 'value="draft_due"' in page
    assert Team.objects.count() == 0
