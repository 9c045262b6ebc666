"""The one place where errors become HTTP responses.

    core GraphError (and subclasses)   -> 422, code from the error (cycle, shape_mismatch...)
    malformed JSON                     -> 400, code "malformed_json"
    a body that does not fit a schema  -> 422, code "invalid_request", with "errors"
    a body over BPX_MAX_BODY_BYTES     -> 413, code "body_too_large" (BodySizeLimit)
    HTTPException (404, 405, ...)      -> its status; a 404 may list the "known" names
    anything else                      -> 500, code "internal_error": a bug

Every body has the :class:`app.schemas.ErrorBody` shape, so a client reads one field,
``detail``, and can point at ``node`` when there is one. The pages build theirs here too:
:func:`graph_error_body` for a graph that cannot run, :func:`error_response_with` when
the picture of that graph goes with it, :func:`field_error_body` for a form field.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.schemas import ErrorBody, FieldError
from app.settings import get_settings
from core.errors import CycleError, GraphError

logger = logging.getLogger("app.errors")

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}

# Documented on every endpoint that takes a body.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON"},
    413: {"model": ErrorBody, "description": "Request body over the size limit"},
    422: {"model": ErrorBody, "description": "Invalid request or graph: names the node"},
}


def error_response(
    status: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def error_response_with(status: int, body: ErrorBody, extra: Mapping[str, Any]) -> JSONResponse:
    """An error body and what a page shows beside it (e.g. the graph drawn without numbers).

    The error's own fields win: ``extra`` cannot replace ``detail``, ``code`` or ``node``.
    """
    return JSONResponse({**extra, **body.model_dump(exclude_none=True)}, status_code=status)


def graph_error_body(exc: GraphError) -> ErrorBody:
    """A core error's body: its message (naming the node), its code and its node."""
    detail = exc.message
    if isinstance(exc, CycleError) and exc.node and exc.node not in detail:
        detail = f"{detail} (at node {exc.node!r})"
    return ErrorBody(detail=detail, code=exc.code, node=exc.node)


def graph_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphError)
    return error_response(422, graph_error_body(exc))


def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "not valid JSON")
            position = err["loc"][-1] if len(err["loc"]) > 1 else None
            where = f" at character {position}" if isinstance(position, int) else ""
            return error_response(
                400, ErrorBody(detail=f"malformed JSON{where}: {reason}", code="malformed_json")
            )
    return error_response(422, invalid_request_body(errors, getattr(exc, "body", None)))


def invalid_request_body(errors: Sequence[Any], body: Any = None) -> ErrorBody:
    """The 422 body for input that does not fit its schema: ``detail`` names the first
    field (and the node, when the field is inside one) and counts the rest; ``errors``
    lists them all, at most 20. ``errors`` is pydantic's list, ``body`` the input."""
    fields = [_field_error(err, body) for err in errors]
    nodes = (_node_at(body, err.get("loc", ())) for err in errors)
    node = next((n for n in nodes if n is not None), None)
    first = fields[0] if fields else None
    detail = "the request body does not fit the schema"
    if first is not None:
        where = _describe(first["loc"], node)
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        if len(fields) > 1:
            detail += f" (and {len(fields) - 1} more problem{'s' if len(fields) > 2 else ''})"
    return ErrorBody.model_validate(
        {"detail": detail, "code": "invalid_request", "node": node, "errors": fields[:20]}
    )


def field_error_body(field: str, detail: str) -> ErrorBody:
    """A page's 422 for one form field it reads itself (the explorer's learning rate):
    ``detail`` in the page's language, ``errors`` pointing at the field."""
    return ErrorBody(
        detail=detail,
        code="invalid_request",
        errors=[FieldError(loc=["body", field], msg=detail, type="value_error")],
    )


def validation_error_body(exc: ValidationError, given: Any = None) -> ErrorBody:
    """The same body as the API's 422 for a pydantic ValidationError that a route raised
    itself, e.g. validating a page's query string ``given`` against an API schema."""
    return invalid_request_body(exc.errors(), given)


def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    detail = str(exc.detail)
    if status == 413:
        detail = _too_large_message()
    known = getattr(exc, "known", None)
    return error_response(
        status,
        ErrorBody(detail=detail, code=_HTTP_CODES.get(status, f"http_{status}"), known=known),
        headers=dict(exc.headers) if exc.headers else None,
    )


def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, ErrorBody(detail="an internal error occurred; it is logged", code="internal_error")
    )


class NotFoundError(HTTPException):
    """A 404 that lists what does exist."""

    def __init__(self, detail: str, known: Sequence[str]) -> None:
        super().__init__(status_code=404, detail=detail)
        self.known = list(known)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GraphError, graph_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)


# --- naming the node a validation error is about ---------------------------------------


def _field_error(err: Any, body: Any) -> dict[str, Any]:
    loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
    if loc and loc[0] == "body":
        loc = loc[1:]
    # pydantic names the union branch it tried ("function-plain[...]"): not useful to a reader
    loc = [p for p in loc if not (isinstance(p, str) and "[" in p)]
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return {"loc": loc, "msg": msg, "type": str(err.get("type", ""))}


def _node_at(body: Any, loc: Sequence[Any]) -> str | None:
    """Follow ``loc`` into the body; the last node passed on the way names the error."""
    found: str | None = None
    current = body
    path = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    for i, key in enumerate(path):
        if isinstance(current, dict) and isinstance(key, str):
            current = current.get(key)
        elif isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current):
            current = current[key]
        else:
            break
        if i > 0 and path[i - 1] == "nodes" and isinstance(current, dict):
            node_id = current.get("id")
            if isinstance(node_id, str):
                found = node_id
    return found


def _describe(loc: Sequence[str | int], node: str | None) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    if node is not None:
        text += f" (node {node!r})"
    return text


# --- the body size limit -------------------------------------------------------------------


def _too_large_message() -> str:
    limit = get_settings().max_body_bytes
    return f"the request body is larger than the limit of {limit} bytes (BPX_MAX_BODY_BYTES)"


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail=_too_large_message())


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413.

    A Content-Length over the limit is refused before reading; a body without one (or one
    that lies) is counted as it arrives, and reading stops at the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            # read outside a route (the routes' handler already answered otherwise)
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = ErrorBody(detail=_too_large_message(), code=_HTTP_CODES[413])
        await error_response(413, body, headers={"connection": "close"})(scope, receive, send)
