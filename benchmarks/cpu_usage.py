"""CPU accounting from /proc: what the server spent per request, whatever else the machine was doing.

Throughput on a shared 2-core machine moves with everyone else's load; CPU seconds per request of
the gunicorn workers and of the PostgreSQL backends barely do, and the share of the CPUs that other
processes took during a run says how far to trust its req/s. Linux only.
"""

import os
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def child_pids(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends connected to this database (their process title names it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            found.append(int(cmdline.parent.name))
    return found


def process_cpu_seconds(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    return seconds


def machine_busy_seconds() -> float:
    """CPU time spent by everything on the machine, all CPUs, from the first line of /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK


def finished_children_cpu_seconds() -> float:
    """CPU time of this process's children that have exited and been waited for (wrk, here)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds used while the block runs by each group of processes, found anew every half second.

    Groups may change during a run: a PostgreSQL backend is replaced when CONN_MAX_AGE (60 s) ends,
    so a before/after difference over fixed pids would lose the old one and miss the new one. A
    process that exits between samples loses at most half a second of its time.
    """

    INTERVAL = 0.5

    def __init__(self, groups: dict[str, Callable[[], list[int]]]):
        self.groups = groups
        self._first: dict[str, dict[int, float]] = {}
        self._last: dict[str, dict[int, float]] = {name: {} for name in groups}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> "CpuMeter":
        self._first = {name: process_cpu_seconds(find()) for name, find in self.groups.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def seconds(self, group: str) -> float:
        first = self._first[group]
        return sum(cpu - first.get(pid, 0.0) for pid, cpu in self._last[group].items())

    def seen(self, group: str) -> bool:
        return bool(self._last[group])

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self._sample()

    def _sample(self) -> None:
        for name, find in self.groups.items():
            self._last[name].update(process_cpu_seconds(find()))


def wait_until_quiet(*, max_seconds: float, busy_below: float = 0.25, window: float = 2.0) -> tuple[float, float]:
    """Wait, at most max_seconds, until the machine's CPUs are less than busy_below busy.

    Call it while the server is idle: then whatever is busy is someone else. Returns (seconds
    waited, busy share in the last window).
    """
    started = time.monotonic()
    while True:
        before = machine_busy_seconds()
        time.sleep(window)
        busy = (machine_busy_seconds() - before) / (window * os.cpu_count())
        waited = time.monotonic() - started
        if busy < busy_below or waited >= max_seconds:
            return waited, busy
