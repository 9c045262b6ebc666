"""core.step: one optimizer step on a graph spec."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import NonFiniteError, OptimizerError, SpecError
from core.examples import EXAMPLES
from core.step import spec_to_dict, step_graph

QUADRATIC = {
    "nodes": [
        {"id": "w", "op": "param", "value": [3.0, -2.0]},
        {"id": "sq", "op": "pow", "inputs": ["w"], "attrs": {"exponent": 2}},
        {"id": "loss", "op": "sum", "inputs": ["sq"]},
    ]
}


def test_step_sgd_on_a_quadratic() -> None:
    result = step_graph(QUADRATIC, "sgd", {"lr": 0.25})
    # d/dw sum(w^2) = 2w; w - 0.25 * 2w = w / 2
    new_w = result.spec.nodes[0].value
    assert new_w == pytest.approx(np.array([1.5, -1.0]))
    assert float(result.before.value) == 13.0
    assert float(result.after.value) == 3.25


def test_step_momentum_first_step_equals_sgd() -> None:
    sgd = step_graph(QUADRATIC, "sgd", {"lr": 0.1})
    momentum = step_graph(QUADRATIC, "momentum", {"lr": 0.1})
    assert momentum.spec.nodes[0].value == pytest.approx(sgd.spec.nodes[0].value)


def test_step_does_not_touch_the_callers_spec() -> None:
    spec = EXAMPLES["two_layer_net"].fresh_spec()
    before = spec_to_dict(step_graph(spec, "sgd").spec)
    assert before != spec
    assert spec == EXAMPLES["two_layer_net"].spec


def test_step_to_dict_is_the_api_shape() -> None:
    data = step_graph(QUADRATIC, "adagrad").to_dict()
    assert set(data) == {"optimizer", "hyper", "graph", "before", "after"}
    assert data["graph"]["nodes"][0] == {
        "id": "w",
        "op": "param",
        "value": pytest.approx([2.99, -1.99]),
    }
    assert data["graph"]["nodes"][1]["attrs"] == {"exponent": 2}


def test_step_refuses_an_unknown_optimizer() -> None:
    with pytest.raises(OptimizerError, match="unknown optimizer 'newton'"):
        step_graph(QUADRATIC, "newton")


def test_step_refuses_a_graph_without_params() -> None:
    with pytest.raises(SpecError, match="no param node"):
        step_graph(EXAMPLES["apple"].spec)


def test_step_refuses_a_step_to_infinity() -> None:
    spec = {
        "nodes": [
            {"id": "w", "op": "param", "value": 1.0},
            {"id": "y", "op": "mul", "inputs": ["w", "w"]},
        ]
    }
    with pytest.raises(NonFiniteError) as info:
        step_graph(spec, "sgd", {"lr": 1e308})
    assert info.value.node == "w"
