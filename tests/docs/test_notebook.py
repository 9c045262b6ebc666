"""docs/notebook.ipynb runs top to bottom in a real Jupyter kernel (nbclient, ipykernel),
and shows what the README promises: the figure of a result, the check's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError, with the cell, if any cell fails
    return notebook


def _outputs(notebook: Any, marker: str) -> list[dict[str, Any]]:
    """The outputs of the code cell whose source contains ``marker``."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, f"one cell with {marker!r}"
    return list(cells[0].outputs)


def test_the_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_every_cell_runs_without_an_error(executed: Any) -> None:
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert all(o.output_type != "error" for o in cell.outputs), cell.source


def test_a_result_shows_as_the_annotated_figure(executed: Any) -> None:
    (shown,) = [o for o in _outputs(executed, "result  # the annotated figure") if "data" in o]
    svg = shown["data"]["image/svg+xml"]
    assert ">715<" in svg and ">2.2<" in svg and ">650<" in svg


def test_layer_reports_show_as_tables(executed: Any) -> None:
    failing = _outputs(executed, "changes the caller's dout!")[-1]["data"]["text/html"]
    assert "<table>" in failing and "failed" in failing
    assert "changed the caller&#x27;s dout in place" in failing
    passing = _outputs(executed, "class Affine:")[-1]["data"]["text/html"]
    assert "passed" in passing and passing.count("<tr>") == 4  # head, dx, dW, db


def test_a_slip_prints_its_hint(executed: Any) -> None:
    (printed,) = _outputs(executed, "np.matmult")
    assert "hint: NumPy has no 'matmult': did you mean np.matmul?" in printed["text"]
    assert "at a notebook cell, line 7, in backward" in printed["text"]


def test_the_training_figures_show(executed: Any) -> None:
    outputs = _outputs(executed, "TrainingFigures(")
    assert "final loss 0.1085 accuracy 0.97" in outputs[0]["text"]
    html = outputs[-1]["data"]["text/html"]
    assert html.count("<svg") >= 3
