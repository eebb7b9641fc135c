"""A gunicorn serving the project (or the ceiling) on loopback, started and stopped by its own pid,
and what its workers hold in memory."""

import http.client
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

GUNICORN = Path(sys.executable).with_name("gunicorn")
# Above gunicorn's default of 30 s, so that a slow export is measured rather than killed.
WORKER_TIMEOUT = "120"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_command(port: int, *, workers: int, extra: Sequence[str] = ()) -> list[str]:
    """The one command line of every server the bench starts: the pages, the ceiling, the exports."""
    return [
        str(GUNICORN),
        "mengtao.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", WORKER_TIMEOUT,
        "--log-level", "warning",
        *extra,
    ]  # fmt: skip


class Server:
    def __init__(self, *, name: str, env: Mapping[str, str], workers: int, extra: Sequence[str], log_dir: Path):
        self.name = name
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.command = gunicorn_command(self.port, workers=workers, extra=extra)
        self.env = dict(env)
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(self.command, cwd=root, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_until_ready(self, path: str, *, timeout: float = 60) -> None:
        """Until every worker has booted and `path` answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) stopped: see {self.log_path}\n{self.log_tail()}")
            if len(self.worker_pids()) == self.workers and get_status(self.base_url, path) == 200:
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"gunicorn ({self.name}) did not answer 200 on {path} within {timeout:.0f} s\n{self.log_tail()}"
        )

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def get_status(base_url: str, path: str, headers: Mapping[str, str] | None = None) -> int | None:
    """The status of one GET (redirects not followed), or None when nothing answers."""
    response = get(base_url, path, headers)
    return response[0] if response else None


def get(base_url: str, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict, bytes] | None:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", path, headers=dict(headers or {}))
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except OSError:
        return None
    finally:
        connection.close()


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(") ")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return sorted(children)


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (the most resident since start, or since reset_peak)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Resets VmHWM to the current RSS (Linux ≥ 4.0, own processes); False when refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
