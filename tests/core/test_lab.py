"""One run of the training lab (core.lab), without HTTP: the book's numbers, the boundary
grid, the JSON shape, an unknown data set, and no global state touched off the spiral."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import core.lab
from core.datasets import DATASETS
from core.lab import (
    GRID,
    MARGIN,
    POINTS,
    TrainSettings,
    boundary_grid,
    iterations,
    run_to_dict,
    train,
)
from core.models import TwoLayerNet


def test_lab_defaults_are_the_books_chapter_1_run() -> None:
    run = train(TrainSettings())
    assert len(run.history.loss) == 300
    assert run.history.loss[0] == pytest.approx(1.13, abs=0.005)
    assert run.final_loss == pytest.approx(0.11, abs=0.005)
    assert run.final_accuracy == pytest.approx(0.97, abs=0.005)
    assert run.x.shape == (POINTS, 2) and run.labels.shape == (POINTS,)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_lab_runs_every_registered_dataset(dataset: str) -> None:
    run = train(TrainSettings(dataset=dataset, max_epoch=3, optimizer="adam", lr=0.05))
    assert len(run.history.loss) == 3
    assert run.x.shape == (POINTS, 2), f"{dataset}: every data set has {POINTS} points"


def test_lab_run_off_the_spiral_leaves_numpys_global_generator_alone() -> None:
    np.random.seed(5)
    before = np.random.get_state()[1].copy()  # type: ignore[index]
    train(TrainSettings(dataset="moons", max_epoch=2))
    after = np.random.get_state()[1]  # type: ignore[index]
    assert np.array_equal(before, after), "the moons run drew from np.random"


def test_lab_refuses_an_unknown_dataset_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown data set 'iris'; known: spiral, xor"):
        train(TrainSettings(dataset="iris"))


def test_boundary_grid_covers_the_data_plus_the_margin() -> None:
    x = np.array([[-1.0, 0.0], [2.0, 3.0], [0.5, 1.0]])
    model = TwoLayerNet(2, 4, 3, rng=np.random.default_rng(0))
    boundary = boundary_grid(model, x, cells=7)
    assert (boundary.nx, boundary.ny) == (7, 7)
    assert (boundary.x_min, boundary.x_max) == pytest.approx((-1.0 - MARGIN, 2.0 + MARGIN))
    assert (boundary.y_min, boundary.y_max) == pytest.approx((0.0 - MARGIN, 3.0 + MARGIN))
    assert len(boundary.classes) == 7 and all(len(row) == 7 for row in boundary.classes)
    assert {c for row in boundary.classes for c in row} <= {0, 1, 2}


def test_run_to_dict_is_plain_json_data() -> None:
    data = run_to_dict(train(TrainSettings(max_epoch=4)))
    assert set(data) == {"loss", "accuracy", "final_loss", "final_accuracy", "points", "boundary"}
    assert data["final_loss"] == data["loss"][-1] and len(data["accuracy"]) == 4
    assert (data["boundary"]["nx"], data["boundary"]["ny"]) == (GRID, GRID)
    assert all(isinstance(v, float) for v in data["loss"])
    assert all(type(c) is int for row in data["boundary"]["classes"] for c in row)


def test_iterations_counts_whole_batches_per_epoch() -> None:
    assert iterations(300, 30) == 3000
    assert iterations(10, 7) == 10 * (POINTS // 7)


def test_core_lab_imports_only_numpy_and_the_core() -> None:
    tree = ast.parse(Path(core.lab.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported <= {"__future__", "dataclasses", "typing", "numpy", "core"}, imported


@pytest.mark.parametrize("dataset", ["spiral", "moons"])
def test_lab_reports_every_epoch_to_the_callback(dataset: str) -> None:
    seen: list[tuple[int, float, float]] = []
    run = train(
        TrainSettings(dataset=dataset, max_epoch=4),
        callback=lambda epoch, loss, acc: seen.append((epoch, loss, acc)),
    )
    assert [e for e, _, _ in seen] == [1, 2, 3, 4]
    assert [loss for _, loss, _ in seen] == run.history.loss
    assert [acc for _, _, acc in seen] == run.history.accuracy
