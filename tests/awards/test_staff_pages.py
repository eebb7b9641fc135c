"""The organiser's pages of the public notice and the naming: publishing from the page (what was typed
kept when refused), settling objections (the objector's identity for staff and auditors only), and
the naming decision with its certificate numbers; query counts that do not grow with the objections."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.services import role_assign
from awards.certificates import certificate_bundle_request
from awards.models import CertificateBundle, NamingDecision, Objection, PublicNotice, Title
from awards.services import naming_issue
from tests import pdf_tools
from tests.awards.test_services import end_notice, file, published, shortlisted_campaign
from tests.factories import UserFactory, unit_staff


def test_the_organiser_publishes_the_shortlist_from_its_page(client, shortlisted):
    campaign, organiser = shortlisted
    client.force_login(organiser)
    url = reverse("awards:publish", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="notice-preview-row"') == 2
    refused = client.post(
        url, {"contact_phone": "请来电", "contact_address": "西五路", "first_day": timezone.localdate()}
    )
    assert "请输入电话号码" in refused.content.decode() and 'value="西五路"' in refused.content.decode()
    response = client.post(
        url,
        {"contact_phone": "029-87654321", "contact_address": "西五路", "first_day": timezone.localdate()},
    )
    assert response.status_code == 302 and PublicNotice.objects.filter(campaign=campaign).exists()
    assert client.get(url).status_code == 302  # once published, the page is the notice's


def test_objections_show_who_filed_them_to_staff_and_auditors(client, shortlisted, tree):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    file(notice, name="举报人甲", phone="13900001111")
    url = reverse("awards:objections", args=[campaign.pk])
    auditor = UserFactory(username="shenji", unit=tree.province)
    role_assign(actor=None, user=auditor, role=RoleAssignment.Role.AUDITOR, unit=tree.province)
    for reader in (organiser, auditor):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "举报人甲" in page and "13900001111" in page
    assert 'data-testid="decide-objection"' not in page  # the auditor reads, does not decide
    client.force_login(unit_staff(tree.city_b))  # reads the campaign it takes part in, not its objections
    assert client.get(url).status_code == 403


def test_settling_an_objection_from_the_page(client, shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice)
    client.force_login(organiser)
    url = reverse("awards:objection_decide", args=[campaign.pk, objection.pk])
    page = client.post(url, {"outcome": "upheld", "findings": " "}, follow=True).content.decode()
    assert objection.reference in page and "必填" in page
    client.post(url, {"outcome": "upheld", "findings": "经核实，异议成立。"})
    objection.refresh_from_db()
    assert objection.state == "upheld"


def test_naming_from_the_page_keeps_what_was_typed_when_refused(client, shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    client.force_login(organiser)
    url = reverse("awards:naming", args=[campaign.pk])
    data = {
        "document_number": "陕工发〔2026〕30号",
        "decided_on": timezone.localdate(),
        "level": "provincial",
        "title": "陕西省梦桃式班组",
        "text": "经研究，决定命名以下班组。",
    }
    page = client.post(url, data).content.decode()
    assert "公示期至" in page and "陕工发〔2026〕30号" in page and "经研究，决定命名以下班组。" in page
    end_notice(notice)
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    year = timezone.localdate().year
    assert f"MT-{year}-0001" in page and f"MT-{year}-0002" in page
    assert NamingDecision.objects.get(campaign=campaign).titles.count() == 2


@pytest.mark.parametrize("n", [1, 3])
def test_the_objections_page_query_count_does_not_grow(client, shortlisted, n, django_assert_num_queries):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser, first_day=timezone.localdate() - timedelta(days=0))
    for number in range(n):
        file(notice, phone=f"1390000{number:04d}")
    assert Objection.objects.count() == n
    client.force_login(organiser)
    # session, the user with their roles, campaign, notice, objections, entries, naming decision
    with django_assert_num_queries(8):  # and the bell
        response = client.get(reverse("awards:objections", args=[campaign.pk]))
    assert response.content.decode().count('data-testid="objection"') == n


def test_a_named_teams_certificate_is_a_pdf_with_its_chinese_font_embedded(client, shortlisted, leader, tmp_path):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    end_notice(notice)
    decision = naming_issue(
        actor=organiser,
        campaign=campaign,
        decided_on=timezone.localdate(),
        document_number="陕工发〔2026〕30号",
        level="provincial",
        title="陕西省梦桃式班组",
        text="经研究，决定命名。",
    )
    title = decision.titles.select_related("team").first()
    url = reverse("awards:certificate", args=[title.pk])
    client.force_login(leader)  # the team's own leader
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pdf = pdf_tools.save(response.content, tmp_path)
    fonts = pdf_tools.cjk_fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts)
    page_text = pdf_tools.text(pdf)
    for expected in ("荣誉证书", title.team.name, "陕西省梦桃式班组", title.certificate_number, "测试省总工会"):
        assert expected.replace(" ", "") in page_text.replace(" ", ""), expected
    client.force_login(UserFactory(username="outsider", unit=campaign.organiser))
    assert client.get(url).status_code == 404
    Title.objects.filter(pk=title.pk).update(state=Title.State.REVOKED)
    client.force_login(organiser)
    assert client.get(url).status_code == 410


@pytest.mark.parametrize("teams", [1, 3])
def test_the_naming_page_query_count_does_not_grow(client, tree, leader, teams, django_assert_num_queries):
    campaign, organiser = shortlisted_campaign(tree, leader, teams=teams, titles=teams)
    end_notice(published(campaign, organiser))
    decision = naming_issue(
        actor=organiser,
        campaign=campaign,
        decided_on=timezone.localdate(),
        document_number="陕工发〔2026〕30号",
        level="provincial",
        title="陕西省梦桃式班组",
        text="经研究，决定命名。",
    )
    for _number in range(teams):  # earlier ZIPs of the certificates: only the latest is shown
        bundle, _created = certificate_bundle_request(actor=organiser, decision=decision)
        CertificateBundle.objects.filter(pk=bundle.pk).update(state=CertificateBundle.State.DONE, done=teams)
    client.force_login(organiser)
    # session, the user with their roles, campaign, decision, titles with their teams, the latest ZIP
    # with who asked, notice
    with django_assert_num_queries(8):  # and the bell
        response = client.get(reverse("awards:naming", args=[campaign.pk]))
    assert response.content.decode().count('data-testid="title-row"') == teams
    assert response.content.decode().count('data-testid="bundle"') == 1
