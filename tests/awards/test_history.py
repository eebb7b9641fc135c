"""A team's history (履历): a team taken through application, the recommendation chain, the expert
review, the public notice, the naming, a revocation and its reversal shows every step in time order
with the opinions; never an objector's identity nor an expert's name; in a fixed number of queries;
for the staff and auditors above the team only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from audit.registry import action_label
from audit.services import record
from awards.history import SOURCES, HistoryEvent, by_year, team_history
from awards.models import NoticeEntry, Objection, PublicNotice, Revocation, Title
from awards.services import naming_issue, objection_decide
from campaigns.models import Campaign
from reviews.models import Assignment, ReviewResult
from reviews.services import assignments_auto, panel_add, shortlist_record
from teams.services import application_start, application_submit, application_withdraw, team_approve, team_update
from tests.factories import (
    decide,
    fill_application,
    make_campaign,
    make_expert,
    make_team,
    make_title,
    open_review,
    score_all,
    unit_staff,
)

from .test_services import DECISION, end_notice, file, published

EXPERT_NAME = "盲评专家王五"
OBJECTOR = {"name": "举报人赵六", "unit": "秘密举报单位", "phone": "13700001111", "facts": "举报事实：材料造假嫌疑。"}


def _apply(team, campaign, leader):
    application = application_start(actor=leader, team=team, campaign=campaign)
    fill_application(application, actor=leader)
    return application_submit(actor=leader, application=application)


def _notice_running_today(notice):
    """The notice runs today whatever the calendar says (a weekend would start it on Monday)."""
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5)
    )
    notice.refresh_from_db()


@pytest.fixture
def story(tree, leader):
    """Team 历程班组 of grassroots union A1: registered and approved; applied to a province campaign,
    returned once by its grassroots union, resubmitted, recommended up the chain and accepted; reviewed
    (blind) and shortlisted beside 对手班组; on public notice, an objection against it dismissed and one
    against its rival upheld; named; its title revoked, and the revocation reversed."""
    grassroots_staff = unit_staff(tree.grassroots_a1)
    team = make_team(leader=leader, union=tree.grassroots_a1, name="历程班组", approve=False)
    team_approve(actor=grassroots_staff, team=team)
    team_update(actor=leader, team=team, name="历程先锋班组")
    rival = make_team(leader=leader, union=tree.grassroots_a1, name="对手班组")
    campaign = make_campaign(organiser=tree.province, publish=True)
    organiser = unit_staff(tree.province)

    application = _apply(team, campaign, leader)
    decide(application, kind="return", opinion="请补充QC成果的佐证材料。")
    application = application_submit(actor=leader, application=application)
    decide(application, opinion="基层工会同意推荐，班组事迹突出。")
    decide(application, opinion="市总工会经研究同意推荐。")
    decide(application, opinion="省总工会同意进入专家评审。")
    rival_application = _apply(rival, campaign, leader)
    while not ReviewResult.objects.filter(application=rival_application).exists():
        decide(rival_application)

    open_review(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(experts_per_application=1, titles_to_award=2)
    campaign.refresh_from_db()
    expert = make_expert("lvli_expert", tree.province, EXPERT_NAME)
    panel_add(actor=organiser, campaign=campaign, expert=expert)
    assignments_auto(actor=organiser, campaign=campaign)
    mine = ReviewResult.objects.get(application=application)
    theirs = ReviewResult.objects.get(application=rival_application)
    score_all(Assignment.objects.get(result=mine), expert, 19)
    score_all(Assignment.objects.get(result=theirs), expert, 17)
    shortlist_record(actor=organiser, campaign=campaign, selected={mine.pk, theirs.pk}, reasons={})

    notice = published(campaign, organiser)
    _notice_running_today(notice)
    entries = {e.application_id: e for e in notice.entries.all()}
    dismissed = file(notice, entry=entries[application.pk], **OBJECTOR)
    objection_decide(actor=organiser, objection=dismissed, upheld=False, findings="经调查，所反映问题不属实。")
    upheld = file(notice, entry=entries[rival_application.pk], **OBJECTOR)
    objection_decide(actor=organiser, objection=upheld, upheld=True, findings="经核实，对手班组材料不实，异议成立。")
    end_notice(notice)
    naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)

    title = Title.objects.get(team=team)
    now = timezone.now()
    Revocation.objects.create(
        title=title,
        reason=Revocation.Reason.ACCIDENT,
        details="发生一般安全生产事故。",
        document_number="陕工发〔2026〕88号",
        revoked_on=timezone.localdate(),
        plaque_returned=True,
        revoked_by=organiser,
        revoked_at=now + timedelta(seconds=1),
        reversed_at=now + timedelta(seconds=2),
        reversed_by=organiser,
        reversal_reason="经复查，事故责任不在该班组，撤销摘牌决定。",
    )
    return team, rival, title


def _titles(events: list[HistoryEvent]) -> list[str]:
    return [event.title for event in events]


def test_the_history_tells_the_whole_story_in_time_order_with_the_opinions(story):
    team, _rival, title = story
    with override("en"):
        events = team_history(team)
        assert [e.when for e in events] == sorted(e.when for e in events)
        assert _titles(events) == [
            "Team registered",
            "Team approved",
            "Team edited",
            "Application started",
            "Application submitted",
            "Returned for revision",
            "Application submitted",
            "Recommended",
            "Recommended",
            "Accepted for expert review",
            "Expert review result",
            "Listed on the public notice (公示)",
            "Objection filed",
            "Objection dismissed",
            f"Named “{DECISION['title']}”",
            "Title revoked (摘牌)",
            "Revocation reversed",
        ]
        by_title = {e.title: e for e in events}
        opinions = [e.opinion for e in events if e.kind == "recommendation"]
        assert opinions == [
            "请补充QC成果的佐证材料。",
            "基层工会同意推荐，班组事迹突出。",
            "市总工会经研究同意推荐。",
            "省总工会同意进入专家评审。",
        ]
        levels = [e.lines[0] for e in events if e.kind == "recommendation"]
        assert levels == [
            "Level 1, on version 1",
            "Level 1, on version 2",
            "Level 2, on version 2",
            "Level 3, on version 2",
        ]
        recommendation_units = [e.actor.split("（")[0] for e in events if e.kind == "recommendation"]
        assert recommendation_units == ["甲市机械厂工会", "甲市机械厂工会", "甲市总工会", "测试省总工会"]
        assert "历程班组 → 历程先锋班组" in by_title["Team edited"].lines[0]
        review = by_title["Expert review result"]
        assert review.lines[0] == "Result: Shortlisted (拟命名)"
        assert review.lines[1].startswith("Total score ") and review.lines[1].endswith(", rank 1")
        assert by_title["Objection dismissed"].opinion == "经调查，所反映问题不属实。"
        named = by_title[f"Named “{DECISION['title']}”"]
        assert f"Certificate number {title.certificate_number}" in named.lines
        assert any(DECISION["document_number"] in line for line in named.lines)
        revoked = by_title["Title revoked (摘牌)"]
        assert "Reason: Serious safety or quality accident" in revoked.lines
        assert "Plaque handed back: Yes; certificate handed back: No" in revoked.lines
        assert revoked.opinion == "发生一般安全生产事故。"
        assert by_title["Revocation reversed"].opinion == "经复查，事故责任不在该班组，撤销摘牌决定。"


def test_a_team_taken_off_the_shortlist_by_an_objection_keeps_its_shortlisting_then_the_objection(story):
    _team, rival, _title = story
    with override("en"):
        events = [e for e in team_history(rival) if e.kind in ("review", "notice")]
    assert _titles(events) == [
        "Expert review result",
        "Listed on the public notice (公示)",
        "Objection filed",
        "Objection upheld",
    ]
    assert events[0].lines[0] == "Result: Shortlisted (拟命名)" and events[0].opinion == ""
    assert "Taken off after an objection" in events[1].lines
    assert "The team was taken off the notice and the shortlist." in events[3].lines
    assert events[3].opinion == "经核实，对手班组材料不实，异议成立。"


def test_a_withdrawn_application_and_an_exclusion_show(tree, leader):
    team = make_team(leader=leader, union=tree.grassroots_a1, name="撤回班组")
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    application = _apply(team, campaign, leader)
    application_withdraw(actor=leader, application=application)
    application = application_submit(actor=leader, application=application)
    decide(application)
    decide(application, opinion="同意进入评审。")
    from reviews.services import review_exclude

    review_exclude(actor=unit_staff(tree.city_a), result=ReviewResult.objects.get(application=application),
                   reason="发现申报材料造假。")  # fmt: skip
    with override("en"):
        titles = _titles(team_history(team))
    assert titles[-6:] == [
        "Application submitted",
        "Application withdrawn",
        "Application submitted",
        "Recommended",
        "Accepted for expert review",
        "Excluded from the review",
    ]


def test_the_page_never_shows_the_objector_nor_the_experts(client, story, role_users):
    team, rival, _title = story
    client.force_login(role_users["auditor"])
    for shown in (team, rival):
        page = client.get(reverse("awards:team_history", args=[shown.pk])).content.decode()
        assert page.count('data-testid="history-event"') >= 4
        for secret in (*OBJECTOR.values(), EXPERT_NAME, "lvli_expert", "材料翔实。", "总体较好。"):
            assert secret not in page


def test_the_page_shows_the_opinions_grouped_by_year_in_either_order(client, story, role_users):
    team, _rival, _title = story
    client.force_login(role_users["staff_unit"])
    url = reverse("awards:team_history", args=[team.pk])
    newest = client.get(url)
    oldest = client.get(url, {"order": "oldest"})
    assert newest.status_code == oldest.status_code == 200
    newest_page, oldest_page = newest.content.decode(), oldest.content.decode()
    for opinion in ("请补充QC成果的佐证材料。", "市总工会经研究同意推荐。", "经调查，所反映问题不属实。"):
        assert opinion in newest_page
    assert 'data-testid="history-year"' in newest_page
    kinds = [e.kind for _year, events in newest.context["years"] for e in events]
    assert kinds[0] == "revocation" and kinds[-1] == "team"
    kinds = [e.kind for _year, events in oldest.context["years"] for e in events]
    assert kinds[0] == "team" and kinds[-1] == "revocation"
    assert newest_page.index("经复查") < newest_page.index("请补充QC")
    assert oldest_page.index("请补充QC") < oldest_page.index("经复查")
    assert client.get(url, {"order": "<script>"}).context["order"] == "newest"


def test_events_are_grouped_by_their_year_in_beijing_time(db):
    from datetime import UTC, datetime

    # 2025-12-31 17:00 UTC is 2026-01-01 01:00 in Beijing.
    late = HistoryEvent(when=datetime(2025, 12, 31, 17, 0, tzinfo=UTC), kind="team", title="a")
    early = HistoryEvent(when=datetime(2025, 12, 31, 15, 0, tzinfo=UTC), kind="team", title="b")
    assert [(year, [e.title for e in events]) for year, events in by_year([late, early])] == [
        (2026, ["a"]),
        (2025, ["b"]),
    ]


def _shortlisted_on_notice(campaign, application, staff, *, reference):
    """The application shortlisted, on a public notice, with an objection dismissed (made directly, with
    the shortlist's audit entry the history reads its time from)."""
    now, today = timezone.now(), timezone.localdate()
    ReviewResult.objects.filter(application=application).update(state="shortlisted", total=88, rank=1, decided_at=now)
    record(actor=staff, action="reviews.shortlist", target=campaign, unit=campaign.organiser, details={})
    notice = PublicNotice.objects.create(
        campaign=campaign, unit=campaign.organiser, starts_on=today, ends_on=today + timedelta(days=6), working_days=5,
        contact_phone="029-87654321", contact_address="甲市总工会", published_by=staff, published_at=now,
    )  # fmt: skip
    entry = NoticeEntry.objects.create(
        notice=notice, application=application, order=1, team_name=application.team.name, enterprise="甲市机械厂",
        union_name="甲市机械厂工会",
    )  # fmt: skip
    Objection.objects.create(
        notice=notice, entry=entry, reference=reference, name=OBJECTOR["name"], unit=OBJECTOR["unit"],
        phone=OBJECTOR["phone"], facts=OBJECTOR["facts"], filed_at=now, state="dismissed", findings="不属实。",
        decided_at=now, decided_by=staff,
    )  # fmt: skip


def _busy_team(tree, leader, applications: int):
    """A team with `applications` applications, each submitted, decided at two levels, shortlisted, on
    public notice with an objection dismissed, named, and its title revoked and reversed."""
    team = make_team(leader=leader, union=tree.grassroots_a1, name=f"忙碌班组{applications}")
    staff = unit_staff(tree.city_a)
    for number in range(applications):
        campaign = make_campaign(
            organiser=tree.city_a, publish=True, document_number=f"甲工发〔2026〕{100 * applications + number}号"
        )
        application = _apply(team, campaign, leader)
        decide(application, opinion=f"第{number}次推荐。")
        decide(application, opinion="同意进入评审。")
        _shortlisted_on_notice(campaign, application, staff, reference=f"YY-BUSY-{applications}-{number}")
        title = make_title(campaign=campaign, team=team, staff=staff)
        Revocation.objects.create(
            title=title, reason=Revocation.Reason.NO_RESULTS, document_number=f"甲工发〔2027〕{number}号",
            revoked_on=timezone.localdate(), revoked_by=staff, revoked_at=timezone.now(), reversed_at=timezone.now(),
            reversed_by=staff, reversal_reason="撤销错误。",
        )  # fmt: skip
    return team


# The team's applications and the audit trail's events the sources read (the team's own, the
# withdrawals, the shortlists: one query), then one query for each other source.
HISTORY_QUERIES = 2 + (len(SOURCES) - 2)


@pytest.mark.parametrize("applications", [1, 4])
def test_the_history_query_count_does_not_grow(tree, leader, django_assert_num_queries, applications):
    team = _busy_team(tree, leader, applications)
    with django_assert_num_queries(HISTORY_QUERIES):
        events = team_history(team)
    assert sum(e.kind == "naming" for e in events) == applications
    assert sum(e.title == action_label("awards.objection_dismiss") for e in events) == applications
    assert sum(e.kind == "review" for e in events) == applications


@pytest.mark.parametrize("applications", [1, 4])
def test_the_page_query_count_does_not_grow(client, tree, leader, role_users, django_assert_num_queries, applications):
    team = _busy_team(tree, leader, applications)
    client.force_login(role_users["auditor"])
    url = reverse("awards:team_history", args=[team.pk])
    # session, the user with their roles, the team, the history's, the bell
    with django_assert_num_queries(3 + HISTORY_QUERIES + 1):
        page = client.get(url).content.decode()
    assert page.count('data-kind="naming"') == applications
    assert OBJECTOR["name"] not in page and OBJECTOR["phone"] not in page


@pytest.mark.parametrize("role", ["staff_unit", "staff_ancestor", "auditor", "superuser"])
def test_the_team_page_links_the_history_for_the_oversight(client, tree, leader, role_users, role):
    team = make_team(leader=leader, union=tree.grassroots_a1)
    client.force_login(role_users[role])
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert reverse("awards:team_history", args=[team.pk]) in page


def test_the_team_page_hides_the_link_from_the_leader(client, tree, role_users):
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1)
    client.force_login(role_users["leader"])
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert 'data-testid="team-history-link"' not in page
    assert client.get(reverse("awards:team_history", args=[team.pk])).status_code == 403


# The team's page: session, the user with their roles, the team, "does the user lead it?", members, the
# bell, leaders, pairs, ledger — as many before the history's link was added as with it.
TEAM_PAGE_QUERIES = 9


@pytest.mark.parametrize("role", ["staff_unit", "auditor"])
def test_the_link_costs_the_team_page_no_query(client, tree, leader, role_users, django_assert_num_queries, role):
    """The permission is asked of the roles the page loaded already to find the team."""
    team = make_team(leader=leader, union=tree.grassroots_a1)
    client.force_login(role_users[role])
    with django_assert_num_queries(TEAM_PAGE_QUERIES):
        page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert 'data-testid="team-history-link"' in page
