"""What the endpoints share: the limits as a dependency and the JSON rendering."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import Response

from app.settings import get_settings
from core import Limits


def get_limits() -> Limits:
    return get_settings().limits()


LimitsDep = Annotated[Limits, Depends(get_limits)]


class JSONBytes(Response):
    media_type = "application/json"


def json_response(data: Any) -> Response:
    """The core's dicts are plain lists and floats already: dump them once, no re-validation.

    The response models in the route decorators document the shape; they are not run.
    """
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return JSONBytes(body.encode("utf-8"))
