"""What the endpoints share: the limits from the settings, and the JSON rendering."""

from __future__ import annotations

import json
from typing import Any

import orjson
from anyio.lowlevel import checkpoint
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send

from app.settings import get_settings
from core import Limits


def current_limits() -> Limits:
    """The core's limits from the BPX_ settings.

    A plain call, not a FastAPI dependency: with one, the framework's dependency solving
    cost about 10 us per request, a tenth of what a 0.8 run/healthz ratio leaves for
    /api/run's own work (bench/bench_http.py). A plain-def dependency would have cost a
    second trip to the thread pool on top.
    """
    return get_settings().limits()


class JSONBytes(Response):
    media_type = "application/json"


class JSONChunks(Response):
    """A large JSON answer (``json_chunks``) sent chunk by chunk, its length known up front.

    The event loop copies what it sends into the socket's buffer: a 65 MB answer given as
    one body was copied whole, twice (asyncio's transport slices what the socket did not
    take and buffers the rest), and while it was, no other request was answered, not even
    ``/healthz``. Sent in chunks of about ``CHUNK_BYTES``, with the loop given back after
    each (a send that the socket takes at once does not suspend), other requests are
    served between two: with 8 clients asking for the largest run, ``/healthz`` took 354
    ms at the 99th percentile before, 88 ms after (docs/reliability.md).
    """

    media_type = "application/json"

    def __init__(self, chunks: list[bytes]) -> None:
        super().__init__(headers={"content-length": str(sum(map(len, chunks)))})
        self.chunks = chunks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        last = len(self.chunks) - 1
        for i, chunk in enumerate(self.chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < last})
            # a send that the socket took at once does not give the loop back: give it
            await checkpoint()


def json_response(data: Any, count: int | None = None) -> Response:
    """The core's dicts are plain lists and floats already: dump them once, no re-validation.

    The response models in the route decorators document the shape; they are not run.
    ``count``: see ``dumps``.
    orjson takes about 3 us where json.dumps took 23 us for apple_orange's result. The
    core refuses inf and nan, so orjson's writing them as null never happens here.

    What orjson cannot write (an integer of 2**64 or more, as typed in a value the answer
    echoes) the standard library writes, in ASCII: every reply can be sent.
    """
    try:
        chunks = json_chunks(data, count)
    except orjson.JSONEncodeError:
        return JSONBytes(encodable_json(data))
    return JSONBytes(chunks[0]) if len(chunks) == 1 else JSONChunks(chunks)


def encodable_json(data: Any) -> bytes:
    """``data`` as JSON in ASCII: big integers as they are, text that is not valid Unicode
    (a lone surrogate a request carried) as its JSON escape."""
    return json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


#: An answer with more numbers than this is written in pieces of at most about this many.
PIECE_NUMBERS = 20_000
#: and sent in chunks of at least this many bytes (the last one may be shorter).
CHUNK_BYTES = 1 << 20


def dumps(data: Any, count: int | None = None) -> bytes:
    """``orjson.dumps(data)``, the same bytes; a large answer written piece by piece.

    One orjson call holds the GIL from start to end: for the largest run the limits allow
    (65 MB of JSON) that was about 190 ms in which the worker's event loop, and so
    ``/healthz``, could not run. In pieces of about ``PIECE_NUMBERS`` numbers (a node, a
    row), the other threads get their turn between two. A small answer is one call.

    ``count``: how many numbers ``data`` holds, when the caller knows it (the core's
    ``GraphResult.numbers``); else they are counted (``numbers``), which walks every
    value: about 1 ms for a 1,000-node graph's answer, which orjson writes in 0.3 ms.
    """
    return b"".join(json_chunks(data, count))


def json_chunks(data: Any, count: int | None = None) -> list[bytes]:
    """``dumps(data, count)`` as chunks of at least ``CHUNK_BYTES`` (but the last): one
    chunk for an answer of at most ``PIECE_NUMBERS`` numbers, written in one call."""
    if (numbers(data) if count is None else count) <= PIECE_NUMBERS:
        return [orjson.dumps(data)]
    parts: list[bytes] = []
    _write(data, parts)
    chunks: list[bytes] = []
    pending: list[bytes] = []
    size = 0
    for part in parts:
        pending.append(part)
        size += len(part)
        if size >= CHUNK_BYTES:
            chunks.append(b"".join(pending))
            pending.clear()
            size = 0
    if pending or not chunks:
        chunks.append(b"".join(pending))
    return chunks


def numbers(data: Any, enough: int = PIECE_NUMBERS) -> int:
    """About how many values ``data`` holds, counted until more than ``enough``: every
    value of a dict and every item of a list of dicts; for any other list, its length
    times its first item's count (an array's rows are alike)."""
    count = 0
    todo = [data]
    while todo and count <= enough:
        item = todo.pop()
        kind = type(item)
        if kind is dict:
            todo.extend(item.values())
        elif kind is list and item:
            first = item[0]
            if type(first) is dict:
                todo.extend(item)
            elif type(first) is list:
                count += len(item) * numbers(first, enough)
            else:
                count += len(item)
        else:
            count += 1
    return count


def _write(data: Any, parts: list[bytes]) -> None:
    if numbers(data) <= PIECE_NUMBERS:
        parts.append(orjson.dumps(data))
    elif isinstance(data, dict) and all(isinstance(key, str) for key in data):
        parts.append(b"{")
        for i, (key, value) in enumerate(data.items()):
            parts.append(orjson.dumps(key) + b":" if i == 0 else b"," + orjson.dumps(key) + b":")
            _write(value, parts)
        parts.append(b"}")
    elif isinstance(data, list):
        parts.append(b"[")
        for i, item in enumerate(data):
            if i:
                parts.append(b",")
            _write(item, parts)
        parts.append(b"]")
    else:  # keys orjson would refuse: let it say so
        parts.append(orjson.dumps(data))
