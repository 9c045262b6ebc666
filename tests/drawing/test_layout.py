"""The layout draws the book's picture: no overlaps, arrows left to right, sources late."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.drawing.layout import Box, Layout, _separate, layout_graph
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


# The layout's steps, one property each, on every graph above.


def _consumers(spec: dict[str, Any]) -> dict[str, list[str]]:
    consumers: dict[str, list[str]] = {node["id"]: [] for node in spec["nodes"]}
    for node in spec["nodes"]:
        for src in node.get("inputs", []):
            consumers[src].append(node["id"])
    return consumers


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_an_op_sits_one_level_after_its_deepest_input(name: str) -> None:
    spec = GRAPHS[name]
    ranks = {n.id: n.rank for n in _layout(name).nodes.values()}
    inputs = {node["id"]: node.get("inputs", []) for node in spec["nodes"]}
    for node_id, its_inputs in inputs.items():
        if not its_inputs:
            continue
        # A source counts as level 0 wherever it was moved to.
        deepest = max(ranks[i] if inputs[i] else 0 for i in its_inputs)
        assert ranks[node_id] == deepest + 2, (
            f"{name}: {node_id} is in rank {ranks[node_id]}, its deepest input in rank {deepest}"
        )


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_source_sits_in_the_rank_just_before_its_first_consumer(name: str) -> None:
    spec = GRAPHS[name]
    ranks = {n.id: n.rank for n in _layout(name).nodes.values()}
    for node in spec["nodes"]:
        consumers = _consumers(spec)[node["id"]]
        if node.get("inputs") or not consumers:
            continue
        first = min(ranks[c] for c in consumers)
        assert ranks[node["id"]] == first - 2, (
            f"{name}: source {node['id']} is in rank {ranks[node['id']]}, "
            f"its first consumer in rank {first}"
        )


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_label_sits_in_the_column_just_before_its_target(name: str) -> None:
    layout = _layout(name)
    boxes = [n.box for n in layout.nodes.values()] + [e.label for e in layout.edges]
    columns = sorted({b.x for b in boxes})  # a column's vertices share its centre
    for e in layout.edges:
        label_column = columns.index(e.label.x)
        if e.target is None:
            after = layout.nodes[e.source].box.x
            assert columns.index(after) == label_column - 1, f"{name}: output label misplaced"
        else:
            target_column = columns.index(layout.nodes[e.target].box.x)
            assert label_column == target_column - 1, (
                f"{name}: label of {e.source}->{e.target} is in column {label_column}, "
                f"its target in column {target_column}"
            )


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_arrows_into_one_node_arrive_in_the_order_of_their_labels(name: str) -> None:
    layout = _layout(name)
    arriving: dict[str, list[tuple[float, float]]] = {}
    for e in layout.edges:
        if e.target is not None:
            arriving.setdefault(e.target, []).append((e.label.y, e.runs[-1][2]))
    for target, ends in arriving.items():
        ports = [port_y for _, port_y in sorted(ends)]
        assert ports == sorted(ports), f"{name}: arrows into {target} cross at the node"


def test_disconnected_parts_are_stacked_in_the_spec_order() -> None:
    first = [{"id": "a", "op": "input", "value": 1}, {"id": "b", "op": "exp", "inputs": ["a"]}]
    second = [{"id": "c", "op": "input", "value": 2}, {"id": "d", "op": "neg", "inputs": ["c"]}]
    layout = layout_graph({"nodes": first + second, "output": "b"}, {})
    lowest_of_first = max(layout.nodes[i].box.bottom for i in ("a", "b"))
    highest_of_second = min(layout.nodes[i].box.top for i in ("c", "d"))
    assert lowest_of_first < highest_of_second, "the part listed first should be drawn on top"
    assert layout.height >= max(n.box.bottom for n in layout.nodes.values())


def test_an_invalid_graph_draws_only_the_edges_whose_two_ends_exist() -> None:
    spec = {
        "nodes": [
            {"id": "a", "op": "input", "value": 1},
            {"id": "a", "op": "input", "value": 2},
            {"id": "b", "op": "mul", "inputs": ["a", "missing", 7]},
            {"id": "c", "op": "add", "inputs": ["b", "c"]},
        ]
    }
    layout = layout_graph(spec, {})
    drawn = [(e.source, e.target, e.index) for e in layout.edges]
    # The self-loop c -> c, the unknown and the non-string input are left out; the output
    # arrow leaves the last node, since the spec names none.
    assert drawn == [("a", "b", 0), ("b", "c", 0), ("c", None, -1)]
    assert layout.problems == ["node id 'a' is used twice"]


@pytest.mark.parametrize("output", ["nowhere", 3])
def test_an_unknown_output_gets_no_arrow(output: object) -> None:
    spec = {"nodes": [{"id": "a", "op": "input", "value": 1}], "output": output}
    layout = layout_graph(spec, {})
    if isinstance(output, str):
        assert layout.output is None
        assert [e.target for e in layout.edges] == []
    else:  # not a name at all: the last node is the output
        assert layout.output == "a"
        assert [e.target for e in layout.edges] == [None]


def test_nodes_that_are_not_a_list_are_a_problem_not_a_crash() -> None:
    layout = layout_graph({"nodes": "abc"}, {})
    assert layout.nodes == {} and layout.edges == []
    assert layout.problems == ["'nodes' is not a list"]


def test_separate_pulls_neighbours_apart_as_little_as_possible() -> None:
    # Three boxes of height 10 wanted at one place, gap 2: centres 12 apart, around it.
    assert _separate([0.0, 0.0, 0.0], [10.0, 10.0, 10.0], 2.0) == [-12.0, 0.0, 12.0]
    # Already far enough apart (12 between centres): nothing moves.
    assert _separate([0.0, 20.0, 40.0], [10.0, 10.0, 10.0], 2.0) == [0.0, 20.0, 40.0]
    # Only the last two are too close: they part around their mean, the first stays put.
    assert _separate([0.0, 30.0, 31.0], [10.0, 10.0, 10.0], 2.0) == [0.0, 24.5, 36.5]
