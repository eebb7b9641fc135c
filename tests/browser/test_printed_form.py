"""In Chromium: the application form's print page lays out as the PDF does — each opinion box holds
its own seal and date lines when printed — and its print button prints."""

import pytest
from playwright.sync_api import Page

from teams.services import application_start
from tests.browser.test_application import sign_in
from tests.conftest import build_tree
from tests.factories import UserFactory, fill_application, make_campaign, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_print_page_keeps_seal_and_date_inside_each_opinion_box(page: Page, live_server, artifacts):
    tree = build_tree()
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = UserFactory(username="banzuzhang", name="王建华")
    team = make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班")
    application = fill_application(application_start(actor=leader, team=team, campaign=campaign), actor=leader)

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "banzuzhang")
    page.goto(f"{live_server.url}/applications/{application.pk}/print/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("#print-page").click()
    assert page.evaluate("window.printed") is True

    page.emulate_media(media="print")
    page.screenshot(path=artifacts / "application-print.png", full_page=True)
    boxes = page.locator("tr.opinion-box")
    assert boxes.count() == 3
    for index in range(3):
        box = boxes.nth(index).bounding_box()
        label = boxes.nth(index).locator("th").bounding_box()
        seal = boxes.nth(index).locator(".opinion-seal").bounding_box()
        date = boxes.nth(index).locator(".opinion-date").bounding_box()
        assert boxes.nth(index).locator(".opinion-seal").inner_text() == "（盖章）"
        assert label["y"] < seal["y"] < date["y"] and date["y"] + date["height"] <= box["y"] + box["height"]
        # At the foot of the box, with room above them to write the opinion.
        assert seal["y"] - box["y"] > box["height"] / 2, (box, seal)
