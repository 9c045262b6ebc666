"""SVG of a laid-out graph: the book's figure, with every number in place.

Each edge is a ``<g class="edge">`` with its wire, the forward value above the wire and
the gradient below a small backward arrow (so a gradient differs from a value by its
place, its arrow and its italics, not by colour alone). Each node and edge has a
``<title>`` with its full numbers. Slots not computed yet show "?", never 0.
Labels, colours and titles are written by :mod:`app.drawing.labels`, which also writes
the page's view of a run (:mod:`app.drawing.view`): the page switches the same slots
between the server's texts as the learner steps.
All text goes through :func:`html.escape`: node names come from users.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from app.drawing import labels as texts
from app.drawing import numbers
from app.drawing.layout import (
    FONT,
    KEY_ROW,
    SMALL_FONT,
    Box,
    EdgeShape,
    Layout,
    NodeShape,
    layout_graph,
)
from core import compile_graph
from core.errors import GraphError
from core.format import format_shape

GRAPH_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "graph.css"

# Words used in titles; the pages pass translated ones.
DEFAULT_WORDS: dict[str, str] = {
    "value": "value",
    "gradient": "gradient",
    "not_computed": "not computed yet",
    "no_gradient": "none (labels)",
    "output": "output",
    "input_of": "input {index} of {target}",
    "graph": "Computational graph",
}


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def result_maps(
    result: Any,
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, int], dict[str, Any]]]:
    """Nodes by id and edges by (source, target, index) from a result or its dict form."""
    data = result.to_dict() if hasattr(result, "to_dict") else result
    nodes = {n["id"]: n for n in data.get("nodes", [])}
    edges = {(e["source"], e["target"], int(e["index"])): e for e in data.get("edges", [])}
    return nodes, edges


def shapes_for(spec: Mapping[str, Any], result: Any = None) -> dict[str, tuple[int, ...]]:
    """Every node's shape: from a result, else by compiling the spec, else sources only."""
    if result is not None:
        nodes, _ = result_maps(result)
        return {k: tuple(n["shape"]) for k, n in nodes.items()}
    with suppress(GraphError):  # an invalid graph is still drawn, from its values
        return {s.id: s.shape for s in compile_graph(spec).steps}
    shapes: dict[str, tuple[int, ...]] = {}
    raw = spec.get("nodes") if isinstance(spec, Mapping) else None
    for node in raw if isinstance(raw, list) else []:
        if isinstance(node, Mapping) and isinstance(node.get("id"), str) and "value" in node:
            try:
                arr = np.asarray(node["value"], dtype=np.float64)
            except (ValueError, TypeError):
                continue
            shapes[node["id"]] = arr.shape
    return shapes


def _path(runs: list[tuple[float, float, float]]) -> str:
    x0, x1, y = runs[0]
    parts = [f"M{_num(x0)} {_num(y)}"]
    if x1 != x0:
        parts.append(f"H{_num(x1)}")
    prev_x, prev_y = x1, y
    for xa, xb, yb in runs[1:]:
        mid = (prev_x + xa) / 2
        if abs(yb - prev_y) < 0.5:
            parts.append(f"H{_num(xa)}")
        else:
            parts.append(
                f"C{_num(mid)} {_num(prev_y)} {_num(mid)} {_num(yb)} {_num(xa)} {_num(yb)}"
            )
        if xb != xa:
            parts.append(f"H{_num(xb)}")
        prev_x, prev_y = xb, yb
    return "".join(parts)


def _heatmap(
    cls: str,
    value: Any,
    shape: tuple[int, ...],
    x: float,
    y: float,
    caption: str,
    below: bool,
    prefix: str,
) -> str:
    """A heatmap whose top-left corner is (x, y); the caption and the key go above it (a
    value) or below it (a gradient). Small arrays write their numbers in the cells,
    larger ones hatch their negative cells: a sign is never shown by colour alone."""
    rows, cols, cell_w, cell_h = numbers.grid(shape)
    heat = texts.heat_cells(value, shape) if value is not None else None
    numbered = numbers.numbered(shape)
    out = [
        f'<g class="{cls} heat{" numbered" if numbered else ""}'
        f'{" pending" if heat is None else ""}" '
        f'data-rows="{rows}" data-cols="{cols}" transform="translate({_num(x)} {_num(y)})">'
    ]
    for i in range(rows):
        for j in range(cols):
            fill = "" if heat is None else f' fill="{heat.fills[i * cols + j]}"'
            out.append(
                f'<rect class="cell" x="{j * cell_w}" y="{i * cell_h}" width="{cell_w}" '
                f'height="{cell_h}"{fill}/>'
            )
    if numbered:
        for i in range(rows):
            for j in range(cols):
                k = i * cols + j
                text = "" if heat is None or heat.numbers is None else heat.numbers[k]
                ink = "" if heat is None or heat.inks is None else f" ink-{heat.inks[k]}"
                out.append(
                    f'<text class="num{ink}" x="{_num((j + 0.5) * cell_w)}" '
                    f'y="{_num((i + 0.5) * cell_h)}">{_a(text)}</text>'
                )
    else:
        negatives = "" if heat is None else heat.negatives
        out.append(f'<path class="hatch" d="{negatives}" fill="url(#{prefix}-hatch)"/>')
    width, height = cols * cell_w, rows * cell_h
    out.append(f'<rect class="frame" x="0" y="0" width="{width}" height="{height}"/>')
    cap_y = height + SMALL_FONT + 1 if below else -4
    key_y = cap_y + KEY_ROW if below else cap_y - KEY_ROW
    out.append(f'<text class="cap" x="{_num(width / 2)}" y="{_num(cap_y)}">{_a(caption)}</text>')
    out.append(_key(width / 2, key_y, texts.PENDING if heat is None else heat.key, prefix))
    out.append("</g>")
    return "".join(out)


def _key(centre: float, baseline: float, scale: str, prefix: str) -> str:
    """A heatmap's key: its colours from − through 0 to + (the − one hatched) and the
    magnitude its strongest colour stands for, "±0.1"."""
    size = numbers.KEY_SWATCH
    top = baseline - size
    left = centre - 3 * size - 2
    swatches = "".join(
        f'<rect x="{_num(left + k * size)}" y="{_num(top)}" width="{size}" height="{size}" '
        f'fill="{numbers.colour(sign, 1.0)}"/>'
        for k, sign in enumerate((-1.0, 0.0, 1.0))
    )
    return (
        f'<g class="key">{swatches}'
        f'<rect x="{_num(left)}" y="{_num(top)}" width="{size}" height="{size}" '
        f'fill="url(#{prefix}-hatch)"/>'
        f'<rect class="key-frame" x="{_num(left)}" y="{_num(top)}" width="{3 * size}" '
        f'height="{size}"/>'
        f'<text class="scale" x="{_num(centre + 1)}" y="{_num(baseline)}">{_a(scale)}</text></g>'
    )


def _value_title(words: Mapping[str, str], what: str, value: Any, known: bool | None = None) -> str:
    known = value is not None if known is None else known
    return texts.number_line(words, what, texts.number_text(words, value, known=known))


def _edge(
    e: EdgeShape,
    k: int,
    data: Mapping[str, Any] | None,
    words: Mapping[str, str],
    prefix: str,
    labels: bool,
    focus: str,
) -> str:
    """One arrow as a ``<g class="edge">``: its title, its wire and, with labels, its numbers.
    ``focus`` makes it an item of the figure that Tab visits, named by its title."""
    value = None if data is None else data.get("value")
    grad = None if data is None else data.get("grad")
    no_grad = data is not None and grad is None
    cls = "edge out" if e.target is None else "edge"
    wire = _path(e.runs)
    target_attr = "" if e.target is None else _a(e.target)
    out = [
        f'<g class="{cls}" data-edge="{k}" data-source="{_a(e.source)}" '
        f'data-target="{target_attr}" data-index="{e.index}"{focus}>',
        f"<title>{_a(_edge_title(e, value, grad, no_grad, words))}</title>",
        f'<path class="halo" d="{wire}"/>',
        f'<path class="wire" d="{wire}" marker-end="url(#{prefix}-head)"/>',
    ]
    if labels:
        out.append(_back_arrow(e.label, grad, no_grad, prefix))
        shape = e.slot.shape
        if e.slot.is_heatmap and shape is not None:
            out.append(_heatmap_label(e.label, shape, value, grad, no_grad, prefix))
        else:
            out.append(_scalar_label(e.label, value, grad, no_grad))
    out.append("</g>")
    return "".join(out)


def _edge_title(
    e: EdgeShape, value: Any, grad: Any, no_grad: bool, words: Mapping[str, str]
) -> str:
    """The arrow's tooltip: which input of which node it is, with its full value and gradient."""
    return texts.title(
        texts.edge_head(words, e.source, e.target, e.index),
        _value_title(words, "value", value),
        _value_title(words, "gradient", grad, known=no_grad or grad is not None),
    )


def _back_arrow(label: Box, grad: Any, no_grad: bool, prefix: str) -> str:
    """The small right-to-left arrow under the wire, which marks the number below as a gradient."""
    back_y = label.y + 7
    back_cls = "back" + (" none" if no_grad else "") + (" pending" if grad is None else "")
    return (
        f'<path class="{back_cls}" d="M{_num(label.x + 14)} {_num(back_y)}'
        f'H{_num(label.x - 14)}" marker-end="url(#{prefix}-back)"/>'
    )


def _heatmap_label(
    label: Box, shape: tuple[int, ...], value: Any, grad: Any, no_grad: bool, prefix: str
) -> str:
    """An array's label: a heatmap of the value above the wire, of the gradient below it."""
    wire_y = label.y
    rows, cols, cell_w, cell_h = numbers.grid(shape)
    x = label.x - cols * cell_w / 2
    shape_caption = format_shape(shape)
    top = wire_y - 5 - rows * cell_h
    out = [_heatmap("val", value, shape, x, top, shape_caption, False, prefix)]
    if no_grad:
        out.append(
            f'<text class="grad none" x="{_num(label.x)}" y="{_num(wire_y + 12 + FONT)}">'
            f"{texts.NO_GRADIENT}</text>"
        )
    else:
        caption = "∂ " + shape_caption
        out.append(_heatmap("grad", grad, shape, x, wire_y + 12, caption, True, prefix))
    return "".join(out)


def _scalar_label(label: Box, value: Any, grad: Any, no_grad: bool) -> str:
    """A number's label: the value above the wire, the gradient below; "?" until computed."""
    wire_y = label.y
    val_text = texts.PENDING if value is None else texts.label(value)
    val_cls = "val" + (" pending" if value is None else "")
    if no_grad:
        grad_text, grad_cls = texts.NO_GRADIENT, "grad none"
    elif grad is None:
        grad_text, grad_cls = texts.PENDING, "grad pending"
    else:
        grad_text, grad_cls = texts.label(grad), "grad"
    return (
        f'<text class="{val_cls}" x="{_num(label.x)}" y="{_num(wire_y - 5)}">'
        f"{_a(val_text)}</text>"
        f'<text class="{grad_cls}" x="{_num(label.x)}" y="{_num(wire_y + 12 + FONT)}">'
        f"{_a(grad_text)}</text>"
    )


def _node(
    n: NodeShape,
    data: Mapping[str, Any] | None,
    words: Mapping[str, str],
    op_title: str,
    focus: str,
) -> str:
    b = n.box
    value = None if data is None else data.get("value")
    grad = None if data is None else data.get("grad")
    title = texts.title(
        texts.node_head(n.id, op_title, None if data is None else data.get("shape", [])),
        _value_title(words, "value", value),
        _value_title(words, "gradient", grad, known=data is not None),
    )
    out = [
        f'<g class="node kind-{_a(n.kind)} form-{n.form} op-{_a(n.op)}" '
        f'data-node="{_a(n.id)}"{focus}>',
        f"<title>{_a(title)}</title>",
    ]
    if n.form == "circle":
        out.append(f'<circle cx="{_num(b.x)}" cy="{_num(b.y)}" r="{_num(b.w / 2)}"/>')
    else:
        radius = b.h / 2 if n.form == "pill" else 6
        out.append(
            f'<rect x="{_num(b.left)}" y="{_num(b.top)}" width="{_num(b.w)}" '
            f'height="{_num(b.h)}" rx="{_num(radius)}"/>'
        )
    text_cls = "name" if n.kind != "op" else "sym"
    size_cls = " long" if n.form == "circle" and len(n.text) > 2 else ""
    out.append(
        f'<text class="{text_cls}{size_cls}" x="{_num(b.x)}" y="{_num(b.y)}">{_a(n.text)}</text>'
    )
    out.append("</g>")
    return "".join(out)


def flow_order(layout: Layout) -> list[str]:
    """The nodes in the order the data flows: each node after its inputs (in input order),
    the output's ancestors first, then any node the output does not use.

    A post-order walk with an explicit stack (no recursion: graphs may be deep).
    """
    inputs: dict[str, list[str]] = {node_id: [] for node_id in layout.nodes}
    for e in sorted(layout.edges, key=lambda e: e.index):
        if e.target is not None and e.target in inputs and e.source in layout.nodes:
            inputs[e.target].append(e.source)
    order: list[str] = []
    seen: set[str] = set()
    roots = ([layout.output] if layout.output in layout.nodes else []) + list(layout.nodes)
    for root in roots:
        if root is None or root in seen:
            continue
        seen.add(root)
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node_id, i = stack.pop()
            if i < len(inputs[node_id]):
                stack.append((node_id, i + 1))
                child = inputs[node_id][i]
                if child not in seen:
                    seen.add(child)
                    stack.append((child, 0))
            else:
                order.append(node_id)
    return order


def render_layout(
    layout: Layout,
    result: Any = None,
    *,
    words: Mapping[str, str] | None = None,
    prefix: str = "bpx",
    labels: bool = True,
    standalone: bool = False,
    state: str | None = None,
    op_titles: Mapping[str, str] | None = None,
    scale: float = 1.0,
    interactive: bool = True,
) -> str:
    """The SVG of ``layout``; ``scale`` enlarges it on the page (the viewBox stays).

    ``interactive``: a group of items (nodes and arrows) that Tab visits in the order of
    the flow, each named by its title (what it is, its value, its gradient). Otherwise
    one image with nothing inside to focus (a thumbnail inside a link).
    """
    words = {**DEFAULT_WORDS, **(words or {})}
    node_data, edge_data = result_maps(result) if result is not None else ({}, {})
    out_data: dict[str, Any] | None = None
    if result is not None and layout.output is not None and layout.output in node_data:
        out_node = node_data[layout.output]
        out_data = {"value": out_node["value"], "grad": out_node["grad"]}
    if state is None:
        state = "backward" if result is not None else "none"
    w, h = _num(layout.width), _num(layout.height)
    role = "group" if interactive else "img"
    sw, sh = _num(layout.width * scale), _num(layout.height * scale)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpx-graph" data-state="{_a(state)}" '
        f'width="{sw}" height="{sh}" viewBox="0 0 {w} {h}" role="{role}" '
        f'aria-labelledby="{prefix}-title">',
        f'<title id="{prefix}-title">{_a(words["graph"])}</title>',
    ]
    if standalone and GRAPH_CSS.exists():
        parts.append(f"<style>{escape(GRAPH_CSS.read_text(encoding='utf-8'), quote=False)}</style>")
    # Markers in user units: a wire drawn wider (the quiz's target) keeps its arrowhead.
    parts.append(
        "<defs>"
        f'<marker id="{prefix}-head" class="head" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" '
        'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>'
        f'<marker id="{prefix}-back" class="head back-head" viewBox="0 0 10 10" refX="9" '
        'refY="5" markerUnits="userSpaceOnUse" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>'
        f'<pattern id="{prefix}-hatch" class="hatch-pattern" width="4" height="4" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<path d="M0 0V4" stroke="#000000" stroke-opacity="0.5" stroke-width="1.2"/>'
        "</pattern>"
        "</defs>"
    )
    # In the order of the flow: each node, then the arrows leaving it. Tab follows the
    # data as a reader follows the figure; a node drawn after the arrow that enters it
    # covers that arrow's end.
    leaving: dict[str, list[tuple[int, EdgeShape]]] = {}
    for k, e in enumerate(layout.edges):
        leaving.setdefault(e.source, []).append((k, e))
    # Each item an image named by its <title>: its drawn texts are not read one by one.
    focus = ' tabindex="0" role="img"' if interactive else ""
    parts.append('<g class="flow">')
    for node_id in flow_order(layout):
        n = layout.nodes[node_id]
        op_title = (op_titles or {}).get(n.op, n.op)
        parts.append(_node(n, node_data.get(n.id), words, op_title, focus))
        for k, e in leaving.get(node_id, []):
            data = out_data if e.target is None else edge_data.get((e.source, e.target, e.index))
            parts.append(_edge(e, k, data, words, prefix, labels, focus))
    parts.append("</g></svg>")
    return "".join(parts)


def render_svg(
    spec: Mapping[str, Any],
    result: Any = None,
    *,
    run: bool = True,
    words: Mapping[str, str] | None = None,
    prefix: str = "bpx",
    labels: bool = True,
    standalone: bool = True,
) -> str:
    """The picture of ``spec``: with ``result`` (a GraphResult or its dict), or run here.

    ``run=False`` draws the graph with every number still "?" (nothing computed). An
    invalid graph is drawn without numbers. ``standalone`` embeds the stylesheet so the
    SVG shows right on its own (in a notebook, or saved to a file).
    """
    if result is None and run:
        from core import run_graph
        from core.errors import GraphError

        try:
            result = run_graph(spec)
        except GraphError:
            result = None
    layout = layout_graph(spec, shapes_for(spec, result))
    return render_layout(
        layout, result, words=words, prefix=prefix, labels=labels, standalone=standalone
    )
