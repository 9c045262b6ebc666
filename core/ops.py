"""The operations a graph node can be, each backed by a layer of :mod:`core.layers`.

An :class:`Op` knows four things: how many inputs it takes, which ``attrs`` it accepts,
the shape of its output (worked out from shapes alone, before anything is allocated),
and how to build a fresh layer for one run. The engine does the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import layers
from core.errors import AttributeSpecError, LabelError, ShapeError

Array = NDArray[np.float64]
Shape = tuple[int, ...]
Grads = tuple[Array | None, ...]


@dataclass(frozen=True)
class Op:
    name: str
    arity: int
    symbol: str
    input_names: tuple[str, ...] = ()
    attrs: tuple[str, ...] = ()
    label_inputs: frozenset[int] = field(default_factory=frozenset)
    # what usually makes this op's result inf or nan, for the error message
    non_finite_hint: str = "the result overflowed"
    shape_fn: Callable[[str, list[Shape], Mapping[str, Any]], Shape] | None = None
    # a fresh layer for one run, from the attrs and the input values (MatMul takes W)
    layer_fn: Callable[[Mapping[str, Any], list[Array]], Any] | None = None
    # how the engine calls the layer: "unary", "binary", "params" or "loss"
    call: str = "unary"

    def parse_attrs(self, node_id: str, attrs: Mapping[str, Any]) -> Mapping[str, Any]:
        if not attrs and not self.attrs:
            return _NO_ATTRS
        unknown = sorted(set(attrs) - set(self.attrs))
        if unknown:
            allowed = ", ".join(self.attrs) or "none"
            raise AttributeSpecError(
                f"node {node_id!r} ({self.name}): unknown attrs {', '.join(unknown)} "
                f"(allowed: {allowed})",
                node_id,
            )
        return _ATTR_PARSERS.get(self.name, _no_attrs)(node_id, attrs)

    def infer_shape(self, node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
        assert self.shape_fn is not None
        return self.shape_fn(node_id, shapes, attrs)

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        """Build a fresh layer and run it forward; return the output and the layer.

        The book's layers take their inputs in different ways: element-wise layers take
        them all, MatMul and Affine hold W (and b) as params and take only x.
        """
        assert self.layer_fn is not None
        layer = self.layer_fn(attrs, inputs)
        call = self.call
        if call == "binary" or call == "loss":
            out = layer.forward(inputs[0], inputs[1])
            return (np.asarray(out) if call == "loss" else out), layer
        return layer.forward(inputs[0]), layer

    def backward(self, layer: Any, dout: Array) -> Grads:
        """The gradient for each input, in input order (None for labels)."""
        call = self.call
        if call == "unary":
            return (layer.backward(dout),)
        if call == "binary":
            grads: Grads = layer.backward(dout)
            return grads
        if call == "params":  # W (and b) gradients were written in place into grads
            return (layer.backward(dout), *layer.grads)
        return (layer.backward(dout), None)  # loss: labels get no gradient


# --- attrs ------------------------------------------------------------------------


_NO_ATTRS: Mapping[str, Any] = MappingProxyType({})  # shared, so it must be read-only


def _no_attrs(node_id: str, attrs: Mapping[str, Any]) -> Mapping[str, Any]:
    return _NO_ATTRS


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _pow_attrs(node_id: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    p = attrs.get("exponent")
    if isinstance(p, bool) or not isinstance(p, int | float) or not math.isfinite(p):
        raise AttributeSpecError(
            f"node {node_id!r} (pow): attrs.exponent must be a finite number, got {p!r}", node_id
        )
    return {"exponent": float(p)}


def _axis_attr(node_id: str, op: str, attrs: Mapping[str, Any]) -> int | None:
    axis = attrs.get("axis")
    if axis is not None and not _is_int(axis):
        raise AttributeSpecError(
            f"node {node_id!r} ({op}): attrs.axis must be an integer or null, got {axis!r}", node_id
        )
    return axis


def _repeat_attrs(node_id: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    repeats = attrs.get("repeats")
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise AttributeSpecError(
            f"node {node_id!r} (repeat): attrs.repeats must be a positive integer, got {repeats!r}",
            node_id,
        )
    return {"repeats": repeats, "axis": _axis_attr(node_id, "repeat", attrs)}


def _sum_attrs(node_id: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    keepdims = attrs.get("keepdims", False)
    if not isinstance(keepdims, bool):
        raise AttributeSpecError(
            f"node {node_id!r} (sum): attrs.keepdims must be true or false, got {keepdims!r}",
            node_id,
        )
    return {"axis": _axis_attr(node_id, "sum", attrs), "keepdims": keepdims}


_ATTR_PARSERS: dict[str, Callable[[str, Mapping[str, Any]], Mapping[str, Any]]] = {
    "pow": _pow_attrs,
    "repeat": _repeat_attrs,
    "sum": _sum_attrs,
}


# --- shapes -----------------------------------------------------------------------


def _fmt(shape: Shape) -> str:
    return (
        "()"
        if not shape
        else "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    )


def _same_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    return shapes[0]


def _broadcast(op: str) -> Callable[[str, list[Shape], Mapping[str, Any]], Shape]:
    def infer(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
        if shapes[0] == shapes[1]:
            return shapes[0]
        try:
            return tuple(np.broadcast_shapes(shapes[0], shapes[1]))
        except ValueError:
            raise ShapeError(
                f"node {node_id!r} ({op}): cannot broadcast shapes {_fmt(shapes[0])} and "
                f"{_fmt(shapes[1])}",
                node_id,
            ) from None

    return infer


def _need_2d(node_id: str, op: str, what: str, shape: Shape) -> None:
    if len(shape) != 2:
        raise ShapeError(
            f"node {node_id!r} ({op}): {what} must be a matrix (2-D), got shape {_fmt(shape)}",
            node_id,
        )


def _matmul_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w = shapes
    _need_2d(node_id, "matmul", "x", x)
    _need_2d(node_id, "matmul", "W", w)
    if x[1] != w[0]:
        raise ShapeError(
            f"node {node_id!r} (matmul): shapes {_fmt(x)} and {_fmt(w)} do not fit: "
            f"x has {x[1]} columns but W has {w[0]} rows",
            node_id,
        )
    return (x[0], w[1])


def _affine_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    x, w, b = shapes
    _need_2d(node_id, "affine", "x", x)
    _need_2d(node_id, "affine", "W", w)
    if x[1] != w[0]:
        raise ShapeError(
            f"node {node_id!r} (affine): x {_fmt(x)} and W {_fmt(w)} do not fit: "
            f"x has {x[1]} columns but W has {w[0]} rows",
            node_id,
        )
    out = (x[0], w[1])
    if b not in ((w[1],), (1, w[1])):
        raise ShapeError(
            f"node {node_id!r} (affine): b has shape {_fmt(b)}; with W {_fmt(w)} it must be "
            f"({w[1]},) or (1, {w[1]})",
            node_id,
        )
    return out


def _normalize_axis(node_id: str, op: str, axis: int, ndim: int, shape: Shape) -> int:
    if not -ndim <= axis < ndim:
        raise ShapeError(
            f"node {node_id!r} ({op}): axis {axis} is out of range for shape {_fmt(shape)}",
            node_id,
        )
    return axis % ndim


def _repeat_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    (x,) = shapes
    repeats, axis = attrs["repeats"], attrs["axis"]
    if axis is None:
        return (math.prod(x) * repeats,)
    axis = _normalize_axis(node_id, "repeat", axis, len(x), x)
    return (*x[:axis], x[axis] * repeats, *x[axis + 1 :])


def _sum_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    (x,) = shapes
    axis, keepdims = attrs["axis"], attrs["keepdims"]
    if axis is None:
        return tuple(1 for _ in x) if keepdims else ()
    axis = _normalize_axis(node_id, "sum", axis, len(x), x)
    if keepdims:
        return (*x[:axis], 1, *x[axis + 1 :])
    return (*x[:axis], *x[axis + 1 :])


def _softmax_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    if not shapes[0]:
        raise ShapeError(
            f"node {node_id!r} (softmax): needs at least one axis, got a scalar", node_id
        )
    return shapes[0]


def _loss_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    scores, labels = shapes
    _need_2d(node_id, "softmax_with_loss", "the scores", scores)
    n, c = scores
    if labels not in ((n,), (n, c)):
        raise ShapeError(
            f"node {node_id!r} (softmax_with_loss): labels have shape {_fmt(labels)}; with "
            f"scores {_fmt(scores)} they must be class indices ({n},) or one-hot ({n}, {c})",
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


# --- the table ------------------------------------------------------------------


def _unary(name: str, symbol: str, layer_cls: Callable[[], Any], hint: str) -> Op:
    return Op(
        name,
        1,
        symbol,
        ("x",),
        non_finite_hint=hint,
        shape_fn=_same_shape,
        layer_fn=lambda attrs, inputs: layer_cls(),
    )


def _binary(name: str, symbol: str, layer_cls: Callable[[], Any], hint: str) -> Op:
    return Op(
        name,
        2,
        symbol,
        ("x", "y"),
        non_finite_hint=hint,
        shape_fn=_broadcast(name),
        layer_fn=lambda attrs, inputs: layer_cls(),
        call="binary",
    )


def _loss_layer(attrs: Mapping[str, Any], inputs: list[Array]) -> layers.SoftmaxWithLoss:
    # exact: the graph's gradient check must agree with the backward to rounding error
    return layers.SoftmaxWithLoss(exact=True)


_OP_LIST = [
    Op("input", 0, "", shape_fn=None),
    Op("param", 0, "", shape_fn=None),
    _binary("add", "+", layers.AddLayer, "the sum overflowed"),
    _binary("sub", "−", layers.SubLayer, "the difference overflowed"),
    _binary("mul", "×", layers.MulLayer, "the product overflowed"),
    _binary("div", "÷", layers.DivLayer, "division by zero (or an overflow)"),
    _unary("neg", "−", layers.Neg, "the result overflowed"),
    _unary("exp", "exp", layers.Exp, "exp overflowed: its input is too large (over about 709)"),
    _unary("log", "log", layers.Log, "log of a non-positive number"),
    Op(
        "pow",
        1,
        "^",
        ("x",),
        attrs=("exponent",),
        non_finite_hint=(
            "x ** p is undefined or infinite here (a negative base with a fractional exponent, "
            "or 0 to a negative power)"
        ),
        shape_fn=_same_shape,
        layer_fn=lambda attrs, inputs: layers.Pow(attrs["exponent"]),
    ),
    _unary("sigmoid", "σ", layers.Sigmoid, "the result overflowed"),
    _unary("relu", "ReLU", layers.ReLU, "the result overflowed"),
    _unary("tanh", "tanh", layers.Tanh, "the result overflowed"),
    Op(
        "matmul",
        2,
        "MatMul",
        ("x", "W"),
        non_finite_hint="the product overflowed",
        shape_fn=_matmul_shape,
        layer_fn=lambda attrs, inputs: layers.MatMul(inputs[1]),
        call="params",
    ),
    Op(
        "affine",
        3,
        "Affine",
        ("x", "W", "b"),
        non_finite_hint="the result overflowed",
        shape_fn=_affine_shape,
        layer_fn=lambda attrs, inputs: layers.Affine(inputs[1], inputs[2]),
        call="params",
    ),
    Op(
        "repeat",
        1,
        "Repeat",
        ("x",),
        attrs=("repeats", "axis"),
        shape_fn=_repeat_shape,
        layer_fn=lambda attrs, inputs: layers.Repeat(attrs["repeats"], attrs["axis"]),
    ),
    Op(
        "sum",
        1,
        "Σ",
        ("x",),
        attrs=("axis", "keepdims"),
        shape_fn=_sum_shape,
        layer_fn=lambda attrs, inputs: layers.Sum(attrs["axis"], attrs["keepdims"]),
    ),
    Op(
        "softmax",
        1,
        "Softmax",
        ("x",),
        shape_fn=_softmax_shape,
        layer_fn=lambda attrs, inputs: layers.Softmax(),
    ),
    Op(
        "softmax_with_loss",
        2,
        "Loss",
        ("scores", "labels"),
        label_inputs=frozenset({1}),
        shape_fn=_loss_shape,
        layer_fn=_loss_layer,
        call="loss",
    ),
]

OPS: dict[str, Op] = {op.name: op for op in _OP_LIST}
SOURCE_OPS = frozenset({"input", "param"})

__all__ = ["OPS", "SOURCE_OPS", "Op", "check_labels"]
