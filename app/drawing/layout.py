"""Left-to-right layered layout of a graph spec, as the book draws it.

grandalf's Sugiyama layout orders the nodes of each layer and spaces them (it works top
to bottom: its x is our y). The layers are ours:

- an operation sits one layer (two ranks) after its deepest input;
- every edge gets a *label vertex* in the rank just before its target, sized to hold the
  forward value above the wire and the gradient below it, so labels never overlap;
- each source (input or param) moves to just before its first consumer, so ``tax`` enters
  at the last multiplication instead of waiting in the first column.

The layout reads only the structure (and the shapes, to size the labels); it never runs
the graph, so an invalid graph can still be drawn next to its error message.

Its work is bounded before it starts: a drawing has at most ``MAX_DRAWING_CELLS`` cells
(nodes, edge labels, and one per column a long edge crosses: grandalf's dummy vertices,
whose number grows with the square of the graph for long skip edges) and a node at most
``MAX_DRAWN_INPUTS`` inputs; :func:`check_drawable` refuses anything larger with a
:class:`core.errors.LimitError` naming the limit. While it runs, it checks the request's
time bound (:mod:`core.deadline`) between layers.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grandalf.graphs import Edge, Vertex
from grandalf.layouts import DummyVertex, Layer, SugiyamaLayout

from app.drawing.numbers import KEY_SWATCH, grid
from core.deadline import check_deadline
from core.errors import LimitError
from core.format import format_shape
from core.messages import msg
from core.ops import OPS, SOURCE_OPS

Shape = tuple[int, ...]
Point = tuple[float, float]

FONT = 13.0  # px, node and label text
SMALL_FONT = 10.0  # px, shape captions
KEY_ROW = SMALL_FONT + 3  # px: a heatmap's key, beyond its caption
CIRCLE_R = 21.0
SCALAR_SLOT_W = 58.0
COLUMN_GAP = 26.0  # room for the curves between columns
ROW_GAP = 12.0  # between neighbours in one column
MARGIN = 16.0
COMPONENT_GAP = 28.0
ARROW_TAIL = 18.0  # the output arrow runs on past its label
DUMMY_W = 10.0

#: The most cells a drawing may have (nodes, edge labels, columns crossed by long edges).
#: The layout takes about 25 us per cell on an idle core: this bounds a drawing to about a
#: quarter of a second (a graph of 100 nodes that all read one input still draws).
MAX_DRAWING_CELLS = 10_000
#: The most inputs a drawn node may list: as many as the op that takes the most.
MAX_DRAWN_INPUTS = max(op.arity for op in OPS.values())


def text_width(text: str, size: float = FONT) -> float:
    """An estimate that needs no font metrics: wide (CJK) characters take a full em."""
    em = 0.0
    for ch in text:
        em += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.62
    return em * size


@dataclass
class Box:
    x: float  # centre
    y: float  # centre
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2


@dataclass
class Slot:
    """The room one edge label needs: a number, or a heatmap with its shape caption."""

    shape: Shape | None  # None: not known (the graph did not compile)
    w: float
    above: float  # from the wire up to the top of the value
    below: float  # from the wire down to the bottom of the gradient

    @property
    def is_heatmap(self) -> bool:
        return self.shape is not None and len(self.shape) > 0


@dataclass
class NodeShape:
    id: str
    op: str
    kind: str  # "input", "param" or "op"
    text: str  # what is written in it: the op symbol, or the node's name
    form: str  # "circle", "pill" or "source"
    box: Box
    rank: int


@dataclass
class EdgeShape:
    """An arrow: straight runs ``(x_from, x_to, y)`` joined by smooth curves.

    ``target`` is None for the output arrow, which carries the result and ``dout``.
    """

    source: str
    target: str | None
    index: int
    runs: list[tuple[float, float, float]]
    label: Box  # label.y is the wire's height through the label
    slot: Slot


@dataclass
class Layout:
    nodes: dict[str, NodeShape]
    edges: list[EdgeShape]
    width: float
    height: float
    output: str | None
    problems: list[str] = field(default_factory=list)


def _slot(shape: Shape | None) -> Slot:
    if shape is None or len(shape) == 0:
        return Slot(shape, SCALAR_SLOT_W, 4 + FONT + 2, 12 + FONT + 2)
    rows, cols, cell_w, cell_h = grid(shape)
    caption = SMALL_FONT + 3 + KEY_ROW
    heat_w, heat_h = cols * cell_w, rows * cell_h
    # the key: three swatches left of the middle, its widest usual scale right of it
    key_w = 2 * max(3 * KEY_SWATCH + 2, text_width("±0.001", SMALL_FONT) + 1)
    w = max(heat_w, text_width("∂ " + format_shape(shape), SMALL_FONT), key_w) + 10
    return Slot(shape, w, 5 + heat_h + caption, 12 + heat_h + caption)


def _node_text(node: Mapping[str, Any], op: str, symbols: Mapping[str, str]) -> str:
    if op in SOURCE_OPS:
        return str(node.get("id", ""))
    symbol = symbols.get(op, op)
    if op == "pow":
        attrs = node.get("attrs")
        exponent = attrs.get("exponent") if isinstance(attrs, Mapping) else None
        if isinstance(exponent, int | float) and not isinstance(exponent, bool):
            exponent_text = f"{exponent:g}"
            return f"^{exponent_text}"
    return symbol


def _node_size(form: str, text: str) -> tuple[float, float]:
    if form == "circle":
        return 2 * CIRCLE_R, 2 * CIRCLE_R
    if form == "pill":
        return max(2 * CIRCLE_R, text_width(text) + 26), 34.0
    return max(40.0, text_width(text) + 22), 30.0


_Key = tuple[str, Any]  # ("n", node id), ("l", edge number) or ("o", output id)


@dataclass
class _Vertex:
    key: _Key
    rank: int
    w: float  # ours: horizontal size
    h: float  # ours: vertical size
    vertex: Vertex
    order: float = 0.0  # position in the spec, to keep its top-to-bottom order


class _View:
    """grandalf's view of a vertex; its w is our height, its h our width (axes swapped)."""

    def __init__(self, w: float, h: float) -> None:
        self.w = w
        self.h = h
        self.xy: Point = (0.0, 0.0)


@dataclass
class _Graph:
    """What can be drawn of a spec: the nodes with a fresh id and the edges between them."""

    nodes: dict[str, Mapping[str, Any]]  # by id, in the spec's order
    ids: list[str]
    inputs: dict[str, list[str]]  # each node's drawable inputs, in order
    consumers: dict[str, list[str]]  # the nodes each node feeds, once per edge
    edges: list[tuple[str, str, int]]  # (source, target, input index)
    output: str | None
    problems: list[str]


@dataclass
class _Labels:
    """The label vertices (one per edge, then the output's) and the room each label needs."""

    vertices: dict[_Key, _Vertex]
    slots: list[Slot]  # one per edge, in edge order
    out_slot: Slot | None


@dataclass
class _Columns:
    """Our x axis: one column per rank in use, as wide as its widest vertex."""

    of_rank: dict[int, int]
    left: list[float]
    width: list[float]
    total_width: float

    def span(self, rank: int) -> tuple[float, float]:
        c = self.of_rank[rank]
        return self.left[c], self.left[c] + self.width[c]


@dataclass
class _Rows:
    """Our y axis, from grandalf: every vertex's height, and every long wire's at each rank."""

    ys: dict[int, float]  # id(grandalf vertex) -> y
    dummies: dict[tuple[int, int], float]  # (id(grandalf edge), rank) -> y of the wire
    total_height: float


def layout_graph(
    spec: Mapping[str, Any],
    shapes: Mapping[str, Sequence[int]] | None = None,
    symbols: Mapping[str, str] | None = None,
) -> Layout:
    """Place every node and route every edge of ``spec``; ``shapes`` size the labels."""
    if symbols is None:
        symbols = {name: op.symbol for name, op in OPS.items()}
    graph, rank = _checked_graph(spec)
    node_shapes = _node_shapes(graph, rank, symbols)
    node_vertices = _node_vertices(graph, node_shapes)
    labels = _label_vertices(graph, node_vertices, shapes or {})
    verts = {**node_vertices, **labels.vertices}
    layered, back_edges = _layered_edges(graph, verts)
    parts, grandalf_edges = _grandalf_parts(verts, layered)
    columns = _columns(verts)
    rows = _stack_parts(parts, verts)
    _place_nodes(node_shapes, verts, columns, rows)
    edges = _route_edges(graph, node_shapes, verts, labels.slots, columns, rows, grandalf_edges)
    edges += _output_arrows(graph.output, labels.out_slot, node_shapes, verts, columns, rows)
    cycle = ["the graph has a cycle; its back edges are not drawn"] if back_edges else []
    return Layout(
        node_shapes,
        edges,
        columns.total_width,
        rows.total_height,
        graph.output,
        graph.problems + cycle,
    )


def check_drawable(spec: Mapping[str, Any]) -> None:
    """Raise a LimitError when ``spec`` is too large to draw (before any drawing work)."""
    _checked_graph(spec)


def _checked_graph(spec: Mapping[str, Any]) -> tuple[_Graph, dict[str, int]]:
    """The drawable graph and every node's rank, once its drawing is known to be bounded."""
    graph = _drawable_graph(spec)
    for node_id, inputs in graph.inputs.items():
        if len(inputs) > MAX_DRAWN_INPUTS:
            raise LimitError.of(
                "limit_drawing_inputs",
                node_id,
                node=node_id,
                count=len(inputs),
                limit=MAX_DRAWN_INPUTS,
            )
    rank = _sources_before_first_consumer(graph, _ranks(graph))
    cells = _cells(graph, rank)
    if cells > MAX_DRAWING_CELLS:
        raise LimitError.of(
            "limit_drawing", None, count=cells, what=msg("drawing_cells"), limit=MAX_DRAWING_CELLS
        )
    return graph, rank


def _cells(graph: _Graph, rank: Mapping[str, int]) -> int:
    """The vertices grandalf will lay out: every node, every edge's label (and the
    output's), and a dummy for each rank an edge crosses on its way to its label."""
    cells = len(graph.ids) + len(graph.edges) + 1
    for src, dst, _ in graph.edges:
        cells += max(0, rank[dst] - 1 - rank[src] - 1)
    return cells


def _drawable_graph(spec: Any) -> _Graph:
    """Keep what can be drawn, listing the rest as problems, so an invalid graph still draws."""
    nodes, problems = _clean_nodes(spec.get("nodes") if isinstance(spec, Mapping) else None)
    by_id = {n["id"]: n for n in nodes}
    ids = list(by_id)
    inputs: dict[str, list[str]] = {}
    edges: list[tuple[str, str, int]] = []
    for node_id in ids:
        kept = []
        for index, src in enumerate(_inputs_of(by_id[node_id])):
            if src in by_id and src != node_id:  # both ends exist and they are different nodes
                kept.append(src)
                edges.append((src, node_id, index))
        inputs[node_id] = kept
    consumers: dict[str, list[str]] = {i: [] for i in ids}
    for src, dst, _ in edges:
        consumers[src].append(dst)
    return _Graph(by_id, ids, inputs, consumers, edges, _output_of(spec, ids), problems)


def _clean_nodes(raw_nodes: Any) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The nodes that can be drawn: objects with a fresh id. Anything else is a problem."""
    problems: list[str] = []
    nodes: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    if not isinstance(raw_nodes, Sequence) or isinstance(raw_nodes, str | bytes):
        return [], ["'nodes' is not a list"]
    for position, node in enumerate(raw_nodes):
        if not isinstance(node, Mapping) or not isinstance(node.get("id"), str):
            problems.append(f"nodes[{position}] has no id")
            continue
        if node["id"] in seen:
            problems.append(f"node id {node['id']!r} is used twice")
            continue
        seen.add(node["id"])
        nodes.append(node)
    return nodes, problems


def _inputs_of(node: Mapping[str, Any]) -> list[str]:
    """The ids a node lists as inputs; anything else becomes "" (no valid node has that id)."""
    inputs = node.get("inputs")
    if not isinstance(inputs, Sequence) or isinstance(inputs, str | bytes):
        return []
    return [i if isinstance(i, str) else "" for i in inputs]


def _output_of(spec: Any, ids: list[str]) -> str | None:
    """The node the output arrow leaves: the spec's ``output``, else its last node."""
    raw_output = spec.get("output") if isinstance(spec, Mapping) else None
    output = raw_output if isinstance(raw_output, str) else (ids[-1] if ids else None)
    return output if output in ids else None


def _ranks(graph: _Graph) -> dict[str, int]:
    """Two ranks per level (longest path from a source): a label column runs between levels."""
    level = _levels(graph.ids, graph.inputs)
    return {i: 2 * level[i] for i in graph.ids}


def _levels(ids: list[str], inputs: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from a source, without recursion. Nodes on a cycle are placed in list
    order after the rest; their back edges are left out of the layered drawing."""
    consumers: dict[str, list[str]] = {i: [] for i in ids}
    missing = {i: 0 for i in ids}
    for node_id in ids:
        for src in inputs[node_id]:
            consumers[src].append(node_id)
            missing[node_id] += 1
    level = dict.fromkeys(ids, 0)
    ready = [i for i in ids if missing[i] == 0]
    done: set[str] = set()
    while ready:
        current = ready.pop()
        done.add(current)
        for c in consumers[current]:
            level[c] = max(level[c], level[current] + 1)
            missing[c] -= 1
            if missing[c] == 0:
                ready.append(c)
    for node_id in ids:  # only nodes on or after a cycle are left
        if node_id not in done:
            level[node_id] = 1 + max((level[s] for s in inputs[node_id] if s in done), default=0)
            done.add(node_id)
    return level


def _sources_before_first_consumer(graph: _Graph, rank: dict[str, int]) -> dict[str, int]:
    """Move each source to just before its first consumer: tax enters at the last product."""
    moved = dict(rank)
    for node_id in graph.ids:
        if not graph.inputs[node_id] and graph.consumers[node_id]:
            moved[node_id] = max(0, min(rank[c] for c in graph.consumers[node_id]) - 2)
    return moved


def _node_shapes(
    graph: _Graph, rank: Mapping[str, int], symbols: Mapping[str, str]
) -> dict[str, NodeShape]:
    """What each node looks like (text, form, size) and its rank; its place comes later."""
    node_shapes: dict[str, NodeShape] = {}
    for node_id in graph.ids:
        node = graph.nodes[node_id]
        op = str(node.get("op", ""))
        kind = op if op in SOURCE_OPS else "op"
        text = _node_text(node, op, symbols)
        form = _node_form(op, kind, text)
        w, h = _node_size(form, text)
        box = Box(0, 0, w, h)
        node_shapes[node_id] = NodeShape(node_id, op, kind, text, form, box, rank[node_id])
    return node_shapes


def _node_form(op: str, kind: str, text: str) -> str:
    """A box for a source; an op is a circle, or a pill when its registry entry says so
    (the matrix ops) or its symbol is too wide for a circle."""
    if kind != "op":
        return "source"
    known = OPS.get(op)
    if (known is not None and known.form == "pill") or text_width(text) > 2 * CIRCLE_R - 8:
        return "pill"
    return "circle"


def _node_vertices(graph: _Graph, node_shapes: Mapping[str, NodeShape]) -> dict[_Key, _Vertex]:
    """One vertex per node in spec order; a source joining late goes below the chain it joins."""
    verts: dict[_Key, _Vertex] = {}
    for position, node_id in enumerate(graph.ids):
        ns = node_shapes[node_id]
        joins_late = not graph.inputs[node_id] and ns.rank > 0
        order = float(position + (len(graph.ids) if joins_late else 0))
        verts[("n", node_id)] = _Vertex(
            ("n", node_id), ns.rank, ns.box.w, ns.box.h, Vertex(None), order
        )
    return verts


def _label_vertices(
    graph: _Graph, node_vertices: Mapping[_Key, _Vertex], shapes: Mapping[str, Sequence[int]]
) -> _Labels:
    """A vertex per edge (rank before its target) and the output, sized so labels never overlap."""

    def shape_of(node_id: str) -> Shape | None:
        s = shapes.get(node_id)
        return None if s is None else tuple(int(n) for n in s)

    vertices: dict[_Key, _Vertex] = {}
    slots: list[Slot] = []
    for k, (src, dst, _) in enumerate(graph.edges):
        slot = _slot(shape_of(src))
        slots.append(slot)
        vertices[("l", k)] = _Vertex(
            ("l", k),
            node_vertices[("n", dst)].rank - 1,
            slot.w,
            2 * max(slot.above, slot.below),
            Vertex(None),
            node_vertices[("n", src)].order + k / (len(graph.edges) + 1),
        )
    output = graph.output
    out_slot = None
    if output:  # an output named "" (not a valid id) gets no arrow
        out_slot = _slot(shape_of(output))
        vertices[("o", output)] = _Vertex(
            ("o", output),
            node_vertices[("n", output)].rank + 1,
            out_slot.w,
            2 * max(out_slot.above, out_slot.below),
            Vertex(None),
            float(2 * len(graph.ids)),
        )
    return _Labels(vertices, slots, out_slot)


def _layered_edges(
    graph: _Graph, verts: Mapping[_Key, _Vertex]
) -> tuple[list[tuple[_Vertex, _Vertex]], list[int]]:
    """grandalf's edges: source, label, target (output, label); a cycle's back edges stay out."""
    layered: list[tuple[_Vertex, _Vertex]] = []
    back_edges: list[int] = []
    for k, (src, dst, _) in enumerate(graph.edges):
        source, label = verts[("n", src)], verts[("l", k)]
        if source.rank >= label.rank:
            back_edges.append(k)
            continue
        layered.append((source, label))
        layered.append((label, verts[("n", dst)]))
    if graph.output is not None and ("o", graph.output) in verts:
        layered.append((verts[("n", graph.output)], verts[("o", graph.output)]))
    return layered, back_edges


def _columns(verts: Mapping[_Key, _Vertex]) -> _Columns:
    """One column per rank in use, left to right with room for the curves between them."""
    ranks = sorted({v.rank for v in verts.values()})
    of_rank = {r: i for i, r in enumerate(ranks)}
    width = [0.0] * len(ranks)
    for v in verts.values():
        width[of_rank[v.rank]] = max(width[of_rank[v.rank]], v.w)
    left: list[float] = []
    x = MARGIN
    for w in width:
        left.append(x)
        x += w + COLUMN_GAP
    return _Columns(of_rank, left, width, x - COLUMN_GAP + MARGIN + ARROW_TAIL)


def _grandalf_parts(
    verts: Mapping[_Key, _Vertex], layered: list[tuple[_Vertex, _Vertex]]
) -> tuple[list[_Part], list[Edge]]:
    """The vertices as grandalf's (axes swapped), in connected parts: it lays out one at a time."""
    for v in verts.values():
        v.vertex.view = _View(v.h, v.w)
    grandalf_edges = [Edge(a.vertex, b.vertex) for a, b in layered]
    return _connected_parts(list(verts.values()), grandalf_edges), grandalf_edges


def _stack_parts(parts: list[_Part], verts: Mapping[_Key, _Vertex]) -> _Rows:
    """Lay out each connected part with our ranks, and stack the parts in the spec's order."""
    vertex_key = {id(v.vertex): v for v in verts.values()}
    ys: dict[int, float] = {}
    dummies: dict[tuple[int, int], float] = {}
    top = MARGIN
    for part in sorted(parts, key=lambda part: min(vertex_key[id(v)].order for v in part.sV)):
        part_ys, part_dummies = _layout_part(part, vertex_key)
        low = min(part_ys[key] - vertex_key[key].h / 2 for key in part_ys)
        high = max(part_ys[key] + vertex_key[key].h / 2 for key in part_ys)
        shift = top - low
        for key, y in part_ys.items():
            ys[key] = y + shift
        for key2, y in part_dummies.items():
            dummies[key2] = y + shift
        top += high - low + COMPONENT_GAP
    return _Rows(ys, dummies, max(top - COMPONENT_GAP + MARGIN, 2 * MARGIN))


def _place(v: _Vertex, columns: _Columns, rows: _Rows) -> Box:
    """A vertex's box: centred in its column, at the height grandalf gave it."""
    c = columns.of_rank[v.rank]
    return Box(columns.left[c] + columns.width[c] / 2, rows.ys[id(v.vertex)], v.w, v.h)


def _place_nodes(
    node_shapes: Mapping[str, NodeShape],
    verts: Mapping[_Key, _Vertex],
    columns: _Columns,
    rows: _Rows,
) -> None:
    """Give every node its box, now that the columns and rows are known."""
    for node_id, ns in node_shapes.items():
        ns.box = _place(verts[("n", node_id)], columns, rows)


def _ports(
    graph: _Graph, node_shapes: Mapping[str, NodeShape], label_boxes: Mapping[int, Box]
) -> dict[int, Point]:
    """Where each edge meets its target: down its left side in the labels' order, so none cross."""
    arrivals: dict[str, list[tuple[float, int]]] = {}
    for k, (_, dst, _) in enumerate(graph.edges):
        arrivals.setdefault(dst, []).append((label_boxes[k].y, k))
    port: dict[int, Point] = {}
    for dst, arriving in arrivals.items():
        arriving.sort()
        box = node_shapes[dst].box
        n = len(arriving)
        for slot_index, (_, k) in enumerate(arriving):
            t = 0.0 if n == 1 else (slot_index / (n - 1)) * 2 - 1  # -1 .. 1
            if node_shapes[dst].form == "circle":
                angle = t * math.radians(38)
                port[k] = (box.x - CIRCLE_R * math.cos(angle), box.y + CIRCLE_R * math.sin(angle))
            else:
                port[k] = (box.left, box.y + t * box.h * 0.28)
    return port


def _route_edges(
    graph: _Graph,
    node_shapes: Mapping[str, NodeShape],
    verts: Mapping[_Key, _Vertex],
    slots: list[Slot],
    columns: _Columns,
    rows: _Rows,
    grandalf_edges: list[Edge],
) -> list[EdgeShape]:
    """Each edge as straight runs: out of its source, across the columns, its label, its port."""
    label_boxes = {k: _place(verts[("l", k)], columns, rows) for k in range(len(graph.edges))}
    port = _ports(graph, node_shapes, label_boxes)
    edge_objects = {(id(e.v[0]), id(e.v[1])): e for e in grandalf_edges}
    edges: list[EdgeShape] = []
    for k, (src, dst, index) in enumerate(graph.edges):
        sbox, label = node_shapes[src].box, label_boxes[k]
        runs = [(sbox.right, sbox.right, sbox.y)]
        src_v, label_v = verts[("n", src)], verts[("l", k)]
        edge_obj = edge_objects.get((id(src_v.vertex), id(label_v.vertex)))  # None: back edge
        for r in range(src_v.rank + 1, label_v.rank):
            if edge_obj is not None and (id(edge_obj), r) in rows.dummies:
                left, right = columns.span(r)
                runs.append((left, right, rows.dummies[(id(edge_obj), r)]))
        left, right = columns.span(label_v.rank)
        runs.append((left, right, label.y))
        px, py = port[k]
        runs.append((px, px, py))
        edges.append(EdgeShape(src, dst, index, runs, label, slots[k]))
    return edges


def _output_arrows(
    output: str | None,
    out_slot: Slot | None,
    node_shapes: Mapping[str, NodeShape],
    verts: Mapping[_Key, _Vertex],
    columns: _Columns,
    rows: _Rows,
) -> list[EdgeShape]:
    """The output's arrow (none without an output): through its label, and on past it."""
    if output is None or out_slot is None:
        return []
    obox = node_shapes[output].box
    out_v = verts[("o", output)]
    out_box = _place(out_v, columns, rows)
    left, right = columns.span(out_v.rank)
    runs = [(obox.right, obox.right, obox.y), (left, right + ARROW_TAIL, out_box.y)]
    return [EdgeShape(output, None, -1, runs, out_box, out_slot)]


class _Part:
    """One connected part, as much of grandalf's graph_core as its Sugiyama layout uses.

    grandalf's own Graph finds the parts in quadratic time (set equality per merge),
    about 0.3 s for 200 nodes with their labels; a union-find does it in linear time.
    """

    def __init__(self, vertices: list[Vertex], edges: list[Edge]) -> None:
        self.sV = vertices
        self.sE = edges
        self.degenerated_edges: set[Edge] = set()

    def V(self) -> list[Vertex]:  # noqa: N802 (grandalf calls it so)
        return self.sV

    def E(self) -> list[Edge]:  # noqa: N802 (grandalf calls it so)
        return self.sE


def _connected_parts(verts: list[_Vertex], edges: list[Edge]) -> list[_Part]:
    parent = {id(v.vertex): id(v.vertex) for v in verts}

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for e in edges:
        e.attach()  # the vertices learn their edges (grandalf's N(), e_in(), e_out())
        a, b = find(id(e.v[0])), find(id(e.v[1]))
        if a != b:
            parent[a] = b
    members: dict[int, list[Vertex]] = {}
    for v in verts:
        members.setdefault(find(id(v.vertex)), []).append(v.vertex)
    links: dict[int, list[Edge]] = {}
    for e in edges:
        links.setdefault(find(id(e.v[0])), []).append(e)
    return [_Part(vs, links.get(root, [])) for root, vs in members.items()]


def _layout_part(part: Any, vertex_key: Mapping[int, _Vertex]) -> tuple[dict[int, float], Any]:
    """Run grandalf on one connected part with our ranks (compressed to 0..n-1)."""
    # Start each layer in the spec's order: with no crossings to remove, grandalf keeps it.
    part_vertices = sorted(part.sV, key=lambda v: vertex_key[id(v)].order)
    ranks = sorted({vertex_key[id(v)].rank for v in part_vertices})
    compressed = {r: i for i, r in enumerate(ranks)}
    sug = SugiyamaLayout(part)
    sug.xspace = ROW_GAP
    sug.yspace = COLUMN_GAP
    sug.alt_e = []
    sug.layers = [_Layer([], i) for i in range(len(ranks))]
    for v in part_vertices:
        r = compressed[vertex_key[id(v)].rank]
        sug.grx[v].rank = r
        sug.layers[r].append(v)
    for e in part.sE:
        sug.setdummies(e)
    for layer in sug.layers:
        for v in layer:
            if isinstance(v, DummyVertex):
                v.view.w, v.view.h = DUMMY_W, 0.0
        layer.setup(sug)
    sug.initdone = True
    _draw(sug, rounds=2)
    # grandalf averages four alignments, which can bring neighbours too close; pull each
    # layer apart again, moving every vertex as little as possible.
    for layer in sug.layers:
        ordered = sorted(layer, key=lambda v: sug.grx[v].pos)
        wanted = [float(v.view.xy[0]) for v in ordered]
        sizes = [float(v.view.w) for v in ordered]
        for v, y in zip(ordered, _separate(wanted, sizes, ROW_GAP), strict=True):
            v.view.xy = (y, v.view.xy[1])
    ys = {id(v): float(v.view.xy[0]) for v in part_vertices}
    # The crossing reduction may turn a part upside down; keep the spec's order (apple
    # above orange, x above W) where the two disagree more often than not.
    agree = disagree = 0
    for layer in sug.layers:
        real = [v for v in layer if not isinstance(v, DummyVertex)]
        for a, b in itertools.pairwise(real):
            spec_order = vertex_key[id(a)].order < vertex_key[id(b)].order
            y_order = ys[id(a)] < ys[id(b)]
            if spec_order == y_order:
                agree += 1
            else:
                disagree += 1
    flip = disagree > agree
    if flip:
        ys = {key: -y for key, y in ys.items()}
    dummies: dict[tuple[int, int], float] = {}
    for e, ctrl in sug.ctrls.items():
        for r, dv in ctrl.items():
            if isinstance(dv, DummyVertex):
                y = float(dv.view.xy[0])
                dummies[(id(e), ranks[r])] = -y if flip else y
    return ys, dummies


class _Layer(Layer):  # type: ignore[misc]  # grandalf has no type hints
    """A grandalf layer that knows its own rank.

    grandalf's ``setup`` finds it with ``layers.index(self)``, comparing lists: quadratic
    in the number of layers (0.8 s for a chain of 1,000 nodes).
    """

    def __init__(self, vertices: list[Vertex], rank: int) -> None:
        super().__init__(vertices)
        self.rank = rank

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = None  # type: ignore[assignment]  # a list: unhashable, as before

    def setup(self, layout: SugiyamaLayout) -> None:
        r = self.rank
        self.layout = layout
        self._Layer__r = r
        if len(self) > 1:
            self._Layer__x = 1.0 / (len(self) - 1)
        x = self._Layer__x
        for i, v in enumerate(self):
            layout.grx[v].pos = i
            layout.grx[v].bar = i * x
        if r > 0:
            self.upper = layout.layers[r - 1]
        if r < len(layout.layers) - 1:
            self.lower = layout.layers[r + 1]


def _draw(sug: SugiyamaLayout, rounds: int) -> None:
    """grandalf's ``draw(N=rounds + 0.5)``, checking the request's time bound per layer:
    ``rounds`` sweeps down and up to order the layers, one more down, then the places.

    grandalf keeps the alignment conflicts in a list and looks each pair up in it: a
    time that grows with the square of the crossings (4 s for 1,000 nodes with many).
    A set holds the same pairs.
    """
    detect = sug._detect_alignment_conflicts

    def detect_into_set() -> None:
        detect()
        sug.conflicts = set(sug.conflicts)

    sug._detect_alignment_conflicts = detect_into_set
    for _ in range(rounds):
        for _layer in sug.ordering_step():
            check_deadline()
    for _layer in sug.ordering_step(oneway=True):
        check_deadline()
    sug.setxy()
    check_deadline()
    sug.draw_edges()


def _separate(wanted: list[float], sizes: list[float], gap: float) -> list[float]:
    """Positions in the given order, each at least half-sizes plus ``gap`` after the one
    before, as close to ``wanted`` as possible (least squares, pool adjacent violators)."""
    offsets = [0.0]
    for a, b in itertools.pairwise(sizes):
        offsets.append(offsets[-1] + (a + b) / 2 + gap)
    # z = wanted - offset must be non-decreasing: isotonic regression.
    blocks: list[list[float]] = []  # [sum, count]
    for y, o in zip(wanted, offsets, strict=True):
        blocks.append([y - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    fitted: list[float] = []
    for total, count in blocks:
        fitted.extend([total / count] * int(count))
    return [z + o for z, o in zip(fitted, offsets, strict=True)]
