"""The exports over HTTP, each from a gunicorn with one worker (so that its memory is the export's):
the time to the first byte and to the last, the rows in the file (a workbook's or a CSV's), and how
the worker grew. A public export is downloaded without a session."""

import csv
import http.client
import time
import zipfile
from pathlib import Path

from . import report
from .config import OUT_DIR, Config
from .log import say
from .server import Server, get, memory_kib, reset_peak


def measure_exports(
    config: Config, env: dict[str, str], extra, probes: dict, cookies: dict
) -> list[report.ExportMeasure]:
    """`cookies`: the session cookie of each role."""
    probe = probes[config.load_size]
    measures = []
    for export in config.exports:
        counted = probe["exports"][export.key]
        measure = report.ExportMeasure(
            key=export.key,
            label=export.label,
            path=counted["path"],
            queries={size: probes[size]["exports"][export.key]["queries"] for size in config.sizes},
        )
        measures.append(measure)
        for size in config.sizes:
            if probes[size]["exports"][export.key]["status"] != 200:
                measure.errors.append(f"answered {probes[size]['exports'][export.key]['status']} in-process at {size}")
        say(f"timing {measure.path} ({export.label}) on one worker")
        headers = {"Cookie": cookies[export.role]} if export.role else {}
        try:
            with Server(name=f"export-{export.key}", env=env, workers=1, extra=extra, log_dir=OUT_DIR) as server:
                server.wait_until_ready("/healthz")
                separator = "&" if "?" in measure.path else "?"
                warm = get(server.base_url, measure.path + separator + export.warm_up_query, headers)
                if warm is None or warm[0] != 200:
                    measure.errors.append(f"the warm-up answered {warm[0] if warm else 'nothing'}")
                (worker,) = server.worker_pids()
                peak_reset = reset_peak(worker)
                before = memory_kib(worker)
                file = OUT_DIR / f"export-{export.key}.{export.suffix}"
                measure.status, measure.first_byte_s, measure.total_s, measure.bytes = download(
                    server.base_url, measure.path, headers, file
                )
                after = memory_kib(worker)
                measure.rss_growth_mb = (after["VmRSS"] - before["VmRSS"]) * 1024 / 1e6
                measure.peak_growth_mb = (after["VmHWM"] - before["VmRSS"]) * 1024 / 1e6
                if not peak_reset:
                    say("the worker's peak memory could not be reset: its growth includes the warm-up")
                if measure.status == 200:
                    measure.rows = csv_rows(file) if export.suffix == "csv" else xlsx_rows(file)
        except (RuntimeError, OSError, ValueError, zipfile.BadZipFile) as error:
            measure.errors.append(f"{type(error).__name__}: {error}")
    return measures


def download(base_url: str, path: str, headers: dict, file: Path) -> tuple[int, float, float, int]:
    """GET `path` into `file`: the status, seconds to the first byte of the body and to the last, bytes."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=300)
    size = 0
    first_byte = None
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        with file.open("wb") as out:
            while chunk := response.read1(64 * 1024):
                if first_byte is None:
                    first_byte = time.perf_counter() - started
                out.write(chunk)
                size += len(chunk)
        total = time.perf_counter() - started
    finally:
        connection.close()
    return response.status, first_byte if first_byte is not None else total, total, size


def csv_rows(file: Path) -> int:
    """Data rows of a CSV file (the header not counted), read as records: a quoted value may hold a
    line break. A byte-order mark before the header is allowed (Excel wants one)."""
    with file.open(encoding="utf-8-sig", newline="") as text:
        return max(sum(1 for _record in csv.reader(text)) - 1, 0)


def xlsx_rows(file: Path, *, chunk_bytes: int = 1024 * 1024) -> int:
    """Data rows of the first sheet (the header not counted), read from the sheet's XML as it streams."""
    with zipfile.ZipFile(file) as workbook:
        sheet = sorted(name for name in workbook.namelist() if name.startswith("xl/worksheets/sheet"))[0]
        rows = 0
        tail = b""
        with workbook.open(sheet) as xml:
            while chunk := xml.read(chunk_bytes):
                text = tail + chunk
                rows += text.count(b"</row>")
                # A "</row>" cut by the chunk's edge is found with the next chunk; five bytes cannot
                # hold a whole one, so none is counted twice.
                tail = text[-5:]
    return max(rows - 1, 0)
