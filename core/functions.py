"""Stateless functions shared by the layers (book 2, ``common/functions.py``)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def sigmoid(x: Array) -> Array:
    """1 / (1 + exp(-x)), without overflow for large |x|.

    For x >= 0 exp(-x) <= 1; for x < 0 the same value is exp(x) / (1 + exp(x)),
    where exp(x) <= 1. Either way nothing overflows.
    """
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))
    # One division for both branches (same values): this runs on every training step.
    result: Array = np.where(x >= 0, 1.0, z)
    np.divide(result, 1.0 + z, out=result)  # out= keeps a 0-d input's result an array
    return result


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
