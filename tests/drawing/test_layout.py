"""The layout draws the book's picture: no overlaps, arrows left to right, sources late."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.drawing.layout import Box, Layout, layout_graph
from app.drawing.svg import shapes_for
from core.examples import EXAMPLES
from tests.drawing.conftest import random_dag

GRAPHS: dict[str, dict[str, Any]] = {name: ex.spec for name, ex in EXAMPLES.items()}
GRAPHS.update({f"random_{n}_{seed}": random_dag(n, seed) for n in (12, 40, 200) for seed in (1, 2)})


def _layout(name: str) -> Layout:
    spec = GRAPHS[name]
    return layout_graph(spec, shapes_for(spec))


def _overlap(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_no_two_nodes_overlap(name: str) -> None:
    layout = _layout(name)
    boxes = [(n.id, n.box) for n in layout.nodes.values()]
    for (id_a, a), (id_b, b) in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), f"{name}: nodes {id_a!r} {a} and {id_b!r} {b} overlap"


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_no_label_overlaps_a_node_or_another_label(name: str) -> None:
    layout = _layout(name)
    labels = [(f"label {e.source}->{e.target}", e.label) for e in layout.edges]
    nodes = [(f"node {n.id}", n.box) for n in layout.nodes.values()]
    for (what_a, a), (what_b, b) in itertools.combinations(labels + nodes, 2):
        if what_a.startswith("node") and what_b.startswith("node"):
            continue
        assert not _overlap(a, b), f"{name}: {what_a} {a} overlaps {what_b} {b}"


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_arrows_run_left_to_right(name: str) -> None:
    layout = _layout(name)
    for e in layout.edges:
        xs = [x for run in e.runs for x in run[:2]]
        assert xs == sorted(xs), f"{name}: the arrow {e.source}->{e.target} turns back: {xs}"
        source = layout.nodes[e.source].box
        assert e.label.left >= source.right, (
            f"{name}: label of {e.source}->{e.target} starts left of its source"
        )
        if e.target is not None:
            target = layout.nodes[e.target].box
            assert source.right < target.left, f"{name}: {e.source} is not left of {e.target}"
            assert e.label.right <= target.left, (
                f"{name}: label of {e.source}->{e.target} runs into its target"
            )


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_edge_and_the_output_get_a_label_slot(name: str) -> None:
    spec = GRAPHS[name]
    layout = _layout(name)
    expected = {
        (src, node["id"], i)
        for node in spec["nodes"]
        for i, src in enumerate(node.get("inputs", []))
    }
    drawn = {(e.source, e.target, e.index) for e in layout.edges if e.target is not None}
    assert drawn == expected
    outputs = [e for e in layout.edges if e.target is None]
    assert [e.source for e in outputs] == [spec.get("output", spec["nodes"][-1]["id"])]


def test_each_source_sits_just_before_its_first_consumer() -> None:
    layout = _layout("apple_orange")
    ranks = {n.id: n.rank for n in layout.nodes.values()}
    # The book's figure: tax enters at the last multiplication, not in the first column.
    assert ranks["tax"] == ranks["price"] - 2
    assert ranks["apple"] == ranks["apple_num"] == ranks["apple_price"] - 2
    assert layout.nodes["tax"].box.x > layout.nodes["apple_price"].box.x


def test_the_spec_order_runs_top_to_bottom_like_the_book() -> None:
    nodes = _layout("apple_orange").nodes
    ys = [nodes[i].box.y for i in ("apple", "apple_num", "orange", "orange_num")]
    assert ys == sorted(ys), "apple, apple_num, orange, orange_num should read top to bottom"
    assert nodes["tax"].box.y > nodes["all_price"].box.y, "tax joins below the sum, as in the book"


def test_an_invalid_graph_is_still_drawn() -> None:
    spec = {
        "nodes": [
            {"id": "a", "op": "input", "value": 1},
            {"id": "b", "op": "mul", "inputs": ["a", "missing"]},
            {"id": "c", "op": "add", "inputs": ["b", "c"]},
            "not a node",
        ]
    }
    layout = layout_graph(spec, {})
    assert set(layout.nodes) == {"a", "b", "c"}
    assert layout.problems == ["nodes[3] has no id"]


def test_a_cycle_is_drawn_without_its_back_edge() -> None:
    spec = {
        "nodes": [
            {"id": "a", "op": "input", "value": 1},
            {"id": "b", "op": "add", "inputs": ["a", "c"]},
            {"id": "c", "op": "neg", "inputs": ["b"]},
        ]
    }
    layout = layout_graph(spec, {})
    assert set(layout.nodes) == {"a", "b", "c"}
    assert any("cycle" in p for p in layout.problems)
