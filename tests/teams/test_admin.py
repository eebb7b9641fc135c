"""The admin of teams, the ledger and applications: a team's own fields change through the services and
are audited; applications, submitted versions and the ledger are shown and never written; every list
and record page renders with its data, and the lists keep one number of queries whatever their length."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from teams.models import Application, ApplicationVersion, LedgerEntry, Team
from teams.services import (
    application_start,
    application_submit,
    ledger_entry_save,
    member_save,
    mentor_pair_save,
)
from tests.factories import UserFactory, fill_application, make_campaign, make_team, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users["superuser"])
    return client


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.city_a, publish=True)


def applied_team(tree, campaign, name: str) -> Team:
    """A team with two members as a mentor pair, a ledger entry with a file, and a submitted application."""
    leader = UserFactory()
    team = make_team(leader=leader, union=tree.grassroots_a1, name=name)
    mentor = member_save(actor=leader, team=team, name=f"{name}师傅", role="member")
    apprentice = member_save(actor=leader, team=team, name=f"{name}徒弟", role="member")
    mentor_pair_save(actor=leader, team=team, mentor=mentor, apprentice=apprentice, started_on=date(2025, 3, 1))
    ledger_entry_save(
        actor=leader,
        team=team,
        occurred_on=date(2025, 5, 1),
        kind="activity",
        title=f"{name}技术比武",
        uploads=[upload(f"{name}比武照片.pdf")],
    )
    application = fill_application(application_start(actor=leader, team=team, campaign=campaign), actor=leader)
    application_submit(actor=leader, application=application)
    return team


@pytest.fixture
def team(tree, campaign) -> Team:
    return applied_team(tree, campaign, "细纱甲班")


def test_every_teams_page_of_the_admin_renders_with_its_data(admin_client, team):
    application = team.applications.get()
    version = application.versions.get()
    entry = team.ledger_entries.get()
    pages = {
        reverse("admin:teams_team_changelist"): ["细纱甲班", "甲市机械厂", "甲市机械厂工会", "C 制造业", "已登记"],
        reverse("admin:teams_team_change", args=[team.pk]): ["细纱甲班师傅", "细纱甲班徒弟", "T-A-1", "2025年3月1日"],
        reverse("admin:teams_ledgerentry_changelist"): ["细纱甲班技术比武", "活动"],
        reverse("admin:teams_ledgerentry_change", args=[entry.pk]): ["细纱甲班技术比武", "细纱甲班比武照片.pdf"],
        reverse("admin:teams_application_changelist"): ["细纱甲班", "已提交", application.campaign.title],
        reverse("admin:teams_application_change", args=[application.pk]): [
            "安全生产两千天",  # the summary
            "积极践行“梦桃精神”：具体做法与成效。",  # a statement
            "2.pdf",  # an evidence file
            application.evidence.first().sha256,
        ],
        reverse("admin:teams_applicationversion_changelist"): ["细纱甲班", application.campaign.title],
        reverse("admin:teams_applicationversion_change", args=[version.pk]): [
            # The content as indented JSON, Chinese as it was written.
            json.dumps(version.content["summary"], ensure_ascii=False),
            '\n  "criteria": [',
        ],
    }
    for url, texts in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for text in texts:
            assert text.replace('"', "&quot;") in page or text in page, (url, text)


@pytest.mark.parametrize("model", ["application", "applicationversion", "ledgerentry"])
def test_applications_versions_and_the_ledger_refuse_add_change_and_delete(admin_client, team, model):
    obj = {
        "application": lambda: team.applications.get(),
        "applicationversion": lambda: ApplicationVersion.objects.get(application__team=team),
        "ledgerentry": lambda: team.ledger_entries.get(),
    }[model]()
    before = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}

    assert admin_client.get(reverse(f"admin:teams_{model}_add")).status_code == 403
    assert admin_client.post(reverse(f"admin:teams_{model}_add"), {"number": 9}).status_code == 403

    change_url = reverse(f"admin:teams_{model}_change", args=[obj.pk])
    page = admin_client.get(change_url).content.decode()
    assert 'name="_save"' not in page and "deletelink" not in page
    assert admin_client.post(change_url, {"status": "draft", "number": 9, "title": "改过"}).status_code == 403

    delete_url = reverse(f"admin:teams_{model}_delete", args=[obj.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:teams_{model}_changelist")
    response = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert response.status_code in (200, 302)

    obj.refresh_from_db()
    assert {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields} == before
    assert "delete_selected" not in admin_client.get(changelist).content.decode()


def test_a_team_is_neither_added_nor_deleted_in_the_admin(admin_client, team):
    assert admin_client.get(reverse("admin:teams_team_add")).status_code == 403
    assert admin_client.post(reverse("admin:teams_team_delete", args=[team.pk]), {"post": "yes"}).status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


def team_form(client, team: Team, **changes) -> dict:
    """What the browser posts: the hidden fields of the page (the read-only rows' management forms), the
    team's fields as they are, and the changes."""
    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data = {
        **hidden,
        "name": team.name,
        "enterprise": team.enterprise,
        "grassroots_union": team.grassroots_union.code,
        "industry": team.industry,
        "region": team.region,
        "category": team.category,
        "founded_on": "",
        "description": team.description,
    }
    return {**data, **changes}


def test_changing_a_team_in_the_admin_goes_through_the_services(admin_client, tree, team):
    url = reverse("admin:teams_team_change", args=[team.pk])
    response = admin_client.post(url, team_form(admin_client, team, name="细纱乙班", grassroots_union="T-B-1"))
    assert response.status_code == 302, response.content.decode()[:3000]
    team.refresh_from_db()
    assert team.name == "细纱乙班" and team.grassroots_union == tree.grassroots_b1
    update = AuditEvent.objects.get(action="teams.update", target_id=str(team.pk))
    assert update.details["changes"]["name"] == ["细纱甲班", "细纱乙班"]
    move = AuditEvent.objects.get(action="teams.move", target_id=str(team.pk))
    assert move.details == {"from": "甲市机械厂工会", "to": "乙市纺织厂工会"}


def test_the_admin_refuses_a_duplicate_name_and_a_union_that_is_not_grassroots(admin_client, tree, campaign, team):
    make_team(leader=UserFactory(), union=tree.grassroots_a1, name="细纱丙班")
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(url, team_form(admin_client, team, name="细纱丙班"))
    assert response.status_code == 200
    assert "包含 基层工会 和 班组名称 的 班组 已经存在。" in response.content.decode()

    response = admin_client.post(url, team_form(admin_client, team, grassroots_union=tree.city_a.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有编码或名称完全一致的基层工会" in page and "甲市机械厂工会（T-A-1）" in page  # the city is refused

    team.refresh_from_db()
    assert team.name == "细纱甲班" and team.grassroots_union == tree.grassroots_a1
    assert not AuditEvent.objects.filter(action__in=["teams.update", "teams.move"], target_id=str(team.pk)).exists()


# --- The lists keep one number of queries, whatever the number of rows. --------------------------

CHANGELISTS = {
    # session, the user's roles (none: a superuser), the user, count, page, and (applications) the
    # campaigns of the filter
    "team": 5,
    "ledgerentry": 5,
    "application": 6,
    "applicationversion": 5,
}


@pytest.mark.parametrize("model", sorted(CHANGELISTS))
@pytest.mark.parametrize("rows", [1, 3])
def test_changelist_query_count(admin_client, tree, campaign, django_assert_num_queries, model, rows):
    for number in range(rows):
        applied_team(tree, campaign, f"班组{number}")
    with django_assert_num_queries(CHANGELISTS[model]):
        response = admin_client.get(reverse(f"admin:teams_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
    model_class = {"team": Team, "ledgerentry": LedgerEntry, "application": Application}.get(model, ApplicationVersion)
    assert model_class.objects.count() == rows
