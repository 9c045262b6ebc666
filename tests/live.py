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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def live_server(
    access_log: bool = False,
    startup_seconds: float = 30,
    *,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.STDOUT,
) -> Iterator[str]:
    """One uvicorn worker serving app.main:app on a free port; yields its base URL.
    ``live_process`` is the same and yields the process too."""
    with live_process(access_log, startup_seconds, stdout=stdout, stderr=stderr) as (base, _):
        yield base


@contextmanager
def live_process(
    access_log: bool = False,
    startup_seconds: float = 30,
    *,
    stdout: int | IO[Any] | None = subprocess.PIPE,
    stderr: int | IO[Any] | None = subprocess.STDOUT,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One uvicorn worker serving app.main:app on a free port; yields its base URL and
    the process (``env`` adds to the environment, e.g. ``BPX_`` settings).

    Without the access log by default: it adds the same cost to every request, which
    would flatter the benchmarks' ratios. The server's output goes where ``stdout`` and
    ``stderr`` say, as for ``subprocess.Popen``: by default into a pipe, read into the
    error when the server fails to start; ``None`` shares ours.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--access-log" if access_log else "--no-access-log",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
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
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
