"""One run of the training lab: a data set, TwoLayerNet, an optimizer, and the outcome as
plain data (lists and floats) for the API, the page and the drawing.

    run = train(TrainSettings())          # the book's chapter 1 run: loss 1.13 -> 0.11
    data = run_to_dict(run)               # what POST /api/train returns
    TrainSettings.for_dataset("circles")  # the settings that learn circles (Adam, lr 0.05)
    run.learned                           # False when the run ends near chance accuracy

The spiral goes through ``core.trainer.train_spiral``, so the defaults give the book's
numbers exactly. The other data sets draw their points from ``seed`` and the weights and
shuffles from one fresh ``np.random.default_rng(seed)``: no run touches global state.
No web framework here: a notebook can call it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from core.datasets import DATASET_DEFAULTS, DATASETS
from core.errors import LimitError, NonFiniteError
from core.messages import Term, Text
from core.models import TwoLayerNet
from core.optimizers import hyperparameter_term, make_optimizer
from core.trainer import EpochCallback, History, Trainer, train_spiral

Array = NDArray[np.float64]

#: Every data set has this many points: the spiral's 300, so one batch_size fits them all.
POINTS: Final = 300
#: Mini-batch updates per run, at most (about 1 s of CPU with 100 hidden units).
MAX_ITERATIONS: Final = 10_000
#: Cells per axis of the decision-boundary grid.
GRID: Final = 50
#: The grid covers the data's range plus this margin, as in the book.
MARGIN: Final = 0.1
#: A run that ends less than this above chance accuracy has not learned: at 10% over
#: guessing (60% on two classes, 43% on the spiral's three) no boundary has formed yet.
LEARNED_MARGIN: Final = 0.1


#: Each setting as the lab's form labels it.
SETTING_LABELS: Final[dict[str, Text]] = {
    "dataset": {"en": "Data set", "ko": "데이터셋"},
    "hidden_size": {"en": "Hidden layer size", "ko": "은닉층 크기"},
    "optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "lr": {"en": "Learning rate", "ko": "학습률"},
    "max_epoch": {"en": "Epochs", "ko": "에폭 수"},
    "batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "seed": {"en": "Seed", "ko": "시드"},
}


def iterations(max_epoch: int, batch_size: int, points: int = POINTS) -> int:
    """Mini-batch updates of a run: each epoch walks ``points // batch_size`` batches."""
    return max_epoch * (points // batch_size)


def check_iterations(max_epoch: int, batch_size: int) -> None:
    """Raise ``LimitError`` (a ``ValueError``) when a run would make more than
    ``MAX_ITERATIONS`` updates, naming both settings."""
    work = iterations(max_epoch, batch_size)
    if work > MAX_ITERATIONS:
        raise LimitError.of(
            "lab_too_much_work",
            None,
            epochs=Term("max_epoch", SETTING_LABELS["max_epoch"]),
            max_epoch=max_epoch,
            batch=Term("batch_size", SETTING_LABELS["batch_size"]),
            batch_size=batch_size,
            work=work,
            per_epoch=POINTS // batch_size,
            limit=MAX_ITERATIONS,
        )


@dataclass(frozen=True)
class TrainSettings:
    """The lab's settings; the defaults are the book's chapter 1 run.

    Another data set starts from ``for_dataset(name)``: its own optimizer and learning rate
    (``core.datasets.DATASET_DEFAULTS``, ones that learn it), the book's other settings.
    """

    dataset: str = "spiral"
    hidden_size: int = 10
    optimizer: str = "sgd"
    lr: float = 1.0
    max_epoch: int = 300
    batch_size: int = 30
    seed: int = 1984

    @classmethod
    def for_dataset(cls, dataset: str) -> TrainSettings:
        """The data set's defaults; ValueError for a name without them."""
        if dataset not in DATASET_DEFAULTS:
            raise ValueError(
                f"no defaults for the data set {dataset!r}; known: {', '.join(DATASET_DEFAULTS)}"
            )
        defaults = DATASET_DEFAULTS[dataset]
        return replace(cls(), dataset=dataset, optimizer=defaults.optimizer, lr=defaults.lr)


@dataclass(frozen=True)
class Boundary:
    """The class predicted at the centre of each cell of an ``nx`` x ``ny`` grid.

    ``classes[j][i]`` is the cell in column i (from x_min) and row j (from y_min, upward).
    """

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    nx: int
    ny: int
    classes: list[list[int]]


@dataclass(frozen=True)
class LabRun:
    """A finished run: per-epoch history, the data (class indices) and the boundary."""

    settings: TrainSettings
    history: History
    x: Array
    labels: NDArray[np.intp]
    boundary: Boundary

    @property
    def final_loss(self) -> float:
        return self.history.loss[-1]

    @property
    def final_accuracy(self) -> float:
        return self.history.accuracy[-1]

    @property
    def chance_accuracy(self) -> float:
        """What always guessing the largest class scores: 1/3 on the spiral, 1/2 on the others."""
        return float(np.bincount(self.labels).max() / self.labels.size)

    @property
    def learned(self) -> bool:
        """False when the run ends near chance accuracy (within ``LEARNED_MARGIN``)."""
        return self.final_accuracy >= self.chance_accuracy + LEARNED_MARGIN


def boundary_grid(model: TwoLayerNet, x: Array, cells: int = GRID) -> Boundary:
    """Predict a class at every cell centre of a ``cells`` x ``cells`` grid over x +- MARGIN."""
    x_min, x_max = float(x[:, 0].min()) - MARGIN, float(x[:, 0].max()) + MARGIN
    y_min, y_max = float(x[:, 1].min()) - MARGIN, float(x[:, 1].max()) + MARGIN
    xs = x_min + (np.arange(cells) + 0.5) * (x_max - x_min) / cells
    ys = y_min + (np.arange(cells) + 0.5) * (y_max - y_min) / cells
    xx, yy = np.meshgrid(xs, ys)  # row j is ys[j]
    grid = np.c_[xx.ravel(), yy.ravel()]
    classes = np.argmax(model.predict(grid), axis=1).reshape(cells, cells)
    return Boundary(x_min, x_max, y_min, y_max, cells, cells, classes.tolist())


def train(settings: TrainSettings, callback: EpochCallback | None = None) -> LabRun:
    """Train TwoLayerNet(2, hidden_size, classes) on the data set, as ``settings`` say.

    ``callback`` is called after every epoch with (epoch, average loss, accuracy): the
    command line's progress bar. Raises ValueError (from the core) for settings it
    refuses, and ``NonFiniteError`` if the loss stops being a finite number.
    """
    s = settings
    if s.dataset not in DATASETS:
        raise ValueError(f"unknown data set {s.dataset!r}; known: {', '.join(DATASETS)}")
    if s.dataset == "spiral":
        run = train_spiral(
            max_epoch=s.max_epoch,
            batch_size=s.batch_size,
            hidden_size=s.hidden_size,
            optimizer=s.optimizer,
            lr=s.lr,
            seed=s.seed,
            callback=callback,
        )
        model, history, x, t = run.model, run.history, run.x, run.t
    else:
        optimizer = make_optimizer(s.optimizer, lr=s.lr)
        x, t = DATASETS[s.dataset](n=POINTS, seed=s.seed)
        rng = np.random.default_rng(s.seed)
        model = TwoLayerNet(2, s.hidden_size, t.shape[1], rng=rng)
        trainer = Trainer(model, optimizer, rng=rng)
        history = trainer.fit(
            x, t, max_epoch=s.max_epoch, batch_size=s.batch_size, callback=callback
        )
    if not all(np.isfinite(history.loss)):
        epoch = next(k for k, v in enumerate(history.loss, 1) if not np.isfinite(v))
        raise NonFiniteError.of(
            "lab_nonfinite",
            None,
            epoch=epoch,
            lr=hyperparameter_term("lr"),
            value=s.lr,
            optimizer=s.optimizer,
        )
    labels = np.asarray(np.argmax(t, axis=1), dtype=np.intp)
    return LabRun(s, history, x, labels, boundary_grid(model, x))


def run_to_dict(run: LabRun) -> dict[str, Any]:
    """The run as JSON-ready data: the shape of POST /api/train's answer."""
    b = run.boundary
    return {
        "loss": list(run.history.loss),
        "accuracy": list(run.history.accuracy),
        "final_loss": run.final_loss,
        "final_accuracy": run.final_accuracy,
        "chance_accuracy": run.chance_accuracy,
        "learned": run.learned,
        "points": {"x": run.x.tolist(), "labels": run.labels.tolist()},
        "boundary": {
            "x_min": b.x_min,
            "x_max": b.x_max,
            "y_min": b.y_min,
            "y_max": b.y_max,
            "nx": b.nx,
            "ny": b.ny,
            "classes": b.classes,
        },
    }
