"""Gradient check: analytic gradients against central differences.

Two entry points:

- :func:`check_graph` checks a whole graph spec: the gradient of every input and param
  node of ``sum(dout * output)``;
- :func:`check_layer` checks any object with the book's layer interface (``params``,
  ``grads``, ``forward``, ``backward(dout)``), such as a learner's own class.

The relative error of an array is ``max|analytic - numeric|`` divided by the larger of
the two arrays' largest magnitudes. Per-element relative errors are not used: an entry
near zero would turn rounding noise into a huge ratio. An array passes when its relative
error is within the tolerance, or when its absolute error is within ``ABS_TOLERANCE``:
central differences carry rounding noise of about 1e-16 * |f| / eps, which is all there
is to compare when the gradient itself is as small as 1e-8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.deadline import check_deadline
from core.errors import LayerCheckError, LearnerCodeError, LimitError
from core.format import format_shape, short
from core.graph import GraphResult, Plan, compile_graph
from core.ops.base import Text, text
from core.slips import close_name, hint_for, input_names, learner_location, param_names
from core.spec import DEFAULT_LIMITS, GraphSpec, Limits

Array = NDArray[np.float64]

DEFAULT_EPS = 1e-5
DEFAULT_TOLERANCE = 1e-6
# A learner's layer is held to less: the book's cross_entropy_error takes log(y + 1e-7),
# so a right SoftmaxWithLoss differs from its own loss's slope by up to about 5e-5
# (relative) when a true class has a small probability. Real slips are off by far more.
LAYER_TOLERANCE = 1e-4
ABS_TOLERANCE = 1e-9
# What one node of a forward pass costs in element evaluations (about 1 to 2 ns each): a
# NumPy call's overhead, measured at 2 to 8 us per node (sum and softmax of one number the
# slowest). With it, a check at the work limit takes about 0.4 s on an idle core.
CHECK_NODE_COST = 4_000


#: Why a mismatch at a kink is not backprop's fault, in every language of the pages (as
#: the op registry's texts are): the API says it in English, the explorer in its own.
KINK_TEXT: Text = text(
    "the input {input} of node {node} ({op}) is at {point}, a kink where {op} has no "
    "derivative: the numerical gradient there averages the slopes on both sides, so "
    "backprop's value cannot match it. Move the value off {point} to check it.",
    "노드 {node}({op})의 입력 {input}이(가) {point}에 있습니다. 이 점은 {op}이(가) 꺾이는 곳이라 "
    "미분이 없습니다: 수치 미분은 양쪽 기울기의 평균을 내므로 역전파의 값과 같을 수 없습니다. "
    "값을 {point}에서 옮긴 뒤 다시 확인하세요.",
)


@dataclass(frozen=True)
class Kink:
    """A checked value that reaches, through any path, an input of ``node`` lying at
    ``point``, where ``node``'s op has no derivative (ReLU or abs at 0)."""

    input: str  # the node whose value sits at the kink
    node: str  # the node it feeds
    op: str
    point: float

    def message(self, lang: str = "en") -> str:
        template = KINK_TEXT.get(lang, KINK_TEXT["en"])
        return template.format(
            input=repr(self.input), node=repr(self.node), op=self.op, point=f"{self.point:g}"
        )


@dataclass(frozen=True)
class ArrayCheck:
    """One array's analytic and numeric gradient and how far apart they are."""

    name: str
    analytic: Array
    numeric: Array
    max_abs_error: float
    max_rel_error: float
    passed: bool
    # why a mismatch is not backprop's fault: the value sits at a kink of a node it feeds
    kink_at: Kink | None = None
    # a layer check: the learner's name for the array ("x", "W"), and what a wrong
    # gradient looks like ("the sign is flipped", "it is 4 times the right one")
    label: str | None = None
    note: str | None = None

    @property
    def kink(self) -> str | None:
        """The kink's explanation, in English (:meth:`Kink.message` for another language)."""
        return None if self.kink_at is None else self.kink_at.message()

    @property
    def gradient(self) -> str:
        """The gradient's name as the book writes it: dx, dW; else the array's name."""
        return f"d{self.label}" if self.label else self.name

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.numeric.shape)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "node": self.name,
            "shape": list(self.analytic.shape),
            "analytic": self.analytic.tolist(),
            "numeric": self.numeric.tolist(),
            "max_abs_error": self.max_abs_error,
            "max_rel_error": self.max_rel_error,
            "passed": self.passed,
            "kink": self.kink,
        }
        if self.label is not None:
            data["label"] = self.label
        if self.note is not None:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class GradCheckReport:
    arrays: list[ArrayCheck]
    eps: float
    tolerance: float
    problems: list[str] = field(default_factory=list)  # e.g. "backward changed dout in place"

    @property
    def passed(self) -> bool:
        return not self.problems and all(a.passed for a in self.arrays)

    def __getitem__(self, name: str) -> ArrayCheck:
        for a in self.arrays:
            if a.name == name:
                return a
        raise KeyError(name)

    def _repr_html_(self) -> str:
        """A table in Jupyter: one row per gradient, then the problems."""
        return report_html(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "eps": self.eps,
            "tolerance": self.tolerance,
            "problems": list(self.problems),
            "arrays": [a.to_dict() for a in self.arrays],
        }


def verdict(check: ArrayCheck) -> str:
    """One gradient's verdict in words: "ok", or how far off it is and how."""
    if check.passed:
        return "ok"
    if check.note and "shape" in check.note:
        return f"wrong: {check.note}"
    text = f"wrong: off by up to {short(check.max_abs_error)}"
    text += f" (relative error {short(check.max_rel_error)})"
    if check.note:
        text += f"; {check.note}"
    if check.kink:
        text += f"; {check.kink}"
    return text


def report_html(report: GradCheckReport) -> str:
    """The report as an HTML table; every text escaped (names come from the learner)."""
    colour = "#1a7f37" if report.passed else "#c0392b"
    headline = "passed" if report.passed else "failed"
    rows = "".join(
        "<tr>"
        f"<td><code>{escape(a.gradient)}</code></td><td>{escape(a.name)}</td>"
        f"<td>{escape(format_shape(a.shape))}</td>"
        f"<td>{escape(short(a.max_abs_error))}</td><td>{escape(short(a.max_rel_error))}</td>"
        f'<td style="color:{"#1a7f37" if a.passed else "#c0392b"}">{escape(verdict(a))}</td>'
        "</tr>"
        for a in report.arrays
    )
    problems = "".join(f"<li>{escape(p)}</li>" for p in report.problems)
    return (
        f'<div class="bpx-gradcheck"><p><strong style="color:{colour}">{headline}</strong> '
        f"(eps {escape(short(report.eps))}, tolerance {escape(short(report.tolerance))})</p>"
        "<table><thead><tr><th>gradient</th><th>array</th><th>shape</th>"
        "<th>max abs error</th><th>relative error</th><th>verdict</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>" + (f"<ul>{problems}</ul>" if problems else "") + "</div>"
    )


def compare(name: str, analytic: Array, numeric: Array, tolerance: float) -> ArrayCheck:
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        return ArrayCheck(name, analytic, numeric, math.inf, math.inf, False)
    abs_error = float(np.max(np.abs(analytic - numeric))) if analytic.size else 0.0
    scale = max(float(np.max(np.abs(analytic))), float(np.max(np.abs(numeric))))
    rel_error = abs_error / scale if scale > 0 else 0.0
    passed = rel_error <= tolerance or abs_error <= ABS_TOLERANCE
    return ArrayCheck(name, analytic, numeric, abs_error, rel_error, passed)


def numerical_gradient(f: Callable[[Array], float], x: Array, eps: float = DEFAULT_EPS) -> Array:
    """Central differences (f(x+h) - f(x-h)) / 2h, one element at a time.

    ``x`` is perturbed in place and restored, so that f may read it by reference
    (as a layer reads its ``params``).
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        check_deadline()  # the request's time bound, if any (core.deadline)
        saved = x[i]
        x[i] = saved + eps
        f_plus = f(x)
        x[i] = saved - eps
        f_minus = f(x)
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def check_graph(
    raw: Mapping[str, Any] | GraphSpec | Any,
    eps: float = DEFAULT_EPS,
    tolerance: float = DEFAULT_TOLERANCE,
    limits: Limits = DEFAULT_LIMITS,
) -> GradCheckReport:
    """Check the gradient of every input and param node of a graph (labels excepted)."""
    if not (math.isfinite(eps) and 0 < eps <= 1):
        raise ValueError(f"eps must be a positive number up to 1, got {eps!r}")
    plan = compile_graph(raw, limits)
    result = plan.run()
    sources = [n for n in result.nodes if n.op in ("input", "param") and n.grad is not None]
    perturbed = sum(n.value.size for n in sources)
    if perturbed > limits.max_check_elements:
        raise LimitError.of(
            "check_elements", None, count=perturbed, limit=limits.max_check_elements
        )
    # A node costs Python overhead worth about this many element operations.
    per_forward = sum(math.prod(s.shape) + CHECK_NODE_COST for s in plan.steps)
    work = 2 * perturbed * per_forward
    if work > limits.max_check_work:
        raise LimitError.of(
            "check_work",
            None,
            work=f"{work:.2g}",
            perturbed=perturbed,
            per_forward=per_forward,
            limit=f"{limits.max_check_work:.2g}",
        )
    dout = plan.dout
    out_pos = plan.output
    base = plan.source_values()
    arrays = []
    for node in sources:
        x = np.array(node.value, dtype=np.float64)  # writable copy
        overrides = {**base, node.id: x}

        def f(_: Array, overrides: dict[str, Array] = overrides) -> float:
            return float(np.sum(dout * plan.forward(overrides)[out_pos]))

        assert node.grad is not None
        numeric = numerical_gradient(f, x, eps)
        check = compare(node.id, node.grad, numeric, tolerance)
        if not check.passed:
            check = replace(check, kink_at=_kink_below(plan, result, node.id, eps))
        arrays.append(check)
    return GradCheckReport(arrays, eps, tolerance)


def _kink_below(plan: Plan, result: GraphResult, source: str, eps: float) -> Kink | None:
    """A node fed (through any path) by ``source`` whose input lies within ``eps`` of a
    point where its op has no derivative (ReLU or abs at 0): there the central difference
    averages the slopes on both sides, and no single gradient is right."""
    steps = plan.steps
    start = plan.index[source]
    reached = {start}
    for pos in range(start + 1, len(steps)):  # forward order: inputs come first
        step = steps[pos]
        if not any(i in reached for i in step.inputs):
            continue
        reached.add(pos)
        for src in step.inputs:
            if src not in reached or not step.op.kinks:
                continue
            value = result.node(steps[src].id).value
            for point in step.op.kinks:
                if bool(np.any(np.abs(value - point) <= eps)):
                    return Kink(steps[src].id, step.id, step.op.name, point)
    return None


def _call(layer: Any, method: str, *args: Any) -> Any:
    """Call a learner's method; turn any exception into a message that says where."""
    kind = type(layer).__name__
    fn = getattr(layer, method, None)
    if not callable(fn):
        match = close_name(method, dir(layer))
        hint = f"did you mean to name it {method}? (it has {match})" if match else None
        raise LayerCheckError(f"{kind} has no method {method!r} (the book's interface)", hint)
    try:
        return fn(*args)
    except Exception as exc:  # a learner's code can raise anything
        raise LearnerCodeError(
            f"{kind}.{method} raised {type(exc).__name__}: {exc}",
            exc,
            learner_location(exc),
            hint_for(exc, layer),
        ) from exc


def _numbers(value: Any, what: str) -> Array:
    """A learner's result as an array of floats, or a message saying what it was."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise LayerCheckError(
            f"{what} is a {type(value).__name__}, not numbers ({exc})",
            "return a NumPy array (or a number for a loss)",
        ) from exc


def _interface_hint(layer: Any, missing: list[str]) -> str | None:
    """``self.parms = [W]`` for ``self.params``: name the attribute that is close."""
    own = list(vars(layer)) if hasattr(layer, "__dict__") else []
    for name in missing:
        match = close_name(name, [a for a in own if a not in ("params", "grads")])
        if match:
            return f"{type(layer).__name__} has {match!r}: the book's name is {name!r}"
    return None


def _diagnose(analytic: Array, numeric: Array) -> str | None:
    """What a wrong gradient looks like next to the right one, when it has a simple form."""
    if analytic.shape != numeric.shape:
        flipped = " (transposed?)" if analytic.shape == numeric.shape[::-1] else ""
        return (
            f"backward gave shape {format_shape(analytic.shape)} where "
            f"{format_shape(numeric.shape)} was expected{flipped}"
        )
    if not np.any(analytic):
        return "it is all zeros"
    scale = float(np.max(np.abs(numeric)))
    if scale == 0:
        return "it should be all zeros"
    close = 1e-4 * scale
    if np.allclose(analytic, -numeric, rtol=0, atol=close):
        return "the sign is flipped"
    square = analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1]
    if square and np.allclose(analytic, numeric.T, rtol=0, atol=close):
        return "it is the right gradient transposed"
    k = float(np.sum(analytic * numeric) / np.sum(numeric * numeric))
    if k != 0 and np.allclose(analytic, k * numeric, rtol=0, atol=close):
        parts = round(1 / k)
        if abs(k) < 1 and parts != 0 and abs(1 / k - parts) < 1e-6:
            return f"it is 1/{parts} of the right one"  # a mean where a sum belongs, often
        return f"it is {short(k)} times the right one"
    return None


def check_layer(
    layer: Any,
    *inputs: Any,
    dout: Any = None,
    eps: float = DEFAULT_EPS,
    tolerance: float = LAYER_TOLERANCE,
    seed: int = 0,
) -> GradCheckReport:
    """Check a layer with the book's interface against central differences.

    Float inputs and every entry of ``params`` are checked; integer inputs (labels) are
    passed through unchecked. ``dout`` defaults to random numbers, which catch more
    mistakes than ones (a backward that ignores dout, or sums the wrong axis).

    Besides wrong numbers, ``problems`` names the slips that right numbers can hide: a
    backward that changes the caller's ``dout`` or a forward that changes its input in
    place, gradients not written into ``grads`` in place. An exception in the layer's
    code is a ``LearnerCodeError`` that says where (file and line) and, for a known slip,
    what to change.
    """
    kind = type(layer).__name__
    params = getattr(layer, "params", None)
    grads = getattr(layer, "grads", None)
    problems: list[str] = []
    if not isinstance(params, list) or not isinstance(grads, list):
        missing = [n for n, v in (("params", params), ("grads", grads)) if not isinstance(v, list)]
        raise LayerCheckError(
            f"{kind} needs list attributes 'params' and 'grads' "
            f"(the book's interface), found params={type(params).__name__}, "
            f"grads={type(grads).__name__}",
            _interface_hint(layer, missing),
        )
    if len(params) != len(grads):
        problems.append(f"params has {len(params)} arrays but grads has {len(grads)}")
    for j, p in enumerate(params):
        if not (isinstance(p, np.ndarray) and np.issubdtype(p.dtype, np.floating)):
            found = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise LayerCheckError(
                f"params[{j}] of {kind} is {found}, not an array of floats: the check "
                "nudges every entry in place by a tiny step",
                "build params from float arrays, e.g. np.random.randn(...) or "
                "np.array(..., dtype=float)",
            )
    input_labels = input_names(layer) or []
    names = param_names(type(layer))
    param_labels = names if names and len(names) == len(params) else [None] * len(params)

    arrays_in = [np.array(x) for x in inputs]
    checked = [i for i, x in enumerate(arrays_in) if np.issubdtype(x.dtype, np.floating)]
    for i in checked:
        arrays_in[i] = arrays_in[i].astype(np.float64)

    def label(i: int) -> str:
        return input_labels[i] if i < len(input_labels) else f"inputs[{i}]"

    given = [x.copy() for x in arrays_in]
    raw_out = _call(layer, "forward", *given)
    for i, (x, seen) in enumerate(zip(arrays_in, given, strict=True)):
        if not np.array_equal(x, seen):
            problems.append(
                f"forward changed its input {label(i)} in place (work on a copy: the caller "
                "still needs it)"
            )
    if raw_out is None:
        raise LayerCheckError(
            f"{kind}.forward returned None", "end forward with the result: return out"
        )
    out = _numbers(raw_out, f"{kind}.forward")
    if dout is None:
        dout_arr = np.asarray(np.random.default_rng(seed).standard_normal(out.shape))
    else:
        dout_arr = np.broadcast_to(np.asarray(dout, dtype=np.float64), out.shape).copy()
    dout_given = dout_arr.copy()
    grad_arrays = list(grads)
    backward_out = _call(layer, "backward", dout_given)
    if not np.array_equal(dout_given, dout_arr):
        problems.append(
            "backward changed the caller's dout in place (work on a copy: the upstream "
            "gradient is still needed elsewhere)"
        )
    grads_now: list[Any] = grads
    grads_after = getattr(layer, "grads", None)
    if grads_after is not grads:
        problems.append(
            "backward gave self.grads a new list: write into the arrays it holds "
            "(self.grads[0][...] = dW), since a model or optimizer holds the old ones"
        )
        if isinstance(grads_after, list) and len(grads_after) == len(grads):
            grads_now = grads_after  # check the numbers it meant, all the same
    else:
        for j, (before, now) in enumerate(zip(grad_arrays, grads_now, strict=True)):
            if now is not before:
                problems.append(
                    f"backward replaced grads[{j}] by a new array (grads[{j}] = ...) instead "
                    f"of writing into it (grads[{j}][...] = ...): a model or optimizer holding "
                    "the old array never sees the gradient"
                )
    dxs = list(backward_out) if isinstance(backward_out, tuple | list) else [backward_out]
    analytic_params = [np.array(g, dtype=np.float64) for g in grads_now]

    def _forward_again(*args: Array) -> Array:
        value = _numbers(_call(layer, "forward", *args), f"{kind}.forward")
        if value.shape != out.shape:
            raise LayerCheckError(
                f"{kind}.forward gave shape {format_shape(value.shape)} for inputs of the "
                f"same shapes that gave {format_shape(out.shape)} before"
            )
        return value

    def f_inputs(index: int) -> Callable[[Array], float]:
        def f(x: Array) -> float:
            args = [a.copy() for a in arrays_in]
            args[index] = x
            return float(np.sum(dout_arr * _forward_again(*args)))

        return f

    def f_params(_: Array) -> float:
        args = [a.copy() for a in arrays_in]
        return float(np.sum(dout_arr * _forward_again(*args)))

    arrays: list[ArrayCheck] = []
    for n, i in enumerate(checked):
        name = f"inputs[{i}]"
        if n >= len(dxs) or dxs[n] is None:
            problems.append(
                f"backward returned no gradient for {label(i)} ({name}): "
                "does it end with return dx?"
            )
            continue
        numeric = numerical_gradient(f_inputs(i), arrays_in[i].copy(), eps)
        dx = _numbers(dxs[n], f"{kind}.backward's gradient for {label(i)}")
        check = compare(name, dx, numeric, tolerance)
        arrays.append(_with_note(check, input_labels[i] if i < len(input_labels) else None))
    for j, (p, g) in enumerate(zip(params, analytic_params, strict=False)):
        name = f"params[{j}]"
        if g.shape != np.shape(p):
            problems.append(
                f"grads[{j}] has shape {format_shape(g.shape)} but params[{j}] has "
                f"{format_shape(np.shape(p))}"
            )
            continue
        numeric = numerical_gradient(f_params, p, eps)
        check = _with_note(compare(name, g, numeric, tolerance), param_labels[j])
        if not check.passed and not np.any(g):
            problems.append(
                f"grads[{j}] is all zeros: does backward write it in place (grads[{j}][...] = ...)?"
            )
        arrays.append(check)
    return GradCheckReport(arrays, eps, tolerance, problems)


def _with_note(check: ArrayCheck, label: str | None) -> ArrayCheck:
    note = None if check.passed else _diagnose(check.analytic, check.numeric)
    return replace(check, label=label, note=note)
