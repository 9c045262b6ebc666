"""core.step: one optimizer step on a graph spec."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from core.errors import GraphError, NonFiniteError, OptimizerError, SpecError
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
    assert set(data) == {"optimizer", "hyper", "graph", "before", "after", "state"}
    assert data["state"] == {
        "optimizer": "adagrad",
        "t": 1,
        "params": {"w": {"h": pytest.approx([36.0, 16.0])}},
    }
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


# --- the optimizer's state carries from step to step ---------------------------------


def steps_through_the_state(
    spec: dict[str, Any], name: str, count: int, **hyper: float
) -> list[float]:
    """``count`` steps, each sending back the state the previous one returned."""
    losses, state = [], None
    for _ in range(count):
        result = step_graph(spec, name, hyper, state=state)
        spec, state = spec_to_dict(result.spec), result.state.to_dict()
        losses.append(float(result.after.value))
    return losses


def core_optimizer_steps(name: str, count: int, **hyper: float) -> list[float]:
    """The same steps by the core's optimizer object itself, kept alive between them."""
    from core.optimizers import make_optimizer

    w = np.array([3.0, -2.0])
    opt = make_optimizer(name, **hyper)
    losses = []
    for _ in range(count):
        opt.update([w], [2 * w])
        losses.append(float(np.sum(w**2)))
    return losses


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_steps_with_the_state_equal_the_core_optimizer_kept_alive(name: str) -> None:
    assert steps_through_the_state(QUADRATIC, name, 4, lr=0.1) == pytest.approx(
        core_optimizer_steps(name, 4, lr=0.1), rel=1e-12
    )


def test_two_momentum_steps_differ_from_two_sgd_steps() -> None:
    momentum = steps_through_the_state(QUADRATIC, "momentum", 2, lr=0.1)
    sgd = steps_through_the_state(QUADRATIC, "sgd", 2, lr=0.1)
    assert momentum[0] == pytest.approx(sgd[0])  # v starts at 0: the first step is SGD's
    assert momentum[1] != pytest.approx(sgd[1])


def test_adam_counts_its_updates_in_the_state() -> None:
    first = step_graph(QUADRATIC, "adam")
    second = step_graph(spec_to_dict(first.spec), "adam", state=first.state.to_dict())
    assert (first.state.t, second.state.t) == (1, 2)
    assert set(second.state.params["w"]) == {"m", "v"}


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ({"optimizer": "adam", "t": 1, "params": {}}, "the state is 'adam''s, not 'momentum''s"),
        ({"optimizer": "momentum", "t": -1, "params": {}}, "t must be a whole number"),
        ({"optimizer": "momentum", "t": 1, "params": {}}, "param 'w' must hold momentum's v"),
        (
            {"optimizer": "momentum", "t": 1, "params": {"w": {"v": [1.0]}}},
            "has shape (1,) but the param has (2,)",
        ),
        (
            {"optimizer": "momentum", "t": 1, "params": {"w": {"v": [0, 0]}, "q": {"v": [0]}}},
            "holds param 'q', which this graph does not have",
        ),
        (
            {"optimizer": "momentum", "t": 1, "params": {"w": {"v": [1e400, 0]}}},
            "inf or nan",
        ),
        ({"optimizer": "momentum", "t": 1, "params": {}, "x": 1}, "unknown field(s) x"),
    ],
)
def test_a_state_that_does_not_fit_is_refused_by_name(state: dict[str, Any], words: str) -> None:
    with pytest.raises(GraphError) as caught:
        step_graph(QUADRATIC, "momentum", state=state)
    assert words in str(caught.value)
