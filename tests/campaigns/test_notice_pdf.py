"""The notice as a PDF reads as an official document: the issuing union and the document number
each on one line, the body, the criteria and timeline, and at the end the 落款 — the organiser's
name over the publication date — with no countdown, which would be stale on paper."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import UnionUnit
from accounts.services import unit_create
from campaigns.timeline import countdown
from tests import pdf_tools
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db

PAGE_NUMBER = re.compile(r"^\d+\s*/\s*\d+$")
# 26 characters: in the 20-point issuer's line it would need two lines.
LONG_NAME = "陕西省能源化学地质工会直属单位联合工会委员会机关工会"


def notice_pdf(client, campaign, tmp_path):
    response = client.get(reverse("notices:pdf", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_tools.save(response.content, tmp_path, "notice.pdf")


def test_the_pdf_embeds_a_chinese_font(client, tree, tmp_path):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    pdf = notice_pdf(client, campaign, tmp_path)
    fonts = pdf_tools.cjk_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    text = pdf_tools.text(pdf)
    assert campaign.title in re.sub(r"\s+", "", text) and "测工发〔2026〕1号" in text


@pytest.mark.parametrize("long_name", [False, True])
def test_the_issuer_and_the_document_number_each_stand_on_one_line(client, tree, tmp_path, long_name):
    organiser = tree.city_a
    if long_name:
        assert len(LONG_NAME) == 26
        organiser = unit_create(
            actor=None, parent=tree.province, name=LONG_NAME, kind=UnionUnit.Kind.INDUSTRY, code="T-L"
        )
    campaign = make_campaign(organiser=organiser, publish=True)
    lines = [pdf_tools.line_text(line) for line in pdf_tools.lines(notice_pdf(client, campaign, tmp_path))]
    assert lines[0] == organiser.name, lines[:3]
    assert lines[1] == campaign.document_number, lines[:3]


def test_the_notice_ends_with_the_organiser_and_the_publication_date(client, tree, tmp_path):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    published = timezone.localdate(campaign.published_at)
    pdf = notice_pdf(client, campaign, tmp_path)
    lines = [line for line in pdf_tools.lines(pdf) if not PAGE_NUMBER.match(pdf_tools.line_text(line))]
    *body, name, date = lines
    assert pdf_tools.line_text(name) == campaign.organiser.name
    assert pdf_tools.line_text(date) == f"{published.year}年{published.month}月{published.day}日"
    # After the body and everything else, and set to the right, the name centred over the date.
    assert any("各基层工会" in pdf_tools.line_text(line) for line in body)
    assert name[0].page == date[0].page and name[0].top < date[0].top
    page_width = 595
    assert date[0].left > page_width / 2
    name_middle, date_middle = (name[0].left + name[-1].right) / 2, (date[0].left + date[-1].right) / 2
    assert abs(name_middle - date_middle) < 3


def test_no_countdown_is_printed(client, tree, tmp_path):
    campaign = make_campaign(organiser=tree.city_a, publish=True)
    shown_on_the_page, _state = countdown(campaign)
    assert "天" in shown_on_the_page
    assert shown_on_the_page in client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    text = re.sub(r"\s+", "", pdf_tools.text(notice_pdf(client, campaign, tmp_path)))
    assert re.sub(r"\s+", "", shown_on_the_page) not in text
    assert not any(words in text for words in ("还剩", "已截止", "今天截止申报", "天后开始申报"))
