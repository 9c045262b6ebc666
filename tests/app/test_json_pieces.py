"""app.api.deps.dumps: orjson's bytes exactly, a large answer in pieces that each hold the
GIL only briefly (the worker's event loop, and /healthz, run between two)."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import numpy as np
import orjson
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from app.api import deps
from core import run_graph
from core.examples import EXAMPLES

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=40,
)


def big_result() -> dict[str, Any]:
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(-1, 1, (100, 300)), 3).tolist()
    spec = {
        "nodes": [
            {"id": "s", "op": "input", "value": 2.0},
            {"id": "x", "op": "input", "value": x},
            {"id": "h", "op": "tanh", "inputs": ["x"]},
            {"id": "total", "op": "sum", "inputs": ["h"]},
        ]
    }
    return run_graph(spec).to_dict()


@given(JSON)
def test_the_bytes_are_orjsons(data: Any) -> None:
    assert deps.dumps(data) == orjson.dumps(data)


@pytest.mark.parametrize("piece", [1, 3, 50])
def test_in_pieces_the_bytes_are_orjsons_too(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    monkeypatch.setattr(deps, "PIECE_NUMBERS", piece)
    for data in (
        run_graph(EXAMPLES["two_layer_net"].spec).to_dict(),
        {"a": [[1, 2], [3, 4], []], "b": {"c": [{"d": 1.5}, {"e": "x"}]}, "f": []},
    ):
        assert deps.dumps(data) == orjson.dumps(data)


REAL_DUMPS = orjson.dumps


@pytest.fixture
def pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every piece orjson writes from here on, one entry per call."""
    sizes: list[int] = []

    def counted(piece: Any) -> bytes:
        out = REAL_DUMPS(piece)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(orjson, "dumps", counted)
    return sizes


def test_a_small_answer_is_one_call(pieces: list[int]) -> None:
    deps.dumps(run_graph(EXAMPLES["apple_orange"].spec).to_dict())
    assert len(pieces) == 1


def test_a_large_answer_is_written_in_bounded_pieces(pieces: list[int]) -> None:
    data = big_result()
    assert deps.numbers(data, 10**9) > 4 * 30_000  # x, h and their gradients
    assert deps.dumps(data) == REAL_DUMPS(data)
    whole = len(REAL_DUMPS(data))
    assert len(pieces) > 10
    assert max(pieces) < whole / 5, "one piece took most of the answer"


def test_numbers_counts_arrays_by_their_rows() -> None:
    assert deps.numbers({"a": [[0.0] * 300] * 100, "b": 1}, 10**9) == 30_001
    assert deps.numbers([{"v": [1, 2, 3]}, {"v": 4}], 10**9) == 4
    assert deps.numbers([], 10) == 1
    assert deps.numbers({"a": [[0.0] * 300] * 100}, 10) > 10  # stops early, past enough


def numbers_in(values: Any) -> int:
    """How many numbers a value or a gradient of the JSON form holds."""
    if values is None:
        return 0
    return int(np.size(values))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_cores_count_of_an_answers_numbers_is_right(name: str) -> None:
    result = run_graph(EXAMPLES[name].spec)
    data = result.to_dict()
    items = [*data["nodes"], *data["edges"]]
    held = sum(numbers_in(item["value"]) + numbers_in(item["grad"]) for item in items)
    grads_missing = sum(numbers_in(item["value"]) for item in items if item["grad"] is None)
    assert result.numbers == held + grads_missing  # a gradient into labels would be as large


def test_run_tells_dumps_the_count_instead_of_walking_the_answer(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def walked(data: Any, enough: int = 0) -> int:
        raise AssertionError("the answer was walked to count its numbers")

    monkeypatch.setattr(deps, "numbers", walked)
    spec = EXAMPLES["two_layer_net"].spec
    response = client.post("/api/run", json=spec)
    assert response.status_code == 200
    assert response.content == orjson.dumps(run_graph(spec).to_dict())


def test_a_large_count_writes_pieces_a_small_one_call(pieces: list[int]) -> None:
    data = big_result()
    assert deps.dumps(data, count=deps.PIECE_NUMBERS) == REAL_DUMPS(data)
    assert len(pieces) == 1
    pieces.clear()
    assert deps.dumps(data, count=deps.PIECE_NUMBERS + 1) == REAL_DUMPS(data)
    assert len(pieces) > 1


def test_a_large_answer_is_made_of_chunks_of_at_least_chunk_bytes() -> None:
    data = big_result()
    chunks = deps.json_chunks(data, deps.numbers(data, 10**9))
    assert b"".join(chunks) == orjson.dumps(data)
    assert len(chunks) > 1
    assert all(len(chunk) >= deps.CHUNK_BYTES for chunk in chunks[:-1])
    assert deps.json_chunks({"a": 1}) == [orjson.dumps({"a": 1})]


def sent_by(response: Any) -> list[tuple[str, Any]]:
    """What an ASGI response sends, with what another task did meanwhile."""
    events: list[tuple[str, Any]] = []

    async def send(message: Any) -> None:  # the socket takes it at once: no await inside
        events.append(("send", message))

    async def other() -> None:
        for _ in range(50):
            events.append(("other", None))
            await asyncio.sleep(0)

    async def both() -> None:
        task = asyncio.create_task(other())
        await asyncio.sleep(0)
        await response({"type": "http"}, None, send)
        await task

    asyncio.run(both())
    return events


def test_a_chunked_answer_says_its_length_and_sends_its_chunks_in_order() -> None:
    chunks = [b'{"a":', b"[1,2,", b"3]}"]
    events = sent_by(deps.JSONChunks(chunks))
    messages = [message for kind, message in events if kind == "send"]
    start, *bodies = messages
    assert start["type"] == "http.response.start" and start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-length"] == b"13" and headers[b"content-type"] == b"application/json"
    assert [body["body"] for body in bodies] == chunks
    assert [body["more_body"] for body in bodies] == [True, True, False]


def test_the_event_loop_serves_others_between_two_chunks() -> None:
    """A send the socket takes at once does not suspend: without a checkpoint the whole
    answer went out before any other request (/healthz) got a turn."""
    events = sent_by(deps.JSONChunks([b"[", b"1", b",", b"2", b"]"]))
    kinds = [kind for kind, _ in events]
    sends = [i for i, kind in enumerate(kinds) if kind == "send"]
    between = [kinds[a + 1 : b] for a, b in itertools.pairwise(sends[1:])]
    assert all("other" in gap for gap in between)


def test_run_sends_a_large_answer_in_chunks(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[0.5] * 300] * 300},
            {"id": "h", "op": "tanh", "inputs": ["x"]},
            {"id": "total", "op": "sum", "inputs": ["h"]},
        ]
    }
    response = client.post("/api/run", json=spec)
    assert response.status_code == 200
    assert response.content == orjson.dumps(run_graph(spec).to_dict())
    assert int(response.headers["content-length"]) == len(response.content) > deps.CHUNK_BYTES
