"""One optimizer step on a graph: what a single SGD (or Adam...) update does to its params.

    step = step_graph(spec, "sgd", {"lr": 0.1})
    step.before.value, step.after.value     # the output before and after the step
    step.spec                               # the same graph with every param moved

Run the graph, take every ``param`` node's gradient, let a fresh optimizer update the
params (``optimizer.update(params, grads)``, the book's interface), then run the moved
graph again. A fresh optimizer has no history: Momentum's first step equals SGD's, and
Adam's first step moves each entry by about ``lr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.errors import NonFiniteError, OptimizerError, SpecError
from core.graph import GraphResult, compile_graph
from core.optimizers import make_optimizer
from core.spec import DEFAULT_LIMITS, GraphSpec, Limits, NodeSpec

Array = NDArray[np.float64]


@dataclass(frozen=True)
class StepResult:
    optimizer: str
    hyper: dict[str, float]  # every hyperparameter, defaults filled in
    spec: GraphSpec  # the graph after the step
    before: GraphResult
    after: GraphResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "hyper": dict(self.hyper),
            "graph": spec_to_dict(self.spec),
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }


def step_graph(
    raw: Mapping[str, Any] | GraphSpec | Any,
    optimizer: str = "sgd",
    hyper: Mapping[str, float] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> StepResult:
    """Apply one step of ``optimizer`` to every ``param`` node of the graph."""
    try:
        opt = make_optimizer(optimizer, **dict(hyper or {}))
    except (ValueError, TypeError) as err:
        raise OptimizerError(str(err)) from None
    plan = compile_graph(raw, limits)
    before = plan.run()
    params = [n for n in before.nodes if n.op == "param"]
    if not params:
        raise SpecError(
            "the graph has no param node: nothing for the optimizer to update "
            "(mark trainable values with op 'param')"
        )
    new_values: list[Array] = [np.array(n.value, dtype=np.float64) for n in params]
    grads: list[Array] = [
        np.zeros_like(n.value) if n.grad is None else np.asarray(n.grad) for n in params
    ]
    with np.errstate(over="ignore", invalid="ignore"):  # a too-large step is reported below
        opt.update(new_values, grads)
    for node, value in zip(params, new_values, strict=True):
        if not np.isfinite(value).all():
            raise NonFiniteError(
                f"the {opt.name} step made param {node.id!r} inf or nan: try a smaller lr",
                node.id,
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
    return StepResult(opt.name, effective, new_spec, before, after)


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


__all__ = ["OptimizerError", "StepResult", "spec_to_dict", "step_graph"]
