"""What an operation is, and the adapters that call the book's layers.

An :class:`Op` holds everything about one operation: its inputs, its typed attrs, its
symbol and title, the local rule a learner reads (forward and backward, with
placeholders the page fills with live numbers), the shape of its output, and the layer
that runs it. The engine, the API schema, the drawing, the expression parser and the
pages all read it from here.

The layers of the book take their inputs in a few ways, so a small adapter per calling
convention does the bookkeeping (as DeZero's ``Function`` base does) and each op only
names its layer:

    Unary      layer.forward(x) -> out;        layer.backward(dout) -> dx
    Binary     layer.forward(x, y) -> out;     layer.backward(dout) -> (dx, dy)
    WithParams Layer(W[, b]); forward(x);      backward(dout) -> dx, and layer.grads
    Loss       layer.forward(scores, labels);  backward(dout) -> dscores (labels: none)
    Source     input and param: a value, no layer
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from core.errors import AttributeSpecError, ShapeError
from core.format import format_shape, short
from core.messages import Message, Term, msg
from core.ops.floats import FloatRuleFor
from core.spec import NO_ATTRS

Array = NDArray[np.float64]
Shape = tuple[int, ...]
Grads = tuple[Array | None, ...]
ShapeRule = Callable[[str, list[Shape], Mapping[str, Any]], Shape]

#: A text in every language of the pages.
Text = Mapping[str, str]  # "en" and "ko"


def text(en: str, ko: str) -> Text:
    return MappingProxyType({"en": en, "ko": ko})


# --- attrs -------------------------------------------------------------------------

AttrKind = Literal["number", "positive_int", "optional_int", "bool"]

_KIND_WORDS: dict[str, str] = {  # the message keys of what each kind must be
    "number": "attr_number",
    "positive_int": "attr_positive_int",
    "optional_int": "attr_optional_int",
    "bool": "attr_bool",
}

_KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "number": {"type": "number"},
    "positive_int": {"type": "integer", "minimum": 1},
    "optional_int": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
    "bool": {"type": "boolean"},
}

REQUIRED: Any = object()  # an attr's default when the spec must give it


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


@dataclass(frozen=True)
class Attr:
    """One typed attr: how it is parsed, described in the schema, edited and written."""

    name: str
    kind: AttrKind
    label: Text  # the editor field's label
    description: str  # for the API schema
    default: Any = REQUIRED
    suggested: Any = None  # what the editor field starts with

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def parse(self, node_id: str, op: str, attrs: Mapping[str, Any]) -> Any:
        raw = attrs.get(self.name, None if self.required else self.default)
        kind = self.kind
        ok = (
            (kind == "number" and isinstance(raw, int | float) and not isinstance(raw, bool))
            or (kind == "positive_int" and _is_int(raw) and raw >= 1)
            or (kind == "optional_int" and (raw is None or _is_int(raw)))
            or (kind == "bool" and isinstance(raw, bool))
        )
        if kind == "number" and ok:
            try:
                ok = math.isfinite(raw)
            except OverflowError:  # an int beyond float range
                ok = False
        if not ok:
            raise AttributeSpecError.of(
                "attr_kind",
                node_id,
                node=node_id,
                op=op,
                attr=Term(f"attrs.{self.name}", self.label),
                kind=msg(_KIND_WORDS[kind]),
                got=f"{raw!r:.40}",
            )
        return float(raw) if kind == "number" else raw

    def json_schema(self) -> dict[str, Any]:
        return dict(_KIND_SCHEMA[self.kind])

    @staticmethod
    def format(value: Any) -> str:
        """An attr's value as a formula shows it: 2, None, True."""
        if isinstance(value, bool) or value is None:
            return repr(value)
        return short(float(value))

    def editor(self, lang: str) -> dict[str, Any]:
        """The build panel's field for this attr, as data for the page."""
        start = self.suggested if self.suggested is not None else self.default
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label[lang],
            "required": self.required,
            "start": None if start is REQUIRED else start,
        }


# --- the rule a learner reads ------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Rule:
    """The local computation, as a formula with placeholders, and what it means.

    Placeholders: each input's name (``{x}``, ``{W}``), ``{out}`` (this node's value),
    ``{dout}`` (the gradient arriving from the right) and each attr's name
    (``{exponent}``). ``backward`` has one formula per input, None for labels.
    """

    forward: str
    backward: tuple[str | None, ...]
    note: Text  # one or two sentences in the book's words

    def placeholders(self) -> set[str]:
        found: set[str] = set()
        for template in (self.forward, *self.backward):
            if template:
                found.update(_PLACEHOLDER.findall(template))
        return found


class Sample(NamedTuple):
    """Where an input's values are drawn for the gradient check of this op: magnitudes in
    [low, high], with random signs when ``mirrored`` (to stay away from a kink or pole)."""

    low: float = -3.0
    high: float = 3.0
    mirrored: bool = False


# --- shapes --------------------------------------------------------------------------


def same_shape(node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
    return shapes[0]


class Broadcast:
    """The shape rule of element-wise ops on two inputs: NumPy's broadcasting."""

    def __init__(self, op: str) -> None:
        self.op = op

    def __call__(self, node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
        if shapes[0] == shapes[1]:
            return shapes[0]
        try:
            return tuple(np.broadcast_shapes(shapes[0], shapes[1]))
        except ValueError:
            raise ShapeError.of(
                "shape_broadcast",
                node_id,
                node=node_id,
                op=self.op,
                a=format_shape(shapes[0]),
                b=format_shape(shapes[1]),
            ) from None


def broadcast(op: str) -> ShapeRule:
    return Broadcast(op)


def keeps_shape(rule: ShapeRule | None) -> bool:
    """Whether an op with this shape rule gives its inputs' shape when they all have one
    shape (the element-wise ops), so that the engine need not call the rule."""
    return rule is same_shape or isinstance(rule, Broadcast)


# --- the op ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Op:
    """One operation. Subclasses are the calling conventions; each entry of the table
    (``core/ops/table.py``) names its layer and its words."""

    name: str
    symbol: str  # drawn in the node
    title: Text  # the op's name for people, in titles and labels
    input_names: tuple[str, ...] = ("x",)
    attrs: tuple[Attr, ...] = ()
    rule: Rule | None = None  # None only for sources
    layer: Callable[..., Any] | None = None
    # the same formula on Python floats (core/ops/floats.py), for all-scalar graphs
    floats: FloatRuleFor | None = None
    shape_rule: ShapeRule | None = None
    form: Literal["circle", "pill", "source"] = "circle"
    label_inputs: frozenset[int] = field(default_factory=frozenset)
    # what usually makes this op's result inf or nan: a key of core.messages.MESSAGES
    non_finite_hint: str = "cause_overflow"
    # when the cause depends on the inputs: (inputs, attrs) -> the cause
    explain_non_finite: Callable[[list[Array], Mapping[str, Any]], Message] | None = None
    # whether a typed expression may call it as ``name(x)`` (see ``function``)
    in_expressions: bool = True
    # the values of each input where its gradient check draws them
    samples: tuple[Sample, ...] = ()
    # inputs where the op has no derivative (ReLU at 0)
    kinks: tuple[float, ...] = ()

    @property
    def function(self) -> bool:
        """Callable in a typed expression: a unary op whose attrs all have defaults."""
        return (
            self.in_expressions
            and isinstance(self, Unary)
            and not any(a.required for a in self.attrs)
        )

    @property
    def arity(self) -> int:
        return len(self.input_names)

    @property
    def attr_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attrs)

    def parse_attrs(self, node_id: str, attrs: Mapping[str, Any]) -> Mapping[str, Any]:
        if not attrs and not self.attrs:
            return NO_ATTRS
        unknown = sorted(set(attrs) - set(self.attr_names))
        if unknown:
            allowed = ", ".join(self.attr_names) or msg("none")
            raise AttributeSpecError.of(
                "attr_unknown",
                node_id,
                node=node_id,
                op=self.name,
                unknown=", ".join(unknown),
                allowed=allowed,
            )
        return {a.name: a.parse(node_id, self.name, attrs) for a in self.attrs}

    def infer_shape(self, node_id: str, shapes: list[Shape], attrs: Mapping[str, Any]) -> Shape:
        assert self.shape_rule is not None, f"{self.name} computes no shape"
        return self.shape_rule(node_id, shapes, attrs)

    def non_finite_cause(self, inputs: list[Array], attrs: Mapping[str, Any]) -> Message:
        """Why this op's forward gave inf or nan on these inputs, for the message."""
        if self.explain_non_finite is None:
            return msg(self.non_finite_hint)
        return self.explain_non_finite(inputs, attrs)

    def make_layer(self, attrs: Mapping[str, Any], inputs: list[Array]) -> Any:
        """A fresh layer for one run: the attrs are its constructor's keyword arguments."""
        assert self.layer is not None, f"{self.name} has no layer"
        return self.layer(**attrs)

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        """Build a fresh layer and run it forward; return the output and the layer."""
        raise NotImplementedError

    def backward(self, layer: Any, dout: Array) -> Grads:
        """The gradient for each input, in input order (None for labels)."""
        raise NotImplementedError

    def catalog_entry(self, lang: str) -> dict[str, Any]:
        """What the pages need to know about this op, as data."""
        rule = self.rule
        return {
            "symbol": self.symbol,
            "title": self.title[lang],
            "source": isinstance(self, Source),
            "trainable": isinstance(self, Source) and self.trainable,
            "inputs": list(self.input_names),
            "attrs": [a.editor(lang) for a in self.attrs],
            "forward": rule.forward if rule else None,
            "backward": list(rule.backward) if rule else [],
            "note": rule.note[lang] if rule else None,
        }


@dataclass(frozen=True, kw_only=True)
class Source(Op):
    """input and param: a node that holds a value."""

    input_names: tuple[str, ...] = ()
    form: Literal["circle", "pill", "source"] = "source"
    trainable: bool = False  # a param: what an optimizer step moves


@dataclass(frozen=True, kw_only=True)
class Unary(Op):
    shape_rule: ShapeRule | None = same_shape

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        layer = self.make_layer(attrs, inputs)
        return layer.forward(inputs[0]), layer

    def backward(self, layer: Any, dout: Array) -> Grads:
        return (layer.backward(dout),)


@dataclass(frozen=True, kw_only=True)
class Binary(Op):
    """Element-wise with NumPy broadcasting; the layer sums each gradient back."""

    input_names: tuple[str, ...] = ("x", "y")

    def __post_init__(self) -> None:
        if self.shape_rule is None:
            object.__setattr__(self, "shape_rule", broadcast(self.name))

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        layer = self.make_layer(attrs, inputs)
        return layer.forward(inputs[0], inputs[1]), layer

    def backward(self, layer: Any, dout: Array) -> Grads:
        grads: Grads = layer.backward(dout)
        return grads


@dataclass(frozen=True, kw_only=True)
class WithParams(Op):
    """MatMul and Affine hold W (and b) as params and take only x; their gradients are
    written in place into ``layer.grads``, as the book's optimizers expect."""

    form: Literal["circle", "pill", "source"] = "pill"

    def make_layer(self, attrs: Mapping[str, Any], inputs: list[Array]) -> Any:
        assert self.layer is not None
        return self.layer(*inputs[1:], **attrs)

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        layer = self.make_layer(attrs, inputs)
        return layer.forward(inputs[0]), layer

    def backward(self, layer: Any, dout: Array) -> Grads:
        return (layer.backward(dout), *layer.grads)


@dataclass(frozen=True, kw_only=True)
class Loss(Op):
    """A loss layer: scores and labels in, a scalar out; labels get no gradient."""

    input_names: tuple[str, ...] = ("scores", "labels")
    label_inputs: frozenset[int] = frozenset({1})
    form: Literal["circle", "pill", "source"] = "pill"
    layer_kwargs: tuple[tuple[str, Any], ...] = ()  # fixed keyword arguments of the layer

    def make_layer(self, attrs: Mapping[str, Any], inputs: list[Array]) -> Any:
        assert self.layer is not None
        return self.layer(**attrs, **dict(self.layer_kwargs))

    def forward(self, attrs: Mapping[str, Any], inputs: list[Array]) -> tuple[Array, Any]:
        layer = self.make_layer(attrs, inputs)
        return np.asarray(layer.forward(inputs[0], inputs[1])), layer

    def backward(self, layer: Any, dout: Array) -> Grads:
        return (layer.backward(dout), None)
