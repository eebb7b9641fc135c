"""In Chromium: provincial staff build the 梦桃式班组 notice, publish it, and the public read it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from campaigns.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()


def test_staff_build_and_publish_the_notice_and_the_public_reads_it(page: Page, live_server, artifacts):
    call_command("seed_demo")
    base = live_server.url
    sign_in(page, base, "sheng_staff")
    page.get_by_role("link", name="创建活动").first.click()
    page.get_by_test_id("new-campaign").click()

    now = timezone.localtime()
    today = timezone.localdate()
    page.get_by_label("标题").fill("关于2027年度创建“梦桃式班组”的通知")
    page.get_by_label("文号").fill("陕工发[2026]30号")  # typed with square brackets
    page.get_by_label("命名数量").fill("30")
    editor = page.get_by_test_id("rich-text-body")
    editor.click()
    page.keyboard.type("各市总工会、各产业工会：")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("创建内容包括五个方面。")
    page.get_by_label("申报开始").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("申报截止").fill((now + timedelta(days=20)).strftime("%Y-%m-%dT17:30"))
    page.locator("#id_recommendation_deadline").fill((now + timedelta(days=30)).strftime("%Y-%m-%dT17:30"))
    page.get_by_label("专家评审开始").fill((today + timedelta(days=31)).isoformat())
    page.get_by_label("专家评审结束").fill((today + timedelta(days=40)).isoformat())
    page.get_by_label("计划命名日期").fill((today + timedelta(days=60)).isoformat())
    page.screenshot(path=artifacts / "campaign-form.png", full_page=True)
    page.get_by_test_id("save-campaign").click()

    expect(page.get_by_text("草稿已保存")).to_be_visible()
    expect(page.locator("h1")).to_have_text("关于2027年度创建“梦桃式班组”的通知")
    expect(page.get_by_text("陕工发〔2026〕30号")).to_be_visible()
    expect(page.get_by_text("积极践行“梦桃精神”").first).to_be_visible()

    page.get_by_role("link", name="分配名额").click()
    page.get_by_label("西安市总工会").fill("12")
    page.get_by_label("咸阳市总工会").fill("12")
    page.get_by_label("陕西省能源化学地质工会").fill("8")
    expect(page.locator("[data-quota-total]")).to_have_text("32")
    page.get_by_role("button", name="保存名额").click()
    expect(page.get_by_text("超过命名数量").first).to_be_visible()

    page.get_by_role("link", name="管理附件").click()
    page.get_by_label("文件").set_input_files(
        files=[{"name": "梦桃式班组申报表.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_text("附件已添加")).to_be_visible()
    page.get_by_role("link", name="关于2027年度创建“梦桃式班组”的通知").click()

    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    expect(page.locator(".notice-body strong")).to_have_text("创建内容包括五个方面。")
    page.get_by_role("link", name="返回创建活动").click()

    page.get_by_test_id("transition-publish").click()
    expect(page.get_by_test_id("warnings")).to_contain_text("多于拟命名的")  # the quotas above the titles
    page.get_by_test_id("confirm").click()
    expect(page.get_by_text("请勾选确认后再继续")).to_be_visible()
    page.get_by_label("我已阅读以上说明，确认继续。").check()
    page.get_by_test_id("confirm").click()
    expect(page.get_by_text("已完成：发布")).to_be_visible()
    campaign = Campaign.objects.get(document_number="陕工发〔2026〕30号")
    assert campaign.status == Campaign.Status.PUBLISHED

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.goto(base + "/notices/")
    page.get_by_role("link", name="关于2027年度创建“梦桃式班组”的通知").click()
    expect(page.get_by_test_id("countdown")).to_contain_text("还剩")
    expect(page.get_by_role("link", name="梦桃式班组申报表.pdf")).to_be_visible()
    page.screenshot(path=artifacts / "notice-public.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=artifacts / "notice-print.png", full_page=True)
