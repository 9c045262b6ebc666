"""Output shapes of the ops that change shapes, worked out from shapes alone (before
anything is allocated), and the label check of Softmax with Loss."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from core.errors import LabelError, ShapeError
from core.format import format_shape
from core.messages import Message, msg
from core.ops.base import Array, Shape


def _need_2d(node_id: str, op: str, what: str | Message, shape: Shape) -> None:
    if len(shape) != 2:
        raise ShapeError.of(
            "shape_not_2d", node_id, node=node_id, op=op, what=what, shape=format_shape(shape)
        )


def matmul_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w = shapes
    _need_2d(node_id, "matmul", "x", x)
    _need_2d(node_id, "matmul", "W", w)
    if x[1] != w[0]:
        raise ShapeError.of(
            "matmul_columns",
            node_id,
            node=node_id,
            x=format_shape(x),
            w=format_shape(w),
            columns=x[1],
            rows=w[0],
        )
    return (x[0], w[1])


def affine_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w, b = shapes
    _need_2d(node_id, "affine", "x", x)
    _need_2d(node_id, "affine", "W", w)
    if x[1] != w[0]:
        raise ShapeError.of(
            "affine_columns",
            node_id,
            node=node_id,
            x=format_shape(x),
            w=format_shape(w),
            columns=x[1],
            rows=w[0],
        )
    if b not in ((w[1],), (1, w[1])):
        raise ShapeError.of(
            "affine_bias", node_id, node=node_id, b=format_shape(b), w=format_shape(w), n=w[1]
        )
    return (x[0], w[1])


def _normalize_axis(node_id: str, op: str, axis: int, shape: Shape) -> int:
    if not -len(shape) <= axis < len(shape):
        raise ShapeError.of(
            "axis_range", node_id, node=node_id, op=op, axis=axis, shape=format_shape(shape)
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
        raise ShapeError.of("softmax_scalar", node_id, node=node_id)
    return shapes[0]


def loss_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    scores, labels = shapes
    _need_2d(node_id, "softmax_with_loss", msg("the_scores"), scores)
    n, c = scores
    if labels not in ((n,), (n, c)):
        raise ShapeError.of(
            "loss_labels_shape",
            node_id,
            node=node_id,
            labels=format_shape(labels),
            scores=format_shape(scores),
            n=n,
            c=c,
        )
    return ()


def check_labels(node_id: str, scores: Array, labels: Array) -> None:
    """Labels must be whole class indices in [0, C) or one-hot rows."""
    n, c = scores.shape
    if labels.shape == (n, c):
        ok = np.isin(labels, (0.0, 1.0)).all() and (labels.sum(axis=1) == 1).all()
        if not ok:
            raise LabelError.of("labels_one_hot", node_id, node=node_id)
        return
    bad = (labels != np.round(labels)) | (labels < 0) | (labels >= c)
    if bad.any():
        first = float(labels[np.argmax(bad)])
        raise LabelError.of("labels_range", node_id, node=node_id, label=f"{first:g}", last=c - 1)
