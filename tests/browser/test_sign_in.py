"""In Chromium: a demo user signs in, sees the Chinese home page, switches to English, signs out."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_user_signs_in_switches_language_and_signs_out(page: Page, live_server, artifacts):
    call_command("seed_demo")
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.get_by_label("用户名").fill("xian_staff")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()

    expect(page.locator("h1")).to_have_text("欢迎您，李娜")
    expect(page.get_by_role("link", name="组织机构").first).to_be_visible()
    expect(page.get_by_test_id("workbench")).to_contain_text("审计日志")
    page.screenshot(path=artifacts / "home-zh-hans.png", full_page=True)

    page.get_by_test_id("language-en").click()
    expect(page.locator("h1")).to_have_text("Welcome, 李娜")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=artifacts / "home-en.png", full_page=True)

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    expect(page.get_by_test_id("workbench")).to_have_count(0)


def test_wrong_password_keeps_the_user_name_in_the_form(page: Page, live_server):
    call_command("seed_demo")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("leader")
