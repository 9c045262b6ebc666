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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.errors import LayerCheckError, LimitError
from core.graph import GraphResult, Plan, compile_graph
from core.spec import DEFAULT_LIMITS, GraphSpec, Limits

Array = NDArray[np.float64]

DEFAULT_EPS = 1e-5
DEFAULT_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9
CHECK_NODE_COST = 1_000


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
    kink: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.name,
            "shape": list(self.analytic.shape),
            "analytic": self.analytic.tolist(),
            "numeric": self.numeric.tolist(),
            "max_abs_error": self.max_abs_error,
            "max_rel_error": self.max_rel_error,
            "passed": self.passed,
            "kink": self.kink,
        }


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "eps": self.eps,
            "tolerance": self.tolerance,
            "problems": list(self.problems),
            "arrays": [a.to_dict() for a in self.arrays],
        }


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
            check = replace(check, kink=_kink_below(plan, result, node.id, eps))
        arrays.append(check)
    return GradCheckReport(arrays, eps, tolerance)


def _kink_below(plan: Plan, result: GraphResult, source: str, eps: float) -> str | None:
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
                    op = step.op.name
                    return (
                        f"the input {steps[src].id!r} of node {step.id!r} ({op}) is at "
                        f"{point:g}, a kink where {op} has no derivative: the numerical "
                        f"gradient there averages the slopes on both sides, so backprop's value "
                        f"cannot match it. Move the value off {point:g} to check it."
                    )
    return None


def _call(layer: Any, method: str, *args: Any) -> Any:
    """Call a learner's method; turn any exception into a message that says where."""
    name = f"{type(layer).__name__}.{method}"
    fn = getattr(layer, method, None)
    if fn is None:
        raise LayerCheckError(f"{type(layer).__name__} has no method {method!r}")
    try:
        return fn(*args)
    except Exception as exc:  # a learner's code can raise anything
        raise LayerCheckError(f"{name} raised {type(exc).__name__}: {exc}") from exc


def check_layer(
    layer: Any,
    *inputs: Any,
    dout: Any = None,
    eps: float = DEFAULT_EPS,
    tolerance: float = DEFAULT_TOLERANCE,
    seed: int = 0,
) -> GradCheckReport:
    """Check a layer with the book's interface against central differences.

    Float inputs and every entry of ``params`` are checked; integer inputs (labels) are
    passed through unchecked. ``dout`` defaults to random numbers, which catch more
    mistakes than ones (a backward that ignores dout, or sums the wrong axis).
    """
    params = getattr(layer, "params", None)
    grads = getattr(layer, "grads", None)
    problems: list[str] = []
    if not isinstance(params, list) or not isinstance(grads, list):
        raise LayerCheckError(
            f"{type(layer).__name__} needs list attributes 'params' and 'grads' "
            f"(the book's interface), found params={type(params).__name__}, "
            f"grads={type(grads).__name__}"
        )
    if len(params) != len(grads):
        problems.append(f"params has {len(params)} arrays but grads has {len(grads)}")
    arrays_in = [np.array(x) for x in inputs]
    checked = [i for i, x in enumerate(arrays_in) if np.issubdtype(x.dtype, np.floating)]
    for i in checked:
        arrays_in[i] = arrays_in[i].astype(np.float64)

    out = np.asarray(_call(layer, "forward", *arrays_in), dtype=np.float64)
    if dout is None:
        dout_arr = np.random.default_rng(seed).standard_normal(out.shape)
    else:
        dout_arr = np.broadcast_to(np.asarray(dout, dtype=np.float64), out.shape).copy()
    dout_given = dout_arr.copy()
    backward_out = _call(layer, "backward", dout_given)
    if not np.array_equal(dout_given, dout_arr):
        problems.append(
            "backward changed the caller's dout in place (work on a copy: the upstream "
            "gradient is still needed elsewhere)"
        )
    dxs = list(backward_out) if isinstance(backward_out, tuple | list) else [backward_out]
    analytic_params = [np.array(g, dtype=np.float64) for g in grads]

    def f_inputs(index: int) -> Callable[[Array], float]:
        def f(x: Array) -> float:
            args = [*arrays_in]
            args[index] = x
            return float(np.sum(dout_arr * _call(layer, "forward", *args)))

        return f

    def f_params(_: Array) -> float:
        return float(np.sum(dout_arr * _call(layer, "forward", *arrays_in)))

    arrays: list[ArrayCheck] = []
    for n, i in enumerate(checked):
        name = f"inputs[{i}]"
        if n >= len(dxs) or dxs[n] is None:
            problems.append(f"backward returned no gradient for {name}")
            continue
        numeric = numerical_gradient(f_inputs(i), arrays_in[i].copy(), eps)
        arrays.append(compare(name, np.asarray(dxs[n], dtype=np.float64), numeric, tolerance))
    for j, (p, g) in enumerate(zip(params, analytic_params, strict=False)):
        name = f"params[{j}]"
        if g.shape != np.shape(p):
            problems.append(f"grads[{j}] has shape {g.shape} but params[{j}] has {np.shape(p)}")
            continue
        numeric = numerical_gradient(f_params, p, eps)
        check = compare(name, g, numeric, tolerance)
        if not check.passed and not np.any(g):
            problems.append(
                f"grads[{j}] is all zeros: does backward write it in place (grads[{j}][...] = ...)?"
            )
        arrays.append(check)
    return GradCheckReport(arrays, eps, tolerance, problems)
