"""POST /api/train's request and response bodies, apart from the router so that a
program (``app.client``, the command line) can use them without loading the web framework.

The request is strict like every other body (``true`` is not 1, ``"30"`` is not 30,
unknown fields are refused) and bounded: a run makes at most ``MAX_ITERATIONS``
mini-batch updates, so no request holds a worker for more than about a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas import StrictModel
from core.datasets import DATASETS
from core.lab import POINTS, TrainSettings, check_iterations
from core.optimizers import OPTIMIZERS

if TYPE_CHECKING:
    DatasetName = str
    OptimizerName = str
else:
    # Built from the core's registries: a new data set or optimizer is in the schema's
    # enum, the lab's form and the validation without an edit here.
    DatasetName = Literal[tuple(DATASETS)]
    OptimizerName = Literal[tuple(OPTIMIZERS)]

#: Larger steps only make the weights run off; every optimizer stays finite below this.
MAX_LR = 100.0


class TrainRequest(StrictModel):
    """The lab's settings; every field has the book's chapter 1 value as its default."""

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
                }
            ]
        }
    )

    dataset: DatasetName = Field(default="spiral", description=f"{POINTS} points, 2-D")
    hidden_size: int = Field(default=10, ge=1, le=100, description="hidden units")
    optimizer: OptimizerName = Field(default="sgd", description="the book's optimizers")
    lr: float = Field(default=1.0, gt=0, le=MAX_LR, description="the learning rate")
    max_epoch: int = Field(default=300, ge=1, le=1000, description="passes over the data")
    batch_size: int = Field(default=30, ge=1, le=POINTS, description="points per update")
    seed: int = Field(
        default=1984, ge=0, le=2**32 - 1, description="draws the data, weights and shuffles"
    )

    @model_validator(mode="after")
    def _bounded_work(self) -> Self:
        # at most MAX_ITERATIONS updates; the core's LimitError is a ValueError, which
        # pydantic reports as a value_error (its message names both settings)
        check_iterations(self.max_epoch, self.batch_size)
        return self

    def settings(self) -> TrainSettings:
        return TrainSettings(**self.model_dump())


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


class TrainResponse(BaseModel):
    loss: list[float] = Field(description="average mini-batch loss, one per epoch")
    accuracy: list[float] = Field(description="training accuracy after each epoch")
    final_loss: float
    final_accuracy: float
    points: Points
    boundary: BoundaryOut
