"""Jupyter display: a core graph result draws itself once app.drawing is imported."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from app.drawing import notebook, render_svg
from core import run_graph
from core.examples import EXAMPLES
from core.gradcheck import check_layer
from core.layers import Sigmoid


@pytest.fixture(scope="module")
def shell() -> Any:
    return InteractiveShell.instance()


def test_outside_ipython_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert notebook.register() is False


def test_a_graph_result_shows_as_its_annotated_svg(shell: Any) -> None:
    assert notebook.register(shell) is True
    result = run_graph(EXAMPLES["apple_orange"].spec)
    data, _ = shell.display_formatter.format(result)
    svg = data["image/svg+xml"]
    assert svg == render_svg(EXAMPLES["apple_orange"].spec, result)
    assert ">715<" in svg and ">2.2<" in svg  # the value, and d price / d apple


def test_the_drawing_keeps_the_specs_attrs(shell: Any) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 3.0},
            {"id": "y", "op": "pow", "inputs": ["x"], "attrs": {"exponent": 3}},
        ]
    }
    data, _ = shell.display_formatter.format(run_graph(spec))
    assert "^3" in data["image/svg+xml"]


def test_a_layer_report_shows_as_a_table(shell: Any) -> None:
    import numpy as np

    report = check_layer(Sigmoid(), np.linspace(-1, 1, 6).reshape(2, 3))
    data, _ = shell.display_formatter.format(report)
    assert "<table>" in data["text/html"] and "passed" in data["text/html"]
