"""The drawing names every op by the registry's title, in English and Korean."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from app.drawing import layout_graph, render_layout
from app.i18n import op_titles
from core.ops import OPS, SOURCE_OPS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", sorted(set(OPS) - SOURCE_OPS))
def test_each_op_node_is_titled_by_the_registry(name: str, lang: str) -> None:
    op = OPS[name]
    sources = [{"id": f"in{i}", "op": "input", "value": 1.0} for i in range(op.arity)]
    node = {"id": "n", "op": name, "inputs": [s["id"] for s in sources]}
    spec = {"nodes": [*sources, node]}
    svg = render_layout(layout_graph(spec, {}), None, op_titles=op_titles(lang))
    root = ElementTree.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("data-node") == "n")
    title = group.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith(f"n ({op.title[lang]})"), title.text
