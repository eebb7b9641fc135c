"""In Chromium on a phone: an auditor opens an event's details below it, and the page still fits."""

import pytest
from playwright.sync_api import Page, expect

from accounts.services import role_assign
from audit.models import AuditEvent
from tests.conftest import build_tree
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_the_details_open_in_a_full_width_row_on_a_phone(page: Page, live_server, artifacts):
    tree = build_tree()
    auditor = UserFactory(username="shenji", unit=tree.province)
    role_assign(actor=None, user=auditor, role="auditor", unit=tree.province)
    event = AuditEvent.objects.create(
        action="campaigns.update",
        target_type="campaigns.campaign",
        target_id="1",
        target_repr="关于2026年度创建“梦桃式班组”的通知",
        unit=tree.province,
        details={
            "changes": {
                "title": ["关于创建“梦桃式班组”的通知", "关于2026年度创建“梦桃式班组”的通知"],
                "level_deadlines": {"grassroots": [None, "2026-05-31T10:00:00+00:00"]},
            },
            "files": [{"name": "梦桃式班组申报表（2026年修订稿）.pdf", "sha256": "ab" * 32}],
        },
    )

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("shenji")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.goto(live_server.url + "/audit/")

    details = page.locator(f"#event-{event.pk}-details")
    expect(details).to_be_hidden()
    page.get_by_role("button", name="展开“修改创建活动”的详情").click()
    expect(details).to_be_visible()
    expect(details.get_by_role("columnheader", name="修改前")).to_be_visible()
    expect(details.get_by_text("2026-05-31 18:00")).to_be_visible()
    page.screenshot(path=artifacts / "audit-trail-phone.png", full_page=True)

    # The page never scrolls sideways; only the table inside .table-responsive may.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    event_row_width = page.locator(f"#event-{event.pk}-details").evaluate(
        "row => row.previousElementSibling.offsetWidth"
    )
    assert details.evaluate("row => row.offsetWidth") == event_row_width  # one full-width row
    expect(page.get_by_role("button", name="展开“修改创建活动”的详情")).to_have_attribute("aria-expanded", "true")

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(details).to_be_visible()
    page.screenshot(path=artifacts / "audit-trail-desktop.png")
