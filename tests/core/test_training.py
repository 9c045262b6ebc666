"""Training: the book's chapter 1 run on the spiral, the trainer's loop, the decision boundary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from core.datasets import load_spiral, make_moons
from core.models import TwoLayerNet
from core.optimizers import SGD, make_optimizer
from core.trainer import (
    DecisionBoundary,
    History,
    Trainer,
    TrainingRun,
    accuracy,
    decision_boundary,
    train_spiral,
)


def global_state() -> np.ndarray:
    """The key of NumPy's global legacy generator, to see whether something drew from it."""
    state = np.random.get_state()
    assert isinstance(state, tuple)
    return state[1].copy()


@pytest.fixture(scope="module")
def book_run() -> TrainingRun:
    """max_epoch 300, batch 30, hidden 10, SGD lr 1.0: one run shared by the checks below."""
    return train_spiral()


def test_book_run_loss_matches_the_book(book_run: TrainingRun) -> None:
    loss = book_run.history.loss
    assert len(loss) == 300
    # The book prints, per epoch, the average of its 10 mini-batch losses.
    assert loss[0] == pytest.approx(1.13, abs=0.005), "epoch 1"
    assert loss[99] == pytest.approx(0.48, abs=0.005), "epoch 100"
    assert loss[199] == pytest.approx(0.16, abs=0.005), "epoch 200"
    assert loss[299] == pytest.approx(0.11, abs=0.005), "epoch 300"
    assert loss[299] < 0.12


def test_book_run_learns_the_spiral(book_run: TrainingRun) -> None:
    assert book_run.final_accuracy > 0.95
    assert book_run.final_accuracy == pytest.approx(0.97, abs=0.005)
    assert book_run.final_accuracy == accuracy(book_run.model, book_run.x, book_run.t)
    assert book_run.history.accuracy[0] < 0.6, "an untrained net should not know the spiral"


def test_the_books_script_with_the_global_generator_gives_the_same_run(
    book_run: TrainingRun,
) -> None:
    """load_spiral seeds np.random; model and shuffles then draw from it, as in the book."""
    x, t = load_spiral()
    model = TwoLayerNet(input_size=2, hidden_size=10, output_size=3)
    history = Trainer(model, SGD(lr=1.0)).fit(x, t, max_epoch=300, batch_size=30)
    assert history.loss == book_run.history.loss
    assert history.accuracy == book_run.history.accuracy


def test_train_spiral_leaves_the_global_generator_alone() -> None:
    np.random.seed(5)
    state = global_state()
    train_spiral(max_epoch=2)
    np.testing.assert_array_equal(global_state(), state)


def test_train_spiral_with_another_optimizer() -> None:
    run = train_spiral(max_epoch=30, optimizer="adam", lr=0.05, beta1=0.8)
    assert run.history.epochs == 30
    assert run.history.loss[-1] < run.history.loss[0]


def test_train_spiral_refuses_a_bad_optimizer() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'sgdd'"):
        train_spiral(optimizer="sgdd")
    with pytest.raises(ValueError, match="sgd: lr must be positive"):
        train_spiral(lr=0.0)


def test_callback_runs_once_per_epoch_with_the_history() -> None:
    calls: list[tuple[int, float, float]] = []
    run = train_spiral(max_epoch=7, callback=lambda *args: calls.append(args))
    assert [epoch for epoch, _, _ in calls] == [1, 2, 3, 4, 5, 6, 7]
    assert [loss for _, loss, _ in calls] == run.history.loss
    assert [acc for _, _, acc in calls] == run.history.accuracy


def test_history_grows_across_fits_and_epochs_keep_counting() -> None:
    x, t = make_moons(n=60, seed=1)
    trainer = Trainer(TwoLayerNet(2, 5, 2, rng=0), SGD(lr=0.5), rng=np.random.default_rng(0))
    seen: list[int] = []
    trainer.fit(x, t, max_epoch=3, batch_size=20, callback=lambda e, *_: seen.append(e))
    history = trainer.fit(x, t, max_epoch=2, batch_size=20, callback=lambda e, *_: seen.append(e))
    assert seen == [1, 2, 3, 4, 5]
    assert history is trainer.history and history.epochs == 5


def test_one_hot_and_index_labels_train_the_same() -> None:
    x, t = make_moons(n=60, seed=2)

    def run(labels: np.ndarray) -> History:
        trainer = Trainer(TwoLayerNet(2, 5, 2, rng=3), SGD(lr=1.0), rng=np.random.default_rng(4))
        return trainer.fit(x, labels, max_epoch=5, batch_size=12)

    assert run(t).loss == run(t.argmax(axis=1)).loss


def test_each_epoch_uses_every_full_batch_of_a_new_shuffle() -> None:
    """30 rows, batch 8: 3 updates per epoch; the last 6 rows of each shuffle sit out."""

    class CountingSGD(SGD):
        updates = 0

        def update(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
            CountingSGD.updates += 1
            super().update(params, grads)

    x, t = make_moons(n=30, seed=0)
    Trainer(TwoLayerNet(2, 3, 2, rng=0), CountingSGD(lr=0.1)).fit(x, t, max_epoch=4, batch_size=8)
    assert CountingSGD.updates == 12


def test_fit_leaves_the_callers_data_alone() -> None:
    x, t = make_moons(n=40, seed=0)
    x0, t0 = x.copy(), t.copy()
    Trainer(TwoLayerNet(2, 3, 2, rng=0), SGD()).fit(x, t, max_epoch=2, batch_size=10)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(t, t0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": 41}, "batch_size 41 is larger than the data"),
        ({"max_epoch": -1}, "max_epoch must be a non-negative integer"),
    ],
)
def test_fit_refuses_bad_settings(kwargs: dict[str, Any], message: str) -> None:
    x, t = make_moons(n=40, seed=0)
    trainer = Trainer(TwoLayerNet(2, 3, 2, rng=0), make_optimizer("sgd"))
    with pytest.raises(ValueError, match=message):
        trainer.fit(x, t, **kwargs)


def test_fit_refuses_labels_of_another_length() -> None:
    x, t = make_moons(n=40, seed=0)
    with pytest.raises(ValueError, match="x has 40 rows but t has 39"):
        Trainer(TwoLayerNet(2, 3, 2, rng=0), SGD()).fit(x, t[:-1])


def test_decision_boundary_covers_the_data_with_a_margin(book_run: TrainingRun) -> None:
    x, h = book_run.x, 0.02
    boundary = decision_boundary(book_run.model, x, h=h)
    assert isinstance(boundary, DecisionBoundary)
    x_cells = np.arange(x[:, 0].min() - 0.1, x[:, 0].max() + 0.1, h)
    y_cells = np.arange(x[:, 1].min() - 0.1, x[:, 1].max() + 0.1, h)
    shape = (len(y_cells), len(x_cells))
    assert boundary.xx.shape == boundary.yy.shape == boundary.classes.shape == shape
    np.testing.assert_array_equal(boundary.xx[0], x_cells)
    np.testing.assert_array_equal(boundary.yy[:, 0], y_cells)
    assert set(np.unique(boundary.classes)) == {0, 1, 2}


def test_decision_boundary_agrees_with_the_model_at_the_data(book_run: TrainingRun) -> None:
    x, h = book_run.x, 0.01
    boundary = decision_boundary(book_run.model, x, h=h)
    cols = np.round((x[:, 0] - boundary.xx[0, 0]) / h).astype(int)
    rows = np.round((x[:, 1] - boundary.yy[0, 0]) / h).astype(int)
    at_points = boundary.classes[rows, cols]
    predicted = book_run.model.predict(x).argmax(axis=1)
    # Cell centres are up to h/2 away from the points: a few may fall across a boundary.
    assert np.mean(at_points == predicted) > 0.95


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"h": 0.0}, "h must be a positive finite step"),
        ({"h": float("nan")}, "h must be a positive finite step"),
        ({"h": 1e-5}, "over 5000000 cells"),
        ({"margin": -0.1}, "margin must be finite and >= 0"),
    ],
)
def test_decision_boundary_refuses_bad_grids(
    book_run: TrainingRun, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        decision_boundary(book_run.model, book_run.x, **kwargs)


def test_decision_boundary_needs_2d_points(book_run: TrainingRun) -> None:
    with pytest.raises(ValueError, match=r"points of shape \(N, 2\)"):
        decision_boundary(book_run.model, np.zeros((5, 3)))
