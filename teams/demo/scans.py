"""Scanned paper documents for the demo: a page drawn as a scanner delivers it (off-white paper,
grain, a slight skew, a red seal, names signed by hand) inside a PDF with an invisible text layer,
as scanning software that recognises text writes it. The page reads as paper; its words can be
searched and copied, and `pdftotext` finds them. About 40 KB and a few hundredths of a second each.

The Noto CJK fonts draw the words. Without them the page shows grey strokes where the words would
be, and the text layer is complete all the same.
"""

import io
import math
import random
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = {
    "serif": "NotoSerifCJK-Regular.ttc",
    "serif-bold": "NotoSerifCJK-Bold.ttc",
    "sans": "NotoSansCJK-Regular.ttc",
    "hand": "NotoSansCJK-Regular.ttc",
}
SIMPLIFIED_CHINESE_FACE = 2  # the faces of the Noto CJK collections are JP, KR, SC, TC, HK


@cache
def font(style: str, size: int) -> ImageFont.FreeTypeFont | None:
    """A Noto CJK face for Simplified Chinese (serif, serif-bold, sans), or None without the fonts."""
    try:
        return ImageFont.truetype(str(FONT_DIR / FONT_FILES[style]), size, index=SIMPLIFIED_CHINESE_FACE)
    except OSError:
        return None


class Handwritten(str):
    """Words written by hand on the printed page: a signature, a name on a sign-in sheet."""


Paragraph = str | tuple[str, ...]  # a tuple is one line of printed and handwritten parts
Table = list[list[str]]  # rows of cells; the first row is the header


@dataclass
class Document:
    """A one-page paper document: a title, then paragraphs and ruled tables, and at its foot the
    unit and the date, right-aligned, with the unit's round seal over them."""

    title: str
    body: list[Paragraph | Table]
    signature: list[str] = field(default_factory=list)
    seal: str = ""  # the unit named on the seal; no seal if empty
    subtitle: str = ""  # a line under the title: a document number, "（讨论稿）"
    border: bool = False  # the double frame of a certificate


# --- Text on the page -----------------------------------------------------------------------
# Pillow lays out every string anew; a page repeats a few hundred characters, so each is drawn
# once (per style and size) and pasted wherever it stands: several times faster.

PAGE_PX = (827, 1169)  # A4 at 100 dots per inch
PAGE_PT = (595.28, 841.89)  # A4 in PDF points
MARGIN_PX = 100
BODY = 17
INK = 40
PEN_BLUE = (34, 52, 120)
SEAL_RED = (208, 36, 40)
FRAME_RED = (186, 42, 36)
CLOSING_PUNCTUATION = "，。、；：！？）》」”’"


@dataclass(frozen=True)
class _Glyph:
    mask: Image.Image | None  # None for a space
    left: int
    top: int
    advance: float


@cache
def _glyph(style: str, size: int, char: str) -> _Glyph | None:
    face = font(style, size)
    if face is None:
        return None
    left, top, right, bottom = face.getbbox(char)
    mask = None
    if right > left and bottom > top:
        mask = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(mask).text((-left, -top), char, font=face, fill=255)
        if style == "hand":  # a hand leans forward
            mask = mask.transform(mask.size, Image.AFFINE, (1, 0.22, -0.11 * mask.height, 0, 1, 0), Image.BILINEAR)
    return _Glyph(mask, left, top, face.getlength(char))


def _advance(style: str, size: int, char: str) -> float:
    glyph = _glyph(style, size, char)
    if glyph is not None:
        return glyph.advance
    return size if ord(char) > 0x2E80 else size * 0.55  # the fonts' widths, near enough


def _length(text: str, style: str, size: int) -> float:
    return sum(_advance(style, size, char) for char in text)


@dataclass
class _Line:
    parts: list[tuple[str, str]]  # (text, style)
    x: int
    y: int  # the top of the line, in pixels
    size: int

    @property
    def text(self) -> str:
        return "".join(text for text, _style in self.parts)


def _line(text: str, x: int, y: int, size: int, style: str = "serif") -> _Line:
    return _Line([(text, style)], x, y, size)


def _parts(paragraph: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(part, "hand" if isinstance(part, Handwritten) else "serif") for part in paragraph]


def _wrap(text: str, style: str, size: int, width: int, indent: int = 0) -> list[str]:
    """Break a paragraph into lines that fit `width` pixels. Chinese breaks between any two
    characters, but a closing punctuation mark does not begin a line."""
    lines, current, used, limit = [], "", 0.0, width - indent
    for char in text:
        advance = _advance(style, size, char)
        if used + advance > limit and current:
            carried = ""
            if char in CLOSING_PUNCTUATION and len(current) > 1:
                current, carried = current[:-1], current[-1]
            lines.append(current)
            current, used, limit = carried, _length(carried, style, size), width
        current += char
        used += advance
    if current:
        lines.append(current)
    return lines


def _layout(document: Document) -> tuple[list[_Line], list[tuple[int, int, int, int]], tuple[int, int] | None]:
    """Where every line goes, the table cells' boxes, and the seal's centre."""
    width = PAGE_PX[0] - 2 * MARGIN_PX
    lines: list[_Line] = []
    cells: list[tuple[int, int, int, int]] = []
    y = 126 if document.border else 110
    title_size = 32 if len(document.title) <= 12 else 26
    for text in _wrap(document.title, "serif-bold", title_size, width):
        lines.append(
            _line(text, int((PAGE_PX[0] - _length(text, "serif-bold", title_size)) / 2), y, title_size, "serif-bold")
        )
        y += int(title_size * 1.6)
    if document.subtitle:
        lines.append(_line(document.subtitle, int((PAGE_PX[0] - _length(document.subtitle, "serif", 16)) / 2), y, 16))
        y += 30
    # A certificate speaks in larger type, lower on the page.
    body, leading = (22, 44) if document.border else (BODY, 31)
    y += 120 if document.border else 20
    for block in document.body:
        if isinstance(block, list):  # a table: columns as wide as their longest cell needs
            y = _table(block, y, width, lines, cells) + 16
        elif isinstance(block, tuple):  # one line of printed and handwritten parts
            lines.append(_Line(_parts(block), MARGIN_PX, y, body))
            y += 44
        else:
            # A line that introduces what follows ("甲方：…", "第一条") stands without an indent.
            indent = 0 if "：" in block[:8] or block.startswith("第") else 2 * body
            for number, text in enumerate(_wrap(block, "serif", body, width, indent)):
                lines.append(_line(text, MARGIN_PX + (indent if number == 0 else 0), y, body))
                y += leading
            y += 6
    seal_centre = None
    if document.signature:
        bottom = PAGE_PX[1] - 120 - 36 * len(document.signature)
        y = min(y + 120, bottom) if document.border else max(y + 40, bottom)
        for text in document.signature:
            lines.append(_line(text, int(PAGE_PX[0] - MARGIN_PX - _length(text, "serif", body)), y, body))
            y += 36 if body == BODY else 46
        if document.seal:
            seal_centre = (PAGE_PX[0] - MARGIN_PX - 92, y - 48)  # over the unit and the date, as it is put
    return lines, cells, seal_centre


def _table(rows: Table, y: int, width: int, lines: list[_Line], cells: list) -> int:
    """Lay out a ruled table from `y`; returns the y below it."""
    columns = max(len(row) for row in rows)
    needs = [max(_length(row[c], "serif", 15) for row in rows if c < len(row)) + 20 for c in range(columns)]
    widths = [int(width * need / sum(needs)) for need in needs]
    for row in rows:
        left = MARGIN_PX
        for column, text in enumerate(row):
            cells.append((left, y, left + widths[column], y + 34))
            style = "hand" if isinstance(text, Handwritten) else "serif"
            size = 16 if style == "hand" else 15
            lines.append(_line(_wrap(text, style, size, widths[column] - 14)[0], left + 8, y + 7, size, style))
            left += widths[column]
        y += 34
    return y


def _draw_line(page: Image.Image, hand: Image.Image, line: _Line, rng: random.Random) -> None:
    """Printed parts in black on the page; handwritten ones, a little larger, on the layer of pen ink."""
    x = float(line.x)
    for text, style in line.parts:
        size = line.size + 3 if style == "hand" else line.size
        for char in text:
            glyph = _glyph(style, size, char)
            if glyph is None:
                # Without the fonts: a grey stroke where the character would be.
                if not char.isspace():
                    box = (int(x) + 1, line.y + size // 3, int(x + _advance(style, size, char)), line.y + size * 2 // 3)
                    page.paste(150, box)
            elif style == "hand" and glyph.mask is not None:
                hand.paste(255, (int(x) + glyph.left, line.y + glyph.top - 3 + rng.randint(-2, 1)), glyph.mask)
            elif glyph.mask is not None:
                page.paste(INK, (int(x) + glyph.left, line.y + glyph.top), glyph.mask)
            x += _advance(style, size, char)


# --- The page -------------------------------------------------------------------------------


@cache
def _paper() -> Image.Image:
    """The grain of scanned paper, made once: grey values near white, the lid's shadow at one edge."""
    grain = Image.effect_noise((PAGE_PX[0] // 2, PAGE_PX[1] // 2), 12).resize(PAGE_PX, Image.BILINEAR)
    paper = grain.point(lambda v: 246 + (v - 128) // 10)
    shadow = Image.linear_gradient("L").rotate(90, expand=True).resize((18, PAGE_PX[1]))
    paper.paste(ImageChops.multiply(paper.crop((0, 0, 18, PAGE_PX[1])), shadow.point(lambda v: 200 + v // 5)))
    return paper


@cache
def _seal(text: str, diameter: int = 160) -> Image.Image:
    """A round seal as a mask: the unit's name along the rim, a star in the middle, uneven ink."""
    scale = 2
    size = diameter * scale
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((4, 4, size - 4, size - 4), outline=255, width=8 * scale)
    centre = size / 2
    star = [
        (
            centre + (30 if k % 2 == 0 else 12) * scale * math.sin(math.pi * k / 5),
            centre - (30 if k % 2 == 0 else 12) * scale * math.cos(math.pi * k / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    if text and font("sans", 10) is not None:
        # The name runs clockwise along about two thirds of the rim, each character facing inwards.
        span = min(250.0, 26.0 * len(text))
        radius = centre - 30 * scale
        char_size = int(min(27 * scale, 0.95 * radius * math.radians(span) / len(text)))
        face = font("sans", char_size)
        for k, char in enumerate(text):
            angle = -span / 2 + span * (k + 0.5) / len(text)
            glyph = Image.new("L", (char_size * 2, char_size * 2), 0)
            ImageDraw.Draw(glyph).text((char_size, char_size), char, font=face, fill=255, anchor="mm")
            glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
            x = centre + radius * math.sin(math.radians(angle)) - glyph.width / 2
            y = centre - radius * math.cos(math.radians(angle)) - glyph.height / 2
            mask.paste(255, (int(x), int(y)), glyph)
    mask = mask.resize((diameter, diameter), Image.LANCZOS)
    patchy = Image.effect_noise((diameter // 3, diameter // 3), 70).resize((diameter, diameter), Image.BILINEAR)
    return ImageChops.multiply(mask, patchy.point(lambda v: min(255, 120 + v)))


def _page_image(document: Document, lines: list[_Line], cells, seal_centre) -> Image.Image:
    rng = random.Random(document.title + "".join(document.signature))
    page = _paper().copy()
    if rng.random() < 0.5:
        page = page.transpose(Image.ROTATE_180)
    hand = Image.new("L", PAGE_PX, 0)  # blue pen ink
    frame = Image.new("L", PAGE_PX, 0)  # a certificate's red frame
    if document.border:
        ImageDraw.Draw(frame).rectangle((44, 44, PAGE_PX[0] - 44, PAGE_PX[1] - 44), outline=255, width=5)
        ImageDraw.Draw(frame).rectangle((56, 56, PAGE_PX[0] - 56, PAGE_PX[1] - 56), outline=200, width=1)
    draw = ImageDraw.Draw(page)
    for box in cells:
        draw.rectangle(box, outline=INK, width=1)
    for line in lines:
        _draw_line(page, hand, line, rng)
    # A sheet never lies quite straight on the glass, and a scan is a little soft.
    angle = rng.uniform(-0.45, 0.45)
    page = page.rotate(angle, resample=Image.NEAREST, fillcolor=246).filter(ImageFilter.SMOOTH)
    # Warm white paper: a little less blue than red.
    rgb = Image.merge("RGB", (page, page.point(lambda v: v - v // 120), page.point(lambda v: v - v // 40)))
    for layer, colour in ((frame, FRAME_RED), (hand, PEN_BLUE)):
        if layer.getbbox():
            rgb.paste(colour, (0, 0), layer.rotate(angle, resample=Image.NEAREST))
    if seal_centre is not None:
        seal = _seal(document.seal).rotate(rng.uniform(-15, 15), resample=Image.BILINEAR)
        left, top = seal_centre[0] - seal.width // 2, seal_centre[1] - seal.height // 2
        box = (left, top, left + seal.width, top + seal.height)
        under = rgb.crop(box)
        # Multiplied, as ink is: the black of the date and the name shows through the red.
        inked = ImageChops.multiply(under, Image.new("RGB", seal.size, SEAL_RED))
        rgb.paste(Image.composite(inked, under, seal), box[:2])
    return rgb


# --- The PDF --------------------------------------------------------------------------------


def _text_layer(lines: list[_Line]) -> tuple[bytes, dict[str, int], dict[int, int]]:
    """The invisible text (render mode 3) over the page image as content-stream operators, the
    character id given to each character, and each id's advance width (thousandths of the size)."""
    scale = PAGE_PT[0] / PAGE_PX[0]
    ids: dict[str, int] = {}
    widths: dict[int, int] = {}
    operations = [b"BT 3 Tr"]
    for line in lines:
        codes = []
        for text, style in line.parts:
            for char in text:
                if char not in ids:
                    ids[char] = len(ids) + 1
                    widths[ids[char]] = round(1000 * _advance(style, line.size, char) / line.size)
                codes.append(f"{ids[char]:04X}")
        baseline = PAGE_PT[1] - (line.y + line.size * 1.1) * scale
        operations.append(
            f"/F0 {line.size * scale:.2f} Tf 1 0 0 1 {line.x * scale:.2f} {baseline:.2f} Tm "
            f"<{''.join(codes)}> Tj".encode()
        )
    operations.append(b"ET")
    return b"\n".join(operations), ids, widths


def _to_unicode(ids: dict[str, int]) -> bytes:
    entries = [f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, cid in ids.items()]
    blocks = [entries[k : k + 100] for k in range(0, len(entries), 100)]  # at most 100 a block
    body = "\n".join(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar" for block in blocks)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{body}\nendcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 (the first the catalogue, the last the information dictionary),
    with their cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects)))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def scanned_pdf(document: Document, *, scanned_on: date | None = None) -> bytes:
    """The document as a one-page scanned PDF with its text layer."""
    lines, cells, seal_centre = _layout(document)
    image = _page_image(document, lines, cells, seal_centre)
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=40)
    text, ids, widths = _text_layer(lines)
    page = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % PAGE_PT + text
    info = b"/Title <FEFF" + document.title.encode("utf-16-be").hex().upper().encode() + b">"
    if scanned_on is not None:
        info += b" /CreationDate (D:" + scanned_on.strftime("%Y%m%d").encode() + b"100000+08'00')"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R " % PAGE_PT
        + b"/Resources << /XObject << /Im0 5 0 R >> /Font << /F0 6 0 R >> >> >>",
        _stream(b"/Filter /FlateDecode", zlib.compress(page)),
        _stream(
            b"/Type /XObject /Subtype /Image /Width %d /Height %d " % image.size
            + b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            jpeg.getvalue(),
        ),
        # The text layer's font draws nothing (render mode 3): it needs only widths and the map
        # from its character ids to Unicode, as the text layers of scanning software have.
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R "
        b"/DW 1000 /W [" + " ".join(f"{cid} [{width}]" for cid, width in widths.items()).encode() + b"] "
        b"/CIDToGIDMap /Identity >>",
        _stream(b"/Filter /FlateDecode", zlib.compress(_to_unicode(ids))),
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        b"<< " + info + b" >>",
    ]
    return _pdf(objects)
