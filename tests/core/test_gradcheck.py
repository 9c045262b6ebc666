"""The gradient check itself: it passes right layers and catches the seed notes' mistakes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from core import layers
from core.errors import LayerCheckError, LimitError
from core.gradcheck import check_graph, check_layer, numerical_gradient

rng = np.random.default_rng(7)


def test_numerical_gradient_of_a_square_is_twice_x() -> None:
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda a: float(np.sum(a**2)), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)
    np.testing.assert_array_equal(x, [[1.0, -2.0], [0.5, 3.0]])  # restored


@pytest.mark.parametrize(
    ("layer", "inputs"),
    [
        (layers.MatMul(rng.standard_normal((3, 4))), (rng.standard_normal((5, 3)),)),
        (
            layers.Affine(rng.standard_normal((3, 4)), rng.standard_normal(4)),
            (rng.standard_normal((5, 3)),),
        ),
        (layers.Sigmoid(), (rng.standard_normal((4, 3)),)),
        (layers.Tanh(), (rng.standard_normal((4, 3)),)),
        (layers.ReLU(), (rng.standard_normal((4, 3)) + 0.05,)),
        (layers.Softmax(), (rng.standard_normal((4, 3)),)),
        (layers.Repeat(3, axis=0), (rng.standard_normal((1, 4)),)),
        (layers.Sum(axis=0, keepdims=True), (rng.standard_normal((4, 3)),)),
        (layers.MulLayer(), (rng.standard_normal((2, 3)), rng.standard_normal(3))),
        (layers.AddLayer(), (rng.standard_normal((2, 3)), rng.standard_normal((2, 1)))),
        (layers.DivLayer(), (rng.standard_normal(3), rng.uniform(1, 2, (2, 3)))),
        (layers.SoftmaxWithLoss(exact=True), (rng.standard_normal((4, 3)), np.array([0, 2, 1, 1]))),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, tuple) else "",
)
def test_every_book_layer_passes(layer: Any, inputs: tuple[NDArray[Any], ...]) -> None:
    report = check_layer(layer, *inputs)
    assert report.passed, report.to_dict()
    assert report.arrays


class ReluThatChangesDout:
    """The book's ReLU backward: it zeroes the caller's dout in place."""

    def __init__(self) -> None:
        self.params: list[Any] = []
        self.grads: list[Any] = []

    def forward(self, x: NDArray[Any]) -> NDArray[Any]:
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout: NDArray[Any]) -> NDArray[Any]:
        dout[self.mask] = 0
        return dout


class MatMulThatForgetsGrads:
    def __init__(self, W: NDArray[Any]) -> None:
        self.params = [W]
        self.grads = [np.zeros_like(W)]

    def forward(self, x: NDArray[Any]) -> NDArray[Any]:
        self.x = x
        return np.matmul(x, self.params[0])

    def backward(self, dout: NDArray[Any]) -> NDArray[Any]:
        (W,) = self.params
        dW = np.matmul(self.x.T, dout)  # computed, never written to self.grads  # noqa: F841
        return np.matmul(dout, W.T)


class MatMulWithTypo(MatMulThatForgetsGrads):
    def backward(self, dout: NDArray[Any]) -> NDArray[Any]:
        return np.matmult(dout, self.W.T)  # type: ignore[attr-defined]  # seed-note slips


class SigmoidWithWrongBackward(layers.Sigmoid):
    def backward(self, dout: NDArray[Any]) -> NDArray[Any]:
        return dout * self.out  # forgot (1 - out)


def test_relu_that_changes_dout_in_place_is_reported() -> None:
    x = rng.standard_normal((3, 4))
    report = check_layer(ReluThatChangesDout(), x)
    assert not report.passed
    assert any("changed the caller's dout" in p for p in report.problems)


def test_backward_that_forgets_to_write_grads_is_reported() -> None:
    report = check_layer(
        MatMulThatForgetsGrads(rng.standard_normal((3, 2))), rng.standard_normal((4, 3))
    )
    assert not report.passed
    assert report["inputs[0]"].passed
    assert not report["params[0]"].passed
    assert any("grads[0][...]" in p for p in report.problems)


def test_a_typo_in_backward_gives_a_message_not_a_traceback() -> None:
    with pytest.raises(LayerCheckError, match=r"MatMulWithTypo.backward raised AttributeError"):
        check_layer(MatMulWithTypo(rng.standard_normal((3, 2))), rng.standard_normal((4, 3)))


def test_a_wrong_local_derivative_fails_with_its_error_size() -> None:
    report = check_layer(SigmoidWithWrongBackward(), rng.standard_normal((3, 3)))
    assert not report.passed
    assert report["inputs[0]"].max_rel_error > 0.1


def test_an_object_without_params_and_grads_is_refused() -> None:
    with pytest.raises(LayerCheckError, match="params"):
        check_layer(object(), np.ones(3))


def test_graph_check_covers_inputs_and_params_but_not_labels() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1.0, 2.0]]},
            {"id": "W", "op": "param", "value": [[0.5, -1.0, 0.2], [0.1, 0.3, -0.2]]},
            {"id": "t", "op": "input", "value": [1]},
            {"id": "s", "op": "matmul", "inputs": ["x", "W"]},
            {"id": "L", "op": "softmax_with_loss", "inputs": ["s", "t"]},
        ]
    }
    report = check_graph(spec)
    assert report.passed
    assert [a.name for a in report.arrays] == ["x", "W"]
    d = report.to_dict()
    assert d["arrays"][1]["shape"] == [2, 3] and d["passed"] is True


def test_graph_check_refuses_too_much_work() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [0.0] * 6000},
            {"id": "y", "op": "neg", "inputs": ["x"]},
        ]
    }
    with pytest.raises(LimitError, match="perturb 6000 elements"):
        check_graph(spec)


def test_graph_check_rejects_a_bad_eps() -> None:
    with pytest.raises(ValueError, match="eps"):
        check_graph({"nodes": [{"id": "x", "op": "input", "value": 1.0}]}, eps=0.0)


# --- a kink is not a wrong gradient ---------------------------------------------------


def _relu_of(x: float, through_mul: bool = False) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": x}]
    feed = "x"
    if through_mul:
        nodes += [
            {"id": "k", "op": "input", "value": 2.0},
            {"id": "m", "op": "mul", "inputs": ["x", "k"]},
        ]
        feed = "m"
    nodes.append({"id": "r", "op": "relu", "inputs": [feed]})
    return {"nodes": nodes}


def test_a_mismatch_at_relus_kink_says_it_is_a_kink() -> None:
    check = check_graph(_relu_of(0.0))["x"]
    assert not check.passed
    assert check.kink is not None
    assert "node 'r' (relu)" in check.kink and "no derivative" in check.kink


def test_a_kink_reached_through_other_nodes_is_found() -> None:
    check = check_graph(_relu_of(0.0, through_mul=True))["x"]
    assert not check.passed and check.kink is not None
    assert "the input 'm' of node 'r'" in check.kink


def test_away_from_the_kink_there_is_nothing_to_explain() -> None:
    check = check_graph(_relu_of(1.0))["x"]
    assert check.passed and check.kink is None
    assert check.to_dict()["kink"] is None


def test_a_kink_says_where_it_is_in_both_languages_of_the_pages() -> None:
    check = check_graph(_relu_of(0.0))["x"]
    assert check.kink_at is not None
    assert (check.kink_at.input, check.kink_at.node, check.kink_at.op) == ("x", "r", "relu")
    assert check.kink == check.kink_at.message("en")
    korean = check.kink_at.message("ko")
    assert "'r'" in korean and "'x'" in korean and "미분이 없습니다" in korean
    assert check.kink_at.message("fr") == check.kink, "a language without the text: English"
