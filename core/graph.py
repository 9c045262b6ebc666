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

Two ways to compile, one plan: an all-scalar graph listed inputs first is checked and
compiled list by list (``_compile_scalars``), and its structure kept in ``PLAN_CACHE`` for
the next graph with the same ids, ops and inputs; anything else, or anything wrong, goes
node by node (``_check_nodes``, ``_compile``), which raises for the first node in error.
"""

from __future__ import annotations

import gc
import heapq
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain, repeat
from operator import lt
from typing import Any, NamedTuple, NoReturn, cast

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
from core.ops.floats import FloatRule
from core.spec import (
    DEFAULT_LIMITS,
    NO_ATTRS,
    GraphSpec,
    Limits,
    SpecLists,
    ids_valid,
    parse_array,
    read_spec,
    spec_of,
)


class _CollectorPause:
    """``with COLLECTOR_PAUSED:`` pauses CPython's cyclic collector for the engine's own
    allocation-heavy phases: ``compile_graph``, and the float path's run and ``to_dict``
    (the array path makes few objects per node, and a matrix graph's few microseconds
    would pay for the pause without gaining from it).

    Why: those phases make objects that hold no cycles (a 30,000-node answer is 90,000
    tracked dicts and lists) and the collector, counting them, walks them again and again,
    and once enough of them have piled up, walks the whole heap: a full collection (about
    23 ms of a 100 ms run at 30,000 nodes, never at 3,000). Paused, the objects are still
    counted; the collector runs at the next allocation after the pause, as usual, and
    then finds the answer once (a young collection), or not at all when the caller has
    already dropped it (the API serializes the answer and drops it). The bench's timed
    region includes that young collection (``bench/bench_graph.py``).

    Safe under threads (the server runs requests in threads, and the collector is one per
    process): a count of the calls inside, under one lock; the first one in disables the
    collector only if it was enabled, the last one out enables it again only if the first
    one disabled it, also when an error is raised. So the collector is never left
    disabled by the engine, and stays as it was for a program that disabled it itself
    before calling. (A program that disables it from another thread while an engine call
    is inside gets it enabled again when the last call leaves.)
    """

    __slots__ = ("_inside", "_lock", "_paused")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0  # how many calls are inside, in every thread
        self._paused = False  # whether the first one in disabled the collector

    def __enter__(self) -> None:
        with self._lock:
            if not self._inside:
                self._paused = gc.isenabled()
                if self._paused:
                    gc.disable()
            self._inside += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._inside -= 1
            if not self._inside and self._paused:
                self._paused = False
                gc.enable()


COLLECTOR_PAUSED = _CollectorPause()


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
            return np.array(0.0 if grad is None else grad)
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

    @property
    def numbers(self) -> int:
        """How many numbers the JSON form holds at most: every node's and every edge's
        value and gradient (a node or an edge into labels has none), without walking it."""
        plan = self._plan
        if self._floats:
            return 2 * (len(plan.ids) + len(plan.edge_sources))
        sizes = [math.prod(shape) for shape in plan.shapes]
        return 2 * (sum(sizes) + sum(map(sizes.__getitem__, plan.edge_sources)))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: plain lists and floats."""
        if self._floats:  # (the array path's answer holds few objects: no pause)
            with COLLECTOR_PAUSED:
                return self._floats_to_dict()
        return self._arrays_to_dict()

    def _arrays_to_dict(self) -> dict[str, Any]:
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
            "order": list(ids),  # a list of its own: the plan's is shared
            "nodes": nodes,
            "edges": edges,
        }

    def _floats_to_dict(self) -> dict[str, Any]:
        """``to_dict`` straight from the float path's lists: the values are already floats."""
        plan, values, shares = self._plan, self._values, self._edge_grads
        ids = plan.ids
        return {
            "output": self.output,
            "value": values[plan.output],
            "order": list(ids),
            "nodes": [
                {
                    "id": node_id,
                    "op": op_name,
                    "inputs": [*input_ids],
                    "shape": [],
                    "value": value,
                    "grad": 0.0 if grad is None else grad,
                }
                for node_id, op_name, input_ids, value, grad in zip(
                    ids, plan.op_names, plan.input_ids, values, self._grads, strict=True
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
                for src, source_id, target_id, index, share in zip(
                    plan.edge_sources,
                    plan.edge_source_ids,
                    plan.edge_targets,
                    plan.edge_indices,
                    shares,
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


class _Floats(NamedTuple):
    """What the float path needs besides the plan's lists, one entry per node."""

    values: list[float]  # the sources' values; 0.0 for computed nodes
    forwards: list[Callable[..., float] | None]  # each op's float rule; None for sources
    backwards: list[Callable[..., Any] | None]
    firsts: list[int]  # each node's first input; -1 for sources
    seconds: list[int]  # its second input; -1 for fewer
    sources: list[int]  # the positions of the input and param nodes


# (0, 1, ..., k - 1) for each number of inputs k an op can have
_INDICES = tuple(tuple(range(k)) for k in range(max(op.arity for op in OPS.values()) + 1))

# what plans of one structure share (``Plan.with_values``): read-only lists, some built
# on first use; never the values, the dout, the spec or anything made from them
_SHARED = (
    "ids",
    "ops",
    "counts",
    "edge_sources",
    "edge_start",
    "input_ids",
    "attrs",
    "shapes",
    "index",
    "output",
    "limits",
    "labels_only",
    "inputs",
    "op_names",
    "edge_source_ids",
    "edge_targets",
    "edge_indices",
)


class Plan:
    """A checked, sorted, shape-inferred graph, ready to run any number of times.

    Immutable once built: ``run`` reads its lists and never writes them. The edges are
    flat lists too: node ``pos`` has ``counts[pos]`` inputs, whose positions are
    ``edge_sources[edge_start[pos]:edge_start[pos + 1]]``.
    """

    def __init__(
        self,
        lists: SpecLists,
        ids: list[str],
        ops: list[Op],
        counts: list[int],
        edge_sources: list[int],
        input_ids: list[tuple[str, ...]],
        attrs: list[Mapping[str, Any]],
        shapes: list[Shape],
        index: dict[str, int],
        output: int,
        dout: Array,
        limits: Limits,
        floats: _Floats | None = None,
        inputs: list[tuple[int, ...]] | None = None,
        sources: list[Array | None] | None = None,
        edge_start: list[int] | None = None,
    ) -> None:
        self._lists = lists
        self.ids = ids
        self.ops = ops
        self.counts = counts
        self.edge_sources = edge_sources  # every edge's source position, by target
        # where each node's edges start; one more entry: the number of edges
        self.edge_start = list(accumulate(counts, initial=0)) if edge_start is None else edge_start
        self.input_ids = input_ids
        self.attrs = attrs
        self.shapes = shapes
        self.index = index
        self.output = output
        self.dout = dout
        self.limits = limits
        self.floats = floats  # None: the plan runs on arrays only
        if inputs is not None:  # else built from the edges when asked
            vars(self)["inputs"] = inputs
        if sources is not None:  # else made from the float path's values when asked
            vars(self)["sources"] = sources
        # A node used only as labels has no gradient (None), unlike one that does not
        # reach the output (zero).
        self.labels_only = [False] * len(ids)
        if floats is None and any(op.label_inputs for op in ops):
            used_as_labels: set[int] = set()
            used_otherwise: set[int] = set()
            for op, node_inputs in zip(ops, self.inputs, strict=True):
                for i, src in enumerate(node_inputs):
                    (used_as_labels if i in op.label_inputs else used_otherwise).add(src)
            self.labels_only = [
                pos in used_as_labels and pos not in used_otherwise and pos != output
                for pos in range(len(ids))
            ]

    def finish(self, lists: SpecLists, floats: _Floats, dout: Array) -> None:
        """Give a plan just built by the compiler its values (before anyone sees it)."""
        self._lists, self.floats, self.dout = lists, floats, dout

    def with_values(self, lists: SpecLists, floats: _Floats, dout: Array) -> Plan:
        """A plan of the same structure with other values: it shares this plan's lists,
        which no one writes (``PlanCache``), and has its own values, dout and spec."""
        plan = object.__new__(Plan)
        mine, theirs = vars(self), vars(plan)
        for name in _SHARED:
            if name in mine:
                theirs[name] = mine[name]
        plan._lists, plan.floats, plan.dout = lists, floats, dout
        return plan

    @cached_property
    def inputs(self) -> list[tuple[int, ...]]:
        """Each node's inputs' positions in the plan's order."""
        edges, starts = self.edge_sources, self.edge_start
        return [tuple(edges[starts[pos] : starts[pos + 1]]) for pos in range(len(self.ids))]

    @cached_property
    def sources(self) -> list[Array | None]:
        """The value of each input and param node (read-only arrays), None for the others."""
        assert self.floats is not None
        sources: list[Array | None] = []
        for value, forward in zip(self.floats.values, self.floats.forwards, strict=True):
            if forward is None:
                array = np.array(value)
                array.setflags(write=False)  # shared by every run of this plan
                sources.append(array)
            else:
                sources.append(None)
        return sources

    @cached_property
    def spec(self) -> GraphSpec:
        """The checked spec, as it was listed."""
        return spec_of(self._lists)

    @cached_property
    def op_names(self) -> list[str]:
        return [op.name for op in self.ops]

    @cached_property
    def order(self) -> list[str]:
        return list(self.ids)

    @cached_property
    def edge_source_ids(self) -> list[str]:
        """Every edge's source id, in the order of ``edge_sources``."""
        return list(map(self.ids.__getitem__, self.edge_sources))

    @cached_property
    def edge_targets(self) -> list[str]:
        """Every edge's target id, in the order of ``edge_sources``."""
        return list(chain.from_iterable(map(repeat, self.ids, self.counts)))

    @cached_property
    def edge_indices(self) -> list[int]:
        """Every edge's place among its target's inputs."""
        return list(chain.from_iterable(map(_INDICES.__getitem__, self.counts)))

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
        if self.floats is not None:  # (the array path makes few objects: no pause)
            with COLLECTOR_PAUSED:
                result = self._run_floats(self.floats, overrides)
            if result is not None:
                return result
        return self.run_arrays(overrides)

    def _run_floats(
        self, floats: _Floats, overrides: Mapping[str, Array] | None
    ) -> GraphResult | None:
        """The float path; None when the array path must run instead (a non-scalar
        override, or an inf, a nan or a domain error somewhere: the array path names it)."""
        values = floats.values.copy()
        if overrides:
            for node_id, override in overrides.items():
                pos = self.index.get(node_id)
                if pos is None or self.sources[pos] is None:
                    continue
                if np.ndim(override) != 0:
                    return None
                values[pos] = float(override)
        firsts, seconds = floats.firsts, floats.seconds
        output = self.output
        grads: list[float | None] = [None] * len(values)  # None: does not reach the output
        grads[output] = float(self.dout)
        edge_start = self.edge_start
        shares = [0.0] * edge_start[-1]
        try:
            for pos, forward, first, second in zip(
                range(len(values)), floats.forwards, firsts, seconds, strict=True
            ):
                if forward is None:
                    continue
                if second < 0:
                    values[pos] = forward(values[first])
                else:
                    values[pos] = forward(values[first], values[second])
            if not math.isfinite(sum(values)):  # inf or nan somewhere, or a sum overflowed
                return None
            backwards = floats.backwards
            for pos in range(output, -1, -1):
                dout = grads[pos]
                backward = backwards[pos]
                if dout is None or backward is None:
                    continue
                first = firsts[pos]
                second = seconds[pos]
                edge = edge_start[pos]
                if second < 0:
                    shares[edge] = share = backward(dout, values[pos], values[first])
                    acc = grads[first]
                    grads[first] = share if acc is None else acc + share
                else:
                    share, share_second = backward(dout, values[pos], values[first], values[second])
                    shares[edge] = share
                    shares[edge + 1] = share_second
                    acc = grads[first]
                    grads[first] = share if acc is None else acc + share
                    acc = grads[second]
                    grads[second] = share_second if acc is None else acc + share_second
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


def _topological_order(ids: list[str], inputs: list[tuple[int, ...]]) -> list[int]:
    """Kahn's algorithm over the nodes' places in the list; among ready nodes the one
    listed first goes first, so a spec already listed in a valid order keeps it."""
    consumers: list[list[int]] = [[] for _ in ids]
    missing = [0] * len(ids)
    for i, node_inputs in enumerate(inputs):
        for src in node_inputs:
            consumers[src].append(i)
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
    if len(order) < len(ids):
        cycle = _find_cycle(inputs, {i for i, m in enumerate(missing) if m > 0})
        names = [ids[i] for i in cycle]
        raise CycleError(Message("cycle", {"path": " -> ".join([*names, names[0]])}), names)
    return order


def _find_cycle(inputs: list[tuple[int, ...]], stuck: set[int]) -> list[int]:
    """Every stuck node has an input that is stuck too; walking inputs must loop."""
    seen: dict[int, int] = {}
    path: list[int] = []
    current = min(stuck)
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = next(s for s in inputs[current] if s in stuck)
    cycle = path[seen[current] :]
    cycle.reverse()  # inputs point backwards; show the direction data flows
    start = cycle.index(min(cycle))  # begin at the node listed first
    return cycle[start:] + cycle[:start]


def compile_graph(
    raw: Mapping[str, Any] | GraphSpec | Any, limits: Limits = DEFAULT_LIMITS
) -> Plan:
    """Check a spec, sort it once and infer every shape; raise a GraphError if it cannot run."""
    with COLLECTOR_PAUSED:
        return _compile_graph(raw, limits)


def _compile_graph(raw: Mapping[str, Any] | GraphSpec | Any, limits: Limits) -> Plan:
    # the ids' pattern is checked here, unless a cached plan has these very ids
    lists = read_spec(raw, limits, check_ids=False)
    plan = _compile_scalars(lists, limits)
    if plan is not None:
        return plan
    if not lists.ids_checked:
        lists = read_spec(raw, limits) if not ids_valid(lists.ids) else lists
    by_id = _index_nodes(lists.ids)
    ops, inputs, listed_order_is_topological = _check_nodes(lists, by_id)
    output = _output_of(lists, by_id)
    # the common case: inputs listed first, and the listed order is kept
    order = None if listed_order_is_topological else _topological_order(lists.ids, inputs)
    return _compile(lists, ops, inputs, order, by_id, output, limits)


class PlanCache:
    """Compiled all-scalar plans by structure, so that the same graph with new values (the
    explorer re-runs it on every edit) skips the checks and the sort.

    The key is everything the structure depends on: the limits, the output, and every
    node's id, op and inputs, compared in full (a hash that collides still compares
    unequal). Values and dout are checked and read on every compile, never cached (the
    cache keeps a plan's structure without its values). A plan taken from here shares only
    read-only lists with the one it was made from. Bounded: at most ``max_plans`` plans
    and ``max_nodes`` nodes in all (about 500 bytes each once the request is gone: 25 MB),
    the least recently used dropped first; one lock, so threads may share it.
    """

    def __init__(self, max_plans: int = 64, max_nodes: int = 50_000) -> None:
        self.max_plans = max_plans
        self.max_nodes = max_nodes
        self._plans: OrderedDict[tuple[Any, ...], Plan] = OrderedDict()
        self._nodes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Plan | None:
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
            return plan

    def put(self, key: tuple[Any, ...], plan: Plan) -> None:
        size = len(plan.ids)
        if size > self.max_nodes:
            return
        with self._lock:
            if key in self._plans:
                return
            self._plans[key] = plan
            self._nodes += size
            while len(self._plans) > self.max_plans or self._nodes > self.max_nodes:
                _, dropped = self._plans.popitem(last=False)
                self._nodes -= len(dropped.ids)

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()
            self._nodes = 0

    def __len__(self) -> int:
        return len(self._plans)

    @property
    def nodes(self) -> int:
        """How many nodes the cached plans hold in all."""
        return self._nodes


PLAN_CACHE = PlanCache()


def _compile_scalars(lists: SpecLists, limits: Limits) -> Plan | None:
    """The plan of the commonest graph, all at once instead of node by node: every value a
    number, every op element-wise with a float rule and no attrs, inputs listed first.
    None for any other graph, or for anything wrong: ``_check_nodes`` and ``_compile`` then
    go node by node, and raise for the first node in error. Either way, the same plan.

    The structure comes from ``PLAN_CACHE`` when this graph was compiled before; the
    values are read every time."""
    n = len(lists.ids)
    if lists.attrs.count(NO_ATTRS) != n:
        return None
    key = (limits, lists.output, tuple(lists.ids), tuple(lists.ops), tuple(lists.inputs))
    known = PLAN_CACHE.get(key)
    if known is not None:
        base = known  # compiled from these very ids, which were checked then
    else:
        if not lists.ids_checked and not ids_valid(lists.ids):
            return None  # read_spec will say which id is wrong
        by_id = _index_nodes(lists.ids)  # raises for a duplicate id, as it would anyway
        new = _scalar_structure(lists, by_id, limits)
        if new is None:
            return None
        base = new
    structure = base.floats
    assert structure is not None
    # sources: a plain finite number each (int or float, not bool); computed nodes: none
    values = lists.values
    source_positions = structure.sources
    source_values = [values[pos] for pos in source_positions]
    if len(source_values) + values.count(None) != n + source_values.count(None) or not set(
        map(type, source_values)
    ) <= {float, int}:
        return None
    try:
        numbers = [float(value) for value in source_values]
    except OverflowError:  # an int beyond float range
        return None
    if not math.isfinite(sum(numbers)):  # an inf or a nan (or a sum that overflows)
        return None
    output = base.ids[base.output]
    dout = _parse_dout(lists.dout, output, (), limits)
    float_values = [0.0] * n
    for pos, number in zip(source_positions, numbers, strict=True):
        float_values[pos] = number
    floats = structure._replace(values=float_values)
    if known is not None:
        return known.with_values(lists, floats, dout)
    # the cache keeps the structure alone, not this graph's values
    PLAN_CACHE.put(
        key, base.with_values(lists._replace(values=[], dout=None), structure, base.dout)
    )
    base.finish(lists, floats, dout)
    return base


def _scalar_structure(lists: SpecLists, by_id: dict[str, int], limits: Limits) -> Plan | None:
    """An all-scalar plan without its values (``Plan.finish`` gives them), or None."""
    n = len(lists.ids)
    if limits.max_array_elements < 1 or n > limits.max_total_elements:
        return None
    kinds = list(map(_SCALAR_KINDS.get, lists.ops))
    if None in kinds:
        return None
    counts = list(map(len, lists.inputs))
    if counts != [kind[1] for kind in kinds]:  # type: ignore[index]
        return None
    found = list(map(by_id.get, chain.from_iterable(lists.inputs)))
    if None in found:
        return None
    edge_sources = cast(list[int], found)
    edge_start = list(accumulate(counts, initial=0))
    starts = zip(edge_start, counts, strict=False)  # edge_start has one more: the edge count
    firsts = [edge_sources[start] if count else -1 for start, count in starts]
    starts = zip(edge_start, counts, strict=False)
    seconds = [edge_sources[start + 1] if count == 2 else -1 for start, count in starts]
    # inputs listed first (-1: no such input)
    if not all(map(lt, firsts, range(n))) or not all(map(lt, seconds, range(n))):
        return None
    output = lists.output if lists.output is not None else lists.ids[-1]
    out_pos = by_id.get(output)
    if out_pos is None:
        return None
    forwards = [kind[2] for kind in kinds]  # type: ignore[index]
    floats = _Floats(
        [],
        forwards,
        [kind[3] for kind in kinds],  # type: ignore[index]
        firsts,
        seconds,
        [pos for pos, forward in enumerate(forwards) if forward is None],
    )
    plan = Plan(
        lists,
        lists.ids,
        [kind[0] for kind in kinds],  # type: ignore[index]
        counts,
        edge_sources,
        lists.inputs,
        [NO_ATTRS] * n,
        [()] * n,
        by_id,
        out_pos,
        np.ones(()),
        limits,
        floats,
        edge_start=edge_start,
    )
    # what every answer's JSON needs, made once for all the plans of this structure
    vars(plan)["op_names"] = lists.ops  # the ops' names, as listed: the spec's own list
    plan.edge_source_ids  # noqa: B018
    plan.edge_targets  # noqa: B018
    plan.edge_indices  # noqa: B018
    return plan


def _index_nodes(ids: list[str]) -> dict[str, int]:
    """Each id's place in the list; two nodes may not share one."""
    by_id = dict(zip(ids, range(len(ids)), strict=True))
    if len(by_id) == len(ids):
        return by_id
    by_id = {}
    for i, node_id in enumerate(ids):
        if node_id in by_id:
            raise DuplicateNodeError.of("duplicate_node", node_id, node=node_id)
        by_id[node_id] = i
    return by_id


# per op name, from the registry: the op, its number of inputs, whether it holds a value
_OP_FACTS: dict[str, tuple[Op, int, bool]] = {
    name: (op, op.arity, name in SOURCE_OPS) for name, op in OPS.items()
}


def _check_nodes(
    lists: SpecLists, by_id: Mapping[str, int]
) -> tuple[list[Op], list[tuple[int, ...]], bool]:
    """Every node's op and its inputs' places in the list, once each node is checked
    (``_check_node`` raises for the first node in error); and whether every node is
    listed after its inputs."""
    ops: list[Op] = []
    inputs: list[tuple[int, ...]] = []
    ordered = True
    facts_of = _OP_FACTS.get
    place_of = by_id.get
    for i, (op_name, node_inputs, value) in enumerate(
        zip(lists.ops, lists.inputs, lists.values, strict=True)
    ):
        facts = facts_of(op_name)
        if facts is None or len(node_inputs) != facts[1]:
            _check_node(lists, i, by_id)  # raises
        op, arity, source = facts
        if arity == 2:
            first = place_of(node_inputs[0])
            second = place_of(node_inputs[1])
            if first is None or second is None or value is not None:
                _check_node(lists, i, by_id)  # raises
            if first >= i or second >= i:
                ordered = False
            inputs.append((first, second))
        elif arity == 1:
            first = place_of(node_inputs[0])
            if first is None or value is not None:
                _check_node(lists, i, by_id)  # raises
            if first >= i:
                ordered = False
            inputs.append((first,))
        elif arity == 0:
            inputs.append(())
            if value is not None and not source:
                _check_node(lists, i, by_id)  # raises
        else:
            if value is not None or not all(map(by_id.__contains__, node_inputs)):
                _check_node(lists, i, by_id)  # raises
            places = tuple(map(by_id.__getitem__, node_inputs))
            if max(places) >= i:
                ordered = False
            inputs.append(places)
        ops.append(op)
    return ops, inputs, ordered


def _check_node(lists: SpecLists, i: int, by_id: Mapping[str, int]) -> NoReturn:
    """Raise for the node listed ``i``-th, which ``_check_nodes`` found wrong: its op is
    unknown, its inputs are not counted right or not found, or it has a value it may not
    have."""
    node_id, op_name, node_inputs = lists.ids[i], lists.ops[i], lists.inputs[i]
    op = OPS.get(op_name)
    if op is None:
        raise UnknownOpError.of(
            "unknown_op", node_id, node=node_id, op=op_name, known=", ".join(OPS)
        )
    if len(node_inputs) != op.arity:
        got = len(node_inputs)
        if op.arity:
            raise ArityError.of(
                "arity",
                node_id,
                node=node_id,
                op=op.name,
                count=op.arity,
                names=", ".join(op.input_names),
                got=got,
            )
        raise ArityError.of("arity_source", node_id, node=node_id, op=op.name, got=got)
    for src in node_inputs:
        if src not in by_id:
            raise UnknownNodeError.of("unknown_input", node_id, node=node_id, source=src)
    if lists.values[i] is not None and op.name not in SOURCE_OPS:
        raise InvalidValueError.of("value_on_computed", node_id, node=node_id, op=op.name)
    raise AssertionError(f"node {node_id!r} has nothing wrong")  # never: see _check_nodes


def _output_of(lists: SpecLists, by_id: Mapping[str, int]) -> str:
    """The output node: the one named, else the last one listed."""
    output = lists.output if lists.output is not None else lists.ids[-1]
    if output not in by_id:
        raise UnknownNodeError.of("unknown_output", output, node=output)
    return output


# per op name, from the registry: whether its output has its inputs' shape when they
# share one (the element-wise ops), and the float rule of ops whose attrs do not matter
_KEEPS_SHAPE: dict[str, bool] = {name: keeps_shape(op.shape_rule) for name, op in OPS.items()}
_FIXED_RULES: dict[str, FloatRule] = {
    name: op.floats(NO_ATTRS) for name, op in OPS.items() if op.floats and not op.attrs
}
# per op name: the op, its number of inputs and its float rule (None for sources), for
# the ops that ``_compile_scalars`` takes: sources and element-wise ops without attrs
_SCALAR_KINDS: dict[str, tuple[Op, int, Callable[..., float] | None, Callable[..., Any] | None]] = {
    name: (OPS[name], OPS[name].arity, None, None) for name in SOURCE_OPS
} | {
    name: (OPS[name], OPS[name].arity, rule.forward, rule.backward)
    for name, rule in _FIXED_RULES.items()
    if _KEEPS_SHAPE[name]
}


def _compile(
    lists: SpecLists,
    ops: list[Op],
    inputs: list[tuple[int, ...]],
    order: list[int] | None,
    by_id: dict[str, int],
    output: str,
    limits: Limits,
) -> Plan:
    """The plan in forward order (``order``: the nodes' places in the list, None when the
    listed order is kept), each node's attrs parsed and its shape inferred; and the float
    path's lists while every value is a scalar.

    Shapes first, sizes checked as we go: nothing big is allocated before it is allowed.
    """
    ids, input_ids, raw_values, raw_attrs = lists.ids, lists.inputs, lists.values, lists.attrs
    if order is None:
        index = by_id  # positions are the places in the list
    else:
        ids = [ids[k] for k in order]
        ops = [ops[k] for k in order]
        input_ids = [input_ids[k] for k in order]
        raw_values = [raw_values[k] for k in order]
        raw_attrs = [raw_attrs[k] for k in order]
        position = [0] * len(order)
        for pos, k in enumerate(order):
            position[k] = pos
        inputs = [tuple(position[i] for i in inputs[k]) for k in order]
        index = dict(zip(ids, range(len(ids)), strict=True))
    attrs: list[Mapping[str, Any]] = []
    shapes: list[Shape] = []
    sizes: list[int] = []
    sources: list[Array | None] = []
    keeps_shape = _KEEPS_SHAPE
    fixed_rules = _FIXED_RULES
    scalar = True  # so far, every value a scalar and every op with a float rule
    float_values: list[float] = []
    forwards: list[Callable[..., float] | None] = []
    backwards: list[Callable[..., Any] | None] = []
    total = 0
    max_total = limits.max_total_elements
    for node_id, op, node_inputs, value, node_attrs in zip(
        ids, ops, inputs, raw_values, raw_attrs, strict=True
    ):
        # parse_attrs refuses attrs that the op does not take, by name
        node_attrs = op.parse_attrs(node_id, node_attrs) if op.attrs or node_attrs else NO_ATTRS
        if not node_inputs:  # input and param: a value
            array = parse_array(value, node_id, "value", limits)
            array.setflags(write=False)  # shared by every run of this plan
            shape: Shape = array.shape
            size = array.size
            sources.append(array)
            if scalar:
                if shape:
                    scalar = False
                else:
                    float_values.append(float(array))
                    forwards.append(None)
                    backwards.append(None)
        else:
            sources.append(None)
            first = node_inputs[0]
            shape = shapes[first]
            if keeps_shape[op.name] and (len(node_inputs) == 1 or shapes[node_inputs[1]] == shape):
                size = sizes[first]  # the input's shape, whose size was allowed
            else:
                shape = op.infer_shape(node_id, [shapes[i] for i in node_inputs], node_attrs)
                size = _check_size(node_id, op, shape, limits)
            if scalar:
                rule = fixed_rules.get(op.name)
                if rule is None and op.floats is not None:
                    rule = op.floats(node_attrs)
                if shape or rule is None:
                    scalar = False
                else:
                    float_values.append(0.0)
                    forwards.append(rule.forward)
                    backwards.append(rule.backward)
        total += size
        if total > max_total:
            raise LimitError.of("limit_total", node_id, limit=max_total, node=node_id)
        attrs.append(node_attrs)
        shapes.append(shape)
        sizes.append(size)
    out_pos = index[output]
    dout = _parse_dout(lists.dout, output, shapes[out_pos], limits)
    floats = None
    if scalar:
        firsts = [node_inputs[0] if node_inputs else -1 for node_inputs in inputs]
        seconds = [node_inputs[1] if len(node_inputs) == 2 else -1 for node_inputs in inputs]
        sources_at = [pos for pos, forward in enumerate(forwards) if forward is None]
        floats = _Floats(float_values, forwards, backwards, firsts, seconds, sources_at)
    return Plan(
        lists,
        ids,
        ops,
        list(map(len, inputs)),
        list(chain.from_iterable(inputs)),
        input_ids,
        attrs,
        shapes,
        index,
        out_pos,
        dout,
        limits,
        floats,
        inputs=inputs,
        sources=sources,
    )


def _check_size(node_id: str, op: Op, shape: Shape, limits: Limits) -> int:
    size = math.prod(shape)
    if size > limits.max_array_elements:
        raise LimitError.of(
            "limit_node",
            node_id,
            node=node_id,
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
