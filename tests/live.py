"""A live uvicorn on 127.0.0.1 and Chromium's launch options, for tests and benchmarks.

with live_server() as base_url:      # "http://127.0.0.1:<free port>", stopped after
    ...
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# The machine's network may be closed: keep Chromium from reaching out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def cpu_seconds(pid: int) -> float:
    """A process's user + system CPU time so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def server_command(port: int, workers: int = 1, host: str = "127.0.0.1") -> list[str]:
    """uvicorn's command line as ``make run`` has it (its own access log off: the app's
    ``app.request_log`` writes one line per request)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]


@dataclass(frozen=True)
class Served:
    base: str  # "http://127.0.0.1:<port>"
    process: subprocess.Popen[bytes]  # uvicorn (with --workers > 1, the workers' parent)


@contextmanager
def serving(
    access_log: bool = False,
    startup_seconds: float = 30,
    *,
    workers: int = 1,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.STDOUT,
    env: dict[str, str] | None = None,
) -> Iterator[Served]:
    """uvicorn serving app.main:app on a free port until the block ends; its URL and process.

    Without the access log by default: it adds the same cost to every request, which
    would flatter the benchmarks' ratios, and a pipe nobody reads would fill with it.
    The server's output goes where ``stdout`` and ``stderr`` say, as for
    ``subprocess.Popen``: by default into a pipe, read into the error when the server
    fails to start; ``None`` shares ours.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*server_command(port, workers), "--log-level", "warning"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "BPX_ACCESS_LOG": "true" if access_log else "false",
            **(env or {}),
        },
        stdout=stdout,
        stderr=stderr,
    )
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if _answers(f"{base}/healthz"):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"uvicorn did not start on {base}:\n{output}")
            time.sleep(0.1)
        yield Served(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def live_server(
    access_log: bool = False,
    startup_seconds: float = 30,
    *,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.STDOUT,
) -> Iterator[str]:
    """One uvicorn worker serving app.main:app on a free port; yields its base URL
    (:func:`serving`, for the URL alone)."""
    with serving(access_log, startup_seconds, stdout=stdout, stderr=stderr) as served:
        yield served.base


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:  # not listening yet
        return False


def chromium_launch_options() -> dict[str, Any]:
    """Debian's Chromium where it is installed, else Playwright's own download."""
    options: dict[str, Any] = {"args": CHROMIUM_ARGS}
    if DEBIAN_CHROMIUM.exists():
        options["executable_path"] = str(DEBIAN_CHROMIUM)
    return options


@contextmanager
def live_process(
    access_log: bool = False, *, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serving`` as a pair: the base URL and the uvicorn process (``env`` adds to the
    environment, e.g. ``BPX_`` settings)."""
    with serving(access_log, env=env) as served:
        yield served.base, served.process
