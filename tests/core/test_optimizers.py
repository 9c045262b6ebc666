"""Optimizers: one hand-computed step each, the book's defaults, and make_optimizer's errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.optimizers import (
    EPSILON,
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    make_optimizer,
)

BOOK_DEFAULTS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "nesterov": {"lr": 0.01, "momentum": 0.9},
    "adagrad": {"lr": 0.01},
    "rmsprop": {"lr": 0.01, "decay_rate": 0.99},
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999},
}


def params_and_grads() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Two parameters of different shapes, with gradients of both signs."""
    params = [np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.25, -0.75])]
    grads = [np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([-0.3, 0.1])]
    return params, grads


def test_registry_names_every_optimizer_in_lowercase() -> None:
    classes = [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam]
    assert list(OPTIMIZERS) == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    assert list(OPTIMIZERS.values()) == classes


@pytest.mark.parametrize("name", list(BOOK_DEFAULTS))
def test_defaults_are_the_books(name: str) -> None:
    cls = OPTIMIZERS[name]
    assert cls.hyperparameters() == BOOK_DEFAULTS[name]
    optimizer = cls()
    for key, value in BOOK_DEFAULTS[name].items():
        assert getattr(optimizer, key) == value, f"{name}.{key} should default to {value}"


def test_hyperparameters_returns_a_copy() -> None:
    SGD.hyperparameters()["lr"] = 5.0
    assert SGD.hyperparameters() == {"lr": 0.01}


def test_epsilon_is_the_books() -> None:
    assert EPSILON == 1e-7


def test_sgd_step() -> None:
    params, grads = params_and_grads()
    W, b = params
    SGD(lr=0.1).update(params, grads)
    np.testing.assert_allclose(W, [[0.95, -1.9], [0.3, 3.0]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(b, [0.28, -0.76], rtol=0, atol=1e-15)
    assert params[0] is W, "update must change the arrays in place, not replace them"


def test_update_reaches_the_arrays_a_layer_holds() -> None:
    """A view into a layer's weights moves too: nothing is copied on the way."""
    W = np.ones((2, 2))
    held_by_layer = W[:]
    SGD(lr=0.5).update([W], [np.full((2, 2), 2.0)])
    np.testing.assert_array_equal(held_by_layer, np.zeros((2, 2)))


def test_momentum_two_steps() -> None:
    w, lr, m = np.array([1.0]), 0.1, 0.9
    optimizer = Momentum(lr=lr, momentum=m)
    optimizer.update([w], [np.array([2.0])])
    v1 = -lr * 2.0  # v starts at 0
    assert w[0] == pytest.approx(1.0 + v1)
    optimizer.update([w], [np.array([-1.0])])
    v2 = m * v1 - lr * -1.0
    assert w[0] == pytest.approx(1.0 + v1 + v2)


def test_nesterov_two_steps() -> None:
    w, lr, m = np.array([1.0]), 0.1, 0.9
    optimizer = Nesterov(lr=lr, momentum=m)
    expected, v = 1.0, 0.0
    for g in (2.0, -1.0):
        optimizer.update([w], [np.array([g])])
        v = m * v - lr * g
        expected += m * m * v - (1 + m) * lr * g
        assert w[0] == pytest.approx(expected)


def test_adagrad_steps_shrink_as_squares_pile_up() -> None:
    w, lr = np.array([0.0]), 0.5
    optimizer = AdaGrad(lr=lr)
    optimizer.update([w], [np.array([3.0])])
    first = lr * 3.0 / (math.sqrt(9.0) + EPSILON)
    assert w[0] == pytest.approx(-first)
    optimizer.update([w], [np.array([3.0])])
    second = lr * 3.0 / (math.sqrt(18.0) + EPSILON)
    assert w[0] == pytest.approx(-first - second)
    assert second < first


def test_rmsprop_two_steps() -> None:
    w, lr, d = np.array([0.0]), 0.01, 0.99
    optimizer = RMSprop(lr=lr, decay_rate=d)
    h, expected = 0.0, 0.0
    for g in (2.0, -4.0):
        optimizer.update([w], [np.array([g])])
        h = d * h + (1 - d) * g * g
        expected -= lr * g / (math.sqrt(h) + EPSILON)
        assert w[0] == pytest.approx(expected)


def test_adam_two_steps_by_hand() -> None:
    w, lr, b1, b2 = np.array([0.0]), 0.001, 0.9, 0.999
    optimizer = Adam()
    m = v = expected = 0.0
    for k, g in enumerate((0.5, -2.0), start=1):
        optimizer.update([w], [np.array([g])])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        lr_t = lr * math.sqrt(1 - b2**k) / (1 - b1**k)
        expected -= lr_t * m / (math.sqrt(v) + EPSILON)
        assert w[0] == pytest.approx(expected, rel=1e-12)
    assert optimizer.t == 2


def test_adam_bias_correction_makes_the_first_step_about_lr() -> None:
    """m and v start at 0; without the correction the first step would be about 3.16 lr."""
    params, grads = params_and_grads()
    before = [p.copy() for p in params]
    Adam(lr=0.01).update(params, grads)
    for p, p0, g in zip(params, before, grads, strict=True):
        step = p0 - p
        nonzero = g != 0
        # Off from lr only by epsilon's share: 1e-7 / (sqrt(1 - beta2) |g|) <= 3.2e-5 here.
        np.testing.assert_allclose(step[nonzero], 0.01 * np.sign(g[nonzero]), rtol=1e-4)
        np.testing.assert_array_equal(step[~nonzero], 0.0)


@pytest.mark.parametrize("name", list(BOOK_DEFAULTS))
def test_every_optimizer_moves_against_the_gradient(name: str) -> None:
    params, grads = params_and_grads()
    before = [p.copy() for p in params]
    make_optimizer(name).update(params, grads)
    for p, p0, g in zip(params, before, grads, strict=True):
        assert np.all(np.sign(p0 - p) == np.sign(g)), f"{name} stepped the wrong way"


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_state_is_one_array_per_parameter(name: str) -> None:
    params, grads = params_and_grads()
    optimizer = make_optimizer(name)
    optimizer.update(params, grads)
    state = vars(optimizer)["h" if name in ("adagrad", "rmsprop") else "v"]
    assert [s.shape for s in state] == [p.shape for p in params]


@pytest.mark.parametrize("name", list(BOOK_DEFAULTS))
def test_mismatched_lists_are_refused(name: str) -> None:
    params, grads = params_and_grads()
    with pytest.raises(ValueError, match="2 parameters but 1 gradients"):
        make_optimizer(name).update(params, grads[:1])


def test_make_optimizer_sets_hyperparameters_and_keeps_other_defaults() -> None:
    optimizer = make_optimizer("Adam", lr=0.01)
    assert isinstance(optimizer, Adam)
    assert (optimizer.lr, optimizer.beta1, optimizer.beta2) == (0.01, 0.9, 0.999)
    assert isinstance(make_optimizer(" momentum ", momentum=0.5), Momentum)


def test_make_optimizer_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'") as info:
        make_optimizer("adamw")
    for name in OPTIMIZERS:
        assert name in str(info.value)


def test_make_optimizer_unknown_hyperparameter_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError) as info:
        make_optimizer("adam", momentum=0.9)
    assert str(info.value) == "adam has no hyperparameter 'momentum'; allowed: lr, beta1, beta2"


@pytest.mark.parametrize("lr", [0.0, -0.1, math.nan, math.inf, -math.inf])
def test_make_optimizer_refuses_a_bad_learning_rate(lr: float) -> None:
    with pytest.raises(ValueError, match=r"^sgd: lr must be"):
        make_optimizer("sgd", lr=lr)


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("momentum", "momentum", 1.0),
        ("nesterov", "momentum", -0.1),
        ("rmsprop", "decay_rate", 1.5),
        ("adam", "beta1", 1.0),
        ("adam", "beta2", math.nan),
    ],
)
def test_make_optimizer_refuses_decay_rates_outside_0_1(name: str, key: str, value: float) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: {key} must be"):
        make_optimizer(name, **{key: value})


@pytest.mark.parametrize("value", [True, "0.1", None])
def test_make_optimizer_refuses_non_numbers(value: object) -> None:
    with pytest.raises(ValueError, match=r"^adagrad: lr must be a number"):
        make_optimizer("adagrad", lr=value)  # type: ignore[arg-type]


def test_constructors_check_too() -> None:
    with pytest.raises(ValueError, match="rmsprop: lr must be positive"):
        RMSprop(lr=-1.0)


def test_the_base_class_cannot_be_used_without_an_update() -> None:
    with pytest.raises(TypeError, match="abstract"):
        Optimizer()  # type: ignore[abstract]
