"""The admin writes through the services: tree rules hold and every change is audited. The lock-outs of
django-axes show in Chinese."""

import re
from datetime import timedelta

import pytest
from axes.helpers import get_lockout_message
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import RoleAssignment, UnionUnit
from accounts.services import unit_create
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users["superuser"])
    return client


def test_creating_a_unit_in_the_admin_is_audited(admin_client, tree):
    before = AuditEvent.objects.filter(action="accounts.unit_create").count()
    response = admin_client.post(
        reverse("admin:accounts_unionunit_add"),
        {"parent": tree.city_a.pk, "name": "甲市电厂工会", "kind": "grassroots", "code": "T-A-9", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    unit = UnionUnit.objects.get(code="T-A-9")
    assert unit.is_in_subtree_of(tree.city_a)
    assert AuditEvent.objects.filter(action="accounts.unit_create").count() == before + 1


def test_the_admin_refuses_a_wrong_kind_below_a_parent_with_a_chinese_message(admin_client, tree):
    response = admin_client.post(
        reverse("admin:accounts_unionunit_add"),
        {"parent": tree.grassroots_a1.pk, "name": "错误单位", "kind": "city", "code": "T-BAD", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "市总工会不能直接隶属于基层工会" in response.content.decode()
    assert not UnionUnit.objects.filter(code="T-BAD").exists()


def test_moving_a_unit_in_the_admin_goes_through_the_service(admin_client, tree):
    url = reverse("admin:accounts_unionunit_change", args=[tree.grassroots_a1.pk])
    data = {"parent": tree.industry.pk, "name": tree.grassroots_a1.name, "kind": "grassroots", "code": "T-A-1"}
    response = admin_client.post(url, {**data, "is_active": "on"})
    assert response.status_code == 302
    tree.grassroots_a1.refresh_from_db()
    assert UnionUnit.objects.get_parent(tree.grassroots_a1) == tree.industry
    assert AuditEvent.objects.filter(action="accounts.unit_move", target_id=str(tree.grassroots_a1.pk)).count() == 1


def test_granting_and_revoking_a_role_in_the_admin_is_audited(admin_client, tree):
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_roleassignment_add"), {"user": person.pk, "role": "auditor", "unit": tree.city_b.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    response = admin_client.post(reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    actions = AuditEvent.objects.filter(target_type="accounts.roleassignment", target_id=str(assignment.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["accounts.role_assign", "accounts.role_revoke"]


def test_editing_a_user_in_the_admin_is_audited(admin_client, tree):
    person = UserFactory(name="旧名字")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    response = admin_client.post(
        url,
        {
            "username": person.username,
            "name": "新名字",
            "email": person.email,
            "phone": "",
            "unit": tree.city_a.pk,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "新名字"
    event = AuditEvent.objects.get(action="accounts.user_update", target_id=str(person.pk))
    assert set(event.details["fields"]) >= {"name", "unit"}


def test_the_admin_refuses_a_kind_its_children_cannot_stand_below(admin_client, tree):
    unit_create(actor=None, parent=tree.city_a, name="甲市某区总工会", kind=UnionUnit.Kind.COUNTY, code="T-A-C")
    url = reverse("admin:accounts_unionunit_change", args=[tree.city_a.pk])
    data = {"parent": tree.province.pk, "name": tree.city_a.name, "kind": "industry", "code": "T-A", "is_active": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "县(区)总工会不能直接隶属于产业工会" in response.content.decode()
    tree.city_a.refresh_from_db()
    assert tree.city_a.kind == "city"


# --- django-axes' sign-in lock-outs, in Chinese --------------------------------------------------


@pytest.fixture
def failed_sign_ins(settings):
    place = {"ip_address": "10.0.0.1", "user_agent": "Chromium", "http_accept": "*/*", "path_info": "/accounts/login/"}
    attempt = AccessAttempt.objects.create(
        username="wangmin", get_data="", post_data="", failures_since_start=settings.AXES_FAILURE_LIMIT - 2, **place
    )
    AccessFailureLog.objects.create(username="wangmin", locked_out=True, **place)
    AccessLog.objects.create(username="lina", logout_time=timezone.now(), **place)
    return attempt


def column_headings(page: str) -> list[str]:
    head = re.search(r'<table id="result_list">.*?</thead>', page, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in re.findall(r'<th scope="col".*?</th>', head, re.S)]


def test_the_lock_outs_in_the_admin_speak_chinese(admin_client, failed_sign_ins):
    expected = {
        "accessattempt": ["尝试时间", "IP 地址", "浏览器标识", "用户名", "访问路径", "失败次数", "状态"],
        "accessfailurelog": ["尝试时间", "IP 地址", "用户名", "浏览器标识", "访问路径", "触发锁定"],
        "accesslog": ["尝试时间", "退出时间", "IP 地址", "用户名", "浏览器标识", "访问路径"],
    }
    titles = {"accessattempt": "登录失败计数", "accessfailurelog": "登录失败日志", "accesslog": "登录日志"}
    for model, headings in expected.items():
        page = admin_client.get(reverse(f"admin:axes_{model}_changelist")).content.decode()
        assert column_headings(page)[1:] == headings, model  # after the selection box
        assert f"选择 {titles[model]} 来修改" in page and "登录锁定" in page, model
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "还可尝试 2 次" in page and "以 已锁定" in page  # the status column and the filter
    assert "清理已过期的登录失败计数" in page  # the action


def test_a_lock_out_record_reads_in_chinese_on_its_page(admin_client, failed_sign_ins):
    page = admin_client.get(reverse("admin:axes_accessattempt_change", args=[failed_sign_ins.pk])).content.decode()
    assert "“wangmin”自 10.0.0.1 的登录失败计数" in page
    for label in ("表单数据", "请求信息", "GET 参数", "POST 数据", "HTTP Accept 请求头"):
        assert label in page, label
    failure = AccessFailureLog.objects.get()
    page = admin_client.get(reverse("admin:axes_accessfailurelog_change", args=[failure.pk])).content.decode()
    local = timezone.localtime(failure.attempt_time).strftime("%Y-%m-%d %H:%M:%S")
    assert f"“wangmin”于 {local} 自 10.0.0.1 登录失败（已锁定）" in page


def test_cleaning_up_expired_attempts_says_so_in_chinese(admin_client, failed_sign_ins, settings):
    expired = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME + 1)
    AccessAttempt.objects.filter(pk=failed_sign_ins.pk).update(attempt_time=expired)
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [failed_sign_ins.pk]},
        follow=True,
    )
    assert "已清理 1 条过期的登录失败计数。" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_lock_out_messages_are_chinese(settings):
    with translation.override("zh-hans"):
        assert str(settings.AXES_COOLOFF_MESSAGE) == "账户已锁定：登录失败次数过多，请稍后再试。"
        assert str(settings.AXES_PERMALOCK_MESSAGE) == "账户已锁定：登录失败次数过多，请联系系统管理员解锁。"
        assert get_lockout_message() == "账户已锁定：登录失败次数过多，请稍后再试。"
