"""Output shapes of the ops that change shapes, worked out from shapes alone (before
anything is allocated), and the label check of Softmax with Loss."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from core.errors import LabelError, ShapeError
from core.format import format_shape
from core.ops.base import Array, Shape


def _need_2d(node_id: str, op: str, what: str, shape: Shape) -> None:
    if len(shape) != 2:
        raise ShapeError(
            f"node {node_id!r} ({op}): {what} must be a matrix (2-D), got shape "
            f"{format_shape(shape)}",
            node_id,
        )


def matmul_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w = shapes
    _need_2d(node_id, "matmul", "x", x)
    _need_2d(node_id, "matmul", "W", w)
    if x[1] != w[0]:
        raise ShapeError(
            f"node {node_id!r} (matmul): shapes {format_shape(x)} and {format_shape(w)} do not "
            f"fit: x has {x[1]} columns but W has {w[0]} rows",
            node_id,
        )
    return (x[0], w[1])


def affine_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w, b = shapes
    _need_2d(node_id, "affine", "x", x)
    _need_2d(node_id, "affine", "W", w)
    if x[1] != w[0]:
        raise ShapeError(
            f"node {node_id!r} (affine): x {format_shape(x)} and W {format_shape(w)} do not "
            f"fit: x has {x[1]} columns but W has {w[0]} rows",
            node_id,
        )
    if b not in ((w[1],), (1, w[1])):
        raise ShapeError(
            f"node {node_id!r} (affine): b has shape {format_shape(b)}; with W "
            f"{format_shape(w)} it must be ({w[1]},) or (1, {w[1]})",
            node_id,
        )
    return (x[0], w[1])


def _normalize_axis(node_id: str, op: str, axis: int, shape: Shape) -> int:
    if not -len(shape) <= axis < len(shape):
        raise ShapeError(
            f"node {node_id!r} ({op}): axis {axis} is out of range for shape {format_shape(shape)}",
            node_id,
        )
    return axis % len(shape)


def repeat_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    (x,) = shapes
    repeats, axis = attrs["repeats"], attrs["axis"]
    if axis is None:
        return (math.prod(x) * repeats,)
    axis = _normalize_axis(node_id, "repeat", axis, x)
    return (*x[:axis], x[axis] * repeats, *x[axis + 1 :])


def sum_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    (x,) = shapes
    axis, keepdims = attrs["axis"], attrs["keepdims"]
    if axis is None:
        return tuple(1 for _ in x) if keepdims else ()
    axis = _normalize_axis(node_id, "sum", axis, x)
    if keepdims:
        return (*x[:axis], 1, *x[axis + 1 :])
    return (*x[:axis], *x[axis + 1 :])


def softmax_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    if not shapes[0]:
        raise ShapeError(
            f"node {node_id!r} (softmax): needs at least one axis, got a scalar", node_id
        )
    return shapes[0]


def loss_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    scores, labels = shapes
    _need_2d(node_id, "softmax_with_loss", "the scores", scores)
    n, c = scores
    if labels not in ((n,), (n, c)):
        raise ShapeError(
            f"node {node_id!r} (softmax_with_loss): labels have shape {format_shape(labels)}; "
            f"with scores {format_shape(scores)} they must be class indices ({n},) or one-hot "
            f"({n}, {c})",
            node_id,
        )
    return ()


def check_labels(node_id: str, scores: Array, labels: Array) -> None:
    """Labels must be whole class indices in [0, C) or one-hot rows."""
    n, c = scores.shape
    if labels.shape == (n, c):
        ok = np.isin(labels, (0.0, 1.0)).all() and (labels.sum(axis=1) == 1).all()
        if not ok:
            raise LabelError(
                f"node {node_id!r} (softmax_with_loss): one-hot labels must have exactly one 1 "
                f"per row and 0 elsewhere",
                node_id,
            )
        return
    bad = (labels != np.round(labels)) | (labels < 0) | (labels >= c)
    if bad.any():
        first = float(labels[np.argmax(bad)])
        raise LabelError(
            f"node {node_id!r} (softmax_with_loss): label {first:g} is out of range; "
            f"labels must be whole numbers from 0 to {c - 1}",
            node_id,
        )
