"""Loading one URL with wrk, and reading back the line the Lua script prints."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("report.lua")
MARKER = "BENCH_JSON "
# Slow answers must count in the percentiles: wrk's own 2 s timeout would drop them from the figures.
TIMEOUT = "30s"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def failed(self) -> bool:
        """Anything but 200s (a redirect to the sign-in page, an error) or a broken connection."""
        return self.non2xx > 0 or self.socket_errors > 0 or self.requests == 0


class WrkOutputError(RuntimeError):
    pass


def parse_wrk_output(stdout: str) -> LoadResult:
    """The figures from wrk's output: the BENCH_JSON line of report.lua (latencies in microseconds)."""
    lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise WrkOutputError("wrk printed no BENCH_JSON line (did it run bench/report.lua?):\n" + stdout[-2000:])
    data = json.loads(lines[-1][len(MARKER) :])
    errors = data["errors"]
    return LoadResult(
        requests=data["requests"],
        duration_s=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non2xx=data["non2xx"],
        # errors.status counts the >= 400 answers, which non2xx already holds.
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    )


def wrk_command(url: str, *, duration: str, connections: int, threads: int, cookie: str | None = None) -> list[str]:
    command = [
        shutil.which("wrk") or "wrk",
        "--threads", str(threads),
        "--connections", str(connections),
        "--duration", duration,
        "--timeout", TIMEOUT,
        "--latency",
        "--script", str(LUA_SCRIPT),
    ]  # fmt: skip
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    return [*command, url]


def run_wrk(url: str, *, duration: str, connections: int, threads: int, cookie: str | None = None) -> LoadResult:
    command = wrk_command(url, duration=duration, connections=connections, threads=threads, cookie=cookie)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise WrkOutputError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout[-2000:]}")
    return parse_wrk_output(done.stdout)
