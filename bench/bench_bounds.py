"""The heaviest requests the limits allow, and the bombs they refuse: CPU and wall time.

    .venv/bin/python -m bench.bench_bounds

In one process, through the app (FastAPI's test client): each request's CPU time
(``time.process_time``: steadier than the wall clock on a busy machine) and wall time.
The allowed ones should take well under BPX_REQUEST_SECONDS; the refused ones, milliseconds.
Not part of ``make bench``: it measures bounds, not speed against a reference.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.main import app
from app.share import encode_graph
from tests.heavy import chain, fan_in, scalar_chain, skip


def random_dag(n: int, window: int, seed: int = 0) -> dict[str, Any]:
    """``n`` nodes, each adding two of the ``window`` nodes before it: many crossings."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = [{"id": f"i{k}", "op": "input", "value": 1.0} for k in range(4)]
    while len(nodes) < n:
        low = max(0, len(nodes) - window)
        a, b = rng.randrange(low, len(nodes)), rng.randrange(low, len(nodes))
        nodes.append(
            {"id": f"m{len(nodes)}", "op": "add", "inputs": [nodes[a]["id"], nodes[b]["id"]]}
        )
    return {"nodes": nodes}


def wide_param(size: int) -> dict[str, Any]:
    """One param of ``size`` elements through a sigmoid and a sum: a check of big arrays."""
    return {
        "nodes": [
            {"id": "x", "op": "param", "value": [0.5] * size},
            {"id": "y", "op": "sigmoid", "inputs": ["x"]},
            {"id": "s", "op": "sum", "inputs": ["y"]},
        ]
    }


def main() -> None:
    client = TestClient(app)
    heaviest_train = {"hidden_size": 100, "max_epoch": 1_000, "batch_size": 30}
    cases: list[tuple[str, Callable[[], Any]]] = [
        (
            "GET /explore?z= a chain of 1,000 nodes",
            lambda: client.get("/explore", params={"z": encode_graph(chain(1_000))}),
        ),
        (
            "GET /explore?z= 100 nodes all reading x (9,800 cells)",
            lambda: client.get("/explore", params={"z": encode_graph(skip(100))}),
        ),
        (
            "GET /explore?z= 1,000 nodes, many crossings",
            lambda: client.get("/explore", params={"z": encode_graph(random_dag(1_000, 150))}),
        ),
        (
            "POST /explore/view 1,000 nodes, many crossings",
            lambda: client.post("/explore/view", json={"graph": random_dag(1_000, 150)}),
        ),
        (
            "POST /api/gradcheck 50 numbers, 400 sigmoids (at the work limit)",
            lambda: client.post("/api/gradcheck", json={"graph": scalar_chain(50, 400)}),
        ),
        (
            "POST /api/gradcheck a param of 4,500 (at the work limit)",
            lambda: client.post("/api/gradcheck", json={"graph": wide_param(4_500)}),
        ),
        (
            "POST /api/train the heaviest (10,000 updates)",
            lambda: client.post("/api/train", json=heaviest_train),
        ),
        (
            "GET /lab the heaviest",
            lambda: client.get("/lab", params={k: str(v) for k, v in heaviest_train.items()}),
        ),
        (
            "refused: GET /explore?z= 1,000 nodes all reading x",
            lambda: client.get("/explore", params={"z": encode_graph(skip(1_000))}),
        ),
        (
            "refused: GET /explore?z= one input listed 50,000 times",
            lambda: client.get("/explore", params={"z": encode_graph(fan_in(50_000))}),
        ),
    ]
    client.get("/explore/apple")  # templates compiled, examples built
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, call in cases:
        wall, cpu = time.perf_counter(), time.process_time()
        response = call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"{response.status_code}  cpu {cpu:5.2f} s  wall {wall:5.2f} s  {name}", flush=True)


if __name__ == "__main__":
    main()
