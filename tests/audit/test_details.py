"""The details of audit events as a Chinese table: labels, codes, times, files — from every app's
services, and from events recorded by older versions."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from accounts.services import role_assign, unit_move, unit_update
from audit.details import DetailRow, detail_table
from audit.models import AuditEvent
from audit.services import as_audit_value, record
from campaigns.services import campaign_publish, campaign_update, quotas_save
from teams.services import (
    application_start,
    application_submit,
    evidence_add,
    ledger_entry_save,
    team_move,
    team_update,
)
from tests.factories import PDF_BYTES, UserFactory, decide, fill_application, make_campaign, make_team, upload

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def table_of(event: AuditEvent):
    return detail_table(action=event.action, target_type=event.target_type, details=event.details)


def change(table, label) -> tuple[str, str]:
    [row] = [row for row in table.changes if row.label == label]
    return row.before, row.after


def value(table, label) -> str:
    [row] = [row for row in table.values if row.label == label]
    return row.value


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("occurred_at", "id")


@pytest.fixture
def campaign(tree):
    """A notice whose timeline lies around 31 May 2026, so that a level deadline can fall on it."""
    return make_campaign(
        organiser=tree.province,
        title="关于创建“梦桃式班组”的通知",
        document_number="测工发〔2026〕5号",
        application_opens_at=datetime(2026, 5, 1, 0, 0, tzinfo=UTC),
        application_deadline=datetime(2026, 5, 30, 10, 0, tzinfo=UTC),
        recommendation_deadline=datetime(2026, 6, 10, 10, 0, tzinfo=UTC),
        review_starts_on=date(2026, 6, 11),
        review_ends_on=date(2026, 6, 20),
        naming_planned_on=date(2026, 7, 30),
    )


# --- Campaigns ---------------------------------------------------------------------------------


def test_a_campaign_edit_shows_chinese_field_names_and_the_deadline_in_beijing_time(campaign):
    actor = campaign.created_by
    campaign_update(
        actor=actor,
        campaign=campaign,
        title="关于2026年度创建“梦桃式班组”的通知",
        application_deadline=datetime(2026, 5, 30, 18, 30, tzinfo=SHANGHAI),
        level_deadlines={"grassroots": datetime(2026, 5, 31, 10, 0, tzinfo=UTC)},
    )
    event = last("campaigns.update")
    # Stored as ISO 8601 with the offset, not str(datetime).
    assert event.details["changes"]["level_deadlines"] == {"grassroots": [None, "2026-05-31T10:00:00+00:00"]}
    assert event.details["changes"]["application_deadline"] == [
        "2026-05-30T10:00:00+00:00",
        "2026-05-30T10:30:00+00:00",
    ]

    table = table_of(event)
    assert table.values == []
    assert change(table, "标题") == ("关于创建“梦桃式班组”的通知", "关于2026年度创建“梦桃式班组”的通知")
    assert change(table, "申报截止") == ("2026-05-30 18:00", "2026-05-30 18:30")
    assert change(table, "分级推荐截止时间（基层工会）") == ("—", "2026-05-31 18:00")


def test_a_notice_body_that_changed_says_so_without_the_text(campaign):
    campaign_update(actor=campaign.created_by, campaign=campaign, body="<div>新的正文</div>")
    [row] = table_of(last("campaigns.update")).changes
    assert row == DetailRow(label="正文", value="已修改（审计记录不保存全文）", is_change=True)


def test_a_status_transition_shows_the_state_names(campaign):
    campaign_publish(actor=campaign.created_by, campaign=campaign)
    table = table_of(last("campaigns.publish"))
    assert change(table, "状态") == ("草稿", "已发布")
    assert table.values == []


def test_industries_and_quotas_read_as_names(tree, campaign):
    campaign_update(actor=campaign.created_by, campaign=campaign, industries=["C", "D"])
    assert change(table_of(last("campaigns.update")), "行业") == ("—", "C 制造业、D 电力、热力、燃气及水生产和供应业")
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 3})
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 5, tree.industry: None})
    assert table_of(last("campaigns.quotas_save")).changes == [
        DetailRow(label="甲市总工会名额", before="3", after="5", is_change=True)
    ]


# --- Teams -------------------------------------------------------------------------------------


@pytest.fixture
def application(tree, role_users):
    campaign = make_campaign(organiser=tree.province, publish=True, scope_unit=tree.province)
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1)
    return application_start(actor=role_users["leader"], team=team, campaign=campaign)


def test_evidence_files_show_their_names_and_the_beginning_of_their_hash(application, role_users):
    criterion = application.campaign.criteria.first()
    evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=criterion,
        uploads=[upload("安全台帐.pdf"), upload("QC成果.pdf", PDF_BYTES + b"%2\n")],
    )
    event = last("teams.application_evidence_add")
    hashes = [f["sha256"] for f in event.details["files"]]
    table = table_of(event)
    assert value(table, "班组") == application.team.name
    assert value(table, "评选条件") == criterion.code
    assert value(table, "文件") == f"安全台帐.pdf（{hashes[0][:12]}…）、QC成果.pdf（{hashes[1][:12]}…）"


def test_a_return_shows_the_reason(application, role_users):
    fill_application(application, actor=role_users["leader"])
    application_submit(actor=role_users["leader"], application=application)
    decide(application, kind="return", opinion="请补充安全生产台帐。")
    table = table_of(last("reviews.return"))
    assert value(table, "意见") == "请补充安全生产台帐。"
    assert value(table, "版本") == "1"
    assert value(table, "决定单位") == application.team.grassroots_union.name


def test_team_and_ledger_changes_read_with_their_labels(tree, role_users):
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1)
    team_update(actor=role_users["leader"], team=team, industry="D", founded_on=date(2020, 3, 1))
    table = table_of(last("teams.update"))
    assert change(table, "行业") == ("C 制造业", "D 电力、热力、燃气及水生产和供应业")
    assert change(table, "成立日期") == ("—", "2020-03-01")

    ledger_entry_save(
        actor=role_users["leader"],
        team=team,
        uploads=[upload("比武照片.pdf")],
        occurred_on=date(2026, 5, 1),
        kind="training",
        title="技能培训",
        description="",
    )
    table = table_of(last("teams.ledger_add"))
    assert value(table, "类型") == "培训"
    assert value(table, "日期") == "2026-05-01"
    assert value(table, "文件") == "比武照片.pdf"

    team_move(actor=role_users["superuser"], team=team, new_union=tree.grassroots_b1)
    table = table_of(last("teams.move"))
    assert value(table, "原所属单位") == tree.grassroots_a1.name
    assert value(table, "现所属单位") == tree.grassroots_b1.name


# --- Accounts ----------------------------------------------------------------------------------


def test_unit_and_role_events_read_with_their_labels(tree):
    unit_update(actor=None, unit=tree.grassroots_i1, is_active=False, region="")
    assert change(table_of(last("accounts.unit_update")), "启用") == ("是", "否")
    unit_move(actor=None, unit=tree.grassroots_i1, new_parent=tree.city_a)
    assert value(table_of(last("accounts.unit_move")), "原所属单位") == tree.industry.name
    role_assign(actor=None, user=UserFactory(username="zhuanjia"), role="expert", unit=tree.city_a)
    table = table_of(last("accounts.role_assign"))
    assert value(table, "角色") == "评审专家"
    assert value(table, "用户") == "zhuanjia"


def test_every_key_the_services_record_has_a_chinese_label(tree, role_users, campaign, application):
    """Walk through services of every app; no row may be labelled with a raw English key."""
    staff = campaign.created_by
    campaign_update(
        actor=staff, campaign=campaign, title="新标题", level_deadlines={"city": campaign.recommendation_deadline}
    )
    quotas_save(actor=staff, campaign=campaign, quotas={tree.city_a: 2})
    campaign_publish(actor=staff, campaign=campaign)
    evidence_add(
        actor=role_users["leader"],
        application=application,
        criterion=application.campaign.criteria.first(),
        uploads=[upload("证明.pdf")],
    )
    team_update(actor=role_users["leader"], team=application.team, region="西安")
    unit_update(actor=None, unit=tree.grassroots_i1, name="测试矿业集团工会", is_active=False)
    record(actor=None, action="accounts.login_failed", details={"username": "wangmin"})
    labels = [
        row.label
        for event in AuditEvent.objects.all()
        for row in (*event.details_table.values, *event.details_table.changes)
    ]
    assert labels
    assert [label for label in labels if not CJK.search(label)] == []


# --- Old and odd events ------------------------------------------------------------------------


def old_event(action: str, target_type: str, details) -> AuditEvent:
    return AuditEvent.objects.create(action=action, target_type=target_type, details=details)


def test_an_old_event_with_str_datetimes_and_str_values_still_reads():
    event = old_event(
        "campaigns.update",
        "campaigns.campaign",
        {
            "changes": {
                "application_deadline": ["2026-05-31 10:00:00+00:00", "2026-06-01 02:00:00.250000+00:00"],
                "level_deadlines": {"city": ["2026-05-31 10:00:00+00:00", None]},
                "review_starts_on": ["2026-06-11", "2026-06-12"],
            }
        },
    )
    table = event.details_table
    assert change(table, "申报截止") == ("2026-05-31 18:00", "2026-06-01 10:00")
    assert change(table, "分级推荐截止时间（市总工会）") == ("2026-05-31 18:00", "—")
    assert change(table, "专家评审开始") == ("2026-06-11", "2026-06-12")

    unit = old_event(
        "accounts.unit_update",
        "accounts.unionunit",
        {"changes": {"is_active": ["True", "False"], "region": ["None", "西安"], "kind": ["city", "industry"]}},
    )
    table = unit.details_table
    assert change(table, "启用") == ("是", "否")
    assert change(table, "地区") == ("—", "西安")
    assert change(table, "类型") == ("市总工会", "产业工会")


def test_unknown_keys_targets_and_shapes_still_render():
    event = old_event(
        "reviews.something_retired",
        "reviews.retiredmodel",
        {
            "colour": "red",
            "scores": [80, 90],
            "nested": {"a": 1},
            "ok": True,
            "nothing": None,
            "when": "2026-05-31T17:00Z",
        },
    )
    table = event.details_table
    assert [(row.label, row.value) for row in table.values] == [
        ("colour", "red"),
        ("scores", "80、90"),
        ("nested（a）", "1"),
        ("ok", "是"),
        ("nothing", "—"),
        ("when", "2026-06-01 01:00"),  # 17:00 UTC is the next day in Beijing
    ]
    assert not old_event("accounts.logout", "", {}).details_table
    listed = old_event("accounts.logout", "", ["a", "b"]).details_table
    assert [(row.label, row.value) for row in listed.values] == [("详情", "a、b")]
    odd = old_event("campaigns.update", "campaigns.campaign", {"changes": {"title": ["a", "b", "c"], "x": 5}})
    assert [(row.label, row.value) for row in odd.details_table.changes] == [("标题", "a、b、c"), ("x", "5")]


def test_a_naive_time_is_not_shifted_and_a_long_text_is_shortened():
    long_reason = "须补充材料。" * 60
    event = old_event("teams.reject", "teams.team", {"reason": long_reason, "note": "2026-05-31 10:00"})
    shown = value(event.details_table, "原因")
    assert shown.startswith(long_reason[:200] + "…")
    assert shown.endswith("（共 360 字）")
    assert value(event.details_table, "note") == "2026-05-31 10:00"


# --- Recording -----------------------------------------------------------------------------------


def test_as_audit_value_stores_times_with_their_offset_in_utc(tree):
    beijing = datetime(2026, 5, 31, 18, 0, tzinfo=SHANGHAI)
    assert as_audit_value(beijing) == "2026-05-31T10:00:00+00:00"
    assert as_audit_value(datetime(2026, 5, 31, 18, 0)) == "2026-05-31T10:00:00+00:00"  # naive: local time
    assert as_audit_value(date(2026, 5, 31)) == "2026-05-31"
    assert as_audit_value(Decimal("20.0")) == "20.0"
    assert as_audit_value(tree.city_a) == "甲市总工会"
    assert as_audit_value({"a": (1, beijing), "b": {"c": None, "d": True}}) == {
        "a": [1, "2026-05-31T10:00:00+00:00"],
        "b": {"c": None, "d": True},
    }
    event = record(
        actor=None, action="accounts.unit_update", unit=tree.city_a, details={"changes": {"x": [None, beijing]}}
    )
    event.refresh_from_db()
    assert event.details == {"changes": {"x": [None, "2026-05-31T10:00:00+00:00"]}}
    assert event.details_table.changes[0].after == "2026-05-31 18:00"
