"""Friendly Chinese error pages, rendered by the handlers the project installs."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_404_is_chinese(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_is_chinese(client, tree, role_users):
    client.force_login(role_users["leader"])
    response = client.get(reverse("unit_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_500_is_chinese_and_needs_no_database(client, settings):
    from mengtao.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_a_missing_csrf_token_gets_a_chinese_explanation(tree, role_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["staff_unit"])
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_the_front_page_lists_the_latest_notices(client, tree):
    from tests.factories import make_campaign

    published = make_campaign(organiser=tree.city_a, publish=True, title="最新发布的创建通知")
    make_campaign(organiser=tree.city_a, title="尚未发布的草稿", document_number="测工发〔2026〕2号")
    page = client.get(reverse("home")).content.decode()
    assert published.title in page and "尚未发布的草稿" not in page
