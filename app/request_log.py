"""One access-log line per request, and an ``X-Request-ID`` on every response.

    INFO:     method=GET path=/api/run status=200 duration_ms=3.21 request_id=5f0c...

(logger ``app.access``, on standard output as uvicorn's was; the fields also ride on the
record as attributes, for a structured handler).

A pure ASGI middleware, not Starlette's ``BaseHTTPMiddleware``: it wraps ``send`` and
passes every message on as it comes, so streamed responses (server-sent events) stream.
The id is the client's ``X-Request-ID`` when it is sane (1 to 128 letters, digits and
``._:-``: nothing that could forge a log line), else a fresh one; the route can read it as
``request.state.request_id``. The line is written when the response is finished (or the
request failed), with the time from the request's arrival.

uvicorn's own access log would say the same again: the server runs with
``--no-access-log`` (``make run``, the Dockerfile, ``backprop-explorer serve``).
``BPX_ACCESS_LOG=false`` turns this one off too; the level is ``BPX_LOG_LEVEL``'s.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
VALID_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_UNPRINTABLE = re.compile(r"[^\x21-\x7e]")

logger = logging.getLogger("app.access")


def request_id_of(raw: str | None) -> str:
    """The client's id when it is sane, else a new random one (32 hex digits)."""
    if raw is not None and VALID_ID.fullmatch(raw):
        return raw
    return os.urandom(16).hex()  # as random as uuid4, a third of its cost


def _loggable_path(scope: Scope) -> str:
    """The path as the client sent it (no query: share links carry whole graphs), with
    anything unprintable escaped so that one request stays one line."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else str(scope.get("path", ""))
    path = path.split("?", 1)[0]
    return _UNPRINTABLE.sub(lambda m: f"%{ord(m.group()):02X}", path)[:2048]


class RequestLog:
    """Give every HTTP request an id (header and ``request.state``) and log one line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = request_id_of(incoming)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500  # unless a response starts: an exception before it is a 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if logger.isEnabledFor(logging.INFO):
                duration_ms = (time.perf_counter() - started) * 1e3
                method, path = scope.get("method", "?"), _loggable_path(scope)
                logger.info(
                    "method=%s path=%s status=%d duration_ms=%.2f request_id=%s",
                    method,
                    path,
                    status,
                    duration_ms,
                    request_id,
                    extra={
                        "method": method,
                        "path": path,
                        "status": status,
                        "duration_ms": duration_ms,
                        "request_id": request_id,
                    },
                )


ExceptionHandler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _with_request_id(handler: ExceptionHandler) -> ExceptionHandler:
    """The 500 handler, its response carrying the id: Starlette answers an unhandled error
    outside every middleware, so ``RequestLog`` never sees that response's headers."""

    async def answer(request: Request, exc: Exception) -> Response:
        response = handler(request, exc)
        if not isinstance(response, Response):
            response = await response
        request_id = getattr(request.state, "request_id", None)
        if request_id is not None:
            response.headers[HEADER] = request_id
        return response

    return answer


def install_request_log(app: FastAPI, enabled: bool, level: str) -> None:
    """Add :class:`RequestLog` as the outermost middleware (add it after the others), let
    the 500 handler carry the id, and give ``app.access`` a line on standard output."""
    app.add_middleware(RequestLog)
    for key in (500, Exception):
        handler: Any = app.exception_handlers.get(key)
        if handler is not None:
            app.exception_handlers[key] = _with_request_id(handler)
    logger.setLevel(level.upper() if enabled else logging.CRITICAL + 1)
    if not logger.handlers:  # once per process, however often the app is imported
        handler_out = logging.StreamHandler(sys.stdout)
        handler_out.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        logger.addHandler(handler_out)
