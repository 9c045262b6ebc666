"""The graph engine: forward in topological order, backward in reverse.

    plan = compile_graph(spec)      # check structure, sort once, infer every shape
    result = plan.run()             # forward, backward
    result.to_dict()                # the JSON form the API returns

A node used by several others gets the sum of the gradients flowing back along each of
its edges (the Repeat rule); each edge's share is kept so that it can be shown. Nothing
here recurses over the graph, and a plan is immutable: every run builds its own layers
(or its own lists of floats), so threads can share a plan.

A plan is kept as parallel lists (ids, ops, inputs, shapes, ...), one entry per node in
forward order: few objects per node, so large graphs stay cheap for the garbage collector.

Two ways to run, one answer:

- the array path calls each op's layer (``core/layers.py``) on NumPy arrays; it is the
  reference, and the only path for graphs with any non-scalar value;
- the float path runs graphs whose every value is a scalar (the book's examples, typed
  expressions, most built graphs) on Python floats, with each op's float rule from the
  same registry entry (``core/ops/floats.py``). Where a rule raises or a result is not
  finite, the run goes again through the array path, whose checks name the node: the
  errors are the array path's own.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
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
from core.ops.base import Array, Grads, Shape, keeps_shape
from core.spec import DEFAULT_LIMITS, NO_ATTRS, GraphSpec, Limits, NodeSpec, parse_array, parse_spec


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

    A run keeps only flat lists: arrays after the array path, floats after the float path
    (and then one share per edge). ``nodes``, ``edges``, ``value`` and ``grad`` give
    arrays either way, built on first use; ``to_dict`` gives the same JSON either way.
    """

    def __init__(
        self,
        plan: Plan,
        values: list[Any],
        grads: list[Any],
        edge_grads: list[Any],
        floats: bool = False,
    ) -> None:
        self._plan = plan
        self._values = values
        self._grads = grads
        # the array path: per node, its inputs' shares (None when not reached);
        # the float path: one share per edge, in the order of ``edges``
        self._edge_grads = edge_grads
        self._floats = floats
        self.output = plan.output_id
        self.value: Array = np.array(values[plan.output]) if floats else values[plan.output]
        self.dout = plan.dout

    @property
    def order(self) -> list[str]:
        return self._plan.order

    def _node_value(self, pos: int) -> Array:
        value = self._values[pos]
        return np.array(value) if self._floats else value

    def _node_grad(self, pos: int) -> Array | None:
        grad = self._grads[pos]
        if self._floats:
            return np.array(grad)
        if grad is None and not self._plan.labels_only[pos]:
            return np.zeros(self._plan.shapes[pos])  # does not reach the output: 0
        return grad

    def _edge_grad(self, pos: int, index: int) -> Array | None:
        plan = self._plan
        if self._floats:
            return np.array(self._edge_grads[plan.edge_start[pos] + index])
        shares = self._edge_grads[pos]
        if shares is not None:
            return shares[index]
        if index in plan.ops[pos].label_inputs:
            return None
        return np.zeros(plan.shapes[plan.inputs[pos][index]])

    @cached_property
    def nodes(self) -> list[NodeResult]:
        plan = self._plan
        return [
            NodeResult(
                plan.ids[pos],
                plan.ops[pos].name,
                plan.input_ids[pos],
                plan.shapes[pos],
                self._node_value(pos),
                self._node_grad(pos),
            )
            for pos in range(len(plan.ids))
        ]

    @cached_property
    def edges(self) -> list[EdgeResult]:
        plan = self._plan
        ids = plan.ids
        return [
            EdgeResult(
                ids[src], ids[pos], index, self._node_value(src), self._edge_grad(pos, index)
            )
            for pos, inputs in enumerate(plan.inputs)
            for index, src in enumerate(inputs)
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
        if self._floats:
            return self._floats_to_dict()
        plan, values = self._plan, self._values
        ids = plan.ids
        nodes = []
        edges = []
        for pos, inputs in enumerate(plan.inputs):
            grad = self._node_grad(pos)
            nodes.append(
                {
                    "id": ids[pos],
                    "op": plan.ops[pos].name,
                    "inputs": list(plan.input_ids[pos]),
                    "shape": list(plan.shapes[pos]),
                    "value": values[pos].tolist(),
                    "grad": None if grad is None else grad.tolist(),
                }
            )
            for index, src in enumerate(inputs):
                share = self._edge_grad(pos, index)
                edges.append(
                    {
                        "source": ids[src],
                        "target": ids[pos],
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

    def _floats_to_dict(self) -> dict[str, Any]:
        """``to_dict`` straight from the float path's lists: the values are already floats."""
        plan, values = self._plan, self._values
        edge = plan.edge_lists
        return {
            "output": self.output,
            "value": values[plan.output],
            "order": self.order,
            "nodes": [
                {
                    "id": node_id,
                    "op": op_name,
                    "inputs": list(input_ids),
                    "shape": [],
                    "value": value,
                    "grad": grad,
                }
                for node_id, op_name, input_ids, value, grad in zip(
                    plan.ids, plan.op_names, plan.input_ids, values, self._grads, strict=True
                )
            ],
            "edges": [
                {
                    "source": source_id,
                    "target": target_id,
                    "index": index,
                    "value": values[src],
                    "grad": share,
                }
                for source_id, target_id, index, src, share in zip(
                    edge.source_ids,
                    edge.target_ids,
                    edge.indices,
                    edge.sources,
                    self._edge_grads,
                    strict=True,
                )
            ],
        }


class _Step(NamedTuple):
    """One node of a compiled plan, in forward order (``Plan.steps``, for readers)."""

    id: str
    op: Op
    inputs: tuple[int, ...]  # positions in the plan's order
    input_ids: tuple[str, ...]
    attrs: Mapping[str, Any]
    shape: Shape
    value: Array | None  # for input and param nodes


class _Edges(NamedTuple):
    """Every edge, in the order of ``GraphResult.edges``: by target, then input index."""

    sources: list[int]
    source_ids: list[str]
    target_ids: list[str]
    indices: list[int]


class _FloatProgram(NamedTuple):
    """A scalar plan on floats, as parallel lists (few objects, a tight loop).

    forward: every computed node in forward order; backward: every computed node that
    reaches the output, from the output back. ``second`` is -1 for one input; ``edge`` is
    the position of the node's first edge.
    """

    values: list[float]  # the sources' values; 0.0 for computed nodes
    grads: list[float]  # dout at the output, -0.0 at the nodes that reach it, 0.0 elsewhere
    edge_count: int
    fwd_pos: list[int]
    fwd_fn: list[Callable[..., float]]
    fwd_first: list[int]
    fwd_second: list[int]
    back_pos: list[int]
    back_fn: list[Callable[..., Any]]
    back_first: list[int]
    back_second: list[int]
    back_edge: list[int]


class Plan:
    """A checked, sorted, shape-inferred graph, ready to run any number of times.

    Immutable once built: its lists are read, never written, by ``run``.
    """

    def __init__(
        self,
        spec: GraphSpec,
        ids: list[str],
        ops: list[Op],
        inputs: list[tuple[int, ...]],
        input_ids: list[tuple[str, ...]],
        attrs: list[Mapping[str, Any]],
        shapes: list[Shape],
        sources: list[Array | None],
        index: dict[str, int],
        output: int,
        dout: Array,
        limits: Limits,
    ) -> None:
        self.spec = spec
        self.ids = ids
        self.ops = ops
        self.inputs = inputs  # positions in the plan's order
        self.input_ids = input_ids
        self.attrs = attrs
        self.shapes = shapes
        self.sources = sources  # the value of each input and param node, None for the others
        self.index = index
        self.output = output
        self.dout = dout
        self.limits = limits
        self.edge_start: list[int] = []  # the position of each node's first edge
        count = 0
        for node_inputs in inputs:
            self.edge_start.append(count)
            count += len(node_inputs)
        self.edge_count = count
        # A node used only as labels has no gradient (None), unlike one that does not
        # reach the output (zero).
        self.labels_only = [False] * len(ids)
        if any(op.label_inputs for op in ops):
            used_as_labels: set[int] = set()
            used_otherwise: set[int] = set()
            for op, node_inputs in zip(ops, inputs, strict=True):
                for i, src in enumerate(node_inputs):
                    (used_as_labels if i in op.label_inputs else used_otherwise).add(src)
            self.labels_only = [
                pos in used_as_labels and pos not in used_otherwise and pos != output
                for pos in range(len(ids))
            ]
        self.program = self._float_program()

    @cached_property
    def op_names(self) -> list[str]:
        return [op.name for op in self.ops]

    @cached_property
    def order(self) -> list[str]:
        return list(self.ids)

    @cached_property
    def steps(self) -> list[_Step]:
        """The plan node by node, for readers (the gradient check, the drawing)."""
        return [
            _Step(*fields)
            for fields in zip(
                self.ids,
                self.ops,
                self.inputs,
                self.input_ids,
                self.attrs,
                self.shapes,
                self.sources,
                strict=True,
            )
        ]

    @cached_property
    def edge_lists(self) -> _Edges:
        ids = self.ids
        sources: list[int] = []
        indices: list[int] = []
        target_ids: list[str] = []
        for pos, node_inputs in enumerate(self.inputs):
            sources.extend(node_inputs)
            indices.extend(range(len(node_inputs)))
            target_ids.extend([ids[pos]] * len(node_inputs))
        return _Edges(sources, [ids[src] for src in sources], target_ids, indices)

    @property
    def output_id(self) -> str:
        return self.ids[self.output]

    def source_values(self) -> dict[str, Array]:
        """The value of every input and param node."""
        return {
            node_id: value
            for node_id, value in zip(self.ids, self.sources, strict=True)
            if value is not None
        }

    def _float_program(self) -> _FloatProgram | None:
        """The plan on floats, when every value is a scalar and every op has a float rule."""
        if any(self.shapes):  # () is the only falsy shape
            return None
        n = len(self.ids)
        values = [0.0] * n
        fwd_pos: list[int] = []
        fwd_fn: list[Callable[..., float]] = []
        fwd_first: list[int] = []
        fwd_second: list[int] = []
        back_fns: list[Callable[..., Any] | None] = [None] * n
        fixed: dict[str, Any] = {}  # the rule of each op without attrs, looked up once
        for pos, (op, node_inputs, source) in enumerate(
            zip(self.ops, self.inputs, self.sources, strict=True)
        ):
            if source is not None:
                values[pos] = float(source)
                continue
            rule_for = op.floats
            if rule_for is None:
                return None
            attrs = self.attrs[pos]
            if attrs is NO_ATTRS:
                rule = fixed.get(op.name)
                if rule is None:
                    rule = fixed[op.name] = rule_for(attrs)
            else:
                rule = rule_for(attrs)
            fwd_pos.append(pos)
            fwd_fn.append(rule.forward)
            fwd_first.append(node_inputs[0])
            fwd_second.append(node_inputs[1] if len(node_inputs) == 2 else -1)
            back_fns[pos] = rule.backward
        # backward: from the output back, only the nodes that reach it
        grads = [0.0] * n
        reaches = [False] * n
        reaches[self.output] = True
        back_pos: list[int] = []
        back_fn: list[Callable[..., Any]] = []
        back_first: list[int] = []
        back_second: list[int] = []
        back_edge: list[int] = []
        inputs, edge_start = self.inputs, self.edge_start
        for pos in range(self.output, -1, -1):
            if not reaches[pos]:
                continue
            grads[pos] = -0.0  # the sum's start: -0.0 + g is g, to the sign of a zero
            fn = back_fns[pos]
            if fn is None:
                continue
            node_inputs = inputs[pos]
            for src in node_inputs:
                reaches[src] = True
            back_pos.append(pos)
            back_fn.append(fn)
            back_first.append(node_inputs[0])
            back_second.append(node_inputs[1] if len(node_inputs) == 2 else -1)
            back_edge.append(edge_start[pos])
        grads[self.output] = float(self.dout)
        return _FloatProgram(
            values,
            grads,
            self.edge_count,
            fwd_pos,
            fwd_fn,
            fwd_first,
            fwd_second,
            back_pos,
            back_fn,
            back_first,
            back_second,
            back_edge,
        )

    def forward(self, overrides: Mapping[str, Array] | None = None) -> list[Array]:
        """Every node's value, in forward order; ``overrides`` replace source values."""
        values, _ = self._forward(overrides)
        return values

    def _forward(self, overrides: Mapping[str, Array] | None) -> tuple[list[Array], list[Any]]:
        values: list[Array] = []
        layers: list[Any] = []
        ids, ops, attrs = self.ids, self.ops, self.attrs
        with np.errstate(all="ignore"):
            for pos, (node_inputs, source) in enumerate(
                zip(self.inputs, self.sources, strict=True)
            ):
                if source is not None:
                    value = source if overrides is None else overrides.get(ids[pos], source)
                    values.append(value)
                    layers.append(None)
                    continue
                op = ops[pos]
                args = [values[i] for i in node_inputs]
                if op.label_inputs:
                    check_labels(ids[pos], args[0], args[1])
                out, layer = op.forward(attrs[pos], args)
                if not _all_finite(out):
                    raise NonFiniteError.of(
                        "nonfinite_forward",
                        ids[pos],
                        node=ids[pos],
                        op=op.name,
                        cause=op.non_finite_cause(args, attrs[pos]),
                    )
                values.append(out)
                layers.append(layer)
        return values, layers

    def run(self, overrides: Mapping[str, Array] | None = None) -> GraphResult:
        """Forward, then backward from the output with ``dout``."""
        if self.program is not None:
            result = self._run_floats(self.program, overrides)
            if result is not None:
                return result
        return self.run_arrays(overrides)

    def _run_floats(
        self, program: _FloatProgram, overrides: Mapping[str, Array] | None
    ) -> GraphResult | None:
        """The float path; None when the array path must run instead (a non-scalar
        override, or an inf, a nan or a domain error somewhere: the array path names it)."""
        values = program.values.copy()
        if overrides:
            for node_id, override in overrides.items():
                pos = self.index.get(node_id)
                if pos is None or self.sources[pos] is None:
                    continue
                if np.ndim(override) != 0:
                    return None
                values[pos] = float(override)
        grads = program.grads.copy()
        shares = [0.0] * program.edge_count
        try:
            for pos, fn, first, second in zip(
                program.fwd_pos, program.fwd_fn, program.fwd_first, program.fwd_second, strict=True
            ):
                values[pos] = fn(values[first]) if second < 0 else fn(values[first], values[second])
            if not math.isfinite(sum(values)):  # inf or nan anywhere, or an overflowing sum
                return None
            for pos, fn, first, second, edge in zip(
                program.back_pos,
                program.back_fn,
                program.back_first,
                program.back_second,
                program.back_edge,
                strict=True,
            ):
                if second < 0:
                    shares[edge] = share = fn(grads[pos], values[pos], values[first])
                    grads[first] += share
                else:
                    share, share_second = fn(grads[pos], values[pos], values[first], values[second])
                    shares[edge] = share
                    shares[edge + 1] = share_second
                    grads[first] += share
                    grads[second] += share_second
        except (ArithmeticError, ValueError):  # where NumPy gives inf or nan, Python raises
            return None
        if not math.isfinite(sum(shares)):
            return None
        return GraphResult(self, values, grads, shares, floats=True)

    def run_arrays(self, overrides: Mapping[str, Array] | None = None) -> GraphResult:
        """``run`` through the layers on NumPy arrays, whatever the shapes (the reference)."""
        values, layers = self._forward(overrides)
        ids, ops, inputs = self.ids, self.ops, self.inputs
        grads: list[Array | None] = [None] * len(ids)
        grads[self.output] = self.dout
        # what flows back along each edge, per target node, in input order
        edge_grads: list[Grads | None] = [None] * len(ids)
        with np.errstate(all="ignore"):
            for pos in range(self.output, -1, -1):
                upstream = grads[pos]
                node_inputs = inputs[pos]
                if upstream is None or not node_inputs:
                    continue
                op = ops[pos]
                shares = op.backward(layers[pos], upstream)
                edge_grads[pos] = shares
                for src, g in zip(node_inputs, shares, strict=True):
                    if g is None:
                        continue
                    if not _all_finite(g):
                        raise NonFiniteError.of(
                            "nonfinite_backward",
                            ids[pos],
                            node=ids[pos],
                            op=op.name,
                            source=ids[src],
                            cause=msg(op.non_finite_hint),
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
    nodes = spec.nodes
    by_id = _index_nodes(nodes)
    ops, inputs, listed_order_is_topological = _check_nodes(nodes, by_id)
    output = _output_of(spec, by_id)
    if listed_order_is_topological:  # the common case: listed inputs first
        return _compile(spec, ops, inputs, None, by_id, output, limits)
    order = _topological_order(nodes, by_id)
    return _compile(spec, ops, inputs, order, by_id, output, limits)


def _index_nodes(nodes: tuple[NodeSpec, ...]) -> dict[str, int]:
    """Each id's place in the list; two nodes may not share one."""
    by_id = {node.id: i for i, node in enumerate(nodes)}
    if len(by_id) == len(nodes):
        return by_id
    by_id = {}
    for i, node in enumerate(nodes):
        if node.id in by_id:
            raise DuplicateNodeError.of("duplicate_node", node.id, node=node.id)
        by_id[node.id] = i
    return by_id


# per op name: the op, its number of inputs, whether it holds a value (from the registry)
_OP_FACTS: dict[str, tuple[Op, int, bool]] = {
    name: (op, op.arity, name in SOURCE_OPS) for name, op in OPS.items()
}


def _check_nodes(
    nodes: tuple[NodeSpec, ...], by_id: Mapping[str, int]
) -> tuple[list[Op], list[tuple[int, ...]], bool]:
    """Every node's op and its inputs' places in the list, once each node is checked
    (``_check_node`` raises for the first node in error); and whether every node is
    listed after its inputs."""
    ops: list[Op] = []
    inputs: list[tuple[int, ...]] = []
    ordered = True
    facts_of = _OP_FACTS.get
    place_of = by_id.get
    for i, node in enumerate(nodes):
        facts = facts_of(node.op)
        node_inputs = node.inputs
        if facts is None or len(node_inputs) != facts[1]:
            ops.append(_check_node(node, by_id))  # raises
            continue
        op, arity, source = facts
        if node.value is not None and not source:
            ops.append(_check_node(node, by_id))  # raises
            continue
        if arity == 0:
            places: tuple[int, ...] = ()
        elif arity == 1:
            first = place_of(node_inputs[0])
            if first is None:
                ops.append(_check_node(node, by_id))  # raises
                continue
            places = (first,)
            ordered = ordered and first < i
        else:
            found = [place_of(src) for src in node_inputs]
            if None in found:
                ops.append(_check_node(node, by_id))  # raises
                continue
            places = tuple(found)  # type: ignore[arg-type]
            ordered = ordered and max(places) < i
        ops.append(op)
        inputs.append(places)
    return ops, inputs, ordered


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


# per op name: whether its output has its inputs' shape when they share one (element-wise)
_KEEPS_SHAPE: dict[str, bool] = {name: keeps_shape(op.shape_rule) for name, op in OPS.items()}


def _compile(
    spec: GraphSpec,
    ops: list[Op],
    inputs: list[tuple[int, ...]],
    order: list[int] | None,
    by_id: dict[str, int],
    output: str,
    limits: Limits,
) -> Plan:
    """The plan in forward order (``order``: the nodes' places in the list, None when the
    listed order is kept), each node's attrs parsed and its shape inferred.

    Shapes first, sizes checked as we go: nothing big is allocated before it is allowed.
    """
    nodes = spec.nodes
    if order is None:
        ordered_nodes: Any = nodes
        index = by_id  # positions are the places in the list
    else:
        ordered_nodes = [nodes[k] for k in order]
        ops = [ops[k] for k in order]
        position = [0] * len(order)
        for pos, k in enumerate(order):
            position[k] = pos
        inputs = [tuple(position[i] for i in inputs[k]) for k in order]
        index = {node.id: pos for pos, node in enumerate(ordered_nodes)}
    attrs: list[Mapping[str, Any]] = []
    shapes: list[Shape] = []
    sizes: list[int] = []
    sources: list[Array | None] = []
    keeps_shape = _KEEPS_SHAPE
    total = 0
    max_total = limits.max_total_elements
    for node, op, node_inputs in zip(ordered_nodes, ops, inputs, strict=True):
        # parse_attrs refuses attrs that the op does not take, by name
        node_attrs = op.parse_attrs(node.id, node.attrs) if op.attrs or node.attrs else NO_ATTRS
        if not node_inputs:  # input and param: a value
            value = parse_array(node.value, node.id, "value", limits)
            value.setflags(write=False)  # shared by every run of this plan
            shape: Shape = value.shape
            size = value.size
            sources.append(value)
        else:
            sources.append(None)
            first = node_inputs[0]
            shape = shapes[first]
            if keeps_shape[op.name] and (len(node_inputs) == 1 or shapes[node_inputs[1]] == shape):
                size = sizes[first]  # the input's shape, whose size was allowed
            else:
                shape = op.infer_shape(node.id, [shapes[i] for i in node_inputs], node_attrs)
                size = _check_size(node, op, shape, limits)
        total += size
        if total > max_total:
            raise LimitError.of("limit_total", node.id, limit=max_total, node=node.id)
        attrs.append(node_attrs)
        shapes.append(shape)
        sizes.append(size)
    out_pos = index[output]
    dout = _parse_dout(spec.dout, output, shapes[out_pos], limits)
    return Plan(
        spec,
        [node.id for node in ordered_nodes],
        ops,
        inputs,
        [node.inputs for node in ordered_nodes],
        attrs,
        shapes,
        sources,
        index,
        out_pos,
        dout,
        limits,
    )


def _check_size(node: NodeSpec, op: Op, shape: Shape, limits: Limits) -> int:
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
    return size


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
