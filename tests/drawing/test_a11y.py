"""The picture for people who do not see it, or not well: a group of named items in the
order of the flow, arrowheads of one size, and heatmaps whose sign and scale are written,
not only coloured."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from app.drawing import labels, layout_graph, numbers, render_layout, shapes_for
from app.drawing.layout import Box, EdgeShape, Layout, NodeShape, Slot
from app.drawing.svg import flow_order
from app.drawing.view import run_view
from app.i18n import op_titles, svg_words, texts
from core import run_graph
from core.examples import EXAMPLES
from core.format import in_cell

S = "{http://www.w3.org/2000/svg}"


def draw(name: str, *, interactive: bool = True) -> ET.Element:
    spec = EXAMPLES[name].spec
    result = run_graph(spec)
    layout = layout_graph(spec, shapes_for(spec, result))
    svg = render_layout(
        layout, result, words=svg_words("en"), op_titles=op_titles("en"), interactive=interactive
    )
    return ET.fromstring(svg)


def classes(el: ET.Element) -> list[str]:
    return (el.get("class") or "").split()


def items(root: ET.Element) -> list[str]:
    """The focusable items in document order (Tab's order): "node x", "edge x>y"."""
    out = []
    for g in root.iter(f"{S}g"):
        if g.get("tabindex") is None:
            continue
        if "node" in classes(g):
            out.append(f"node {g.get('data-node')}")
        else:
            out.append(f"edge {g.get('data-source')}>{g.get('data-target')}")
    return out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_page_picture_is_a_group_of_named_items_not_an_image_with_focusable_parts(
    name: str,
) -> None:
    root = draw(name)
    assert root.get("role") == "group", "an img's children are presentational to a screen reader"
    for el in root.iter():
        if el.get("role") == "img":
            inner = [c for c in el.iter() if c is not el and c.get("tabindex") is not None]
            assert not inner, f"{name}: an image holds focusable parts {inner}"
    for g in root.iter(f"{S}g"):
        if {"node", "edge"} & set(classes(g)):
            assert g.get("tabindex") == "0" and g.get("role") == "img"
            title = g.find(f"{S}title")
            assert title is not None and "value:" in (title.text or ""), "its name says its value"


def test_a_thumbnail_is_one_image_with_nothing_to_focus() -> None:
    root = draw("apple_orange", interactive=False)
    assert root.get("role") == "img"
    assert [el for el in root.iter() if el.get("tabindex") is not None] == []


def test_tab_follows_the_flow_each_node_then_the_arrows_leaving_it() -> None:
    assert items(draw("apple_orange")) == [
        "node apple",
        "edge apple>apple_price",
        "node apple_num",
        "edge apple_num>apple_price",
        "node apple_price",
        "edge apple_price>all_price",
        "node orange",
        "edge orange>orange_price",
        "node orange_num",
        "edge orange_num>orange_price",
        "node orange_price",
        "edge orange_price>all_price",
        "node all_price",
        "edge all_price>price",
        "node tax",
        "edge tax>price",
        "node price",
        "edge price>",
    ]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_node_comes_after_its_inputs_and_before_the_arrows_leaving_it(name: str) -> None:
    order = items(draw(name))
    position = {item: k for k, item in enumerate(order)}
    for item in order:
        if item.startswith("edge "):
            source, target = item[5:].split(">")
            assert position[f"node {source}"] < position[item], f"{item} before its source"
            if target:
                assert position[item] < position[f"node {target}"], f"{item} after its target"


def test_the_flow_order_walks_a_deep_chain_without_recursion() -> None:
    n = 5000  # far deeper than Python's recursion limit
    box = Box(0, 0, 10, 10)
    slot = Slot((), 10, 10, 10)
    nodes = {f"v{k}": NodeShape(f"v{k}", "exp", "op", "e", "circle", box, k) for k in range(n)}
    edges = [EdgeShape(f"v{k}", f"v{k + 1}", 0, [(0, 1, 0)], box, slot) for k in range(n - 1)]
    layout = Layout(dict(reversed(nodes.items())), edges, 10, 10, f"v{n - 1}")
    assert flow_order(layout) == [f"v{k}" for k in range(n)]


def test_arrowheads_keep_their_size_when_a_wire_is_drawn_wider() -> None:
    root = draw("apple_orange")
    markers = list(root.iter(f"{S}marker"))
    assert markers and all(m.get("markerUnits") == "userSpaceOnUse" for m in markers)
    for g in root.iter(f"{S}g"):
        if "edge" in classes(g):
            halo = [p for p in g.findall(f"{S}path") if "halo" in classes(p)]
            assert len(halo) == 1 and halo[0].get("marker-end") is None  # the focus ring


def heatmaps(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{S}g") if "heat" in classes(g)]


def test_small_matrices_write_their_numbers_in_their_cells_in_an_ink_that_reads() -> None:
    spec = EXAMPLES["affine"].spec
    result = run_graph(spec)
    root = draw("affine")
    x_value = np.asarray(result.to_dict()["nodes"][0]["value"], dtype=float)
    x_heat = next(
        h
        for g in root.iter(f"{S}g")
        if g.get("data-source") == "x"
        for h in g.findall(f"{S}g")
        if "val" in classes(h)
    )
    texts_in_cells = [t for t in x_heat.findall(f"{S}text") if "num" in classes(t)]
    assert [t.text for t in texts_in_cells] == [in_cell(v) for v in x_value.ravel()]
    fills = [r.get("fill") or "" for r in x_heat.findall(f"{S}rect") if "cell" in classes(r)]
    for text, fill in zip(texts_in_cells, fills, strict=True):
        (ink,) = [c[4:] for c in classes(text) if c.startswith("ink-")]
        assert numbers.contrast(fill, numbers.INKS[ink]) >= 4.5, (text.text, fill, ink)


@pytest.mark.parametrize("name", ["affine", "two_layer_net", "sigmoid", "softmax"])
def test_every_heatmap_has_a_key_with_its_scale(name: str) -> None:
    heats = heatmaps(draw(name))
    assert heats
    for heat in heats:
        key = heat.find(f"{S}g[@class='key']")
        assert key is not None, "a heatmap without a key"
        scale = key.find(f"{S}text")
        assert scale is not None, "a key without its scale"
        assert re.fullmatch(r"±\S+", scale.text or ""), scale.text


def test_sigmoids_outputs_of_about_one_half_look_half_strong_not_maximum() -> None:
    value = 0.5 + 0.01 * np.random.default_rng(0).standard_normal((10, 10))
    heat = labels.heat_cells(value, value.shape)
    assert heat.key == "±1"
    strongest = numbers.colour(1.0, 1.0)
    assert strongest not in heat.fills
    assert all(
        f == numbers.colour(float(v), 1.0) for f, v in zip(heat.fills, value.ravel(), strict=True)
    )


def test_larger_heatmaps_hatch_their_negative_cells_so_the_sign_is_not_colour_alone() -> None:
    value = np.array([[1.0, -2.0, 3.0, -4.0, 5.0]] * 5)  # 5 x 5: too many to number
    heat = labels.heat_cells(value, value.shape)
    assert heat.numbers is None
    assert heat.negatives.count("M") == 10  # one square per negative cell
    _, _, w, h = numbers.grid(value.shape)
    assert heat.negatives.startswith(f"M{w} 0h{w}v{h}")


def test_the_pages_view_gives_the_same_key_numbers_and_hatching_as_the_picture() -> None:
    spec = EXAMPLES["two_layer_net"].spec
    result = run_graph(spec)
    view = run_view(
        spec, result, words=svg_words("en"), texts=texts("en"), op_titles=op_titles("en")
    )
    small = run_view(
        EXAMPLES["affine"].spec,
        run_graph(EXAMPLES["affine"].spec),
        words=svg_words("en"),
        texts=texts("en"),
        op_titles=op_titles("en"),
    )
    w1 = next(e for e in view["edges"] if e["source"] == "W1")["value"]
    expected = labels.heat_cells(np.asarray(result.node("W1").value), (2, 10))
    assert (w1["key"], w1["negatives"], w1["cells"]) == (
        expected.key,
        expected.negatives,
        expected.fills,
    )
    x = next(e for e in small["edges"] if e["source"] == "x")["value"]
    assert x["numbers"] == ["1", "2", "3", "−1", "0.5", "2"] and len(x["inks"]) == 6
