"""The certificate (荣誉证书) as it prints: one A4 landscape page (842 x 595 pt) with a Noto CJK / Source
Han font embedded, and real ink where its Chinese words are — page 1 drawn by pdftoppm holds far more
dark pixels there than the same template with every text emptied, and a blank page holds none — laid
out as a Chinese certificate: the title at the top, the team and its enterprise under it, the
organiser over the date at the lower right (where the seal goes) and the certificate number at the
lower left."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image

from awards.certificates import certificate_pdf
from awards.services import naming_issue
from core.pdf import static_only_fetcher
from core.text import chinese_date
from tests import pdf_tools
from tests.awards.test_services import DECISION, end_notice, published

# The grey level under which a pixel counts as ink: the text (small print, drawn at 50 dpi, is grey at
# its edges) and the red frame; not the faint circle left for the seal.
DARK = 160
DPI = 50
CJK_FAMILY = re.compile(r"Noto.*CJK|Source.?Han", re.IGNORECASE)


def dark_pixels(png, box=None) -> int:
    """Dark pixels of the page, or of `box` (left, top, right, bottom in points) on it."""
    image = Image.open(png).convert("L")
    if box is not None:
        scale = DPI / 72
        image = image.crop(tuple(round(edge * scale) for edge in box))
    return sum(count for level, count in enumerate(image.histogram()) if level < DARK)


def render(pdf_content: bytes, tmp_path, name):
    pdf = pdf_tools.save(pdf_content, tmp_path, f"{name}.pdf")
    return pdf, pdf_tools.first_page_png(pdf, DPI)


def blank_page() -> bytes:
    from weasyprint import HTML

    return HTML(string="<style>@page { size: A4 landscape; }</style>").write_pdf()


def with_every_text_emptied(title) -> bytes:
    """The certificate's template with its words taken out of the page, the frame and the seal's room
    kept: what the ink of the text is measured against."""
    from weasyprint import HTML

    html = render_to_string(
        "awards/certificate.html",
        {
            "title": title,
            "decision": title.decision,
            "campaign": title.decision.campaign,
            "decided_on_text": chinese_date(title.decision.decided_on),
            "for_pdf": True,
        },
    )
    head, body = html.split("<body>", 1)
    return HTML(string=head + "<body>" + re.sub(r">[^<]+<", "><", body), url_fetcher=static_only_fetcher).write_pdf()


@pytest.fixture
def title(shortlisted):
    campaign, organiser = shortlisted
    end_notice(published(campaign, organiser))
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    return decision.titles.select_related("team", "decision__campaign__organiser").first()


def text_box(lines, text: str) -> tuple[float, float, float, float]:
    """The box around the printed words that make up `text` (the fewest, side by side on one line)."""
    for line in lines:
        for start in range(len(line)):
            for end in range(start + 1, len(line) + 1):
                run = line[start:end]
                if text in "".join(word.text for word in run):
                    return (
                        min(word.left for word in run),
                        min(word.top for word in run),
                        max(word.right for word in run),
                        max(word.bottom for word in run),
                    )
    raise AssertionError(f"{text!r} is not printed; the lines are {[pdf_tools.line_text(line) for line in lines]}")


def test_the_certificate_is_one_a4_landscape_page_with_its_chinese_font_embedded(title, tmp_path):
    pdf, _png = render(certificate_pdf(title), tmp_path, "certificate")
    assert pdf_tools.page_count(pdf) == 1
    width, height = pdf_tools.page_size(pdf)
    assert (round(width), round(height)) == (842, 595)
    fonts = pdf_tools.fonts(pdf)
    cjk = [(name, embedded) for name, embedded in fonts if CJK_FAMILY.search(name)]
    assert cjk, f"no Noto CJK or Source Han font in {fonts}"
    assert all(embedded for _name, embedded in cjk), f"a CJK font is not embedded: {cjk}"


def test_the_chinese_words_are_inked_where_a_certificate_has_them(title, tmp_path):
    pdf, png = render(certificate_pdf(title), tmp_path, "certificate")
    _empty_pdf, empty_png = render(with_every_text_emptied(title), tmp_path, "emptied")
    _blank_pdf, blank_png = render(blank_page(), tmp_path, "blank")
    assert dark_pixels(blank_png) == 0
    frame = dark_pixels(empty_png)
    assert frame > 0, "the emptied certificate keeps its red frame"
    words_ink = dark_pixels(png) - frame
    assert words_ink > 1000, f"the words add {words_ink} dark pixels to the frame's {frame}"

    lines = pdf_tools.lines(pdf)
    decision = title.decision
    printed = {
        "title": "荣誉证书",
        "team": title.team.name,
        "enterprise": title.team.enterprise,
        "honour": decision.title,
        "organiser": decision.campaign.organiser.name,
        "date": chinese_date(decision.decided_on),
        "number": title.certificate_number,
    }
    boxes = {}
    for part, text in printed.items():
        boxes[part] = text_box(lines, text)
        inked, empty = dark_pixels(png, boxes[part]), dark_pixels(empty_png, boxes[part])
        assert inked > 20 and inked > 4 * (empty + 1), f"{part}: {inked} dark pixels against {empty} emptied"

    # The layout of a Chinese certificate, on a page 842 points wide and 595 high.
    left, top, right, bottom = 0, 1, 2, 3
    assert boxes["title"][top] < boxes["team"][top] < boxes["honour"][top] < boxes["organiser"][top]
    assert abs((boxes["title"][left] + boxes["title"][right]) / 2 - 421) < 12, "the title is centred"
    assert boxes["team"][top] == boxes["enterprise"][top], "the enterprise follows the team's name"
    assert boxes["organiser"][left] > 421 and boxes["organiser"][top] > 595 / 2, (
        "the organiser signs at the lower right"
    )
    assert boxes["organiser"][bottom] <= boxes["date"][top], "over the date"
    organiser_axis = (boxes["organiser"][left] + boxes["organiser"][right]) / 2
    assert abs(organiser_axis - (boxes["date"][left] + boxes["date"][right]) / 2) < 3, "centred on one axis"
    assert boxes["number"][right] < 421 and boxes["number"][top] > boxes["honour"][bottom], (
        "the number at the lower left"
    )
    assert boxes["date"][bottom] < 595 - 36, "inside the frame"
