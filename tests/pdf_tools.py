"""Reading the PDFs the site makes with poppler-utils, as a person would: which fonts are embedded,
what the text says, and where each word sits on which page."""

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path


@dataclass(frozen=True, order=True)
class Word:
    page: int
    top: float
    left: float
    bottom: float
    right: float
    text: str

    @property
    def position(self) -> tuple[int, float]:
        """Where the word stands in reading order down the document: page, then height on it."""
        return (self.page, self.top)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def save(content: bytes, directory: Path, name: str = "document.pdf") -> Path:
    path = directory / name
    path.write_bytes(content)
    return path


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of every font in the PDF, as pdffonts lists them."""
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    # Columns: name type [encoding...] emb sub uni object ID — counted from the right, as encodings vary.
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]


def cjk_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of every CJK font in the PDF."""
    return [(name, embedded) for name, embedded in fonts(pdf) if "CJK" in name]


def page_size(pdf: Path) -> tuple[float, float]:
    """The width and height of the first page in points, as pdfinfo gives them."""
    found = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", _run("pdfinfo", str(pdf)), re.MULTILINE)
    return float(found.group(1)), float(found.group(2))


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.MULTILINE).group(1))


def first_page_png(pdf: Path, resolution: int = 50) -> Path:
    """Page 1 drawn by pdftoppm as a PNG at `resolution` dots per inch, next to the PDF."""
    stem = pdf.with_suffix("")
    _run("pdftoppm", "-r", str(resolution), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem))
    return stem.with_suffix(".png")


def text(pdf: Path) -> str:
    return _run("pdftotext", "-layout", str(pdf), "-")


def words(pdf: Path) -> list[Word]:
    """Every word with its box, pages numbered from 1, in reading order."""
    found = []
    for number, page in enumerate(re.split(r"<page\b", _run("pdftotext", "-bbox", str(pdf), "-"))[1:], start=1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page
        ):
            left, top, right, bottom = (float(value) for value in match.groups()[:4])
            found.append(Word(number, top, left, bottom, right, unescape(match.group(5))))
    return sorted(found)


def lines(pdf: Path) -> list[list[Word]]:
    """The words grouped into printed lines: same page, overlapping vertically."""
    grouped: list[list[Word]] = []
    for word in words(pdf):
        last = grouped[-1][-1] if grouped else None
        if last and last.page == word.page and word.top < last.bottom - 2:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return [sorted(line, key=lambda word: word.left) for line in grouped]


def line_text(line: list[Word]) -> str:
    return "".join(word.text for word in line)
