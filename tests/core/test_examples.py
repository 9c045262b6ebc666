"""Every named example runs as it is, is explained in both languages, and checks out."""

from __future__ import annotations

import numpy as np
import pytest

from core import run_graph
from core.examples import EXAMPLES
from core.gradcheck import check_graph

REQUIRED = {
    "apple",
    "apple_orange",
    "repeat",
    "sum",
    "matmul",
    "affine",
    "sigmoid",
    "relu",
    "softmax",
    "softmax_with_loss",
    "two_layer_net",
}


def test_all_required_examples_exist() -> None:
    assert set(EXAMPLES) >= REQUIRED


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_runs_and_its_gradients_check(name: str) -> None:
    example = EXAMPLES[name]
    assert example.name == name
    for lang in ("en", "ko"):
        assert example.title[lang].strip() and example.description[lang].strip()
    run_graph(example.spec)
    assert check_graph(example.spec).passed


def test_apple_orange_uses_the_books_input_ids() -> None:
    ids = {n["id"] for n in EXAMPLES["apple_orange"].spec["nodes"] if n["op"] == "input"}
    assert ids == {"apple", "apple_num", "orange", "orange_num", "tax"}
    assert float(run_graph(EXAMPLES["apple_orange"].spec).value) == pytest.approx(715)


def test_two_layer_net_shows_gradients_for_its_four_params() -> None:
    spec = EXAMPLES["two_layer_net"].spec
    params = [n["id"] for n in spec["nodes"] if n["op"] == "param"]
    assert params == ["W1", "b1", "W2", "b2"]
    result = run_graph(spec)
    for p in params:
        grad = result.grad(p)
        assert grad is not None and grad.any(), f"{p} got no gradient"
    # tiny weights give near-uniform scores: a loss of about ln 3
    assert float(result.value) == pytest.approx(np.log(3), abs=0.01)


def test_fresh_spec_is_a_copy() -> None:
    spec = EXAMPLES["apple"].fresh_spec()
    spec["nodes"][0]["value"] = 1
    assert EXAMPLES["apple"].spec["nodes"][0]["value"] == 100
