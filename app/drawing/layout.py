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

from app.drawing.numbers import grid
from core.format import format_shape
from core.ops import OPS, SOURCE_OPS

Shape = tuple[int, ...]
Point = tuple[float, float]

PILL_OPS = ("matmul", "affine", "repeat", "softmax", "softmax_with_loss")

FONT = 13.0  # px, node and label text
SMALL_FONT = 10.0  # px, shape captions
CIRCLE_R = 21.0
SCALAR_SLOT_W = 58.0
COLUMN_GAP = 26.0  # room for the curves between columns
ROW_GAP = 12.0  # between neighbours in one column
MARGIN = 16.0
COMPONENT_GAP = 28.0
ARROW_TAIL = 18.0  # the output arrow runs on past its label
DUMMY_W = 10.0


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
    rows, cols, cell = grid(shape)
    caption = SMALL_FONT + 3
    heat_w, heat_h = cols * cell, rows * cell
    w = max(heat_w, text_width("∂ " + format_shape(shape), SMALL_FONT)) + 10
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


@dataclass
class _Vertex:
    key: tuple[str, Any]
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
    inputs = node.get("inputs")
    if not isinstance(inputs, Sequence) or isinstance(inputs, str | bytes):
        return []
    return [i if isinstance(i, str) else "" for i in inputs]


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


def layout_graph(
    spec: Mapping[str, Any],
    shapes: Mapping[str, Sequence[int]] | None = None,
    symbols: Mapping[str, str] | None = None,
) -> Layout:
    """Place every node and route every edge of ``spec``; ``shapes`` size the labels."""
    if symbols is None:
        symbols = {name: op.symbol for name, op in OPS.items()}
    shapes = shapes or {}
    nodes, problems = _clean_nodes(spec.get("nodes") if isinstance(spec, Mapping) else None)
    by_id = {n["id"]: n for n in nodes}
    ids = list(by_id)
    position = {node_id: i for i, node_id in enumerate(ids)}
    raw_output = spec.get("output") if isinstance(spec, Mapping) else None
    output = raw_output if isinstance(raw_output, str) else (ids[-1] if ids else None)
    if output not in by_id:
        output = None

    # The edges that can be drawn: both ends exist and they are different nodes.
    inputs: dict[str, list[str]] = {}
    edge_list: list[tuple[str, str, int]] = []
    for node_id in ids:
        kept = []
        for index, src in enumerate(_inputs_of(by_id[node_id])):
            if src in by_id and src != node_id:
                kept.append(src)
                edge_list.append((src, node_id, index))
        inputs[node_id] = kept

    level = _levels(ids, inputs)
    rank = {i: 2 * level[i] for i in ids}
    consumers: dict[str, list[str]] = {i: [] for i in ids}
    for src, dst, _ in edge_list:
        consumers[src].append(dst)
    for node_id in ids:
        if not inputs[node_id] and consumers[node_id]:
            rank[node_id] = max(0, min(rank[c] for c in consumers[node_id]) - 2)

    # Vertices: nodes, one label per edge, and the output's label.
    verts: dict[tuple[str, Any], _Vertex] = {}
    node_shapes: dict[str, NodeShape] = {}
    for node_id in ids:
        node = by_id[node_id]
        op = str(node.get("op", ""))
        kind = op if op in SOURCE_OPS else "op"
        text = _node_text(node, op, symbols)
        if kind != "op":
            form = "source"
        elif op in PILL_OPS or text_width(text) > 2 * CIRCLE_R - 8:
            form = "pill"
        else:
            form = "circle"
        w, h = _node_size(form, text)
        node_shapes[node_id] = NodeShape(node_id, op, kind, text, form, Box(0, 0, w, h), 0)
        # A source that joins later (tax, a bias) goes below the chain it joins, as in the book.
        joins_late = not inputs[node_id] and rank[node_id] > 0
        order = float(position[node_id] + (len(ids) if joins_late else 0))
        verts[("n", node_id)] = _Vertex(("n", node_id), rank[node_id], w, h, Vertex(None), order)

    def shape_of(node_id: str) -> Shape | None:
        s = shapes.get(node_id)
        return None if s is None else tuple(int(n) for n in s)

    edge_slots: list[Slot] = []
    layered: list[tuple[_Vertex, _Vertex]] = []
    back_edges: list[int] = []
    for k, (src, dst, _) in enumerate(edge_list):
        slot = _slot(shape_of(src))
        edge_slots.append(slot)
        label_vertex = _Vertex(
            ("l", k),
            rank[dst] - 1,
            slot.w,
            2 * max(slot.above, slot.below),
            Vertex(None),
            verts[("n", src)].order + k / (len(edge_list) + 1),
        )
        verts[("l", k)] = label_vertex
        if rank[src] >= label_vertex.rank:  # a back edge of a cycle: drawn, but not layered
            back_edges.append(k)
            continue
        layered.append((verts[("n", src)], label_vertex))
        layered.append((label_vertex, verts[("n", dst)]))
    out_slot = _slot(shape_of(output)) if output else None
    if output is not None and out_slot is not None:
        out_label = _Vertex(
            ("o", output),
            rank[output] + 1,
            out_slot.w,
            2 * max(out_slot.above, out_slot.below),
            Vertex(None),
            float(2 * len(ids)),
        )
        verts[("o", output)] = out_label
        layered.append((verts[("n", output)], out_label))

    for v in verts.values():
        v.vertex.view = _View(v.h, v.w)
    grandalf_edges = [Edge(a.vertex, b.vertex) for a, b in layered]
    parts = _connected_parts(list(verts.values()), grandalf_edges)
    vertex_key = {id(v.vertex): v for v in verts.values()}

    # One Sugiyama layout per connected part, with our ranks; parts are stacked.
    columns = sorted({v.rank for v in verts.values()})
    column_of = {r: i for i, r in enumerate(columns)}
    column_w = [0.0] * len(columns)
    for v in verts.values():
        column_w[column_of[v.rank]] = max(column_w[column_of[v.rank]], v.w)
    column_left: list[float] = []
    x = MARGIN
    for w in column_w:
        column_left.append(x)
        x += w + COLUMN_GAP
    width = x - COLUMN_GAP + MARGIN + ARROW_TAIL

    ys: dict[int, float] = {}  # id(grandalf vertex) -> our y
    dummies: dict[tuple[int, int], float] = {}  # (id(edge), our rank) -> y of the wire
    top = MARGIN
    parts.sort(key=lambda part: min(vertex_key[id(v)].order for v in part.sV))
    for part in parts:
        part_ys, part_dummies = _layout_part(part, vertex_key)
        low = min(part_ys[key] - vertex_key[key].h / 2 for key in part_ys)
        high = max(part_ys[key] + vertex_key[key].h / 2 for key in part_ys)
        shift = top - low
        for key, y in part_ys.items():
            ys[key] = y + shift
        for key2, y in part_dummies.items():
            dummies[key2] = y + shift
        top += high - low + COMPONENT_GAP
    height = max(top - COMPONENT_GAP + MARGIN, 2 * MARGIN)

    def place(v: _Vertex) -> Box:
        c = column_of[v.rank]
        return Box(column_left[c] + column_w[c] / 2, ys[id(v.vertex)], v.w, v.h)

    for node_id, ns in node_shapes.items():
        ns.box = place(verts[("n", node_id)])
        ns.rank = rank[node_id]

    def col_span(r: int) -> tuple[float, float]:
        c = column_of[r]
        return column_left[c], column_left[c] + column_w[c]

    # Where each edge meets its target: ports spread over the left side, ordered by height.
    arrivals: dict[str, list[tuple[float, int]]] = {}
    label_boxes: dict[int, Box] = {}
    for k, (_, dst, _) in enumerate(edge_list):
        label_boxes[k] = place(verts[("l", k)])
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

    edges: list[EdgeShape] = []
    edge_objects = {(id(e.v[0]), id(e.v[1])): e for e in grandalf_edges}
    for k, (src, dst, index) in enumerate(edge_list):
        sbox, label = node_shapes[src].box, label_boxes[k]
        runs = [(sbox.right, sbox.right, sbox.y)]
        src_v, label_v = verts[("n", src)], verts[("l", k)]
        edge_obj = edge_objects.get((id(src_v.vertex), id(label_v.vertex)))
        for r in range(src_v.rank + 1, label_v.rank):
            if edge_obj is not None and (id(edge_obj), r) in dummies:
                left, right = col_span(r)
                runs.append((left, right, dummies[(id(edge_obj), r)]))
        left, right = col_span(label_v.rank)
        runs.append((left, right, label.y))
        px, py = port[k]
        runs.append((px, px, py))
        edges.append(EdgeShape(src, dst, index, runs, label, edge_slots[k]))
    if output is not None and out_slot is not None:
        obox = node_shapes[output].box
        out_box = place(verts[("o", output)])
        left, right = col_span(verts[("o", output)].rank)
        runs = [(obox.right, obox.right, obox.y), (left, right + ARROW_TAIL, out_box.y)]
        edges.append(EdgeShape(output, None, -1, runs, out_box, out_slot))

    if back_edges:
        problems.append("the graph has a cycle; its back edges are not drawn")
    return Layout(node_shapes, edges, width, height, output, problems)


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
    sug.layers = [Layer([]) for _ in ranks]
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
    sug.draw(N=2.5)
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
