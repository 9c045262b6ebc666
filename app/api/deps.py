"""What the endpoints share: the limits from the settings, and the JSON rendering."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi.responses import Response

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


def json_response(data: Any) -> Response:
    """The core's dicts are plain lists and floats already: dump them once, no re-validation.

    The response models in the route decorators document the shape; they are not run.
    orjson takes about 3 us where json.dumps took 23 us for apple_orange's result. The
    core refuses inf and nan, so orjson's writing them as null never happens here.

    What orjson cannot write (an integer of 2**64 or more, as typed in a value the answer
    echoes) the standard library writes, in ASCII: every reply can be sent.
    """
    try:
        return JSONBytes(orjson.dumps(data))
    except orjson.JSONEncodeError:
        return JSONBytes(encodable_json(data))


def encodable_json(data: Any) -> bytes:
    """``data`` as JSON in ASCII: big integers as they are, text that is not valid Unicode
    (a lone surrogate a request carried) as its JSON escape."""
    return json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()
