"""The layers keep the book's interface and numbers; the functions stay finite."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import layers
from core.functions import cross_entropy_error, log_softmax, sigmoid, softmax


def test_mul_and_add_layers_give_the_books_apple_orange_gradients() -> None:
    mul_apple, mul_orange = layers.MulLayer(), layers.MulLayer()
    add, mul_tax = layers.AddLayer(), layers.MulLayer()
    apple_price = mul_apple.forward(np.array(100), np.array(2))
    orange_price = mul_orange.forward(np.array(150), np.array(3))
    all_price = add.forward(apple_price, orange_price)
    price = mul_tax.forward(all_price, np.array(1.1))
    assert price == pytest.approx(715)
    d_all, d_tax = mul_tax.backward(np.array(1))
    d_apple_price, d_orange_price = add.backward(d_all)
    d_apple, d_apple_num = mul_apple.backward(d_apple_price)
    d_orange, d_orange_num = mul_orange.backward(d_orange_price)
    assert [d_apple, d_apple_num, d_orange, d_orange_num, d_tax] == pytest.approx(
        [2.2, 110, 3.3, 165, 650]
    )


def test_relu_backward_leaves_the_callers_dout_alone() -> None:
    relu = layers.ReLU()
    relu.forward(np.array([[1.0, -1.0], [-2.0, 3.0]]))
    dout = np.array([[5.0, 6.0], [7.0, 8.0]])
    dx = relu.backward(dout)
    np.testing.assert_array_equal(dx, [[5.0, 0.0], [0.0, 8.0]])
    np.testing.assert_array_equal(dout, [[5.0, 6.0], [7.0, 8.0]])


def test_matmul_writes_its_gradient_in_place_for_the_optimizer() -> None:
    W = np.arange(6.0).reshape(3, 2)
    layer = layers.MatMul(W)
    held = layer.grads[0]  # what an optimizer holds
    x = np.ones((4, 3))
    layer.forward(x)
    dout = np.ones((4, 2))
    dx = layer.backward(dout)
    assert layer.grads[0] is held
    np.testing.assert_array_equal(held, x.T @ dout)
    np.testing.assert_array_equal(dx, dout @ W.T)


def test_affine_params_and_grads_match_in_order_and_shape() -> None:
    layer = layers.Affine(np.zeros((3, 2)), np.zeros(2))
    assert [p.shape for p in layer.params] == [g.shape for g in layer.grads] == [(3, 2), (2,)]
    layer.forward(np.ones((5, 3)))
    layer.backward(np.ones((5, 2)))
    np.testing.assert_array_equal(layer.grads[1], [5.0, 5.0])  # db = sum(dout, axis=0)


def test_repeat_and_sum_are_each_others_backward() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 8))
    rep = layers.Repeat(7, axis=0)
    assert rep.forward(x).shape == (7, 8)
    dy = rng.standard_normal((7, 8))
    np.testing.assert_allclose(rep.backward(dy), dy.sum(axis=0, keepdims=True))
    s = layers.Sum(axis=0, keepdims=True)
    assert s.forward(dy).shape == (1, 8)
    np.testing.assert_array_equal(s.backward(x), np.repeat(x, 7, axis=0))


def test_sigmoid_is_finite_and_silent_for_large_inputs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    assert np.all(np.isfinite(y))
    assert 0.0 <= y[0] < 1e-300 and y[2] == 0.5 and y[4] == 1.0


def test_softmax_is_stable_for_large_scores() -> None:
    y = softmax(np.array([[1000.0, 1001.0, 1002.0]]))
    np.testing.assert_allclose(y, softmax(np.array([[0.0, 1.0, 2.0]])))
    np.testing.assert_allclose(np.exp(log_softmax(np.array([[1000.0, 1001.0]]))).sum(), 1.0)


def test_cross_entropy_takes_one_hot_or_index_labels_with_the_books_1e7() -> None:
    y = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])
    by_index = cross_entropy_error(y, np.array([1, 2]))
    by_one_hot = cross_entropy_error(y, np.array([[0, 1, 0], [0, 0, 1]]))
    assert by_index == by_one_hot == pytest.approx(-(np.log(0.7 + 1e-7) + np.log(0.4 + 1e-7)) / 2)
    assert cross_entropy_error(np.array([0.0, 1.0]), np.array([0])) == pytest.approx(-np.log(1e-7))


def test_softmax_with_loss_backward_is_y_minus_t_over_n() -> None:
    x = np.array([[0.3, 2.9, 4.0], [2.0, 1.0, 0.1]])
    layer = layers.SoftmaxWithLoss()
    loss = layer.forward(x, np.array([2, 0]))
    y = softmax(x)
    assert loss == pytest.approx(cross_entropy_error(y, np.array([2, 0])))
    np.testing.assert_allclose(layer.backward(), (y - np.eye(3)[[2, 0]]) / 2)
