"""The targets, which of them each page and export meets, and the report as Markdown (the same text
goes to the terminal and to var/bench/latest.md)."""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from .load import LoadResult


@dataclass(frozen=True)
class Targets:
    p95_ms: float = 100
    share_signed_in: float = 0.08
    share_public: float = 0.25
    max_queries: int = 12
    export_first_byte_s: float = 1.0
    export_memory_mb: float = 100
    # Total time of an export, where the targets name one: 50,000 applications in under 10 s.
    export_total_s: dict = field(default_factory=lambda: {"applications": 10.0})


TARGETS = Targets()


@dataclass
class PageMeasure:
    key: str
    label: str
    path: str
    role: str | None  # who loads it; None for the public
    reference: bool = False
    load: LoadResult | None = None
    queries: dict = field(default_factory=dict)  # size → count, None when not counted
    errors: list = field(default_factory=list)  # what went wrong before or during the load
    # The ceiling's req/s loaded right before and right after this page (the machine's speed around it).
    ceiling_samples: list = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.role is None

    @property
    def adjacent_ceiling(self) -> float | None:
        return sum(self.ceiling_samples) / len(self.ceiling_samples) if self.ceiling_samples else None

    def share(self, ceiling_rps: float | None) -> float | None:
        """Of the ceiling measured around this page when it was, else of the run's ceiling."""
        ceiling_rps = self.adjacent_ceiling or ceiling_rps
        if self.load is None or not ceiling_rps:
            return None
        return self.load.requests_per_second / ceiling_rps


@dataclass
class ExportMeasure:
    key: str
    label: str
    path: str
    status: int | None = None
    rows: int | None = None
    bytes: int | None = None
    first_byte_s: float | None = None
    total_s: float | None = None
    rss_growth_mb: float | None = None
    peak_growth_mb: float | None = None
    queries: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


def query_misses(queries: dict, sizes: Sequence[str], targets: Targets) -> list[str]:
    counts = [queries.get(size) for size in sizes]
    misses = [f"queries not counted at {size}" for size, count in zip(sizes, counts, strict=True) if count is None]
    known = [count for count in counts if count is not None]
    if len(set(known)) > 1:
        misses.append("query count differs between sizes")
    if known and max(known) > targets.max_queries:
        misses.append(f"more than {targets.max_queries} queries")
    return misses


def page_misses(
    page: PageMeasure,
    *,
    ceiling_rps: float | None,
    sizes: Sequence[str],
    targets: Targets = TARGETS,
    reference: PageMeasure | None = None,
) -> list[str]:
    """Every target `page` misses, in words; empty when it meets them all. `reference` is the page
    this one must be faster than (req/s)."""
    misses = list(page.errors)
    load = page.load
    if load is None:
        if not page.errors:
            misses.append("not loaded")
    else:
        if load.non2xx:
            misses.append(f"{load.non2xx} answers not 2xx")
        if load.socket_errors:
            misses.append(f"{load.socket_errors} socket errors or timeouts")
        if load.requests == 0:
            misses.append("no request completed")
        if not page.reference:
            if load.p95_ms > targets.p95_ms:
                misses.append(f"p95 over {targets.p95_ms:g} ms")
            minimum = targets.share_public if page.public else targets.share_signed_in
            share = page.share(ceiling_rps)
            if share is None:
                misses.append("no ceiling to compare with")
            elif share < minimum:
                misses.append(f"under {minimum:.0%} of the ceiling")
    if reference is not None:
        if load is None or reference.load is None:
            misses.append(f"not compared with {reference.label}")
        elif load.requests_per_second <= reference.load.requests_per_second:
            misses.append(f"not faster than {reference.label}")
    return misses + query_misses(page.queries, sizes, targets)


def export_misses(export: ExportMeasure, *, sizes: Sequence[str], targets: Targets = TARGETS) -> list[str]:
    misses = list(export.errors)
    if export.status is not None and export.status != 200:
        misses.append(f"answered {export.status}")
    if export.first_byte_s is None or export.total_s is None:
        if not export.errors:
            misses.append("not measured")
    else:
        if export.first_byte_s >= targets.export_first_byte_s:
            misses.append(f"first byte after {targets.export_first_byte_s:g} s")
        total_target = targets.export_total_s.get(export.key)
        if total_target is not None and export.total_s >= total_target:
            misses.append(f"took {total_target:g} s or more")
    if export.peak_growth_mb is not None and export.peak_growth_mb >= targets.export_memory_mb:
        misses.append(f"worker grew by {targets.export_memory_mb:g} MB or more")
    return misses + query_misses(export.queries, sizes, targets)


# Above this share of the machine taken by other work, the figures are not those of this machine.
BUSY_MACHINE_SHARE = 0.10


def ceiling_samples_note(samples: Sequence[float], duration: str) -> str:
    """How fast the machine was through the pages, by the ceiling loaded between them."""
    if not samples:
        return ""
    return (
        f"Loaded again for {duration} before the first page, between pages and after the last, it gave "
        f"{len(samples)} figures: median {statistics.median(samples):,.1f}, from {min(samples):,.1f} to "
        f"{max(samples):,.1f} req/s. A page's share is of the mean of the two figures around it (the column "
        '"ceiling req/s").'
    )


def machine_note(others_share: float | None) -> str:
    if others_share is None:
        return ""
    note = f"Other processes used {others_share:.0%} of the machine's CPU while the pages were loaded"
    if others_share > BUSY_MACHINE_SHARE:
        return note + ": **the machine was busy, the figures are lower than on a quiet one.**"
    return note + "."


# --- Formatting -----------------------------------------------------------------------------


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def verdict(misses: Sequence[str]) -> str:
    return "yes" if not misses else "NO: " + "; ".join(misses)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """A Markdown table padded to line up in a terminal as well."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        padded = [
            str(cell).rjust(width) if is_right else str(cell).ljust(width)
            for cell, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2)) for w, r in zip(widths, right, strict=True))
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def pages_table(pages: Sequence[PageMeasure], *, ceiling_rps: float | None, sizes: Sequence[str], misses: dict) -> str:
    headers = ["page", "as", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "ceiling req/s", "% of ceiling"]
    headers += [f"queries {size}" for size in sizes] + ["target met"]
    rows = []
    for page in pages:
        load = page.load
        rows.append(
            [
                page.label,
                page.role or "public",
                f"`{page.path}`",
                number(load.requests_per_second if load else None),
                number(load.p50_ms if load else None),
                number(load.p95_ms if load else None),
                number(load.p99_ms if load else None),
                number(page.adjacent_ceiling or ceiling_rps),
                percent(page.share(ceiling_rps)),
                *(count(page.queries.get(size)) for size in sizes),
                verdict(misses[page.key]),
            ]
        )
    right = [False, False, False, True, True, True, True, True, True] + [True] * len(sizes) + [False]
    return markdown_table(headers, rows, right)


def exports_table(exports: Sequence[ExportMeasure], *, sizes: Sequence[str], misses: dict) -> str:
    headers = ["export", "path", "rows", "size MB", "first byte s", "total s", "worker peak +MB", "worker after +MB"]
    headers += [f"queries {size}" for size in sizes] + ["target met"]
    rows = []
    for export in exports:
        rows.append(
            [
                export.label,
                f"`{export.path}`",
                count(export.rows),
                number(export.bytes / 1e6 if export.bytes is not None else None),
                number(export.first_byte_s, 2),
                number(export.total_s, 2),
                number(export.peak_growth_mb),
                number(export.rss_growth_mb),
                *(count(export.queries.get(size)) for size in sizes),
                verdict(misses[export.key]),
            ]
        )
    right = [False, False, True, True, True, True, True, True] + [True] * len(sizes) + [False]
    return markdown_table(headers, rows, right)


SQL_SHOWN_MAX_CHARS = 4000


def explains_section(explains: Sequence[dict], labels: dict) -> str:
    parts = []
    for number_, query in enumerate(explains, start=1):
        sql = query["sql"]
        if len(sql) > SQL_SHOWN_MAX_CHARS:
            sql = sql[:SQL_SHOWN_MAX_CHARS] + " …"
        parts.append(
            f"### {number_}. {query['explain_ms']:.1f} ms to plan and execute ({query['ms']:.1f} ms in the request), "
            f"on the {labels.get(query['page'], query['page'])}\n\n"
            f"```sql\n{sql}\n```\n\n```\n{query.get('plan', '(no plan)')}\n```"
        )
    return "\n\n".join(parts) if parts else "(no query captured)"
