"""In Chromium, a shortlist of three through 公示 to the certificates: the organiser publishes the notice;
an anonymous visitor files two objections on the public pages (/publicity/), answering the arithmetic
check by reading its question; the organiser dismisses one and upholds the other; the notice period
is moved into the past (with the ORM: the test cannot wait for the working days to go by); the
organiser issues the naming decision, downloads one team's certificate and the ZIP of all of them.

The ZIP is built by a real Celery worker process on the Redis broker, as in production: the live
server's test database is committed (a transactional test), so the worker, given the same database,
broker and media folder, sees the bundle the page asked for, and the page sees the worker's progress.
Screenshots go to test-artifacts/awards-flow/."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from awards.models import CertificateBundle, NamingDecision, NoticeEntry, Objection, PublicNotice
from tests import pdf_tools
from tests.awards.test_services import shortlisted_campaign
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def file_objection(visitor: Page, base: str, team: str, *, name: str, phone: str, facts: str) -> str:
    """From the list of public notices to the team's objection form, as a visitor finds it; the
    arithmetic check answered from its question. Returns the reference the page shows."""
    visitor.goto(base + "/publicity/")
    visitor.get_by_test_id("publicity-list").get_by_role("link").first.click()
    visitor.get_by_test_id("entry-listed").filter(has_text=team).get_by_test_id("object-link").click()
    visitor.locator("#id_name").fill(name)
    visitor.locator("#id_unit").fill("某某机械有限公司")
    visitor.locator("#id_phone").fill(phone)
    visitor.locator("#id_facts").fill(facts)
    question = visitor.locator("label[for=id_answer]").inner_text()
    a, b = (int(number) for number in re.findall(r"\d+", question)[:2])
    assert "加" in question, question
    visitor.locator("#id_answer").fill(str(a + b))
    visitor.get_by_test_id("objection-submit").click()
    expect(visitor.get_by_test_id("objection-filed")).to_be_visible()
    return visitor.get_by_test_id("objection-reference").inner_text().strip()


def settle(page: Page, reference: str, outcome: str, findings: str) -> None:
    card = page.get_by_test_id("objection").filter(has_text=reference)
    card.locator(f"input[name=outcome][value={outcome}]").check()
    card.locator("textarea[name=findings]").fill(findings)
    card.get_by_role("button", name="记录调查结论").click()
    expect(page.locator(".alert-success")).to_contain_text(reference)


def test_a_shortlist_through_the_public_notice_to_the_certificates(
    browser: Browser, page: Page, live_server, artifacts, tree, redis_broker, start_worker
):
    folder = artifacts / "awards-flow"
    folder.mkdir(exist_ok=True)
    worker = start_worker(redis_broker)  # it starts while the browser works
    leader = UserFactory(username="flow_leader", unit=tree.grassroots_a1, name="何小梅")
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=3)
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())

    # The organiser publishes the shortlist, from today.
    sign_in(page, base, organiser.username)
    page.goto(base + reverse("awards:publish", args=[campaign.pk]))
    expect(page.get_by_test_id("notice-preview-row")).to_have_count(3)
    page.locator("#id_contact_phone").fill("029-87654321")
    page.locator("#id_contact_address").fill("西安市新城区西五路 陕西省总工会组织部")
    page.get_by_test_id("publish-notice").click()
    expect(page.get_by_test_id("notice-entries").locator("li")).to_have_count(3)
    notice = PublicNotice.objects.get(campaign=campaign)
    today = timezone.localdate()
    if notice.starts_on > today:  # published on a weekend or a holiday: it would start on the next working day
        PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today)

    # An anonymous visitor objects to two teams.
    visitor_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    visitor = visitor_context.new_page()
    dismissed = file_objection(
        visitor, base, "公示班组0", name="张三丰", phone="13912345678", facts="该班组申报的QC成果并非本班组完成。"
    )
    visitor.screenshot(path=folder / "objection-filed.png", full_page=True)
    upheld = file_objection(
        visitor, base, "公示班组2", name="李四光", phone="13987654321", facts="该班组去年发生过轻伤事故，未如实申报。"
    )
    visitor_context.close()
    assert Objection.objects.filter(state="investigating").count() == 2

    # The organiser investigates: the first is dismissed, the second upheld.
    page.goto(base + reverse("awards:objections", args=[campaign.pk]))
    expect(page.get_by_test_id("objection")).to_have_count(2)
    settle(page, dismissed, "dismissed", "经调查，QC成果系本班组完成，所反映问题不属实。")
    settle(page, upheld, "upheld", "经核实，该班组隐瞒安全事故，异议成立。")
    expect(page.get_by_test_id("notice-entries")).to_contain_text("公示班组2")
    assert list(NoticeEntry.objects.filter(notice=notice, state="listed").values_list("team_name", flat=True)) == [
        "公示班组0",
        "公示班组1",
    ]
    page.screenshot(path=folder / "objections-settled.png", full_page=True)

    # The working days go by.
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1)
    )

    # The organiser names the teams still on the notice.
    page.goto(base + reverse("awards:naming", args=[campaign.pk]))
    page.locator("#id_document_number").fill("陕工发〔2026〕30号")
    page.locator("#id_title").fill("陕西省梦桃式班组")
    page.locator("#id_text").fill("经研究，决定命名以下班组为“陕西省梦桃式班组”。")
    page.get_by_test_id("issue-naming").click()
    expect(page.get_by_test_id("title-row")).to_have_count(2)
    decision = NamingDecision.objects.get(campaign=campaign)
    titles = list(decision.titles.select_related("team").order_by("certificate_number"))
    assert [t.team.name for t in titles] == ["公示班组0", "公示班组1"]

    page.screenshot(path=folder / "named.png", full_page=True)

    # One team's certificate.
    first = page.get_by_test_id("title-row").filter(has_text=titles[0].certificate_number)
    href = first.get_by_test_id("certificate").get_attribute("href")
    response = page.request.get(base + href)  # the browser's session; Chromium would show it, not save it
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = pdf_tools.save(response.body(), folder, "certificate.pdf")
    assert "公示班组0" in pdf_tools.text(pdf).replace(" ", "")

    # All of them as one ZIP: asked for, built by the worker while the page counts, downloaded.
    page.get_by_test_id("bundle-new").click()
    expect(page.get_by_test_id("bundle")).to_be_visible()
    expect(page.get_by_test_id("bundle")).to_contain_text("已生成")
    page.screenshot(path=folder / "bundle-progress.png", full_page=True)
    try:
        expect(page.get_by_test_id("bundle-download")).to_be_visible(timeout=90_000)
    except AssertionError:
        pytest.fail(f"the ZIP was not built in time; the worker's log:\n{worker.log.read_text()}")
    expect(page.get_by_test_id("bundle-ready")).to_contain_text("2")
    page.screenshot(path=folder / "bundle-ready.png", full_page=True)
    assert CertificateBundle.objects.get().state == "done"
    with page.expect_download() as download_info:
        page.get_by_test_id("bundle-download").click()
    download = download_info.value
    assert download.suggested_filename == "荣誉证书-陕工发〔2026〕30号.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    assert archive.namelist() == [f"荣誉证书-{t.certificate_number}-{t.team.name}.pdf" for t in titles]
    for entry, title in zip(archive.infolist(), titles, strict=True):
        assert entry.flag_bits & 0x800
        pdf = pdf_tools.save(archive.read(entry), folder, f"zip-{title.certificate_number}.pdf")
        text = pdf_tools.text(pdf).replace(" ", "")
        assert title.team.name in text and title.certificate_number in text
