"""POST /api/train: train TwoLayerNet on a 2-D data set, get the curves and the boundary.

The bodies are in :mod:`app.train_schemas`: strict, and bounded to ``MAX_ITERATIONS``
mini-batch updates, so no request holds a worker for more than about a second.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import json_response
from app.errors import ERROR_RESPONSES
from app.train_schemas import MAX_LR, BoundaryOut, Points, TrainRequest, TrainResponse
from core.lab import MAX_ITERATIONS, POINTS, run_to_dict, train

__all__ = ["MAX_LR", "BoundaryOut", "Points", "TrainRequest", "TrainResponse", "router"]

router = APIRouter(prefix="/api", tags=["training"])


def _example() -> dict[str, Any]:
    """The book's run, cut short: the real answer has one entry per epoch, 300 points and a
    50 x 50 grid."""
    return {
        "loss": [1.1256, 1.1255, 1.1163, 0.1085],
        "accuracy": [0.3333, 0.3333, 0.3333, 0.97],
        "final_loss": 0.1085,
        "final_accuracy": 0.97,
        "points": {"x": [[0.0, 0.0], [-0.00097699, 0.00995216]], "labels": [0, 0]},
        "boundary": {
            "x_min": -1.0224,
            "x_max": 1.089,
            "y_min": -0.9887,
            "y_max": 1.0581,
            "nx": 2,
            "ny": 2,
            "classes": [[0, 0], [1, 2]],
        },
    }


@router.post(
    "/train",
    response_model=TrainResponse,
    summary="Train a two-layer net on a 2-D data set",
    description="TwoLayerNet(2, hidden_size, classes) with the chosen optimizer, trained in "
    "mini-batches as in book 2, chapter 1. With the defaults it is the book's run on the "
    "spiral: average loss about 1.13 in epoch 1 and 0.11 in epoch 300, accuracy 0.97. "
    f"A run makes at most {MAX_ITERATIONS} updates: max_epoch x ({POINTS} // batch_size).",
    responses={200: {"content": {"application/json": {"example": _example()}}}, **ERROR_RESPONSES},
)
def train_endpoint(request: TrainRequest) -> Response:
    return json_response(run_to_dict(train(request.settings())))
