"""In Chromium: the counter under a text area counts exactly as the server does — line breaks (sent
as CRLF), emoji and CJK punctuation included — and the server's refusal names the field and both
numbers."""

import pytest
from playwright.sync_api import Page, expect

from core.text import count_characters
from teams.models import Application
from teams.services import application_start
from tests.conftest import build_tree
from tests.factories import UserFactory, make_campaign, make_team

from .test_application import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "班组坚持“梦桃精神”，\n安全生产2000天！👍🏽\n五小成果：小发明、小革新（共12项）。\n"


def test_the_counter_and_the_server_agree(page: Page, live_server):
    tree = build_tree()
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = UserFactory(username="banzuzhang", name="王建华")
    team = make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班")
    application = application_start(actor=leader, team=team, campaign=campaign)
    sign_in(page, live_server.url, "banzuzhang")
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/")

    summary = page.locator("#id_summary")
    summary.fill(TEXT)
    expected = count_characters(TEXT)
    expect(page.locator("#id_summary-counter")).to_have_text(f"{expected} / 500 字")

    # 500 characters as counted (with line breaks and emoji), more than 500 UTF-16 code units.
    at_limit = "".join(list(TEXT * 20)[:500])
    summary.fill(at_limit)
    expect(page.locator("#id_summary-counter")).to_have_text("500 / 500 字")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    saved = Application.objects.get(pk=application.pk).summary
    assert "\r" not in saved and saved == at_limit.strip()

    summary.fill(at_limit + "多出")
    expect(page.locator("#id_summary-counter")).to_have_text("502 / 500 字")
    expect(page.locator("#id_summary-counter")).to_have_class("form-text text-end text-danger")
    page.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("简要事迹不能超过 500 字（现为 502 字）")
    # Nothing typed is lost.
    assert page.locator("#id_summary").input_value() == at_limit + "多出"
