"""The ZIP of a naming decision's certificates: one PDF per named title (none for a revoked one) under
its certificate number and team, UTF-8 names; progress counted as each certificate is made; a double
click queues one bundle; failures said in Chinese; the pages that ask for it, show its progress to
htmx and download it — only when done, only within its own campaign."""

import io
import threading
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.services import role_assign
from audit.models import AuditEvent
from awards import certificates
from awards.certificates import (
    certificate_bundle_build,
    certificate_bundle_request,
    certificate_filename,
)
from awards.errors import AwardsError
from awards.models import CertificateBundle, NamingDecision, Title
from awards.services import naming_issue
from awards.tasks import build_certificate_bundle
from core.pdf import PdfUnavailable
from tests import pdf_tools
from tests.awards.test_services import DECISION, end_notice, published, shortlisted_campaign
from tests.factories import UserFactory, make_campaign, unit_staff

B = CertificateBundle.State


def name(campaign, organiser):
    end_notice(published(campaign, organiser))
    return naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)


@pytest.fixture
def enqueued(monkeypatch):
    """The bundles whose task would be queued (on commit): the tests here run the task themselves."""
    queued = []
    monkeypatch.setattr(certificates, "_enqueue_build", queued.append)
    return queued


@pytest.fixture
def named(tree, leader, enqueued):
    """(decision, organiser): three teams named, the second one's title since revoked."""
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=3)
    decision = name(campaign, organiser)
    revoked = decision.titles.order_by("certificate_number")[1]
    Title.objects.filter(pk=revoked.pk).update(state=Title.State.REVOKED)
    return decision, organiser


def fake_pdf(title) -> bytes:
    return b"%PDF-1.7 " + title.certificate_number.encode()


def read_zip(bundle) -> zipfile.ZipFile:
    with default_storage.open(bundle.file.name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


# --- The task's work -------------------------------------------------------------------------


def test_the_zip_holds_one_certificate_per_named_title_and_none_for_the_revoked(
    named, enqueued, tmp_path, django_capture_on_commit_callbacks
):
    decision, organiser = named
    with django_capture_on_commit_callbacks(execute=True):
        bundle, created = certificate_bundle_request(actor=organiser, decision=decision)
    assert created and bundle.state == B.QUEUED and bundle.total == 2
    assert enqueued == [bundle.pk]
    build_certificate_bundle(bundle.pk)  # the task, run here
    bundle.refresh_from_db()
    assert (bundle.state, bundle.done, bundle.total, bundle.error) == (B.DONE, 2, 2, "")
    assert bundle.finished_at is not None
    named_titles = list(decision.titles.filter(state=Title.State.NAMED).order_by("certificate_number"))
    archive = read_zip(bundle)
    assert archive.namelist() == [f"荣誉证书-{t.certificate_number}-{t.team.name}.pdf" for t in named_titles]
    revoked = decision.titles.get(state=Title.State.REVOKED)
    assert not any(revoked.certificate_number in entry for entry in archive.namelist())
    for entry, title in zip(archive.infolist(), named_titles, strict=True):
        assert entry.flag_bits & 0x800, "the entry's name is flagged as UTF-8"
        pdf = pdf_tools.save(archive.read(entry), tmp_path, f"{title.pk}.pdf")
        text = pdf_tools.text(pdf).replace(" ", "")
        assert title.team.name in text and title.certificate_number in text


def test_the_count_goes_up_as_each_certificate_is_made(named, monkeypatch):
    decision, organiser = named
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    seen = []

    def pdf_counting(title):
        row = CertificateBundle.objects.get(pk=bundle.pk)
        seen.append((row.state, row.done, row.total))
        return fake_pdf(title)

    monkeypatch.setattr(certificates, "certificate_pdf", pdf_counting)
    certificate_bundle_build(bundle_id=bundle.pk)
    assert seen == [(B.RUNNING, 0, 2), (B.RUNNING, 1, 2)]
    bundle.refresh_from_db()
    assert (bundle.state, bundle.done) == (B.DONE, 2)


def test_the_task_run_twice_builds_once(named, monkeypatch):
    decision, organiser = named
    monkeypatch.setattr(certificates, "certificate_pdf", fake_pdf)
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    build_certificate_bundle(bundle.pk)
    file_name = CertificateBundle.objects.get(pk=bundle.pk).file.name
    build_certificate_bundle(bundle.pk)
    build_certificate_bundle(bundle.pk + 1000)  # a bundle that is not there: skipped
    bundle.refresh_from_db()
    assert bundle.state == B.DONE and bundle.file.name == file_name


def test_a_title_revoked_after_the_request_is_left_out(named, monkeypatch):
    decision, organiser = named
    monkeypatch.setattr(certificates, "certificate_pdf", fake_pdf)
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    Title.objects.filter(pk=decision.titles.filter(state="named").first().pk).update(state=Title.State.REVOKED)
    certificate_bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    assert (bundle.state, bundle.total, bundle.done) == (B.DONE, 1, 1)
    assert len(read_zip(bundle).namelist()) == 1


def test_when_every_title_is_revoked_before_the_build_it_fails_saying_why(named):
    decision, organiser = named
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    decision.titles.update(state=Title.State.REVOKED)
    certificate_bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    assert bundle.state == B.FAILED and "没有保有称号的班组" in bundle.error and not bundle.file


@pytest.mark.parametrize(
    ("error", "said"),
    [(PdfUnavailable("no Pango"), "服务器无法生成 PDF"), (RuntimeError("disk full"), "服务器出错，压缩包未能生成")],
)
def test_a_failure_is_recorded_in_chinese_and_leaves_no_file(named, monkeypatch, error, said):
    decision, organiser = named
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)

    def failing(title):
        raise error

    monkeypatch.setattr(certificates, "certificate_pdf", failing)
    certificate_bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    assert bundle.state == B.FAILED and said in bundle.error and bundle.finished_at is not None
    assert not bundle.file and not default_storage.exists("certificates")


def test_file_names_cannot_make_folders_or_break_on_windows():
    title = SimpleNamespace(certificate_number="MT-2026-0007", team_name='运维/检修班:"一"')
    assert certificate_filename(title) == "荣誉证书-MT-2026-0007-运维_检修班__一_.pdf"


# --- Asking for it -----------------------------------------------------------------------------


def test_asking_twice_while_one_is_queued_or_running_gives_the_same_bundle(
    named, enqueued, django_capture_on_commit_callbacks
):
    decision, organiser = named
    with django_capture_on_commit_callbacks(execute=True):
        first, created = certificate_bundle_request(actor=organiser, decision=decision)
        again, created_again = certificate_bundle_request(actor=organiser, decision=decision)
        assert created and not created_again and again.pk == first.pk
        CertificateBundle.objects.filter(pk=first.pk).update(state=B.RUNNING)
        assert certificate_bundle_request(actor=organiser, decision=decision)[0].pk == first.pk
    assert enqueued == [first.pk]
    assert AuditEvent.objects.filter(action="awards.certificate_bundle_request").count() == 1
    CertificateBundle.objects.filter(pk=first.pk).update(state=B.DONE)
    newer, created = certificate_bundle_request(actor=organiser, decision=decision)  # done: a new one may be built
    assert created and newer.pk != first.pk


def test_a_bundle_lost_with_its_worker_does_not_block_a_new_one(named):
    decision, organiser = named
    lost, _created = certificate_bundle_request(actor=organiser, decision=decision)
    CertificateBundle.objects.filter(pk=lost.pk).update(
        state=B.RUNNING, requested_at=timezone.now() - certificates.BUNDLE_STALE_AFTER - timedelta(minutes=1)
    )
    bundle, created = certificate_bundle_request(actor=organiser, decision=decision)
    assert created and bundle.pk != lost.pk
    lost.refresh_from_db()
    assert lost.state == B.FAILED and "小时内未生成完毕" in lost.error
    # Should its worker come back to it, it stops there and writes nothing.
    certificate_bundle_build(bundle_id=lost.pk)
    lost.refresh_from_db()
    assert lost.state == B.FAILED and not lost.file


def test_only_the_organisers_staff_ask_and_the_request_is_audited(named, tree):
    decision, organiser = named
    with pytest.raises(PermissionDenied):
        certificate_bundle_request(actor=unit_staff(tree.city_a), decision=decision)
    assert not CertificateBundle.objects.exists()
    certificate_bundle_request(actor=organiser, decision=decision)
    event = AuditEvent.objects.get(action="awards.certificate_bundle_request")
    assert event.actor == organiser and event.details["certificates"] == 2
    assert event.details["document_number"] == decision.document_number


def test_nothing_to_bundle_when_no_title_stands(named):
    decision, organiser = named
    decision.titles.update(state=Title.State.REVOKED)
    with pytest.raises(AwardsError, match="没有可打包的证书"):
        certificate_bundle_request(actor=organiser, decision=decision)
    assert not CertificateBundle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_queue_one_bundle(tree, enqueued):
    leader = UserFactory(username="zip_leader", unit=tree.grassroots_a1)
    campaign, organiser = shortlisted_campaign(tree, leader, teams=2, titles=2)
    decision = name(campaign, organiser)
    barrier, outcomes = threading.Barrier(2), []

    def click():
        barrier.wait()
        try:
            outcomes.append(certificate_bundle_request(actor=organiser, decision=decision)[1])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    assert CertificateBundle.objects.count() == 1 and enqueued == [CertificateBundle.objects.get().pk]


# --- The pages -------------------------------------------------------------------------------


def test_the_naming_page_offers_the_zip_to_its_managers_only(client, named, tree):
    decision, organiser = named
    url = reverse("awards:naming", args=[decision.campaign_id])
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert "打包下载全部证书（ZIP）" in page and 'data-testid="bundle-new"' in page
    auditor = UserFactory(username="zip_auditor", unit=tree.province)
    role_assign(actor=None, user=auditor, role=RoleAssignment.Role.AUDITOR, unit=tree.province)
    client.force_login(auditor)
    assert 'data-testid="bundle-new"' not in client.get(url).content.decode()


def test_a_double_click_on_the_button_queues_one_bundle(client, named, enqueued, django_capture_on_commit_callbacks):
    decision, organiser = named
    client.force_login(organiser)
    url = reverse("awards:bundle_new", args=[decision.campaign_id])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url, follow=True)
    bundle = CertificateBundle.objects.get()
    assert first["Location"] == reverse("awards:bundle", args=[decision.campaign_id, bundle.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "已在生成中" in second.content.decode()
    assert enqueued == [bundle.pk]


def test_the_progress_page_and_its_htmx_part(client, named):
    decision, organiser = named
    client.force_login(organiser)
    response = client.post(reverse("awards:bundle_new", args=[decision.campaign_id]), follow=True)
    page = response.content.decode()
    bundle = CertificateBundle.objects.get()
    url = reverse("awards:bundle", args=[decision.campaign_id, bundle.pk])
    assert "已生成 0 / 2" in page and 'role="progressbar"' in page and f'hx-get="{url}"' in page
    assert 'data-testid="bundle-download"' not in page
    CertificateBundle.objects.filter(pk=bundle.pk).update(state=B.RUNNING, done=1)
    part = client.get(url, headers={"HX-Request": "true"})
    html = part.content.decode()
    assert html.lstrip().startswith('<div id="certificate-bundle"') and "<html" not in html
    assert "已生成 1 / 2" in html and 'style="width: 50%"' in html and 'hx-trigger="every 2s"' in html
    assert "HX-Request" in part["Vary"]
    CertificateBundle.objects.filter(pk=bundle.pk).update(state=B.DONE, done=2, finished_at=timezone.now())
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in html and 'data-testid="bundle-download"' in html and "压缩包内有 2 份证书" in html


def test_a_failed_bundle_says_why_on_the_naming_page(client, named):
    decision, organiser = named
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    CertificateBundle.objects.filter(pk=bundle.pk).update(state=B.FAILED, error="服务器无法生成 PDF：缺少字体。")
    client.force_login(organiser)
    page = client.get(reverse("awards:naming", args=[decision.campaign_id])).content.decode()
    assert "压缩包生成失败：" in page and "缺少字体" in page and 'data-testid="bundle-new"' in page


def test_download_only_when_done(client, named, monkeypatch):
    decision, organiser = named
    monkeypatch.setattr(certificates, "certificate_pdf", fake_pdf)
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    client.force_login(organiser)
    url = reverse("awards:bundle_download", args=[decision.campaign_id, bundle.pk])
    waiting = client.get(url, follow=True)
    assert waiting.redirect_chain[-1][0] == reverse("awards:bundle", args=[decision.campaign_id, bundle.pk])
    assert "尚未生成完毕" in waiting.content.decode()
    certificate_bundle_build(bundle_id=bundle.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"] and "private" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 2
    bundle.refresh_from_db()
    default_storage.delete(bundle.file.name)  # the file gone from the storage: no page, not an error
    assert client.get(url).status_code == 404


def test_another_campaigns_bundle_is_not_found_under_this_campaign(client, named):
    decision, organiser = named
    other = make_campaign(
        organiser=decision.campaign.organiser, actor=organiser, publish=True, document_number="测工发〔2026〕2号"
    )
    other_decision = NamingDecision.objects.create(
        campaign=other, document_number="陕工发〔2026〕31号", decided_on=timezone.localdate(), level="provincial",
        title="陕西省模范班组", text="决定命名。", issued_by=organiser, issued_at=timezone.now(),
    )  # fmt: skip
    theirs = CertificateBundle.objects.create(
        decision=other_decision, requested_by=organiser, requested_at=timezone.now(), total=1
    )
    client.force_login(organiser)  # who may read both campaigns
    for url_name in ("awards:bundle", "awards:bundle_download"):
        assert client.get(reverse(url_name, args=[decision.campaign_id, theirs.pk])).status_code == 404
    assert client.get(reverse("awards:bundle", args=[other.pk, theirs.pk])).status_code == 200


def test_asking_before_the_naming_is_not_found(client, shortlisted):
    campaign, organiser = shortlisted
    client.force_login(organiser)
    assert client.post(reverse("awards:bundle_new", args=[campaign.pk])).status_code == 404


def test_asking_with_nothing_to_bundle_says_so_on_the_naming_page(client, named):
    decision, organiser = named
    decision.titles.update(state=Title.State.REVOKED)
    client.force_login(organiser)
    response = client.post(reverse("awards:bundle_new", args=[decision.campaign_id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("awards:naming", args=[decision.campaign_id])
    assert "没有可打包的证书" in response.content.decode() and not CertificateBundle.objects.exists()


def test_polling_the_progress_costs_a_few_queries(client, named, django_assert_num_queries):
    decision, organiser = named
    bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
    client.force_login(organiser)
    url = reverse("awards:bundle", args=[decision.campaign_id, bundle.pk])
    # session, the user with their roles, campaign, the bundle with its decision and who asked
    with django_assert_num_queries(4):
        client.get(url, headers={"HX-Request": "true"})
