"""TwoLayerNet: the book's initialisation, params/grads wiring, and backprop against numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core.layers import Affine, Sigmoid, SoftmaxWithLoss
from core.models import TwoLayerNet
from core.optimizers import SGD


def global_state() -> np.ndarray:
    """The key of NumPy's global legacy generator, to see whether something drew from it."""
    state = np.random.get_state()
    assert isinstance(state, tuple)
    return state[1].copy()


def numerical_gradient(net: TwoLayerNet, x: np.ndarray, t: np.ndarray) -> list[np.ndarray]:
    """Central differences of the loss for every entry of every parameter."""
    h = 1e-5
    grads = []
    for param in net.params:
        grad = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            saved = param[idx]
            param[idx] = saved + h
            loss_plus = net.forward(x, t)
            param[idx] = saved - h
            loss_minus = net.forward(x, t)
            param[idx] = saved
            grad[idx] = (loss_plus - loss_minus) / (2 * h)
        grads.append(grad)
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    scale = float(np.linalg.norm(a) + np.linalg.norm(b))
    return float(np.linalg.norm(a - b)) / max(scale, 1e-300)


def check_against_numbers(net: TwoLayerNet, x: np.ndarray, t: np.ndarray) -> None:
    expected = numerical_gradient(net, x, t)
    net.forward(x, t)
    net.backward()
    names = ["W1", "b1", "W2", "b2"]
    for name, analytic, numeric in zip(names, net.grads, expected, strict=True):
        error = relative_error(analytic, numeric)
        assert error < 1e-6, f"d loss / d {name}: relative error {error:.2e} against numbers"


@pytest.mark.parametrize("labels", ["indices", "one-hot"])
def test_backprop_matches_the_numerical_gradient(labels: str) -> None:
    """The net as the book builds it: 0.01 * randn weights, the book's loss."""
    rng = np.random.default_rng(0)
    net = TwoLayerNet(3, 5, 4, rng=rng)
    x = rng.standard_normal((6, 3))
    t_idx = np.array([0, 1, 2, 3, 1, 2])
    t = t_idx if labels == "indices" else np.eye(4, dtype=np.int64)[t_idx]
    check_against_numbers(net, x, t)


def test_backprop_matches_the_numerical_gradient_with_large_weights() -> None:
    """Weights of size 1, so sigmoid and softmax are far from linear.

    The book's loss takes log(y + 1e-7), whose true derivative is off from the
    backward's (y - t) / N by about 1e-7 / y: with some y near 0.01 a check at 1e-6
    sees that. The exact log-softmax loss has the same backward and no such term.
    """
    rng = np.random.default_rng(0)
    net = TwoLayerNet(3, 5, 4, rng=rng)
    for param in net.params:
        param[...] = rng.standard_normal(param.shape)
    net.loss_layer = SoftmaxWithLoss(exact=True)
    check_against_numbers(net, rng.standard_normal((6, 3)), np.array([0, 1, 2, 3, 1, 2]))


def test_backward_returns_the_gradient_of_the_input() -> None:
    rng = np.random.default_rng(1)
    net = TwoLayerNet(2, 4, 3, rng=rng)
    # With 0.01 weights dx is about 1e-6, below what central differences resolve.
    for param in net.params:
        param[...] = rng.standard_normal(param.shape)
    net.loss_layer = SoftmaxWithLoss(exact=True)
    x = rng.standard_normal((5, 2))
    t = np.array([0, 1, 2, 1, 0])
    net.forward(x, t)
    dx = net.backward()
    assert dx.shape == (5, 2)
    h, numeric = 1e-5, np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[idx] += h
        x_minus[idx] -= h
        numeric[idx] = (net.forward(x_plus, t) - net.forward(x_minus, t)) / (2 * h)
    assert relative_error(dx, numeric) < 1e-6


def test_params_and_grads_match_in_order_and_shape() -> None:
    net = TwoLayerNet(2, 10, 3)
    assert [p.shape for p in net.params] == [(2, 10), (10,), (10, 3), (3,)]
    assert [g.shape for g in net.grads] == [p.shape for p in net.params]
    assert all(p.dtype == np.float64 for p in net.params)


def test_layers_are_the_books() -> None:
    net = TwoLayerNet(2, 10, 3)
    assert [type(layer) for layer in net.layers] == [Affine, Sigmoid, Affine]
    np.testing.assert_array_equal(net.params[1], np.zeros(10))
    np.testing.assert_array_equal(net.params[3], np.zeros(3))


def test_lists_hold_the_layers_own_arrays() -> None:
    net = TwoLayerNet(2, 10, 3)
    first, last = net.layers[0], net.layers[2]
    assert net.params[0] is first.params[0] and net.params[3] is last.params[1]
    assert net.grads[0] is first.grads[0] and net.grads[3] is last.grads[1]


def test_backward_writes_grads_in_place_and_the_optimizer_moves_the_layers() -> None:
    rng = np.random.default_rng(2)
    net = TwoLayerNet(2, 4, 3, rng=rng)
    grads_before = list(net.grads)
    x, t = rng.standard_normal((8, 2)), rng.integers(0, 3, 8)
    net.forward(x, t)
    net.backward()
    assert all(g is g0 for g, g0 in zip(net.grads, grads_before, strict=True)), (
        "net.grads now holds other arrays: an optimizer holding the old list sees nothing"
    )
    assert all(np.any(g != 0) for g in net.grads), (
        "a gradient in net.grads is still all zeros: did a layer's backward replace its array "
        "(grads[0] = dW) instead of writing into it (grads[0][...] = dW)?"
    )

    W1 = net.layers[0].params[0]
    W1_before = W1.copy()
    SGD(lr=0.1).update(net.params, net.grads)
    np.testing.assert_allclose(W1, W1_before - 0.1 * net.grads[0])


def test_default_initialisation_draws_from_the_global_generator_like_the_book() -> None:
    np.random.seed(1984)
    net = TwoLayerNet(2, 10, 3)
    stream = np.random.RandomState(1984)
    np.testing.assert_array_equal(net.params[0], 0.01 * stream.randn(2, 10))
    np.testing.assert_array_equal(net.params[2], 0.01 * stream.randn(10, 3))


def test_rng_argument_makes_the_weights_reproducible_without_global_state() -> None:
    np.random.seed(3)
    state = global_state()
    a, b = TwoLayerNet(2, 10, 3, rng=42), TwoLayerNet(2, 10, 3, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(global_state(), state)
    for pa, pb in zip(a.params, b.params, strict=True):
        np.testing.assert_array_equal(pa, pb)
    assert not np.array_equal(a.params[0], TwoLayerNet(2, 10, 3, rng=43).params[0])


def test_predict_gives_scores_per_class() -> None:
    net = TwoLayerNet(2, 10, 3, rng=0)
    assert net.predict(np.zeros((7, 2))).shape == (7, 3)
    # Tiny weights and zero biases: every class about equally likely, loss about log 3.
    loss = net.forward(np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    assert loss == pytest.approx(np.log(3), abs=0.01)


@pytest.mark.parametrize("sizes", [(0, 10, 3), (2, -1, 3), (2, 10, 2.5), (True, 10, 3)])
def test_bad_sizes_are_refused(sizes: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="must be a positive integer"):
        TwoLayerNet(*sizes)


def test_bad_rng_is_refused() -> None:
    with pytest.raises(ValueError, match="rng must be a seed or a NumPy generator"):
        TwoLayerNet(2, 10, 3, rng="1984")  # type: ignore[arg-type]
