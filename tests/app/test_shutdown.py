"""SIGTERM stops the server within seconds, whatever it is running.

uvicorn waits for the requests in flight before it exits. The app's SIGTERM handler
(app.main) makes every bounded work end at its next check with a 503 "stopping", those
computing and those waiting for a compute thread alike (core.deadline), so the wait is a
fraction of a second; were that missed, each work still ends within BPX_REQUEST_SECONDS.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests import live

# The heaviest training the lab allows: 10,000 updates of 100 hidden units, about 1 s
# of CPU alone; sixteen at once would hold the one process for over 10 s.
HEAVY = json.dumps({"hidden_size": 100, "max_epoch": 1000, "batch_size": 30}).encode()
SERVER = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
SERVER += ["--log-level", "warning", "--no-access-log"]
CLIENTS = 16
BOUND = 2.0  # BPX_REQUEST_SECONDS for this server
EXIT_WITHIN = 6.0  # generous: the bound, the requests' last checks, uvicorn's own exit


def _post(url: str, answers: list[int]) -> None:
    request = urllib.request.Request(
        url, data=HEAVY, headers={"content-type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append(response.status)
    except urllib.error.HTTPError as error:
        answers.append(error.code)
    except OSError:
        answers.append(0)  # the connection closed: the server is going away


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:
        return False


def test_sigterm_stops_the_server_within_seconds_while_heavy_requests_run() -> None:
    port = live.free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*SERVER, "--port", str(port)],
        cwd=live.ROOT,
        env={**os.environ, "BPX_REQUEST_SECONDS": str(BOUND), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.monotonic()
        while not _answers(f"{base}/healthz"):
            assert process.poll() is None and time.monotonic() - started < 60, "no server"
            time.sleep(0.1)
        answers: list[int] = []
        clients = [
            threading.Thread(target=_post, args=(f"{base}/api/train", answers), daemon=True)
            for _ in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        time.sleep(0.5)  # the requests are in the thread pool, training
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        took = time.monotonic() - sent
        print(f"SIGTERM to exit: {took:.2f} s with {CLIENTS} heavy trainings in flight")
        assert took < EXIT_WITHIN, f"SIGTERM took {took:.1f} s to stop the server"
        for client in clients:
            client.join(timeout=10)
        assert set(answers) <= {200, 503, 0}, answers
        assert 503 in answers, "the trainings in flight and waiting ended with a 503 (stopping)"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
