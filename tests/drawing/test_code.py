"""The book's code beside the graph: the layer classes as the project runs them, per stage."""

from __future__ import annotations

import inspect

from app.drawing.code import code_view, layer_source
from app.drawing.view import Timeline
from core import layers, run_graph
from core.examples import EXAMPLES


def stages_of(example: str) -> tuple[dict, list]:  # type: ignore[type-arg]
    spec = EXAMPLES[example].spec
    result = run_graph(spec)
    steps = Timeline(result).steps
    code = code_view(spec, result, steps)
    assert code is not None
    return code, steps


def test_the_source_is_the_class_the_project_runs() -> None:
    source = layer_source("mul")
    assert source is not None
    assert source["name"] == "MulLayer"
    assert "\n".join(source["lines"]) + "\n" == inspect.getsource(layers.MulLayer)
    backward = [source["lines"][i] for i in source["backward"]]
    assert backward[0].strip().startswith("def backward(self, dout")
    assert any("return" in line for line in backward)
    assert not set(source["forward"]) & set(source["backward"])


def test_a_backward_stage_marks_the_backward_lines_with_dout_and_dx() -> None:
    code, steps = stages_of("apple")
    s = next(
        i + 1
        for i, step in enumerate(steps)
        if (step.kind, step.node) == ("backward", "apple_price")
    )
    stage = code["stages"][s]
    assert stage["phase"] == "backward" and stage["op"] == "mul"
    assert stage["marks"] == code["classes"]["mul"]["backward"]
    shown = {v["name"]: v["text"] for v in stage["vars"]}
    assert shown["dout"] == "1.1" and shown["dx"] == "2.2" and shown["dy"] == "110"
    assert shown["self.x"] == "100" and shown["self.y"] == "2"
    assert any("dout = 1.1" in note for note in stage["notes"].values())


def test_a_forward_stage_marks_forward_and_relu_shows_its_mask() -> None:
    code, steps = stages_of("relu")
    forward = code["stages"][1]
    assert forward["phase"] == "forward" and forward["marks"] == code["classes"]["relu"]["forward"]
    backward = code["stages"][len(steps)]
    names = {v["name"]: v for v in backward["vars"]}
    assert names["self.mask"]["text"].startswith("(2, 3) [0, 1, 0, 1")
    assert names["dx"]["grad"] and names["dx"]["text"].startswith("(2, 3) [1, 0, 3")
    assert code["stages"][0] is None  # nothing runs before the first step


def test_an_affine_backward_shows_dw_and_db() -> None:
    code, steps = stages_of("affine")
    names = {v["name"] for v in code["stages"][len(steps)]["vars"]}
    assert {"dout", "dx", "dW", "db"} <= names
