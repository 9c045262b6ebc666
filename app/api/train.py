"""POST /api/train: train TwoLayerNet on a 2-D data set, get the curves and the boundary.
POST /api/train/stream: the same run as server-sent events, while it trains.

The bodies are in :mod:`app.train_schemas`: strict, and bounded to ``MAX_ITERATIONS``
mini-batch updates, so no request holds a worker for more than about a second. A stream
takes larger bounds and is bounded by time (``BPX_MAX_TRAIN_SECONDS``).

The stream is a plain ``StreamingResponse`` (no extra dependency: one ``data:`` line per
event is all the page and curl need, and Starlette already stops a response whose client
has gone). The run is a generator (``core.lab.stream``) advanced in the threadpool a chunk
at a time, about ``CHUNK_SECONDS`` of epochs; nothing advances it between chunks, so when
the client disconnects Starlette cancels the response, the chunk under way finishes (one
epoch at least, ``CHUNK_SECONDS`` at most past it) and the generator is closed: no thread
keeps training.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Final

import orjson
from anyio import to_thread
from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from app.api.deps import json_response
from app.errors import ERROR_RESPONSES
from app.settings import get_settings
from app.train_schemas import (
    MAX_LR,
    STREAM_MAX_EPOCH,
    STREAM_MAX_HIDDEN,
    BoundaryOut,
    Points,
    StreamRequest,
    TrainRequest,
    TrainResponse,
)
from core.deadline import stopping, time_limit
from core.lab import MAX_ITERATIONS, POINTS, run_to_dict, stream, train

__all__ = [
    "MAX_LR",
    "BoundaryOut",
    "Points",
    "StreamRequest",
    "TrainRequest",
    "TrainResponse",
    "event_stream",
    "router",
]

#: Epochs are pulled from the run for about this long before what they made is sent.
CHUNK_SECONDS: Final = 0.02
#: Events after which the chunk is sent at once: the start (so that it comes before any
#: training) and the end.
FLUSH_AFTER: Final = frozenset({"start", "end"})
SSE_HEADERS: Final = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: dict[str, Any]) -> bytes:
    """One server-sent event: a ``data:`` line of JSON (no newline inside) and a blank line."""
    return b"data: " + orjson.dumps(event) + b"\n\n"


def next_chunk(events: Iterator[dict[str, Any]]) -> bytes:
    """The next events of the run, encoded, pulled for about ``CHUNK_SECONDS``;
    b"" when the run has no more.

    A stream is bounded by its own time (``BPX_MAX_TRAIN_SECONDS``, checked by the run,
    which ends with a final event), not by the request's ``BPX_REQUEST_SECONDS``: that one
    would break a stream off in the middle with no final event."""
    out: list[bytes] = []
    deadline = time.monotonic() + CHUNK_SECONDS
    if stopping():  # the server is stopping (SIGTERM): the stream ends here
        return b""
    with time_limit(None):
        for event in events:
            out.append(sse(event))
            if event["type"] in FLUSH_AFTER or time.monotonic() > deadline:
                break
    return b"".join(out)


async def event_stream(
    events: Iterator[dict[str, Any]], headers: Mapping[str, str] | None = None
) -> StreamingResponse:
    """The response for a run's events. The first chunk (the start event) is made before
    the response begins, so a run the core refuses is an error answer, not a broken stream."""
    first = await to_thread.run_sync(next_chunk, events)

    async def body() -> AsyncIterator[bytes]:
        try:
            chunk = first
            while chunk:
                yield chunk
                # not abandoned on cancel: a disconnect waits for this chunk, then closes
                chunk = await to_thread.run_sync(next_chunk, events)
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()

    return StreamingResponse(
        body(), media_type="text/event-stream", headers={**(headers or {}), **SSE_HEADERS}
    )


router = APIRouter(prefix="/api", tags=["training"])


def _example() -> dict[str, Any]:
    """The book's run, cut short: the real answer has one entry per epoch, 300 points and a
    50 x 50 grid."""
    return {
        "loss": [1.1256, 1.1255, 1.1163, 0.1085],
        "accuracy": [0.3333, 0.3333, 0.3333, 0.97],
        "test_accuracy": [0.3333, 0.3333, 0.3333, 0.9667],
        "final_loss": 0.1085,
        "final_accuracy": 0.97,
        "final_test_accuracy": 0.9667,
        "chance_accuracy": 0.3333,
        "learned": True,
        "points": {"x": [[0.0, 0.0], [-0.00097699, 0.00995216]], "labels": [0, 0]},
        "test_points": {"x": [[0.0, 0.0], [0.0091, 0.0042]], "labels": [0, 0]},
        "params": [
            {
                "name": "b2",
                "shape": [3],
                "norm": 3.0912,
                "grad_norm": 0.0102,
                "value": [1.1508, -2.7464, 0.7835],
                "grad": [0.0061, -0.0049, -0.0012],
            }
        ],
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
    'A setting left out is the data set\'s default: `{"dataset": "circles"}` trains '
    "with circles' own optimizer and learning rate, ones that learn it. "
    f"A run makes at most {MAX_ITERATIONS} updates: max_epoch x ({POINTS} // batch_size).",
    responses={200: {"content": {"application/json": {"example": _example()}}}, **ERROR_RESPONSES},
)
def train_endpoint(request: TrainRequest) -> Response:
    return json_response(run_to_dict(train(request.settings())))


def _stream_example() -> str:
    """The book's run as a stream, cut short: every epoch has its event, every few a snapshot."""
    events: list[dict[str, Any]] = [
        {
            "type": "start",
            "settings": {"dataset": "spiral", "hidden_size": 10, "max_epoch": 300},
            "max_epoch": 300,
            "snapshot_every": 5,
            "max_seconds": 20.0,
            "classes": 3,
            "chance_accuracy": 0.3333,
            "points": {"x": [[0.0, 0.0]], "labels": [0]},
            "test_points": {"x": [[0.0, 0.0]], "labels": [0]},
        },
        {
            "type": "snapshot",
            "epoch": 0,
            "boundary": _example()["boundary"],
            "params": [
                {
                    "name": "b2",
                    "shape": [3],
                    "norm": 0.0,
                    "grad_norm": 0.0014,
                    "value": [0.0, 0.0, 0.0],
                    "grad": [0.0008, -0.0011, 0.0003],
                }
            ],
        },
        {"type": "epoch", "epoch": 1, "loss": 1.1256, "accuracy": 0.3333, "test_accuracy": 0.34},
        {
            "type": "end",
            "reason": "done",
            "epochs": 300,
            "final_loss": 0.1085,
            "final_accuracy": 0.97,
            "final_test_accuracy": 0.9667,
            "chance_accuracy": 0.3333,
            "learned": True,
            "message": None,
        },
    ]
    return b"".join(sse(e) for e in events).decode()


@router.post(
    "/train/stream",
    summary="Train a two-layer net, watching it learn (server-sent events)",
    description="The body of POST /api/train, with larger bounds (up to "
    f"{STREAM_MAX_EPOCH} epochs and {STREAM_MAX_HIDDEN} hidden units). The answer is "
    "`text/event-stream`: one JSON object per `data:` line, each with its `type`: `start` "
    "(the settings and the points, training and held out, before any training), `snapshot` "
    "(at epoch 0, every `snapshot_every` epochs and at the end: the decision boundary and "
    "each parameter's values, its gradient on all training points and both norms), `epoch` "
    "(after every epoch: `epoch`, `loss`, `accuracy`, `test_accuracy`) and last `end` "
    '(`reason` "done", "time_limit" or "nonfinite", the epochs done, the final numbers and '
    "a `message` saying why a run stopped early). A run still going after the server's time "
    "bound (BPX_MAX_TRAIN_SECONDS) ends with `time_limit`. Settings it refuses are a 422 "
    "before any event; a client that disconnects stops the training.",
    responses={
        200: {"content": {"text/event-stream": {"example": _stream_example()}}},
        **ERROR_RESPONSES,
    },
)
async def train_stream_endpoint(request: StreamRequest) -> StreamingResponse:
    return await event_stream(stream(request.settings(), get_settings().max_train_seconds))
