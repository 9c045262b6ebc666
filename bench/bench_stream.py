"""Benchmark: the book's run streamed (POST /api/train/stream) against the bare core loop.

    .venv/bin/python -m bench.bench_stream

The same work in every contender: TwoLayerNet(2, 10, 3) on the spiral, SGD lr 1.0, 300
epochs of 10 mini-batches of 30 (the book's run, ending at loss 0.108550). Measured in the
same run, best of several interleaved repeats, as epochs per CPU second (the CPU time the
work took: on a shared machine wall time mostly measures the neighbours; wall figures are
printed too):

    bare loop      ``core.trainer.train_spiral``: the training loop and its per-epoch
                   training accuracy, nothing else (the reference)
    stream, core   ``core.lab.stream`` drained and encoded as the endpoint encodes it
                   (``app.api.train.next_chunk``): adds the held-out accuracy per epoch,
                   about 20 snapshots (boundary grid, the gradient on all points, the weights)
                   and the JSON
    stream, HTTP   POST /api/train/stream to a live one-worker uvicorn, read to the last
                   byte: adds the threadpool hand-offs and the socket (the server process's
                   CPU time, from /proc, for the request)

The target: streaming costs at most 20%, i.e. stream / bare epochs per second >= 0.8.
"""

from __future__ import annotations

import http.client
import os
import platform
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import numpy as np

from app.api.train import next_chunk
from core.lab import TrainSettings, stream
from core.trainer import train_spiral
from tests.live import cpu_seconds, live_process

REPEATS = 7
EPOCHS = TrainSettings().max_epoch
TARGET = 0.8


def bare() -> None:
    train_spiral()


def streamed_in_process() -> None:
    events = stream(TrainSettings())
    while next_chunk(events):
        pass


def make_http(base: str) -> Callable[[], None]:
    parts = urlsplit(base)

    def streamed_over_http() -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        try:
            connection.request(
                "POST",
                "/api/train/stream",
                body=b"{}",
                headers={"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200 and body.rstrip().endswith(b'"message":null}'), body[
                -200:
            ]
        finally:
            connection.close()

    return streamed_over_http


def best_times(
    runs: dict[str, Callable[[], None]], server: int
) -> tuple[dict[str, float], dict[str, float]]:
    """The best CPU seconds and the best wall seconds of each contender."""
    cpu = dict.fromkeys(runs, float("inf"))
    wall = dict.fromkeys(runs, float("inf"))
    for _ in range(REPEATS):
        for name, run in runs.items():
            over_http = name.endswith("HTTP")
            start, start_cpu = time.perf_counter(), time.process_time()
            start_server = cpu_seconds(server) if over_http else 0.0
            run()
            wall[name] = min(wall[name], time.perf_counter() - start)
            used = (
                cpu_seconds(server) - start_server if over_http else time.process_time() - start_cpu
            )
            cpu[name] = min(cpu[name], used)
    return cpu, wall


def main() -> None:
    print(
        f"The book's run ({EPOCHS} epochs) streamed against the bare core loop; best of {REPEATS}"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, NumPy {np.__version__}"
    )
    with live_process() as (base, server):
        runs: dict[str, Callable[[], None]] = {
            "bare loop": bare,
            "stream, core": streamed_in_process,
            "stream, HTTP": make_http(base),
        }
        for run in runs.values():  # warm-up
            run()
        cpu, wall = best_times(runs, server.pid)
    rate = {name: EPOCHS / seconds for name, seconds in cpu.items()}
    for name, seconds in cpu.items():
        print(
            f"  {name:>13}: {seconds * 1000:7.1f} ms CPU, {rate[name]:7.0f} epochs/CPU s "
            f"(wall {wall[name] * 1000:.1f} ms)"
        )
    for name in ("stream, core", "stream, HTTP"):
        ratio = rate[name] / rate["bare loop"]
        walls = wall["bare loop"] / wall[name]
        print(
            f"  {name} / bare loop, epochs per second: {ratio:.2f} CPU, {walls:.2f} wall  "
            f"(target >= {TARGET})"
        )


if __name__ == "__main__":
    main()
