"""One run of the training lab: a data set, TwoLayerNet, an optimizer, and the outcome as
plain data (lists and floats) for the API, the page and the drawing.

    run = train(TrainSettings())          # the book's chapter 1 run: loss 1.13 -> 0.11
    data = run_to_dict(run)               # what POST /api/train returns
    TrainSettings.for_dataset("circles")  # the settings that learn circles (Adam, lr 0.05)
    run.learned                           # False when the run ends near chance accuracy
    for event in stream(TrainSettings()): # the same run as events: start, epoch, snapshot,
        ...                               # end (POST /api/train/stream sends them)

The spiral is set up as ``core.trainer.train_spiral`` does, so the defaults give the book's
numbers exactly. The other data sets draw their points from ``seed`` and the weights and
shuffles from one fresh ``np.random.default_rng(seed)``: no run touches global state.

The held-out test points are extra: as many again, drawn from the same distribution by a
seed derived from ``seed`` (``held_out_seed``), never from the training run's generator, so
that measuring them changes nothing of the run (the book's numbers stay to the last bit).
No web framework here: a notebook can call it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from core.datasets import DATASET_DEFAULTS, DATASETS, spiral_from
from core.errors import LimitError, NonFiniteError
from core.format import short
from core.messages import Message, Term, Text
from core.models import ACTIVATIONS, TwoLayerNet
from core.optimizers import hyperparameter_term, make_optimizer
from core.trainer import EpochCallback, History, Trainer

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
#: A stream sends the boundary and the weights about this many times per run (and at the
#: start and the end): every ``snapshot_every(max_epoch)`` epochs.
SNAPSHOTS: Final = 20
#: The parameters of TwoLayerNet, in the order of ``model.params``.
PARAM_NAMES: Final = ("W1", "b1", "W2", "b2")
#: The mini-batch a trained net takes into the explorer: this many training points.
EXPLORER_BATCH: Final = 10


#: Each setting as the lab's form labels it.
SETTING_LABELS: Final[dict[str, Text]] = {
    "dataset": {"en": "Data set", "ko": "데이터셋"},
    "hidden_size": {"en": "Hidden layer size", "ko": "은닉층 크기"},
    "activation": {"en": "Activation", "ko": "활성화 함수"},
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
    activation: str = "sigmoid"

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
    """A finished run: per-epoch history, the data (class indices) and the boundary.

    ``test_accuracy[k]`` is the accuracy on the held-out points after epoch k + 1."""

    settings: TrainSettings
    history: History
    x: Array
    labels: NDArray[np.intp]
    boundary: Boundary
    test_x: Array
    test_labels: NDArray[np.intp]
    test_accuracy: list[float]
    #: each parameter at the end, with its gradient on all training points (``params()``)
    params: list[dict[str, Any]]

    @property
    def final_loss(self) -> float:
        return self.history.loss[-1]

    @property
    def final_accuracy(self) -> float:
        return self.history.accuracy[-1]

    @property
    def final_test_accuracy(self) -> float:
        return self.test_accuracy[-1]

    @property
    def chance_accuracy(self) -> float:
        """What always guessing the largest class scores: 1/3 on the spiral, 1/2 on the others."""
        return chance(self.labels)

    @property
    def learned(self) -> bool:
        """False when the run ends near chance accuracy (within ``LEARNED_MARGIN``)."""
        return self.final_accuracy >= self.chance_accuracy + LEARNED_MARGIN


def chance(labels: NDArray[np.intp]) -> float:
    return float(np.bincount(labels).max() / labels.size)


def boundary_grid(model: TwoLayerNet, x: Array, cells: int = GRID) -> Boundary:
    """Predict a class at every cell centre of a ``cells`` x ``cells`` grid over x +- MARGIN."""
    x_min, x_max = float(x[:, 0].min()) - MARGIN, float(x[:, 0].max()) + MARGIN
    y_min, y_max = float(x[:, 1].min()) - MARGIN, float(x[:, 1].max()) + MARGIN
    frame = Boundary(x_min, x_max, y_min, y_max, cells, cells, [])
    classes = np.argmax(model.predict(grid_points(frame)), axis=1).reshape(cells, cells)
    return replace(frame, classes=classes.tolist())


def grid_points(b: Boundary) -> Array:
    """The cell centres of ``b``, row by row from y_min: (ny * nx, 2)."""
    xs = b.x_min + (np.arange(b.nx) + 0.5) * (b.x_max - b.x_min) / b.nx
    ys = b.y_min + (np.arange(b.ny) + 0.5) * (b.y_max - b.y_min) / b.ny
    xx, yy = np.meshgrid(xs, ys)  # row j is ys[j]
    return np.c_[xx.ravel(), yy.ravel()]


def held_out_seed(seed: int) -> int:
    """The seed of a run's held-out points: derived from ``seed``, another stream."""
    return int(np.random.SeedSequence([seed, 1]).generate_state(1)[0])


def snapshot_every(max_epoch: int) -> int:
    """Epochs between two snapshots of a stream: about ``SNAPSHOTS`` per run."""
    return max(1, math.ceil(max_epoch / SNAPSHOTS))


class LabTraining:
    """One run, set up and ready to go an epoch at a time (``epochs()``).

    ``train`` runs it to the end; ``stream`` turns it into events and may stop between
    epochs. Everything it draws comes from its own generators.
    """

    def __init__(self, settings: TrainSettings) -> None:
        s = self.settings = settings
        if s.dataset not in DATASETS:
            raise ValueError(f"unknown data set {s.dataset!r}; known: {', '.join(DATASETS)}")
        if s.activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {s.activation!r}; known: {', '.join(ACTIVATIONS)}"
            )
        optimizer = make_optimizer(s.optimizer, lr=s.lr)
        rng: np.random.Generator | np.random.RandomState
        if s.dataset == "spiral":
            # As core.trainer.train_spiral: data, weights and shuffles from one RandomState,
            # in the book's order, so the defaults give the book's numbers exactly.
            rng = np.random.RandomState(s.seed)
            x, t = spiral_from(rng.randn)
            test_x, test_t = spiral_from(np.random.RandomState(held_out_seed(s.seed)).randn)
        else:
            x, t = DATASETS[s.dataset](n=POINTS, seed=s.seed)
            test_x, test_t = DATASETS[s.dataset](n=POINTS, seed=held_out_seed(s.seed))
            rng = np.random.default_rng(s.seed)
        self.model = TwoLayerNet(2, s.hidden_size, t.shape[1], rng=rng, activation=s.activation)
        self.trainer = Trainer(self.model, optimizer, rng=rng)
        self.x, self.t = x, t
        self.labels = np.asarray(np.argmax(t, axis=1), dtype=np.intp)
        self.test_x = test_x
        self.test_labels = np.asarray(np.argmax(test_t, axis=1), dtype=np.intp)
        self.classes = int(t.shape[1])
        self._grid: tuple[Boundary, Array] | None = None

    @property
    def history(self) -> History:
        return self.trainer.history

    @property
    def test_accuracy(self) -> list[float]:
        return self.trainer.history.test_accuracy

    def boundary(self) -> Boundary:
        """``boundary_grid`` of the net now; the grid's points are made once per run."""
        if self._grid is None:
            frame = boundary_grid(self.model, self.x)
            self._grid = frame, grid_points(frame)
            return frame
        frame, points = self._grid
        classes = np.argmax(self.model.predict(points), axis=1).reshape(frame.ny, frame.nx)
        return replace(frame, classes=classes.tolist())

    def epochs(self) -> Iterator[tuple[int, float, float, float]]:
        """(epoch, average loss, training accuracy, test accuracy) after each epoch; stops
        after the first epoch whose loss is not a finite number."""
        s = self.settings
        for epoch, loss, acc in self.trainer.epochs(
            self.x,
            self.t,
            max_epoch=s.max_epoch,
            batch_size=s.batch_size,
            held_out=(self.test_x, self.test_labels),
        ):
            yield epoch, loss, acc, self.history.test_accuracy[-1]
            if not math.isfinite(loss):
                return

    def nonfinite(self) -> Message | None:
        """Why the run had to stop, if its loss stopped being a finite number."""
        loss = self.history.loss
        if not loss or math.isfinite(loss[-1]):
            return None
        return Message(
            "lab_nonfinite",
            {
                "epoch": len(loss),
                "lr": hyperparameter_term("lr"),
                "value": self.settings.lr,
                "optimizer": self.settings.optimizer,
            },
        )

    def params(self) -> list[dict[str, Any]]:
        """Each parameter's values and its gradient on all the training points, now, with
        their norms. The gradient pass writes only ``model.grads``, which the next update
        overwrites before it reads them: the run's numbers do not change."""
        self.model.forward(self.x, self.labels)
        self.model.backward()
        return [
            {
                "name": name,
                "shape": list(value.shape),
                "norm": float(np.linalg.norm(value)),
                "grad_norm": float(np.linalg.norm(grad)),
                "value": value.tolist(),
                "grad": grad.tolist(),
            }
            for name, value, grad in zip(
                PARAM_NAMES, self.model.params, self.model.grads, strict=True
            )
        ]

    def run(self, boundary: Boundary | None = None) -> LabRun:
        return LabRun(
            self.settings,
            self.history,
            self.x,
            self.labels,
            boundary or self.boundary(),
            self.test_x,
            self.test_labels,
            list(self.test_accuracy),
            self.params(),
        )


def train(settings: TrainSettings, callback: EpochCallback | None = None) -> LabRun:
    """Train TwoLayerNet(2, hidden_size, classes) on the data set, as ``settings`` say.

    ``callback`` is called after every epoch with (epoch, average loss, accuracy): the
    command line's progress bar. Raises ValueError (from the core) for settings it
    refuses, and ``NonFiniteError`` if the loss stops being a finite number.
    """
    training = LabTraining(settings)
    for epoch, loss, acc, _ in training.epochs():
        if callback is not None:
            callback(epoch, loss, acc)
    problem = training.nonfinite()
    if problem is not None:
        raise NonFiniteError(problem)
    return training.run()


def boundary_to_dict(b: Boundary) -> dict[str, Any]:
    return {
        "x_min": b.x_min,
        "x_max": b.x_max,
        "y_min": b.y_min,
        "y_max": b.y_max,
        "nx": b.nx,
        "ny": b.ny,
        "classes": b.classes,
    }


def stream(
    settings: TrainSettings,
    max_seconds: float = math.inf,
    *,
    lang: str = "en",
    page: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> Generator[dict[str, Any]]:
    """The run as events (JSON-ready dicts, each with its ``type``), in this order:

    ``start``     the settings, the points (training and held out), chance accuracy,
                  ``snapshot_every``: before any training, so it comes at once
    ``snapshot``  at epoch 0, every ``snapshot_every`` epochs and at the last epoch: the
                  boundary and each parameter (values, gradient on all training points,
                  norms)
    ``epoch``     after every epoch: ``epoch``, ``loss``, ``accuracy``, ``test_accuracy``
    ``end``       last: ``reason`` ("done", "time_limit" or "nonfinite"), the epochs done,
                  the final numbers, ``learned`` and ``message`` (None when done) in
                  ``lang`` (as a page says it when ``page``)

    The run stops when ``max_seconds`` have passed since the start (checked between
    epochs) and whenever the caller stops pulling: nothing runs between two ``next``.
    Raises ValueError (from the core) for settings it refuses, before the first event.
    """
    started = clock()
    training = LabTraining(settings)
    every = snapshot_every(settings.max_epoch)

    def snapshot(epoch: int) -> dict[str, Any]:
        boundary = training.boundary()
        return {
            "type": "snapshot",
            "epoch": epoch,
            "boundary": boundary_to_dict(boundary),
            "params": training.params(),
        }

    yield {
        "type": "start",
        "settings": asdict(settings),
        "max_epoch": settings.max_epoch,
        "snapshot_every": every,
        "max_seconds": max_seconds if math.isfinite(max_seconds) else None,
        "classes": training.classes,
        "chance_accuracy": chance(training.labels),
        "points": {"x": training.x.tolist(), "labels": training.labels.tolist()},
        "test_points": {"x": training.test_x.tolist(), "labels": training.test_labels.tolist()},
    }
    yield snapshot(0)
    reason, last_snapshot = "done", 0
    for epoch, loss, acc, test_acc in training.epochs():
        yield {
            "type": "epoch",
            "epoch": epoch,
            "loss": loss,
            "accuracy": acc,
            "test_accuracy": test_acc,
        }
        if not math.isfinite(loss):
            reason = "nonfinite"
            break
        if clock() - started > max_seconds and epoch < settings.max_epoch:
            reason = "time_limit"
            break
        if epoch % every == 0 or epoch == settings.max_epoch:
            yield snapshot(epoch)
            last_snapshot = epoch
    history = training.history
    done = history.epochs
    if done and done != last_snapshot and reason != "nonfinite":
        yield snapshot(done)
    message: Message | None = None
    if reason == "nonfinite":
        message = training.nonfinite()
    elif reason == "time_limit":
        message = Message(
            "lab_time_limit",
            {"seconds": short(max_seconds), "epoch": done, "max_epoch": settings.max_epoch},
        )
    final_accuracy = history.accuracy[-1] if done else None
    yield {
        "type": "end",
        "reason": reason,
        "epochs": done,
        "final_loss": history.loss[-1] if done else None,
        "final_accuracy": final_accuracy,
        "final_test_accuracy": training.test_accuracy[-1] if done else None,
        "chance_accuracy": chance(training.labels),
        "learned": final_accuracy is not None
        and final_accuracy >= chance(training.labels) + LEARNED_MARGIN,
        "message": None if message is None else message.text(lang, page=page),
    }


def explorer_spec(
    settings: TrainSettings,
    params: list[dict[str, Any]],
    x: Array,
    labels: NDArray[np.intp],
    batch_size: int = EXPLORER_BATCH,
) -> dict[str, Any]:
    """The trained net as the explorer's graph: its real weights, on one mini-batch of the
    training points (``batch_size`` of them, drawn by ``seed``), as the example
    ``two_layer_net`` is built: Affine -> activation -> Affine -> Softmax with Loss."""
    rng = np.random.default_rng(settings.seed)
    idx = np.sort(rng.choice(len(x), size=min(batch_size, len(x)), replace=False))
    values = {p["name"]: p["value"] for p in params}

    def node(node_id: str, op: str, *inputs: str, **extra: Any) -> dict[str, Any]:
        return {"id": node_id, "op": op, **({"inputs": list(inputs)} if inputs else {}), **extra}

    return {
        "nodes": [
            node("x", "input", value=x[idx].tolist()),
            node("t", "input", value=[int(c) for c in labels[idx]]),
            *(node(name, "param", value=values[name]) for name in PARAM_NAMES),
            node("affine1", "affine", "x", "W1", "b1"),
            node(settings.activation, settings.activation, "affine1"),
            node("affine2", "affine", settings.activation, "W2", "b2"),
            node("loss", "softmax_with_loss", "affine2", "t"),
        ],
        "output": "loss",
    }


def run_to_dict(run: LabRun) -> dict[str, Any]:
    """The run as JSON-ready data: the shape of POST /api/train's answer."""
    return {
        "loss": list(run.history.loss),
        "accuracy": list(run.history.accuracy),
        "test_accuracy": list(run.test_accuracy),
        "final_loss": run.final_loss,
        "final_accuracy": run.final_accuracy,
        "final_test_accuracy": run.final_test_accuracy,
        "chance_accuracy": run.chance_accuracy,
        "learned": run.learned,
        "points": {"x": run.x.tolist(), "labels": run.labels.tolist()},
        "test_points": {"x": run.test_x.tolist(), "labels": run.test_labels.tolist()},
        "boundary": boundary_to_dict(run.boundary),
        "params": run.params,
    }
