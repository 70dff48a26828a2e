"""Timing and memory of one process: wall clock, peak RSS, exit code; and a few statistics."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.config import PERSONAL_ENVIRONMENT

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


@dataclass(frozen=True)
class Run:
    """One finished process."""

    seconds: float
    rss_mb: float
    code: int
    stdout: str
    stderr: str


def coach_env(home: Path) -> dict[str, str]:
    """The environment of a measured process: its own COACH_HOME, offline, no LLM."""
    env = {k: v for k, v in os.environ.items() if k not in PERSONAL_ENVIRONMENT}
    env.update(COACH_HOME=str(home), COACH_OFFLINE="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def _wait(pid: int) -> tuple[int, float]:
    """Exit code and peak RSS in MB of one child: wait4 gives that child's own rusage,
    where getrusage(RUSAGE_CHILDREN) would give the maximum over every child so far."""
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024  # Linux: KB


def spawn(command: Sequence[str], env: dict[str, str], cwd: Path, stdin: str = "") -> Run:
    """Run `command` to completion; output goes to files so a full pipe never stalls it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command), stdin=subprocess.PIPE, stdout=out, stderr=err, env=env, cwd=cwd
        )
        assert proc.stdin is not None
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
        code, rss = _wait(proc.pid)
        seconds = time.perf_counter() - start
        proc.returncode = code  # we reaped it ourselves; keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            rss,
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


@dataclass(frozen=True)
class Session:
    """An interactive process on a terminal: when something first appeared, and its peak RSS."""

    first_seconds: float | None
    rss_mb: float
    code: int
    transcript: str


def interact(
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    first: Sequence[str],
    answer: str,
    after: Sequence[str],
    timeout: float = 60,
) -> Session:
    """Start `command` on a pseudo-terminal, wait for any of `first`, type `answer`, wait for
    any of `after`, then quit as a person would. `first_seconds` is when `first` showed up."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the command
        os.chdir(cwd)
        os.execvpe(command[0], list(command), env)
    start = time.perf_counter()
    seen, first_seconds, ended = "", None, None
    try:
        seen, first_seconds = _read_until(fd, seen, first, start, timeout)
        if first_seconds is not None:
            os.write(fd, answer.encode())
            seen, _ = _read_until(fd, seen, after, time.perf_counter(), timeout, skip=len(seen))
        ended, seen = _quit(pid, fd, seen)
    finally:
        if ended is None:
            os.kill(pid, signal.SIGKILL)
            ended = _wait(pid)
        os.close(fd)
    return Session(first_seconds, ended[1], ended[0], seen)


def _quit(pid: int, fd: int, seen: str) -> tuple[tuple[int, float] | None, str]:
    """^D, then ^C as keys, then SIGTERM: whichever ends the process first."""
    steps = (
        lambda: os.write(fd, b"\x04"),
        lambda: os.write(fd, b"\x03"),
        lambda: os.kill(pid, signal.SIGTERM),
    )
    for step in steps:
        with contextlib.suppress(OSError):  # the terminal may already be gone
            step()
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            seen, _ = _read_until(fd, seen, (), time.perf_counter(), 0.1)
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return (os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024), seen
    return None, seen


def _read_until(
    fd: int, seen: str, wanted: Sequence[str], start: float, timeout: float, skip: int = 0
) -> tuple[str, float | None]:
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal: it has exited
                return seen, None
            if not chunk:
                return seen, None
            seen += chunk.decode(errors="replace")
            # Colours and cursor moves can split a line the eye reads as one.
            if any(w in _ANSI.sub("", seen[skip:]) for w in wanted):
                return seen, time.perf_counter() - start
    return seen, None


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
