"""The graph engine: forward in topological order, backward in reverse.

    plan = compile_graph(spec)      # check structure, sort once, infer every shape
    result = plan.run()             # fresh layers, forward, backward
    result.to_dict()                # the JSON form the API returns

A node used by several others gets the sum of the gradients flowing back along each of
its edges (the Repeat rule); each edge's share is kept so that it can be shown. Nothing
here recurses over the graph, and a plan is immutable: every run builds its own layers,
so threads can share a plan.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from core.errors import (
    ArityError,
    CycleError,
    DuplicateNodeError,
    InvalidValueError,
    LimitError,
    NonFiniteError,
    ShapeError,
    UnknownNodeError,
    UnknownOpError,
)
from core.format import format_shape
from core.messages import Message, msg
from core.ops import OPS, SOURCE_OPS, Op, check_labels
from core.ops.base import Array, Grads, Shape
from core.spec import DEFAULT_LIMITS, GraphSpec, Limits, NodeSpec, parse_array, parse_spec


@dataclass(slots=True)
class NodeResult:
    id: str
    op: str
    inputs: tuple[str, ...]
    shape: Shape
    value: Array
    grad: Array | None  # None for a node used only as labels

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "op": self.op,
            "inputs": list(self.inputs),
            "shape": list(self.shape),
            "value": self.value.tolist(),
            "grad": None if self.grad is None else self.grad.tolist(),
        }


@dataclass(slots=True)
class EdgeResult:
    source: str
    target: str
    index: int  # position among the target's inputs
    value: Array
    grad: Array | None  # what flows back along this edge alone; None into labels

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "index": self.index,
            "value": self.value.tolist(),
            "grad": None if self.grad is None else self.grad.tolist(),
        }


class GraphResult:
    """Every node's value and gradient and every edge's share, after one run.

    ``nodes`` and ``edges`` are built on first use: a run keeps only flat lists, which
    keeps large graphs cheap for the garbage collector and for ``to_dict``.
    """

    def __init__(
        self,
        plan: Plan,
        values: list[Array],
        grads: list[Array | None],
        edge_grads: list[Grads | None],
    ) -> None:
        self._plan = plan
        self._values = values
        self._grads = grads
        self._edge_grads = edge_grads
        self.output = plan.output_id
        self.value = values[plan.output]
        self.dout = plan.dout

    @property
    def order(self) -> list[str]:
        return self._plan.order

    def _node_grad(self, pos: int) -> Array | None:
        grad = self._grads[pos]
        if grad is None and not self._plan.labels_only[pos]:
            return np.zeros(self._plan.steps[pos].shape)  # does not reach the output: 0
        return grad

    def _edge_grad(self, pos: int, index: int) -> Array | None:
        shares = self._edge_grads[pos]
        if shares is not None:
            return shares[index]
        step = self._plan.steps[pos]
        if index in step.op.label_inputs:
            return None
        return np.zeros(self._plan.steps[step.inputs[index]].shape)

    @cached_property
    def nodes(self) -> list[NodeResult]:
        return [
            NodeResult(
                s.id, s.op.name, s.input_ids, s.shape, self._values[pos], self._node_grad(pos)
            )
            for pos, s in enumerate(self._plan.steps)
        ]

    @cached_property
    def edges(self) -> list[EdgeResult]:
        steps = self._plan.steps
        return [
            EdgeResult(steps[src].id, s.id, index, self._values[src], self._edge_grad(pos, index))
            for pos, s in enumerate(steps)
            for index, src in enumerate(s.inputs)
        ]

    def node(self, node_id: str) -> NodeResult:
        return self.nodes[self._plan.index[node_id]]

    def grad(self, node_id: str) -> Array:
        """The gradient of a node; a node used only as labels has none (ValueError)."""
        grad = self.node(node_id).grad
        if grad is None:
            raise ValueError(f"node {node_id!r} is used only as labels: it has no gradient")
        return grad

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: plain lists and floats."""
        steps, values = self._plan.steps, self._values
        nodes = []
        edges = []
        for pos, s in enumerate(steps):
            grad = self._node_grad(pos)
            nodes.append(
                {
                    "id": s.id,
                    "op": s.op.name,
                    "inputs": list(s.input_ids),
                    "shape": list(s.shape),
                    "value": values[pos].tolist(),
                    "grad": None if grad is None else grad.tolist(),
                }
            )
            for index, src in enumerate(s.inputs):
                share = self._edge_grad(pos, index)
                edges.append(
                    {
                        "source": steps[src].id,
                        "target": s.id,
                        "index": index,
                        "value": nodes[src]["value"],
                        "grad": None if share is None else share.tolist(),
                    }
                )
        return {
            "output": self.output,
            "value": self.value.tolist(),
            "order": self.order,
            "nodes": nodes,
            "edges": edges,
        }


class _Step(NamedTuple):
    """One node of a compiled plan, in forward order."""

    id: str
    op: Op
    inputs: tuple[int, ...]  # positions in the plan's order
    input_ids: tuple[str, ...]
    attrs: Mapping[str, Any]
    shape: Shape
    value: Array | None  # for input and param nodes


class Plan:
    """A checked, sorted, shape-inferred graph, ready to run any number of times."""

    def __init__(
        self, spec: GraphSpec, steps: list[_Step], output: int, dout: Array, limits: Limits
    ) -> None:
        self.spec = spec
        self.steps = steps
        self.output = output
        self.dout = dout
        self.limits = limits
        self.index = {s.id: i for i, s in enumerate(steps)}
        # A node used only as labels has no gradient (None), unlike one that does not
        # reach the output (zero).
        self.labels_only = [False] * len(steps)
        if any(step.op.label_inputs for step in steps):
            used_as_labels: set[int] = set()
            used_otherwise: set[int] = set()
            for step in steps:
                for index, src in enumerate(step.inputs):
                    (used_as_labels if index in step.op.label_inputs else used_otherwise).add(src)
            self.labels_only = [
                pos in used_as_labels and pos not in used_otherwise and pos != output
                for pos in range(len(steps))
            ]

    @cached_property
    def order(self) -> list[str]:
        return [s.id for s in self.steps]

    @property
    def output_id(self) -> str:
        return self.steps[self.output].id

    def source_values(self) -> dict[str, Array]:
        """The value of every input and param node."""
        return {s.id: s.value for s in self.steps if s.value is not None}

    def forward(self, overrides: Mapping[str, Array] | None = None) -> list[Array]:
        """Every node's value, in forward order; ``overrides`` replace source values."""
        values, _ = self._forward(overrides)
        return values

    def _forward(self, overrides: Mapping[str, Array] | None) -> tuple[list[Array], list[Any]]:
        values: list[Array] = []
        layers: list[Any] = []
        with np.errstate(all="ignore"):
            for step in self.steps:
                if step.value is not None:
                    value = step.value if overrides is None else overrides.get(step.id, step.value)
                    values.append(value)
                    layers.append(None)
                    continue
                inputs = [values[i] for i in step.inputs]
                if step.op.label_inputs:
                    check_labels(step.id, inputs[0], inputs[1])
                out, layer = step.op.forward(step.attrs, inputs)
                if not _all_finite(out):
                    raise NonFiniteError.of(
                        "nonfinite_forward",
                        step.id,
                        node=step.id,
                        op=step.op.name,
                        cause=step.op.non_finite_cause(inputs, step.attrs),
                    )
                values.append(out)
                layers.append(layer)
        return values, layers

    def run(self, overrides: Mapping[str, Array] | None = None) -> GraphResult:
        """Forward, then backward from the output with ``dout``."""
        values, layers = self._forward(overrides)
        steps = self.steps
        grads: list[Array | None] = [None] * len(steps)
        grads[self.output] = self.dout
        # what flows back along each edge, per target node, in input order
        edge_grads: list[Grads | None] = [None] * len(steps)
        with np.errstate(all="ignore"):
            for pos in range(self.output, -1, -1):
                upstream = grads[pos]
                step = steps[pos]
                if upstream is None or not step.inputs:
                    continue
                shares = step.op.backward(layers[pos], upstream)
                edge_grads[pos] = shares
                for src, g in zip(step.inputs, shares, strict=True):
                    if g is None:
                        continue
                    if not _all_finite(g):
                        raise NonFiniteError.of(
                            "nonfinite_backward",
                            step.id,
                            node=step.id,
                            op=step.op.name,
                            source=steps[src].id,
                            cause=msg(step.op.non_finite_hint),
                        )
                    acc = grads[src]
                    # a new array, never +=: the edge's own share must stay as it was
                    grads[src] = g if acc is None else acc + g
        return GraphResult(self, values, grads, edge_grads)


def _all_finite(a: Array) -> bool:
    if a.ndim == 0:  # the common case in scalar graphs; math is ~10x cheaper than NumPy here
        return math.isfinite(a)
    return bool(np.isfinite(a).all())


def _topological_order(nodes: tuple[NodeSpec, ...], by_id: dict[str, int]) -> list[int]:
    """Kahn's algorithm; among ready nodes the one listed first goes first, so a spec
    already listed in a valid order keeps it."""
    if all(by_id[src] < i for i, node in enumerate(nodes) for src in node.inputs):
        return list(range(len(nodes)))  # the common case: listed inputs first
    consumers: list[list[int]] = [[] for _ in nodes]
    missing = [0] * len(nodes)
    for i, node in enumerate(nodes):
        for src in node.inputs:
            consumers[by_id[src]].append(i)
            missing[i] += 1
    ready = [i for i, m in enumerate(missing) if m == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for c in consumers[i]:
            missing[c] -= 1
            if missing[c] == 0:
                heapq.heappush(ready, c)
    if len(order) < len(nodes):
        cycle = _find_cycle(nodes, by_id, {i for i, m in enumerate(missing) if m > 0})
        names = [nodes[i].id for i in cycle]
        raise CycleError(Message("cycle", {"path": " -> ".join([*names, names[0]])}), names)
    return order


def _find_cycle(nodes: tuple[NodeSpec, ...], by_id: dict[str, int], stuck: set[int]) -> list[int]:
    """Every stuck node has an input that is stuck too; walking inputs must loop."""
    seen: dict[int, int] = {}
    path: list[int] = []
    current = min(stuck)
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = next(by_id[s] for s in nodes[current].inputs if by_id[s] in stuck)
    cycle = path[seen[current] :]
    cycle.reverse()  # inputs point backwards; show the direction data flows
    start = cycle.index(min(cycle))  # begin at the node listed first
    return cycle[start:] + cycle[:start]


def compile_graph(
    raw: Mapping[str, Any] | GraphSpec | Any, limits: Limits = DEFAULT_LIMITS
) -> Plan:
    """Check a spec, sort it once and infer every shape; raise a GraphError if it cannot run."""
    spec = parse_spec(raw, limits)
    by_id = _index_nodes(spec.nodes)
    ops = [_check_node(node, by_id) for node in spec.nodes]
    output = _output_of(spec, by_id)
    order = _topological_order(spec.nodes, by_id)
    steps, position = _compile_steps(spec.nodes, ops, order, by_id, limits)
    out_pos = position[by_id[output]]
    dout = _parse_dout(spec.dout, output, steps[out_pos].shape, limits)
    return Plan(spec, steps, out_pos, dout, limits)


def _index_nodes(nodes: tuple[NodeSpec, ...]) -> dict[str, int]:
    """Each id's place in the list; two nodes may not share one."""
    by_id: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.id in by_id:
            raise DuplicateNodeError.of("duplicate_node", node.id, node=node.id)
        by_id[node.id] = i
    return by_id


def _check_node(node: NodeSpec, by_id: Mapping[str, int]) -> Op:
    """The node's op, once its op is known, its inputs counted and found, its value allowed."""
    op = OPS.get(node.op)
    if op is None:
        raise UnknownOpError.of(
            "unknown_op", node.id, node=node.id, op=node.op, known=", ".join(OPS)
        )
    if len(node.inputs) != op.arity:
        got = len(node.inputs)
        if op.arity:
            raise ArityError.of(
                "arity",
                node.id,
                node=node.id,
                op=op.name,
                count=op.arity,
                names=", ".join(op.input_names),
                got=got,
            )
        raise ArityError.of("arity_source", node.id, node=node.id, op=op.name, got=got)
    for src in node.inputs:
        if src not in by_id:
            raise UnknownNodeError.of("unknown_input", node.id, node=node.id, source=src)
    if node.value is not None and op.name not in SOURCE_OPS:
        raise InvalidValueError.of("value_on_computed", node.id, node=node.id, op=op.name)
    return op


def _output_of(spec: GraphSpec, by_id: Mapping[str, int]) -> str:
    """The output node: the one named, else the last one listed."""
    output = spec.output if spec.output is not None else spec.nodes[-1].id
    if output not in by_id:
        raise UnknownNodeError.of("unknown_output", output, node=output)
    return output


def _compile_steps(
    nodes: tuple[NodeSpec, ...],
    ops: list[Op],
    order: list[int],
    by_id: Mapping[str, int],
    limits: Limits,
) -> tuple[list[_Step], dict[int, int]]:
    """One step per node in forward order, its attrs parsed and its shape inferred.

    Shapes first, sizes checked as we go: nothing big is allocated before it is allowed.
    """
    position = {node_index: pos for pos, node_index in enumerate(order)}
    steps: list[_Step] = []
    total = 0
    for node_index in order:
        node, op = nodes[node_index], ops[node_index]
        attrs = op.parse_attrs(node.id, node.attrs)
        value: Array | None = None
        input_positions: tuple[int, ...] = ()
        if op.name in SOURCE_OPS:
            value = parse_array(node.value, node.id, "value", limits)
            value.setflags(write=False)  # shared by every run of this plan
            shape: Shape = value.shape
        else:
            input_positions = tuple(position[by_id[s]] for s in node.inputs)
            shape = op.infer_shape(node.id, [steps[i].shape for i in input_positions], attrs)
            _check_size(node, op, shape, limits)
        total += math.prod(shape)
        if total > limits.max_total_elements:
            raise LimitError.of(
                "limit_total", node.id, limit=limits.max_total_elements, node=node.id
            )
        steps.append(_Step(node.id, op, input_positions, node.inputs, attrs, shape, value))
    return steps, position


def _check_size(node: NodeSpec, op: Op, shape: Shape, limits: Limits) -> None:
    size = math.prod(shape)
    if size > limits.max_array_elements:
        raise LimitError.of(
            "limit_node",
            node.id,
            node=node.id,
            op=op.name,
            size=size,
            shape=format_shape(shape),
            limit=limits.max_array_elements,
        )


def _parse_dout(raw: Any, output: str, shape: Shape, limits: Limits) -> Array:
    if raw is None:
        return np.ones(shape)
    dout = parse_array(raw, output, "dout", limits)
    if dout.shape == shape:
        return dout
    if dout.ndim == 0:
        return np.full(shape, float(dout))
    raise ShapeError.of(
        "dout_shape", output, dout=format_shape(dout.shape), node=output, shape=format_shape(shape)
    )


def run_graph(
    raw: Mapping[str, Any] | GraphSpec | Any, limits: Limits = DEFAULT_LIMITS
) -> GraphResult:
    """Compile and run a spec: every node's value and gradient, every edge's share."""
    return compile_graph(raw, limits).run()
