"""In Chromium: the public notice (公示) and the objection form on a desktop and a phone — nothing wider
than the screen — and an objection filed through the form, ending with its reference. Screenshots go to
test-artifacts/publicity/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from awards.forms_public import read_challenge
from awards.models import Objection, PublicNotice
from tests.awards.test_services import published, shortlisted_campaign
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}

WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.table-responsive'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ends at ${Math.round(el.getBoundingClientRect().right)}`);
}"""


@pytest.fixture
def notice(tree):
    leader = UserFactory(username="gongshi_leader", unit=tree.grassroots_a1, name="何小梅")
    notice = published(*shortlisted_campaign(tree, leader))
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5)
    )
    return notice


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_notice_and_the_objection_form_fit_the_screen(browser: Browser, live_server, artifacts, notice, size):
    folder = artifacts / "publicity"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[size], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    entry = notice.entries.order_by("order").first()
    for name, path in (
        ("list", reverse("publicity:list")),
        ("detail", reverse("publicity:detail", args=[notice.pk])),
        ("objection", reverse("publicity:object", args=[notice.pk, entry.pk])),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=folder / f"{name}-{size}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size]["width"], page.evaluate(
            WIDE_ELEMENTS
        )

    # Filing through the form: a missing field first, then the rest; the reference at the end.
    page.locator("#id_name").fill("张三丰")
    page.locator("#id_unit").fill("某某机械有限公司")
    page.locator("#id_facts").fill("该班组申报的QC成果并非本班组完成。")
    token = page.locator("input[name=challenge]").input_value()
    challenge = read_challenge(token)
    page.locator("#id_answer").fill(str(challenge["a"] + challenge["b"]))
    page.get_by_test_id("objection-submit").click()
    expect(page.locator("#id_facts")).to_have_value("该班组申报的QC成果并非本班组完成。")
    page.screenshot(path=folder / f"objection-error-{size}.png", full_page=True)
    page.locator("#id_phone").fill("13912345678")
    page.get_by_test_id("objection-submit").click()
    expect(page.get_by_test_id("objection-filed")).to_be_visible()
    reference = Objection.objects.get().reference
    expect(page.get_by_test_id("objection-reference")).to_have_text(reference)
    page.screenshot(path=folder / f"filed-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size]["width"], page.evaluate(WIDE_ELEMENTS)
    context.close()
