"""The staff's pages of the chain: the queue with its filters and bulk decision, the decision page,
and the organiser's progress with its export and the deadline extensions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import LevelDeadline, Quota
from reviews.models import DeadlineExtension, Decision, Recommendation
from reviews.services import chain_tallies_recount
from teams.models import Application, ApplicationVersion, Team
from tests.factories import decide, unit_staff
from tests.workbooks import download, workbook_of

S = Recommendation.State


def clones(application, n, *, unit=None, state=S.WAITING, decided_by=None):
    """`n` more applications like `application` (its team copied under another name), each at `unit`
    in `state`; with `decided_by`, each recommended by that unit's staff on the way."""
    place = Recommendation.objects.get(application=application)
    version = application.versions.get()
    made = []
    for number in range(n):
        team = Team.objects.get(pk=application.team_id)
        team.pk, team.name = None, f"复制班组{number:03d}"
        team.save()
        copy = Application.objects.get(pk=application.pk)
        copy.pk, copy.team = None, team
        copy._state.adding = True
        copy.save()
        ApplicationVersion.objects.create(
            application=copy,
            number=1,
            content=version.content,
            submitted_by=version.submitted_by,
            submitted_at=version.submitted_at,
        )
        made.append(copy)
    Recommendation.objects.bulk_create(
        Recommendation(
            application=copy,
            campaign_id=copy.campaign_id,
            unit=unit or place.unit,
            state=state,
            version=1,
            team_sort=copy.team_sort,
            evidence_complete=number % 2 == 0,
            arrived_at=timezone.now(),
        )
        for number, copy in enumerate(made)
    )
    if decided_by is not None:
        Decision.objects.bulk_create(
            Decision(
                application=copy,
                campaign_id=copy.campaign_id,
                unit=decided_by,
                level=1,
                kind="recommend",
                opinion="同意推荐。",
                version=1,
                decided_by=unit_staff(decided_by),
                decided_at=timezone.now(),
            )
            for copy in made
        )
    chain_tallies_recount([application.campaign_id])  # rows made in bulk, as a bulk load makes them
    return made


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_lists_what_waits_at_the_users_unit_with_quota_and_deadline(client, tree, application, campaign):
    Quota.objects.create(campaign=campaign, unit=tree.grassroots_a1, max_recommendations=3)
    client.force_login(unit_staff(tree.grassroots_a1))
    page = client.get(reverse("reviews:queue")).content.decode()
    assert application.team.name in page and page.count('data-testid="queue-row"') == 1
    assert "推荐名额：已用 0 / 3，剩余 3" in page
    # Staff of the city see nothing yet: it waits at the grassroots union.
    client.force_login(unit_staff(tree.city_a))
    assert 'data-testid="queue-row"' not in client.get(reverse("reviews:queue")).content.decode()


def test_the_queue_filters_by_campaign_evidence_team_and_grassroots_union(client, tree, application, campaign):
    clones(application, 4)
    client.force_login(unit_staff(tree.grassroots_a1))

    def rows(**params):
        return client.get(reverse("reviews:queue"), params).content.decode().count('data-testid="queue-row"')

    assert rows() == 5
    assert rows(q="复制班组001") == 1
    assert rows(union="机械厂") == 5 and rows(union="纺织") == 0
    assert rows(campaign=campaign.pk) == 5
    assert rows(evidence="incomplete") == 3 and rows(evidence="complete") == 2  # the original lacks some


@pytest.mark.parametrize("rows", [10, 100])
def test_the_queue_query_count_does_not_grow_with_the_rows(client, tree, application, rows, django_assert_num_queries):
    clones(application, rows - 1)
    client.force_login(unit_staff(tree.grassroots_a1))
    # session, the user with their roles, campaigns of the filter, count, rows; per campaign shown: deadlines (2),
    # and the quota and its use for each of the user's units (1 + 2)
    with django_assert_num_queries(11):  # and the bell
        response = client.get(reverse("reviews:queue"))
    assert response.content.decode().count('data-testid="queue-row"') == min(rows, 50)


def test_a_bulk_decision_decides_each_ticked_application_and_names_the_refused(client, tree, application, campaign):
    others = clones(application, 2)
    Quota.objects.create(campaign=campaign, unit=tree.grassroots_a1, max_recommendations=2)
    client.force_login(unit_staff(tree.grassroots_a1))
    ticked = [f"{a.pk}:1" for a in [application, *others]]
    response = client.post(
        reverse("reviews:queue"),
        {"selected": ticked, "kind": "recommend", "opinion": "经审核，同意推荐。"},
        follow=True,
    )
    page = response.content.decode()
    assert "已以您的意见对 2 份申报作出决定" in page
    assert "推荐名额已全部用完" in page
    assert Decision.objects.filter(kind="recommend", opinion="经审核，同意推荐。").count() == 2


def test_a_bulk_decision_without_an_opinion_changes_nothing(client, tree, application):
    client.force_login(unit_staff(tree.grassroots_a1))
    page = client.post(
        reverse("reviews:queue"), {"selected": [f"{application.pk}:1"], "kind": "recommend", "opinion": " "}
    ).content.decode()
    assert "请填写意见" in page and not Decision.objects.exists()


# --- The decision page ---------------------------------------------------------------------


def test_the_decision_page_shows_the_version_the_path_and_the_quota(client, tree, application):
    decide(application, opinion="班组事迹突出，同意推荐。")
    client.force_login(unit_staff(tree.city_a))
    page = client.get(reverse("reviews:decide", args=[application.pk])).content.decode()
    assert "班组事迹突出，同意推荐。" in page  # the grassroots union's opinion
    assert 'data-testid="chain-step"' in page and "不限名额" in page
    for criterion in application.campaign.criteria.all():
        assert criterion.title in page


def test_a_failed_decision_keeps_what_was_typed(client, tree, application):
    client.force_login(unit_staff(tree.grassroots_a1))
    url = reverse("reviews:decide", args=[application.pk])
    page = client.post(url, {"kind": "return", "opinion": "", "version": 1}).content.decode()
    assert "请填写意见" in page and 'value="return" checked' in page
    page = client.post(url, {"opinion": "请补充材料。", "version": 1}).content.decode()
    assert "请选择决定" in page and "请补充材料。" in page
    assert not Decision.objects.exists()


def test_a_decision_on_a_stale_page_is_refused_and_keeps_the_opinion(client, tree, application, leader):
    decide(application)
    decide(application, kind="return", opinion="请补充。")
    from teams.services import application_submit

    application_submit(actor=leader, application=Application.objects.get(pk=application.pk))
    client.force_login(unit_staff(tree.city_a))
    page = client.post(
        reverse("reviews:decide", args=[application.pk]), {"kind": "recommend", "opinion": "同意。", "version": 1}
    ).content.decode()
    assert "班组提交了新版本" in page and "同意。" in page
    assert Recommendation.objects.get(application=application).unit == tree.city_a


def test_a_decision_records_and_returns_to_the_queue(client, tree, application):
    client.force_login(unit_staff(tree.grassroots_a1))
    response = client.post(
        reverse("reviews:decide", args=[application.pk]), {"kind": "recommend", "opinion": "同意推荐。", "version": 1}
    )
    assert response.status_code == 302 and response["Location"] == reverse("reviews:queue")
    assert Recommendation.objects.get(application=application).unit == tree.city_a


def test_a_second_click_on_a_decided_application_is_told_plainly(client, tree, application):
    client.force_login(unit_staff(tree.grassroots_a1))
    data = {"kind": "recommend", "opinion": "同意推荐。", "version": 1}
    client.post(reverse("reviews:decide", args=[application.pk]), data)
    response = client.post(reverse("reviews:decide", args=[application.pk]), data, follow=True)
    assert "该申报当前在甲市总工会" in response.content.decode()
    assert Decision.objects.count() == 1


# --- The leader's view -----------------------------------------------------------------------


def test_the_leader_sees_the_path_and_the_reasons_but_not_recommendation_opinions_unless_shown(
    client, application, leader, campaign
):
    decide(application, opinion="内部意见：同意推荐。")
    decide(application, kind="return", opinion="请补充QC成果证明。")
    client.force_login(leader)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "请补充QC成果证明。" in page and "内部意见" not in page
    assert page.count('data-testid="chain-step"') == 3
    campaign.__class__.objects.filter(pk=campaign.pk).update(show_opinions_to_teams=True)
    assert "内部意见" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()


# --- Progress --------------------------------------------------------------------------------


def test_the_progress_counts_each_unit_and_the_overdue(client, tree, application, campaign):
    Quota.objects.create(campaign=campaign, unit=tree.city_a, max_recommendations=5)
    clones(application, 3, unit=tree.city_a, decided_by=tree.grassroots_a1)
    decide(application, kind="reject", opinion="不符合条件。")
    LevelDeadline.objects.create(campaign=campaign, unit_kind="city", deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(unit_staff(tree.province))
    response = client.get(reverse("reviews:progress", args=[campaign.pk]))
    rows = {row.unit: row for row in response.context["rows"]}
    city = rows[tree.city_a]
    assert (city.received, city.waiting, city.overdue, city.quota) == (3, 3, 3, 5)
    assert response.context["totals"].overdue_below == 3
    below = client.get(reverse("reviews:progress", args=[campaign.pk]), {"unit": tree.city_a.pk})
    grassroots = {row.unit: row for row in below.context["rows"]}[tree.grassroots_a1]
    assert (grassroots.received, grassroots.recommended, grassroots.rejected) == (4, 3, 1)


@pytest.mark.parametrize("rows", [10, 100])
def test_the_progress_query_count_does_not_grow_with_the_applications(
    client, tree, application, campaign, rows, django_assert_num_queries
):
    clones(application, rows - 1, unit=tree.city_a, decided_by=tree.grassroots_a1)
    client.force_login(unit_staff(tree.province))
    # session, the user with their roles, campaign, units below, deadlines (2, the extensions listed too), the
    # units' tallies, quotas, the totals (the organiser's page has no breadcrumb to read)
    with django_assert_num_queries(10):  # and the bell
        client.get(reverse("reviews:progress", args=[campaign.pk]))


def test_the_progress_export_has_a_row_per_unit_with_work(client, tree, application, campaign):
    clones(application, 3, unit=tree.city_a, decided_by=tree.grassroots_a1)
    client.force_login(unit_staff(tree.province))
    sheet = workbook_of(download(client.get(reverse("reviews:progress_export", args=[campaign.pk])))).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[tree.city_a.name][3:5] == (3, 3)
    assert values[tree.grassroots_a1.name][3:6] == (4, 1, 3)


def test_the_organiser_extends_a_units_deadline_with_a_reason(client, tree, application, campaign):
    client.force_login(unit_staff(tree.province))
    url = reverse("reviews:extend", args=[campaign.pk])
    later = timezone.localtime(campaign.recommendation_deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, {"unit_code": tree.city_a.code, "deadline": later, "reason": ""}).content.decode()
    assert "此字段为必填项" in page or "必填" in page
    response = client.post(url, {"unit_code": tree.city_a.code, "deadline": later, "reason": "汛期抢险，延期三天"})
    assert response["Location"] == reverse("reviews:progress", args=[campaign.pk])
    extension = DeadlineExtension.objects.get()
    assert "汛期抢险，延期三天" in client.get(response["Location"]).content.decode()
    assert extension.unit == tree.city_a and extension.reason == "汛期抢险，延期三天"
    # Staff of a unit taking part do not extend deadlines.
    client.force_login(unit_staff(tree.city_a))
    assert client.post(url, {"unit_kind": "city", "deadline": later, "reason": "x"}).status_code == 403


def cycles_of_return(application, leader, tree, n):
    """`n` times: the grassroots union returns the application and the leader resubmits it."""
    from teams.services import application_submit

    for _ in range(n):
        decide(application, kind="return", opinion="请补充。")
        application_submit(actor=leader, application=Application.objects.get(pk=application.pk))


@pytest.mark.parametrize("returns", [0, 2])
def test_the_decision_page_query_count_does_not_grow_with_versions_and_opinions(
    client, tree, application, leader, returns, django_assert_num_queries
):
    cycles_of_return(application, leader, tree, returns)
    client.force_login(unit_staff(tree.grassroots_a1))
    # session, the user with their roles, the place with the application, versions, chain units, decisions,
    # deadlines (2), quota, quota used
    with django_assert_num_queries(11):  # and the bell
        response = client.get(reverse("reviews:decide", args=[application.pk]))
    assert response.content.decode().count('data-testid="chain-opinion"') == returns


@pytest.mark.parametrize("returns", [0, 2])
def test_the_application_page_with_its_path_query_count_does_not_grow(
    client, tree, application, leader, returns, django_assert_num_queries
):
    cycles_of_return(application, leader, tree, returns)
    decide(application)
    client.force_login(unit_staff(tree.city_a))
    # session, the user with their roles, application, leads the team?, latest version, versions with who
    # submitted them, the place, chain units, decisions
    with django_assert_num_queries(10):  # and the bell
        response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.content.decode().count('data-testid="chain-opinion"') == returns + 1


@pytest.mark.parametrize("who", ["expert", "auditor", "staff_sibling", "staff_ancestor", "superuser", "leader"])
def test_posting_a_decision_without_the_right_changes_nothing(client, tree, application, role_users, who):
    decide(application)  # waits at city A now
    client.force_login(role_users[who])
    response = client.post(
        reverse("reviews:decide", args=[application.pk]), {"kind": "reject", "opinion": "不予推荐。", "version": 1}
    )
    assert response.status_code in (302, 403, 404)
    assert Recommendation.objects.get(application=application).state == S.WAITING
    assert Decision.objects.count() == 1
