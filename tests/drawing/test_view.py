"""The page's view of a run: when each number is known, and the same texts as the SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from app.drawing import layout_graph, render_layout, shapes_for
from app.drawing.view import Timeline, error_view, layout_key, run_view
from app.i18n import op_titles, svg_words, texts
from core import run_graph
from core.examples import EXAMPLES
from core.format import short
from core.ops import OPS

SVG = "{http://www.w3.org/2000/svg}"


def view_of(spec: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    return run_view(
        spec,
        run_graph(spec),
        words=svg_words(lang),
        texts=texts(lang),
        op_titles=op_titles(lang),
    )


def draw(spec: dict[str, Any], result: Any) -> str:
    """The picture as the explorer draws it, in English."""
    layout = layout_graph(spec, shapes_for(spec, result))
    return render_layout(layout, result, words=svg_words("en"), op_titles=op_titles("en"))


def edge_views(view: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["source"], e["target"]): e for e in view["edges"]}


def svg_groups(svg: str) -> tuple[dict[tuple[str, str], ET.Element], dict[str, ET.Element]]:
    root = ET.fromstring(svg)
    edges, nodes = {}, {}
    for g in root.iter(f"{SVG}g"):
        classes = (g.get("class") or "").split()
        if "edge" in classes:
            edges[(g.get("data-source", ""), g.get("data-target", ""))] = g
        elif "node" in classes:
            nodes[g.get("data-node", "")] = g
    return edges, nodes


def title_of(g: ET.Element) -> str:
    title = g.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def test_apple_orange_steps_forward_then_seeds_then_back_in_reverse() -> None:
    result = run_graph(EXAMPLES["apple_orange"].spec)
    timeline = Timeline(result)
    forward = ["apple_price", "orange_price", "all_price", "price"]
    assert [(s.kind, s.node) for s in timeline.steps] == [
        *(("forward", n) for n in forward),
        ("seed", "price"),
        *(("backward", n) for n in reversed(forward)),
    ]
    assert timeline.value_at["apple"] == 0 and timeline.value_at["all_price"] == 3
    # tax's gradient arrives when price passes it back: after the seed, at the first backward step
    assert timeline.grad_at["tax"] == 6 and timeline.grad_at["price"] == 5
    assert timeline.grad_at["apple"] == timeline.total == 9


def test_a_node_that_does_not_lead_to_the_output_gets_its_gradient_only_at_the_end() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2},
            {"id": "y", "op": "neg", "inputs": ["x"]},
            {"id": "z", "op": "exp", "inputs": ["x"]},
        ],
        "output": "y",
    }
    timeline = Timeline(run_graph(spec))
    assert [s.node for s in timeline.steps if s.kind == "backward"] == ["y"]
    assert timeline.grad_at["z"] == timeline.total
    assert timeline.edge_grad_at[("x", "z", 0)] == timeline.total


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_view_writes_what_the_svg_draws(name: str) -> None:
    spec = EXAMPLES[name].spec
    result = run_graph(spec)
    view = view_of(spec)
    drawn_edges, drawn_nodes = svg_groups(draw(spec, result))
    for key, e in edge_views(view).items():
        g = drawn_edges[key]
        assert title_of(g) == e["titles"][2], f"{name} {key}: the title after the run"
        for kind in ("val", "grad"):
            slot = e["value" if kind == "val" else "grad"]
            drawn = next(c for c in g if kind in (c.get("class") or "").split())
            if drawn.tag == f"{SVG}text":
                assert drawn.text == slot["label"], f"{name} {key} {kind}"
            else:
                fills = [
                    r.get("fill") for r in drawn.iter(f"{SVG}rect") if r.get("class") == "cell"
                ]
                assert fills == slot["cells"], f"{name} {key} {kind}: heatmap colours"
    for node_id, n in view["nodes"].items():
        assert title_of(drawn_nodes[node_id]) == n["titles"][2], f"{name} {node_id}"
    # Before the run, the arrows' titles are those of the picture without numbers.
    blank_edges, _ = svg_groups(draw(spec, None))
    for key, e in edge_views(view).items():
        assert title_of(blank_edges[key]) == e["titles"][0], f"{name} {key}: before the run"


def test_labels_are_the_engines_numbers_written_short() -> None:
    spec = EXAMPLES["apple_orange"].spec
    result = run_graph(spec)
    edges = edge_views(view_of(spec))
    for e in result.edges:
        shown = edges[(e.source, e.target)]
        assert shown["value"]["label"] == short(float(e.value))
        assert e.grad is not None and shown["grad"]["label"] == short(float(e.grad))
    assert edges[("price", "")]["value"]["label"] == "715"
    assert edges[("price", "")]["value"]["full"] == repr(float(result.value))


def test_the_stages_name_their_state_and_node() -> None:
    stages = view_of(EXAMPLES["apple_orange"].spec)["stages"]
    assert len(stages) == 10
    assert [s["state"] for s in stages] == [
        "none",
        *["forward"] * 3,
        "forward-done",
        *["backward"] * 4,
        "backward-done",
    ]
    assert stages[1]["text"] == "Forward pass: step 1 of 4"
    assert stages[6]["text"] == "Backward pass: step 2 of 5"
    assert stages[0]["current"] is None and stages[1]["current"] == "apple_price"
    assert stages[0]["lines"] == [{"cls": "hint", "text": texts("en")["rule_sources"]}]


def test_the_local_rule_of_mul_fills_the_registrys_template_with_the_runs_numbers() -> None:
    stages = view_of(EXAMPLES["apple_orange"].spec)["stages"]
    backward_at_price = stages[6]
    assert backward_at_price["current"] == "price"
    # the formulas this test fills by hand
    assert OPS["mul"].rule.backward == ("{dout} × {y}", "{dout} × {x}")  # type: ignore[union-attr]
    texts_of = [line["text"] for line in backward_at_price["lines"]]
    assert texts_of == [
        "Backward at price",
        "dout = the gradient arriving from the right = 1",
        "∂L/∂all_price = dout × tax = 1 × 1.1 = 1.1",
        "∂L/∂tax = dout × all_price = 1 × 650 = 650",
        OPS["mul"].rule.note["en"],  # type: ignore[union-attr]
    ]
    assert backward_at_price["lines"][-1]["cls"] == "note"
    forward_at_price = [line["text"] for line in stages[4]["lines"]]
    assert forward_at_price[1] == "price = all_price × tax = 650 × 1.1 = 715"


def test_a_formula_with_arrays_shows_their_shapes_not_their_numbers() -> None:
    stages = view_of(EXAMPLES["matmul"].spec)["stages"]
    forward = stages[1]["lines"][1]["text"]
    assert forward.endswith("= (2, 2)") and "[" not in forward


def test_an_attr_shows_its_value_in_the_rule() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 3},
            {"id": "y", "op": "pow", "inputs": ["x"], "attrs": {"exponent": 2}},
        ]
    }
    template = OPS["pow"].rule.forward  # type: ignore[union-attr]
    assert "{exponent}" in template
    line = view_of(spec)["stages"][1]["lines"][1]["text"]
    assert "2" in line and "{exponent}" not in line and line.endswith("= 9")


def test_labels_get_no_gradient_and_say_so() -> None:
    view = view_of(EXAMPLES["softmax_with_loss"].spec)
    labels_edge = edge_views(view)[("t", "loss")]
    assert labels_edge["grad"] == {"label": "–", "full": "none (labels)", "none": True}
    assert labels_edge["titles"][2].endswith("gradient: none (labels)")
    backward = [line["text"] for line in view["stages"][-1]["lines"]]
    assert "t holds labels: no gradient flows into it." in backward


def test_a_node_feeding_two_nodes_sums_its_gradients_in_the_rule() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 3},
            {"id": "a", "op": "neg", "inputs": ["x"]},
            {"id": "b", "op": "exp", "inputs": ["x"]},
            {"id": "y", "op": "add", "inputs": ["a", "b"]},
        ]
    }
    stages = view_of(spec)["stages"]
    last = [line["text"] for line in stages[-1]["lines"]]
    fanout = [t for t in last if "Repeat rule" in t]
    grad = run_graph(spec).grad("x")
    assert fanout and fanout[0].endswith(f"= {short(float(grad))}"), last
    # Not before both consumers have passed their share back.
    assert not any("Repeat rule" in line["text"] for line in stages[-2]["lines"])


def test_korean_texts_come_through() -> None:
    view = view_of(EXAMPLES["apple"].spec, "ko")
    assert view["stages"][-1]["text"] == "역전파 완료"
    assert "값" in view["edges"][0]["titles"][1]


def test_a_graph_that_cannot_run_keeps_its_input_fields() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
            {"id": "y", "op": "param", "value": [1, [2]]},
            {"id": "z", "op": "add", "inputs": ["x", "y"]},
        ]
    }
    view = error_view(spec, texts=texts("en"), op_titles=op_titles("en"))
    assert not view["ran"] and view["edges"] == [] and view["nodes"] == {}
    assert view["stages"][0]["text"] == "Cannot run"
    assert view["fields"] == [
        {"node": "x", "label": "x (input (2, 3))", "multiline": True},
        {"node": "y", "label": "y (param)", "multiline": True},  # ragged: no shape
    ]


def test_the_layout_key_changes_with_the_structure_and_shapes_not_the_values() -> None:
    spec = EXAMPLES["apple_orange"].fresh_spec()
    shapes = {n.id: n.shape for n in run_graph(spec).nodes}
    key = layout_key(spec, shapes, numbers=True)
    spec["nodes"][0]["value"] = 200
    assert layout_key(spec, shapes, numbers=True) == key
    assert layout_key(spec, shapes, numbers=False) != key
    assert layout_key(spec, {**shapes, "apple": (2,)}, numbers=True) != key
    spec["nodes"][-1]["op"] = "add"
    assert layout_key(spec, shapes, numbers=True) != key


def test_the_rule_ends_with_the_ops_note_in_the_pages_language() -> None:
    spec = EXAMPLES["apple"].spec
    result = run_graph(spec)
    view = run_view(
        spec, result, words=svg_words("ko"), texts=texts("ko"), op_titles=op_titles("ko"), lang="ko"
    )
    last = view["stages"][1]["lines"][-1]
    assert last == {"cls": "note", "text": OPS["mul"].rule.note["ko"]}  # type: ignore[union-attr]
