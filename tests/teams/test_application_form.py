"""The printed application form (申报表): the browser's print page and the PDF come from one template,
and on paper each opinion box holds its own seal and date lines."""

import time
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from teams.services import application_save, application_start, application_submit
from tests import pdf_tools
from tests.factories import decide, fill_application, make_campaign, make_team

pytestmark = pytest.mark.django_db

OPINION_BOXES = ("基层单位意见", "推荐单位意见", "审批意见")
SEAL = "（盖章）"


@pytest.fixture
def application(tree, role_users):
    campaign = make_campaign(organiser=tree.province, publish=True, scope_unit=tree.province)
    team = make_team(leader=role_users["leader"], union=tree.grassroots_a1)
    application = application_start(actor=role_users["leader"], team=team, campaign=campaign)
    return fill_application(application, actor=role_users["leader"])


def make_long(application, leader):
    """As long as the form allows, so that the opinion boxes fall where pages break."""
    criteria = application.campaign.criteria.all()
    application_save(
        actor=leader,
        application=application,
        summary="班组坚持“梦桃精神”，" * 45,
        account="班组现有职工十二人，近三年开展技术攻关二十项，培养高级工六名。" * 64,
        answers={c.pk: {"statement": f"{c.title}：具体做法与成效。" * 12} for c in criteria},
    )


def pdf_of(client, application, tmp_path):
    started = time.monotonic()
    response = client.get(reverse("applications:pdf", args=[application.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Well inside gunicorn's 30-second worker timeout, however much the form holds (fixed table
    # layout; measuring every line of a long account for an automatic layout took minutes).
    assert time.monotonic() - started < 30
    return pdf_tools.save(response.content, tmp_path, "form.pdf")


def test_the_print_page_and_the_pdf_show_the_same_form_with_an_embedded_chinese_font(
    client, application, role_users, tmp_path
):
    application_submit(actor=role_users["leader"], application=application)
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("applications:print", args=[application.pk])).content.decode()
    assert all(box in page for box in OPINION_BOXES) and page.count(SEAL) == 3
    pdf = pdf_of(client, application, tmp_path)
    fonts = pdf_tools.cjk_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts

    text = pdf_tools.text(pdf)
    assert application.team.name in text and all(box in text for box in OPINION_BOXES) and text.count(SEAL) == 3


@pytest.mark.parametrize("length", ["short", "long"])
def test_each_opinion_box_holds_its_own_seal_and_date_lines(client, application, role_users, tmp_path, length):
    if length == "long":
        make_long(application, role_users["leader"])
    client.force_login(role_users["leader"])
    words = pdf_tools.words(pdf_of(client, application, tmp_path))

    labels = [next(w for w in words if w.text == box) for box in OPINION_BOXES]
    # Below the last box comes the time of printing; the boxes end where it starts.
    end = next(w for w in words if w.text.startswith("打印时间") and w.position > labels[-1].position)
    seals = [w for w in words if w.text == SEAL]
    years = [w for w in words if w.text.startswith("年") and w.text.replace("年", "").strip() == ""]
    assert len(seals) == 3 and len(years) == 3, [w.text for w in words]
    for box, label, seal, year, below in zip(OPINION_BOXES, labels, seals, years, [*labels[1:], end], strict=True):
        assert label.position < seal.position < year.position < below.position, (box, label, seal, year, below)
        # A box is never split between two pages.
        assert seal.page == year.page == label.page, (box, label, seal, year)


def test_a_recorded_opinion_is_printed_with_who_sealed_it_and_when_below_it(tmp_path):
    from weasyprint import HTML

    opinion = "经审核，该班组申报材料真实，事迹突出，同意推荐。" * 12
    page = Template(
        '<html><head><style>{% include "includes/printed_form.css" %}</style></head><body>'
        '<table class="opinions"><colgroup><col class="label"><col></colgroup>'
        '{% include "includes/opinion_box.html" with label=label text=opinion unit=unit date=signed only %}'
        "</table></body></html>"
    ).render(Context({"label": "推荐单位意见", "opinion": opinion, "unit": "甲市总工会", "signed": date(2026, 3, 18)}))
    words = pdf_tools.words(pdf_tools.save(HTML(string=page).write_pdf(), tmp_path))
    seal = next(w for w in words if w.text == "甲市总工会（盖章）")
    signed = next(w for w in words if w.text == "2026年3月18日")
    footer = 800  # the page number at the foot of the A4 page
    opinion_lines = [w for w in words if w not in (seal, signed) and w.text != "推荐单位意见" and w.top < footer]
    assert "".join(w.text for w in opinion_lines) == opinion
    assert max(w.position for w in opinion_lines) < seal.position < signed.position


def test_each_level_fills_its_opinion_box_with_its_opinion_unit_and_date(client, application, role_users, tree):
    application_submit(actor=role_users["leader"], application=application)
    decide(application, opinion="该班组事迹突出，同意推荐。")
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("applications:print", args=[application.pk])).content.decode()
    boxes = page.split('<tr class="opinion-box">')[1:]
    assert len(boxes) == 3
    assert "该班组事迹突出，同意推荐。" in boxes[0] and tree.grassroots_a1.name in boxes[0]
    assert "年" in boxes[0] and "Year" not in boxes[0]  # the decision's date, not the blank date line
    assert tree.city_a.name in boxes[1] and "同意推荐" not in boxes[1]
