"""One optimizer step on a graph: what a single SGD (or Adam...) update does to its params.

    step = step_graph(spec, "sgd", {"lr": 0.1})
    step.before.value, step.after.value     # the output before and after the step
    step.spec                               # the same graph with every param moved

Run the graph, take every ``param`` node's gradient, let the optimizer update the
params (``optimizer.update(params, grads)``, the book's interface), then run the moved
graph again.

An optimizer's state (Momentum's velocity v, AdaGrad's h, Adam's m, v and update count)
carries from one step to the next: the result's ``state`` goes back in with the next
step, so the service itself keeps nothing. Without a state the optimizer starts fresh:
Momentum's first step equals SGD's, and Adam's first step moves each entry by about lr.

    first = step_graph(spec, "momentum")
    second = step_graph(first.spec, "momentum", state=first.state.to_dict())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.errors import NonFiniteError, OptimizerError, SpecError
from core.format import format_shape
from core.graph import GraphResult, NodeResult, compile_graph
from core.optimizers import Optimizer, hyperparameter_term, make_optimizer
from core.spec import DEFAULT_LIMITS, GraphSpec, Limits, NodeSpec, parse_array

Array = NDArray[np.float64]

#: A state's update count, at most: Adam's bias correction is 1 (to rounding) long before.
MAX_STEPS = 10**9


@dataclass(frozen=True)
class StepState:
    """What an optimizer carries between steps: its update count and, per param node,
    each slot it keeps (``{"W": {"v": array}}``)."""

    optimizer: str
    t: int
    params: Mapping[str, Mapping[str, Array]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "t": self.t,
            "params": {
                node: {slot: value.tolist() for slot, value in slots.items()}
                for node, slots in self.params.items()
            },
        }


@dataclass(frozen=True)
class StepResult:
    optimizer: str
    hyper: dict[str, float]  # every hyperparameter, defaults filled in
    spec: GraphSpec  # the graph after the step
    before: GraphResult
    after: GraphResult
    state: StepState  # send it back with the next step

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "hyper": dict(self.hyper),
            "graph": spec_to_dict(self.spec),
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "state": self.state.to_dict(),
        }


def step_graph(
    raw: Mapping[str, Any] | GraphSpec | Any,
    optimizer: str = "sgd",
    hyper: Mapping[str, float] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    state: Mapping[str, Any] | None = None,
) -> StepResult:
    """Apply one step of ``optimizer`` to every ``param`` node of the graph, carrying on
    from ``state`` (an earlier result's ``state.to_dict()``) when it is given."""
    try:
        opt = make_optimizer(optimizer, **dict(hyper or {}))
    except OptimizerError:
        raise
    except (ValueError, TypeError) as err:  # e.g. a hyperparameter name that is no string
        raise OptimizerError(str(err)) from None
    plan = compile_graph(raw, limits)
    before = plan.run()
    params = [n for n in before.nodes if n.op == "param"]
    if not params:
        raise SpecError.of("step_no_params")
    new_values: list[Array] = [np.array(n.value, dtype=np.float64) for n in params]
    grads: list[Array] = [
        np.zeros_like(n.value) if n.grad is None else np.asarray(n.grad) for n in params
    ]
    if state is not None:
        slots, t = _parse_state(state, opt, params, limits)
        opt.load_state(slots, t)
    with np.errstate(over="ignore", invalid="ignore"):  # a too-large step is reported below
        opt.update(new_values, grads)
    for node, value in zip(params, new_values, strict=True):
        if not np.isfinite(value).all():
            raise NonFiniteError.of(
                "step_nonfinite",
                node.id,
                optimizer=opt.name,
                node=node.id,
                lr=hyperparameter_term("lr"),
            )
    moved = {n.id: v for n, v in zip(params, new_values, strict=True)}
    spec = plan.spec
    new_spec = spec._replace(
        nodes=tuple(
            node._replace(value=moved[node.id]) if node.id in moved else node for node in spec.nodes
        ),
    )
    after = compile_graph(new_spec, limits).run()
    effective = {key: float(getattr(opt, key)) for key in opt.hyperparameters()}
    kept = opt.state()
    new_state = StepState(
        opt.name,
        opt.t,
        {n.id: {slot: arrays[i] for slot, arrays in kept.items()} for i, n in enumerate(params)},
    )
    return StepResult(opt.name, effective, new_spec, before, after, new_state)


def _parse_state(
    raw: Mapping[str, Any], opt: Optimizer, params: list[NodeResult], limits: Limits
) -> tuple[dict[str, list[Array]], int]:
    """Check an earlier step's state against this optimizer and these params."""
    if not isinstance(raw, Mapping):
        raise OptimizerError.of("state_not_object")
    unknown = sorted(set(raw) - {"optimizer", "t", "params"})
    if unknown:
        raise OptimizerError.of("state_unknown_fields", None, fields=", ".join(unknown))
    if raw.get("optimizer") != opt.name:
        raise OptimizerError.of(
            "state_other_optimizer", None, given=raw.get("optimizer"), name=opt.name
        )
    t = raw.get("t")
    if not isinstance(t, int) or isinstance(t, bool) or not 0 <= t <= MAX_STEPS:
        raise OptimizerError.of("state_t", None, max=MAX_STEPS)
    by_node = raw.get("params")
    if not isinstance(by_node, Mapping):
        raise OptimizerError.of("state_params_not_object")
    extra = sorted(set(by_node) - {n.id for n in params})
    if extra:
        raise OptimizerError.of("state_extra_param", extra[0], node=extra[0], name=opt.name)
    slots: dict[str, list[Array]] = {name: [] for name in opt.SLOTS}
    for node in params:
        given = by_node.get(node.id, {}) if opt.SLOTS else {}
        if not isinstance(given, Mapping) or set(given) != set(opt.SLOTS):
            expected = ", ".join(opt.SLOTS)
            raise OptimizerError.of(
                "state_slots", node.id, node=node.id, name=opt.name, expected=expected
            )
        for name in opt.SLOTS:
            value = parse_array(given[name], node.id, f"state {name}", limits)
            if value.shape != node.value.shape:
                raise OptimizerError.of(
                    "state_shape",
                    node.id,
                    slot=name,
                    node=node.id,
                    shape=format_shape(value.shape),
                    param_shape=format_shape(node.value.shape),
                    name=opt.name,
                )
            slots[name].append(value)
    return slots, t


def spec_to_dict(spec: GraphSpec) -> dict[str, Any]:
    """The JSON form of a parsed spec (arrays as nested lists)."""
    out: dict[str, Any] = {"nodes": [_node_to_dict(n) for n in spec.nodes]}
    if spec.output is not None:
        out["output"] = spec.output
    if spec.dout is not None:
        out["dout"] = _plain(spec.dout)
    return out


def _node_to_dict(node: NodeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "op": node.op}
    if node.inputs:
        out["inputs"] = list(node.inputs)
    if node.value is not None:
        out["value"] = _plain(node.value)
    if node.attrs:
        out["attrs"] = dict(node.attrs)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    return value


__all__ = ["OptimizerError", "StepResult", "StepState", "spec_to_dict", "step_graph"]
