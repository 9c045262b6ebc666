"""POST /api/train's request and response bodies, apart from the router so that a
program (``app.client``, the command line) can use them without loading the web framework.

The request is strict like every other body (``true`` is not 1, ``"30"`` is not 30,
unknown fields are refused) and bounded: a run makes at most ``MAX_ITERATIONS``
mini-batch updates, so no request holds a worker for more than about a second.

POST /api/train/stream takes the same body with larger bounds (``StreamRequest``: up to
``STREAM_MAX_EPOCH`` epochs and ``STREAM_MAX_HIDDEN`` hidden units, no bound on updates):
a stream is bounded by time instead (``BPX_MAX_TRAIN_SECONDS``) and ends with a final event.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas import StrictModel
from core.datasets import DATASET_DEFAULTS, DATASETS
from core.lab import (
    LEARNED_MARGIN,
    POINTS,
    TrainSettings,
    check_iterations,
)
from core.models import ACTIVATIONS
from core.optimizers import OPTIMIZERS

if TYPE_CHECKING:
    DatasetName = str
    OptimizerName = str
    ActivationName = str
else:
    # Built from the core's registries: a new data set or optimizer is in the schema's
    # enum, the lab's form and the validation without an edit here.
    DatasetName = Literal[tuple(DATASETS)]
    OptimizerName = Literal[tuple(OPTIMIZERS)]
    ActivationName = Literal[tuple(ACTIVATIONS)]

#: Larger steps only make the weights run off; every optimizer stays finite below this.
MAX_LR = 100.0
BOOK_RUN = TrainSettings()
MAX_EPOCH = 1000
MAX_HIDDEN = 100
#: A stream's bounds: its time bound ends whatever these allow but cannot finish.
STREAM_MAX_EPOCH = 5000
STREAM_MAX_HIDDEN = 256


def _by_dataset(field: str) -> str:
    """Each data set's own default of ``field``, for the schema: "spiral: sgd, xor: sgd, ..."."""
    return ", ".join(f"{name}: {getattr(d, field)}" for name, d in DATASET_DEFAULTS.items())


class TrainRequest(StrictModel):
    """The lab's settings. A field left out is the data set's default: the book's chapter 1
    values, with each data set's own optimizer and learning rate (ones that learn it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dataset": "spiral",
                    "hidden_size": 10,
                    "optimizer": "sgd",
                    "lr": 1.0,
                    "max_epoch": 300,
                    "batch_size": 30,
                    "seed": 1984,
                },
                {"dataset": "circles"},
            ],
            "x-dataset-defaults": {name: asdict(d) for name, d in DATASET_DEFAULTS.items()},
        }
    )

    dataset: DatasetName = Field(default=BOOK_RUN.dataset, description=f"{POINTS} points, 2-D")
    hidden_size: int = Field(
        default=BOOK_RUN.hidden_size, ge=1, le=MAX_HIDDEN, description="hidden units"
    )
    activation: ActivationName = Field(
        default=BOOK_RUN.activation, description="the hidden layer's; sigmoid is the book's"
    )
    # No one default for these two: left out, they are the data set's (filled in by
    # _dataset_defaults); the factories only serve a data set that is refused anyway.
    optimizer: OptimizerName = Field(
        default_factory=lambda: BOOK_RUN.optimizer,
        description=f"the book's optimizers; left out: the data set's ({_by_dataset('optimizer')})",
    )
    lr: float = Field(
        default_factory=lambda: BOOK_RUN.lr,
        gt=0,
        le=MAX_LR,
        description=f"the learning rate; left out: the data set's ({_by_dataset('lr')})",
    )
    max_epoch: int = Field(
        default=BOOK_RUN.max_epoch, ge=1, le=MAX_EPOCH, description="passes over the data"
    )
    batch_size: int = Field(
        default=BOOK_RUN.batch_size, ge=1, le=POINTS, description="points per update"
    )
    seed: int = Field(
        default=BOOK_RUN.seed,
        ge=0,
        le=2**32 - 1,
        description="draws the data, weights and shuffles",
    )

    @model_validator(mode="before")
    @classmethod
    def _dataset_defaults(cls, data: Any) -> Any:
        """Fill what is left out from the data set's defaults (``TrainSettings.for_dataset``)."""
        if not isinstance(data, dict):
            return data  # pydantic refuses it
        name = data.get("dataset", BOOK_RUN.dataset)
        if not isinstance(name, str) or name not in DATASET_DEFAULTS:
            return data  # the dataset field refuses it
        return {**asdict(TrainSettings.for_dataset(name)), **data}

    @model_validator(mode="after")
    def _bounded_work(self) -> Self:
        # at most MAX_ITERATIONS updates; the core's LimitError is a ValueError, which
        # pydantic reports as a value_error (its message names both settings)
        check_iterations(self.max_epoch, self.batch_size)
        return self

    def settings(self) -> TrainSettings:
        return TrainSettings(**self.model_dump())


class StreamRequest(TrainRequest):
    """POST /api/train/stream's body: TrainRequest's fields with a stream's larger bounds,
    and no bound on the updates (the server's time bound ends a run that goes on)."""

    hidden_size: int = Field(
        default=BOOK_RUN.hidden_size, ge=1, le=STREAM_MAX_HIDDEN, description="hidden units"
    )
    max_epoch: int = Field(
        default=BOOK_RUN.max_epoch, ge=1, le=STREAM_MAX_EPOCH, description="passes over the data"
    )

    @model_validator(mode="after")
    def _bounded_work(self) -> Self:
        return self  # bounded by time, not by updates


class Points(BaseModel):
    x: list[list[float]] = Field(description=f"({POINTS}, 2): the data")
    labels: list[int] = Field(description="each point's class")


class BoundaryOut(BaseModel):
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    nx: int = Field(description="columns of the grid")
    ny: int = Field(description="rows of the grid")
    classes: list[list[int]] = Field(
        description="classes[j][i]: the predicted class of column i (from x_min) "
        "in row j (from y_min, upward)"
    )


class ParamOut(BaseModel):
    name: str = Field(description="W1, b1, W2 or b2")
    shape: list[int]
    norm: float = Field(description="the values' Euclidean (Frobenius) norm")
    grad_norm: float
    value: list[Any] = Field(description="the values, nested as the shape says")
    grad: list[Any] = Field(
        description="the loss's gradient on all the training points at the end, nested so"
    )


class TrainResponse(BaseModel):
    loss: list[float] = Field(description="average mini-batch loss, one per epoch")
    accuracy: list[float] = Field(description="training accuracy after each epoch")
    test_accuracy: list[float] = Field(
        description="accuracy on the held-out points after each epoch: as many points again, "
        "drawn apart from the training run (its numbers do not change)"
    )
    final_loss: float
    final_accuracy: float
    final_test_accuracy: float
    chance_accuracy: float = Field(
        description="what always guessing the largest class scores: 1/3 on the spiral"
    )
    learned: bool = Field(
        description=f"false when final_accuracy ends less than {LEARNED_MARGIN} above "
        "chance_accuracy: the net has not learned; try another optimizer or learning rate"
    )
    points: Points
    test_points: Points
    boundary: BoundaryOut
    params: list[ParamOut] = Field(description="the trained net's parameters")
