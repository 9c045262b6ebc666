"""The training loop in the book's style (book 2, ``ch01/train_custom_loop.py``).

    x, t = load_spiral()                       # seeds np.random: the run is deterministic
    model = TwoLayerNet(2, 10, 3)
    trainer = Trainer(model, SGD(lr=1.0))
    history = trainer.fit(x, t, max_epoch=300, batch_size=30)
    mesh = decision_boundary(model, x)

Each epoch reshuffles the data with ``np.random.permutation`` and walks through it
in mini-batches: forward, backward, ``optimizer.update(model.params, model.grads)``.
The history keeps, per epoch, the average mini-batch loss (what the book prints)
and the accuracy on the whole training set after the epoch.

``train_spiral`` runs the book's setup end to end from its own
``np.random.RandomState``: the same numbers as the book, without touching the global
generator, so two runs in two threads cannot disturb each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from core.datasets import spiral_from
from core.deadline import check_deadline
from core.models import TwoLayerNet
from core.optimizers import Optimizer, make_optimizer

Array = NDArray[np.float64]

#: Called after every epoch with (epoch from 1, average loss, accuracy).
EpochCallback = Callable[[int, float, float], None]


class Model(Protocol):
    """What the trainer needs from a model: the book's model interface."""

    params: list[Array]
    grads: list[Array]

    def predict(self, x: Array) -> Array: ...

    def forward(self, x: Array, t: NDArray[np.generic]) -> float: ...

    def backward(self, dout: float = 1.0) -> Array: ...


@dataclass
class History:
    """Per-epoch records; ``loss[k]`` and ``accuracy[k]`` belong to epoch k + 1."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    #: on held-out points, when ``Trainer.epochs`` was given them
    test_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)


def accuracy(model: Model, x: Array, t: NDArray[np.generic]) -> float:
    """Fraction of rows whose highest score is the true class.  t: (N,) or (N, C) one-hot."""
    predicted = np.argmax(model.predict(x), axis=1)
    labels = np.argmax(t, axis=1) if t.ndim == 2 else t
    return float(np.mean(predicted == labels))


class Trainer:
    """Mini-batch training of ``model`` with ``optimizer``.

    ``rng`` draws the shuffles: None (the default) uses the global ``np.random``
    as the book does. ``history`` grows across calls to ``fit``.
    """

    def __init__(
        self,
        model: Model,
        optimizer: Optimizer,
        rng: np.random.Generator | np.random.RandomState | None = None,
    ) -> None:
        self.model = model
        self.optimizer = optimizer
        self.rng = rng
        self.history = History()

    def fit(
        self,
        x: Array,
        t: NDArray[np.generic],
        max_epoch: int = 300,
        batch_size: int = 30,
        callback: EpochCallback | None = None,
    ) -> History:
        """Train for ``max_epoch`` epochs.  x: (N, D), t: (N,) or (N, C) one-hot.

        An epoch is N // batch_size mini-batches of a fresh shuffle; the last
        N % batch_size rows of each shuffle sit the epoch out, as in the book.
        """
        for epoch, avg_loss, acc in self.epochs(x, t, max_epoch, batch_size):
            if callback is not None:
                callback(epoch, avg_loss, acc)
        return self.history

    def epochs(
        self,
        x: Array,
        t: NDArray[np.generic],
        max_epoch: int = 300,
        batch_size: int = 30,
        held_out: tuple[Array, NDArray[np.intp]] | None = None,
    ) -> Iterator[tuple[int, float, float]]:
        """``fit`` one epoch at a time: yields (epoch, average loss, accuracy) after each.

        The caller may stop between epochs (the lab's stream does when its client goes);
        the history then holds the epochs done. The arguments are checked before the
        first epoch, when the first item is asked for. ``held_out`` (points, class indices)
        are scored after each epoch too, in the same pass as the training points (one
        ``predict`` of both: half the calls), into ``history.test_accuracy``.
        """
        data_size = len(x)
        if len(t) != data_size:
            raise ValueError(f"x has {data_size} rows but t has {len(t)}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if batch_size > data_size:
            raise ValueError(f"batch_size {batch_size} is larger than the data ({data_size} rows)")
        if isinstance(max_epoch, bool) or not isinstance(max_epoch, int) or max_epoch < 0:
            raise ValueError(f"max_epoch must be a non-negative integer, got {max_epoch!r}")

        model, optimizer = self.model, self.optimizer
        permutation = np.random.permutation if self.rng is None else self.rng.permutation
        max_iters = data_size // batch_size
        x_all = x
        if t.ndim == 2 and t.shape[1] > 1:
            # One-hot rows to class indices once, not once per mini-batch: same loss, less work.
            t = np.asarray(t.argmax(axis=1), dtype=np.intp)
        labels_all = t
        n_test = 0
        if held_out is not None:
            n_test = len(held_out[0])
            x_all = np.concatenate([x_all, held_out[0]])
            labels_all = np.concatenate([labels_all, held_out[1]])
        for _ in range(max_epoch):
            check_deadline()  # the request's time bound, if any (core.deadline)
            # The book shuffles the previous epoch's order, not the original one;
            # doing the same keeps its loss figures.
            idx = permutation(data_size)
            x = x[idx]
            t = t[idx]
            total_loss = 0.0
            for iters in range(max_iters):
                batch_x = x[iters * batch_size : (iters + 1) * batch_size]
                batch_t = t[iters * batch_size : (iters + 1) * batch_size]
                total_loss += model.forward(batch_x, batch_t)
                model.backward()
                optimizer.update(model.params, model.grads)

            avg_loss = total_loss / max_iters
            if n_test:
                right = np.argmax(model.predict(x_all), axis=1) == labels_all
                acc = float(np.mean(right[:data_size]))
                self.history.test_accuracy.append(float(np.mean(right[data_size:])))
            else:
                acc = accuracy(model, x_all, labels_all)
            self.history.loss.append(avg_loss)
            self.history.accuracy.append(acc)
            yield self.history.epochs, avg_loss, acc


class DecisionBoundary(NamedTuple):
    """A mesh over the data and the class the model predicts in each cell.

    xx, yy: (rows, cols) cell coordinates as from ``np.meshgrid``; classes: (rows, cols).
    """

    xx: Array
    yy: Array
    classes: NDArray[np.intp]


def decision_boundary(
    model: Model,
    x: Array,
    h: float = 0.01,
    margin: float = 0.1,
    max_cells: int = 5_000_000,
) -> DecisionBoundary:
    """Predict a class for every cell of a grid of step ``h`` over x's range +- ``margin``.

    x: (N, 2). The book's figure uses h = 0.001 (about 4 million cells for the spiral);
    0.01 draws the same picture a hundred times faster. A grid over ``max_cells`` is
    refused before anything is allocated.
    """
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"decision_boundary needs points of shape (N, 2), got {x.shape}")
    if not math.isfinite(h) or h <= 0:
        raise ValueError(f"decision_boundary: h must be a positive finite step, got {h}")
    if not math.isfinite(margin) or margin < 0:
        raise ValueError(f"decision_boundary: margin must be finite and >= 0, got {margin}")
    x_min, x_max = x[:, 0].min() - margin, x[:, 0].max() + margin
    y_min, y_max = x[:, 1].min() - margin, x[:, 1].max() + margin
    cols = math.ceil((x_max - x_min) / h)
    rows = math.ceil((y_max - y_min) / h)
    if rows * cols > max_cells:
        raise ValueError(
            f"decision_boundary: h={h} makes a {rows} x {cols} grid, over {max_cells} cells"
        )
    xx, yy = np.meshgrid(np.arange(x_min, x_max, h), np.arange(y_min, y_max, h))
    grid = np.c_[xx.ravel(), yy.ravel()]
    classes = np.argmax(model.predict(grid), axis=1).reshape(xx.shape)
    return DecisionBoundary(xx, yy, classes)


@dataclass
class TrainingRun:
    """The outcome of ``train_spiral``: the trained model, its history and its data."""

    model: TwoLayerNet
    history: History
    x: Array
    t: NDArray[np.int64]

    @property
    def final_accuracy(self) -> float:
        return self.history.accuracy[-1] if self.history.accuracy else float("nan")


def train_spiral(
    max_epoch: int = 300,
    batch_size: int = 30,
    hidden_size: int = 10,
    optimizer: str = "sgd",
    lr: float = 1.0,
    seed: int = 1984,
    callback: EpochCallback | None = None,
    **hyper: float,
) -> TrainingRun:
    """The book's chapter 1 run: TwoLayerNet(2, hidden_size, 3) on the spiral.

    The data, the initial weights and the shuffles come, in that order, from one
    ``np.random.RandomState(seed)``: the same stream the book gets from
    ``np.random.seed(seed)``, so with the defaults the average loss is about 1.13 in
    epoch 1 and 0.11 in epoch 300. ``optimizer`` and ``hyper`` go to ``make_optimizer``.
    """
    optimizer_ = make_optimizer(optimizer, lr=lr, **hyper)
    random_state = np.random.RandomState(seed)
    x, t = spiral_from(random_state.randn)
    model = TwoLayerNet(2, hidden_size, t.shape[1], rng=random_state)
    trainer = Trainer(model, optimizer_, rng=random_state)
    trainer.fit(x, t, max_epoch=max_epoch, batch_size=batch_size, callback=callback)
    return TrainingRun(model, trainer.history, x, t)
