"""How much of the machine's CPU went to other work while the bench loaded the pages: figures taken
on a busy machine are lower than on a quiet one, and the report says so."""

import os
import resource
import threading
import time
from collections.abc import Iterable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def busy_cpu_seconds(stat_text: str) -> float:
    """CPU seconds spent on anything but idling, over all CPUs, from /proc/stat's first line
    (user nice system idle iowait irq softirq steal; guest time is already inside user)."""
    fields = [int(value) for value in stat_text.splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / TICKS


def own_cpu_seconds() -> float:
    """This process and every descendant reaped so far (gunicorn's workers, reaped by their master)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def backend_cpu_seconds(database_names: Iterable[str]) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving one of `database_names` (its process title
    reads "postgres: <cluster>: <user> <database> <client> <state>")."""
    names = set(database_names)
    found = {}
    for process in Path("/proc").glob("[0-9]*"):
        try:
            title = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
            if not title or title[0] != "postgres:" or names.isdisjoint(title):
                continue
            fields = (process / "stat").read_text().rpartition(") ")[2].split()
        except OSError:
            continue
        found[int(process.name)] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return found


class CpuWatch:
    """Use as a context manager around a phase; afterwards `others_share` is the part of the machine's
    capacity (elapsed time × CPUs) that processes other than the bench's used meanwhile. The bench's
    are this process, its descendants (once they have exited) and the database backends it talks to,
    which are sampled every half second because they come and go with the connections."""

    def __init__(self, database_names: Iterable[str], *, interval: float = 0.5):
        self.database_names = tuple(database_names)
        self.interval = interval
        self.others_share: float | None = None
        self._stop = threading.Event()
        self._initial: dict[int, float] = {}
        self._last: dict[int, float] = {}

    def _sample(self) -> None:
        self._last.update(backend_cpu_seconds(self.database_names))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> "CpuWatch":
        # Backends already there count from now on; those that appear later count from their start.
        self._initial = backend_cpu_seconds(self.database_names)
        self._started = time.monotonic()
        self._busy = busy_cpu_seconds(Path("/proc/stat").read_text())
        self._own = own_cpu_seconds()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        elapsed = time.monotonic() - self._started
        busy = busy_cpu_seconds(Path("/proc/stat").read_text()) - self._busy
        backends = sum(seconds - self._initial.get(pid, 0.0) for pid, seconds in self._last.items())
        ours = own_cpu_seconds() - self._own + backends
        capacity = elapsed * (os.cpu_count() or 1)
        self.others_share = min(max((busy - ours) / capacity, 0.0), 1.0) if capacity else None
