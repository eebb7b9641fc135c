"""The demo's papers and photos: a scanned page whose words pdftotext finds, a photo of a team; both
still made, and the paper still searchable, when the Noto CJK fonts are missing."""

import io
import subprocess
from datetime import date

import filetype
import pytest
from PIL import Image

from teams.demo import photos, scans
from teams.demo.photos import Scene, photo_jpeg
from teams.demo.scans import Document, Handwritten, scanned_pdf

AGREEMENT = Document(
    title="师带徒结对协议书",
    body=[
        "甲方（师傅）：何小梅，细纱值车工，高级技师",
        "为传承“梦桃精神”，“不让一个伙伴掉队”，甲乙双方自愿结成师徒对子，签订本协议。",
        [["师傅", "徒弟", "得分"], ["何小梅", "张雨萱", "92"]],
        ("甲方（签字）：", Handwritten("何小梅"), "　乙方（签字）：", Handwritten("张雨萱")),
    ],
    signature=["咸阳纺织集团有限公司细纱车间", "2025年3月1日"],
    seal="咸阳纺织集团有限公司",
)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def fresh_fonts():
    """Forget the fonts and glyphs loaded so far, before and after (they are cached per process)."""
    scans.font.cache_clear()
    scans._glyph.cache_clear()
    scans._seal.cache_clear()
    yield
    scans.font.cache_clear()
    scans._glyph.cache_clear()
    scans._seal.cache_clear()


@pytest.mark.parametrize("fonts", ["installed", "missing"])
def test_a_scanned_paper_is_a_small_pdf_whose_words_can_be_found(fonts, fresh_fonts, monkeypatch, tmp_path):
    if fonts == "missing":
        monkeypatch.setattr(scans, "FONT_DIR", tmp_path / "no-fonts")
    pdf = scanned_pdf(AGREEMENT, scanned_on=date(2025, 3, 2))
    assert filetype.guess(pdf).mime == "application/pdf"
    assert 10_000 < len(pdf) < 100_000
    text = text_of(pdf, tmp_path)
    for words in ("师带徒结对协议书", "不让一个伙伴掉队", "张雨萱", "咸阳纺织集团有限公司细纱车间", "2025年3月1日"):
        assert words in text
    # The page image is there to be looked at: a reader renders it.
    (tmp_path / "paper.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", "-singlefile", str(tmp_path / "paper.pdf"), str(tmp_path / "page")], check=True
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    assert page.size[1] > page.size[0] and page.getextrema()[0] < 128  # a portrait page with dark marks


@pytest.mark.parametrize("fonts", ["installed", "missing"])
def test_a_team_photo_is_a_small_jpeg_of_a_scene(fonts, fresh_fonts, monkeypatch, tmp_path):
    if fonts == "missing":
        monkeypatch.setattr(scans, "FONT_DIR", tmp_path / "no-fonts")
    jpeg = photo_jpeg(Scene("赵梦桃小组安全生产月应急疏散演练", backdrop="factory", taken_on=date(2025, 6, 18)))
    assert filetype.guess(jpeg).mime == "image/jpeg"
    assert 10_000 < len(jpeg) < 100_000
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    assert image.size == photos.PHOTO_PX
    assert len(image.getcolors(1 << 20)) > 5000
    sky, ground = image.getpixel((360, 5)), image.getpixel((30, 470))
    assert sky[2] > sky[0] + 40 and abs(ground[0] - ground[2]) < 30  # blue above, grey paving below
