"""A live uvicorn on 127.0.0.1 hit by many threads at once, each with its own numbers."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from core.examples import EXAMPLES

THREADS = 32
REQUESTS_PER_THREAD = 12


def apple_orange(apple: float, apple_num: float, orange: float, orange_num: float, tax: float):
    spec = EXAMPLES["apple_orange"].fresh_spec()
    values = {
        "apple": apple,
        "apple_num": apple_num,
        "orange": orange,
        "orange_num": orange_num,
        "tax": tax,
    }
    for node in spec["nodes"]:
        if node["id"] in values:
            node["value"] = values[node["id"]]
    return spec


def check_run(client: httpx.Client, rng: random.Random) -> None:
    a, an, o, on, t = (rng.uniform(1, 200) for _ in range(5))
    response = client.post("/api/run", json=apple_orange(a, an, o, on, t))
    assert response.status_code == 200, response.text
    result = response.json()
    grads = {n["id"]: n["grad"] for n in result["nodes"]}
    assert result["value"] == pytest.approx((a * an + o * on) * t)
    assert grads["apple"] == pytest.approx(an * t)
    assert grads["orange_num"] == pytest.approx(o * t)
    assert grads["tax"] == pytest.approx(a * an + o * on)


def check_expression(client: httpx.Client, rng: random.Random) -> None:
    x, y = rng.uniform(-5, 5), rng.uniform(-5, 5)
    response = client.post(
        "/api/expression", json={"expression": "x*y + x", "values": {"x": x, "y": y}}
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    grads = {n["id"]: n["grad"] for n in result["nodes"]}
    assert result["value"] == pytest.approx(x * y + x)
    assert grads["x"] == pytest.approx(y + 1)
    assert grads["y"] == pytest.approx(x)


def check_step(client: httpx.Client, rng: random.Random) -> None:
    w, lr = rng.uniform(-3, 3), rng.uniform(0.01, 0.5)
    spec = {
        "nodes": [
            {"id": "w", "op": "param", "value": w},
            {"id": "loss", "op": "mul", "inputs": ["w", "w"]},
        ]
    }
    response = client.post("/api/step", json={"graph": spec, "hyper": {"lr": lr}})
    assert response.status_code == 200, response.text
    moved = response.json()["graph"]["nodes"][0]["value"]
    assert moved == pytest.approx(w - lr * 2 * w)


def check_error(client: httpx.Client, rng: random.Random) -> None:
    node_id = f"n{rng.randrange(10**6)}"
    spec = {"nodes": [{"id": node_id, "op": "log", "inputs": ["nowhere"]}]}
    response = client.post("/api/run", json=spec)
    assert response.status_code == 422
    assert response.json()["node"] == node_id


CHECKS = [check_run, check_expression, check_step, check_error]


def test_many_threads_get_their_own_answers(live_server: str) -> None:
    barrier = threading.Barrier(THREADS)

    def worker(seed: int) -> int:
        rng = random.Random(seed)
        with httpx.Client(base_url=live_server, timeout=30) as client:
            barrier.wait()  # start together
            for i in range(REQUESTS_PER_THREAD):
                CHECKS[(seed + i) % len(CHECKS)](client, rng)
        return REQUESTS_PER_THREAD

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        done = sum(pool.map(worker, range(THREADS)))
    assert done == THREADS * REQUESTS_PER_THREAD


def test_live_server_refuses_a_chunked_body_over_the_limit(live_server: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"nodes": [{"id": "x", "op": "input", "value": ['
        for _ in range(400):
            yield b"1.0," * 2_000  # 8 kB a chunk, 3.2 MB in all
        yield b"1.0]}]}"

    headers = {"content-type": "application/json"}
    try:
        response = httpx.post(f"{live_server}/api/run", content=chunks(), headers=headers)
    except httpx.WriteError:
        pytest.fail("the server closed the connection without answering 413")
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    body: dict[str, Any] = response.json()
    assert body["code"] == "body_too_large"
