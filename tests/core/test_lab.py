"""One run of the training lab (core.lab), without HTTP: the book's numbers, the boundary
grid, the JSON shape, an unknown data set, and no global state touched off the spiral."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import core.lab
from core.datasets import DATASET_DEFAULTS, DATASETS
from core.lab import (
    GRID,
    LEARNED_MARGIN,
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


def test_the_spirals_defaults_are_exactly_the_books_run() -> None:
    assert TrainSettings.for_dataset("spiral") == TrainSettings()


@pytest.mark.parametrize("seed", [1984, 0, 7])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_each_datasets_defaults_learn_it(dataset: str, seed: int) -> None:
    settings = replace(TrainSettings.for_dataset(dataset), seed=seed)
    defaults = DATASET_DEFAULTS[dataset]
    assert (settings.optimizer, settings.lr) == (defaults.optimizer, defaults.lr)
    run = train(settings)
    assert run.final_accuracy >= 0.9, (
        f"{dataset} with its defaults ({defaults.optimizer}, lr {defaults.lr}) ends at "
        f"{run.final_accuracy:.2f} training accuracy at seed {seed}: choose defaults that learn it"
    )
    assert run.learned


def test_for_dataset_refuses_a_data_set_without_defaults() -> None:
    with pytest.raises(ValueError, match="no defaults for the data set 'iris'; known: spiral"):
        TrainSettings.for_dataset("iris")


def test_a_run_near_chance_accuracy_has_not_learned() -> None:
    # circles with the book's SGD 1.0 sits at a loss of ln 2 for 300 epochs at seed 1984
    stuck = train(TrainSettings(dataset="circles", optimizer="sgd", lr=1.0, seed=1984))
    assert stuck.history.loss[-1] == pytest.approx(np.log(2), abs=0.01)
    assert stuck.chance_accuracy == 0.5
    assert stuck.final_accuracy < stuck.chance_accuracy + LEARNED_MARGIN
    assert not stuck.learned
    book = train(TrainSettings())
    assert book.chance_accuracy == pytest.approx(1 / 3)
    assert book.learned


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
    assert set(data) == {
        "loss",
        "accuracy",
        "test_accuracy",
        "final_loss",
        "final_accuracy",
        "final_test_accuracy",
        "chance_accuracy",
        "learned",
        "points",
        "test_points",
        "boundary",
        "params",
    }
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
    stdlib = {"__future__", "collections", "dataclasses", "math", "time", "typing"}
    assert imported <= stdlib | {"numpy", "core"}, imported


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
