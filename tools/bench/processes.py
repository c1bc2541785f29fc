"""CPU seconds and resident memory of the services under load, read from /proc by process group."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from tools.bench.results import ProcessStats

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from 3 (state) on


def group_pids(leader: int) -> list[int]:
    """Processes of the leader's process group (the stack starts each service in its own)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and int(fields[2]) == leader:
                pids.append(int(entry.name))
    return pids or [leader]


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds of these processes (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def rss_mb(pids: Sequence[int], key: str = "VmRSS") -> float:
    """Resident memory of these processes from /proc/<pid>/status, in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    total += int(line.split()[1])
    return total / 1024


class ProcessMonitor:
    """CPU and peak RSS per service during a level: CPU by difference, RSS sampled twice a second."""

    def __init__(self, leaders: dict[str, int]) -> None:
        self.leaders = leaders
        self._cpu: dict[str, float] = {}
        self._peak: dict[str, float] = {}

    def _pids(self) -> dict[str, list[int]]:
        return {name: group_pids(pid) for name, pid in self.leaders.items()}

    def begin(self) -> None:
        groups = self._pids()
        self._cpu = {name: cpu_seconds(pids) for name, pids in groups.items()}
        self._peak = {name: rss_mb(pids) for name, pids in groups.items()}

    def sample(self) -> None:
        for name, pids in self._pids().items():
            self._peak[name] = max(self._peak.get(name, 0.0), rss_mb(pids))

    def end(self) -> dict[str, ProcessStats]:
        self.sample()
        return {
            name: ProcessStats(
                round(cpu_seconds(pids) - self._cpu.get(name, 0.0), 2), round(self._peak[name], 1)
            )
            for name, pids in self._pids().items()
        }
