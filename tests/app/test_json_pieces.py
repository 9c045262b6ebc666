"""app.api.deps.dumps: orjson's bytes exactly, a large answer in pieces that each hold the
GIL only briefly (the worker's event loop, and /healthz, run between two)."""

from __future__ import annotations

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


def test_a_small_answer_is_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = orjson.dumps

    def counted(piece: Any) -> bytes:
        calls.append(1)
        return real(piece)

    monkeypatch.setattr(orjson, "dumps", counted)
    deps.dumps(run_graph(EXAMPLES["apple_orange"].spec).to_dict())
    assert len(calls) == 1


def test_a_large_answer_is_written_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_result()
    assert deps.numbers(data, 10**9) > 4 * 30_000  # x, h and their gradients
    sizes: list[int] = []
    real = orjson.dumps

    def counted(piece: Any) -> bytes:
        out = real(piece)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(orjson, "dumps", counted)
    assert deps.dumps(data) == real(data)
    whole = len(real(data))
    assert len(sizes) > 10
    assert max(sizes) < whole / 5, "one piece took most of the answer"


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


def test_a_large_count_writes_pieces_a_small_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_result()
    calls: list[int] = []
    real = orjson.dumps

    def counted(piece: Any) -> bytes:
        calls.append(1)
        return real(piece)

    monkeypatch.setattr(orjson, "dumps", counted)
    assert deps.dumps(data, count=deps.PIECE_NUMBERS) == real(data)
    assert len(calls) == 1
    calls.clear()
    assert deps.dumps(data, count=deps.PIECE_NUMBERS + 1) == real(data)
    assert len(calls) > 1
