"""Stateless functions shared by the layers (book 2, ``common/functions.py``)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def sigmoid(x: Array) -> Array:
    """1 / (1 + exp(-x)), without overflow for large |x|.

    exp(-x) is capped at exp(709), just under the largest float: for x < -709 the result
    is about 1e-308 instead of an overflow warning (the true value is as good as 0).
    Elsewhere the result is the book's formula to the last bit, and in place it costs
    barely more than the book's, which matters: it runs on every training step.
    """
    x = np.asarray(x, dtype=np.float64)
    y: Array = np.negative(x, out=np.empty(x.shape))  # out=: a 0-d input stays an array
    np.minimum(y, 709.0, out=y)
    np.exp(y, out=y)
    y += 1.0
    np.reciprocal(y, out=y)
    return y


def softmax(x: Array) -> Array:
    """Softmax over the last axis; the row max is subtracted before exp."""
    x = np.asarray(x, dtype=np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)
    result: Array = np.exp(shifted)
    result /= result.sum(axis=-1, keepdims=True)  # in place, as the book does: no extra copy
    return result


def log_softmax(x: Array) -> Array:
    """log(softmax(x)) over the last axis, without taking the log of an underflowed 0."""
    x = np.asarray(x, dtype=np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)
    result: Array = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return result


def to_class_indices(t: NDArray[np.generic], y_shape: tuple[int, ...]) -> NDArray[np.intp]:
    """Labels as class indices; one-hot labels (t.size == y.size) become their argmax."""
    t = np.asarray(t)
    # math.prod, not np.prod: a tuple of ints needs no array, and this runs every step.
    if t.ndim == len(y_shape) and t.size == math.prod(y_shape):
        return np.asarray(t.argmax(axis=-1), dtype=np.intp)
    return np.asarray(t, dtype=np.intp)


def cross_entropy_error(y: Array, t: NDArray[np.generic]) -> float:
    """Mean cross-entropy of probabilities y (N, C) against labels t.

    t holds class indices (N,) or one-hot rows (N, C). 1e-7 keeps log away from 0,
    as in the book.
    """
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t)
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    t_idx = to_class_indices(t, y.shape).reshape(-1)
    batch_size = y.shape[0]
    return float(-np.log(y[np.arange(batch_size), t_idx] + 1e-7).sum() / batch_size)
