"""The SVG: every arrow carries its value and its gradient; user text stays text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.drawing import render_svg
from app.drawing.numbers import cells, colour
from core import run_graph
from core.examples import EXAMPLES

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _edges(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {
        (g.get("data-source", ""), g.get("data-target", "")): g
        for g in root.iterfind(".//s:g", NS)
        if "edge" in (g.get("class") or "").split()
    }


def _text(g: ET.Element, cls: str) -> str:
    for t in g.iterfind("s:text", NS):
        if cls in (t.get("class") or "").split():
            return "".join(t.itertext())
    raise AssertionError(f"no {cls} text in {ET.tostring(g)[:200]!r}")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_edge_gets_a_value_and_a_gradient_label(name: str) -> None:
    spec = EXAMPLES[name].spec
    result = run_graph(spec)
    root = _parse(render_svg(spec, result))
    edges = _edges(root)
    assert len(edges) == len(result.edges) + 1  # and the output arrow
    for key, g in edges.items():
        classes = [(c.get("class") or "").split() for c in g]
        assert any("val" in c for c in classes), f"{name}: {key} has no value label"
        assert any("grad" in c for c in classes), f"{name}: {key} has no gradient label"
        assert g.find("s:title", NS) is not None, f"{name}: {key} has no <title>"
    for node in root.iterfind(".//s:g[@data-node]", NS):
        assert node.find("s:title", NS) is not None


def test_apple_orange_shows_the_books_numbers_on_the_right_arrows() -> None:
    spec = EXAMPLES["apple_orange"].spec
    edges = _edges(_parse(render_svg(spec)))
    expected = {
        ("apple", "apple_price"): ("100", "2.2"),
        ("apple_num", "apple_price"): ("2", "110"),
        ("orange", "orange_price"): ("150", "3.3"),
        ("orange_num", "orange_price"): ("3", "165"),
        ("tax", "price"): ("1.1", "650"),
        ("apple_price", "all_price"): ("200", "1.1"),
        ("orange_price", "all_price"): ("450", "1.1"),
        ("all_price", "price"): ("650", "1.1"),
        ("price", ""): ("715", "1"),
    }
    for key, (value, grad) in expected.items():
        assert (_text(edges[key], "val"), _text(edges[key], "grad")) == (value, grad), key


def test_without_a_result_every_number_is_a_question_mark_not_zero() -> None:
    root = _parse(render_svg(EXAMPLES["apple"].spec, run=False))
    assert root.get("data-state") == "none"
    for g in _edges(root).values():
        assert _text(g, "val") == "?"
        assert _text(g, "grad") == "?"


def test_a_hostile_node_name_stays_text() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    spec = {
        "nodes": [
            {"id": hostile, "op": "input", "value": 1},
            {"id": "y", "op": "neg", "inputs": [hostile]},
        ]
    }
    svg = render_svg(spec)
    root = _parse(svg)  # well-formed: the name did not open an element
    assert not list(root.iter("img")) and not list(root.iter("{http://www.w3.org/2000/svg}img"))
    names = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert hostile in names
    assert "onerror=alert(1)>" not in svg.replace("&gt;", "")


def test_matrices_become_heatmaps_with_their_shape() -> None:
    root = _parse(render_svg(EXAMPLES["matmul"].spec))
    heat = [
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if "heat" in (g.get("class") or "")
    ]
    assert heat, "matmul's arrays should be drawn as heatmaps"
    captions = {
        "".join(t.itertext()) for g in heat for t in g.iter("{http://www.w3.org/2000/svg}text")
    }
    assert "(2, 3)" in captions and "∂ (2, 3)" in captions


def test_big_arrays_are_shown_as_block_means() -> None:
    value = [[float(i * 40 + j) for j in range(40)] for i in range(40)]
    grid = cells(value, (40, 40))
    assert len(grid) == 20 and len(grid[0]) == 20
    assert grid[0][0] == (0 + 1 + 40 + 41) / 4
    assert (
        colour(1.0, 1.0) == "#b35806"
        and colour(-1.0, 1.0) == "#542788"
        and colour(0.0, 0.0) == "#f7f7f7"
    )
