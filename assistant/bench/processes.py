"""The processes a bench run measures: starting its own (with a log each and a health check), finding a
running stack's by process id or by words of their command lines, and their CPU time and peak memory from
/proc (Linux)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import httpx


def start(
    name: str,
    command: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    logs: Path,
    health: str,
    timeout: float,
) -> subprocess.Popen[bytes]:
    """Starts a process logging to logs/NAME.log and returns once `health` answers below 500."""
    log = open(logs / f"{name}.log", "w")  # open for the process's whole life
    process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}: see {logs}/{name}.log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(health, timeout=2).status_code < 500:
                return process
        time.sleep(0.5)
    stop([process])
    raise RuntimeError(f"{name} did not answer in {timeout}s: see {logs}/{name}.log")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminates the newest first (Rasa before the services it calls), then waits, killing stragglers."""
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children() -> dict[int, list[int]]:
    """Each process's children, from every /proc/PID/stat's parent id."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    return children


def _with_descendants(pids: set[int], children: dict[int, list[int]]) -> set[int]:
    found, todo = set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def _own_lineage() -> set[int]:
    """This process and its ancestors (make, the shell): their command lines hold the bench's own options."""
    lineage, pid = set(), os.getpid()
    while pid > 1:
        lineage.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    return lineage


def _listening_inodes(port: int) -> set[str]:
    """The socket inodes listening on a TCP port, from /proc/net/tcp and tcp6 (state 0A is LISTEN)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes


def _listening_on(port: int, pids: list[int]) -> set[int]:
    """The processes holding a socket that listens on `port` (an nginx's workers share their master's)."""
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    found = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in sockets:
                        found.add(pid)
                        break
    return found


def with_children_now(groups: Mapping[str, set[int]]) -> dict[str, set[int]]:
    """The groups with the children their processes have now (workers started since they were found)."""
    own, children = _own_lineage(), _children()
    return {label: _with_descendants(pids, children) - own for label, pids in groups.items()}


def find(specs: Mapping[str, list[str]]) -> dict[str, set[int]]:
    """LABEL -> processes, each spec a process id, :PORT (whatever listens on it), or words of a command
    line; each with its descendants (a server's workers). The bench's own processes never match."""
    own, children = _own_lineage(), _children()
    command_lines = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in own:
            with contextlib.suppress(OSError):
                command_lines[int(entry.name)] = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
    found: dict[str, set[int]] = {}
    for label, label_specs in specs.items():
        matched: set[int] = set()
        for spec in label_specs:
            if spec.isdigit():
                matched.add(int(spec))
            elif spec.startswith(":") and spec[1:].isdigit():
                matched |= _listening_on(int(spec[1:]), list(command_lines))
            else:
                matched |= {pid for pid, line in command_lines.items() if spec in line}
        found[label] = _with_descendants(matched, children) - own
    return found


def usage(groups: Mapping[str, set[int]]) -> dict[str, dict[str, float]]:
    """Per label: CPU seconds used so far (user + system, summed) and peak resident memory in MB (VmHWM,
    each process's lifetime peak, summed) of the processes still alive. The CPU includes that of their
    children that ended: the kernel adds it to the parent's when the parent reaps them, so a server's
    short-lived workers (PostgreSQL's connection processes come and go with the pools) are not lost."""
    ticks = os.sysconf("SC_CLK_TCK")
    result = {}
    for label, pids in groups.items():
        cpu, peak_kb, alive = 0.0, 0, 0
        for pid in pids:
            with contextlib.suppress(OSError, StopIteration, IndexError):
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{pid}/status").read_text()
                peak_kb += next(
                    int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")
                )
                cpu += (int(stat[11]) + int(stat[12]) + int(stat[13]) + int(stat[14])) / ticks
                alive += 1
        if alive:
            result[label] = {"cpu_seconds": cpu, "peak_rss_mb": round(peak_kb / 1024, 1), "processes": alive}
    return result


def usage_between(
    before: Mapping[str, Mapping[str, float]], after: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]]:
    """CPU seconds used between two samples, with the peak memory of the second."""
    return {
        label: {
            "cpu_seconds": round(now["cpu_seconds"] - before.get(label, {}).get("cpu_seconds", 0), 1),
            "peak_rss_mb": now["peak_rss_mb"],
            "processes": now["processes"],
        }
        for label, now in after.items()
    }
