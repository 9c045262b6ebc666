"""The one place where errors become HTTP responses.

    core GraphError (and subclasses)   -> 422, code from the error (cycle, shape_mismatch...)
    malformed JSON                     -> 400, code "malformed_json"
    a body that does not fit a schema  -> 422, code "invalid_request", with "errors"
    a body over BPX_MAX_BODY_BYTES     -> 413, code "body_too_large" (BodySizeLimit)
    HTTPException (404, 405, ...)      -> its status; a 404 may list the "known" names
    anything else                      -> 500, code "internal_error": a bug

Every body has the :class:`app.schemas.ErrorBody` shape, so a client reads one field,
``detail``, and can point at ``node`` when there is one. The API speaks English, and
passes pydantic's own messages on.

The pages' endpoints (routers made with ``route_class=page_route(...)``) answer the same
bodies in the page's language (the ``lang`` cookie, else Accept-Language): a core error
by its message key (:mod:`core.messages`), a field by the form's label ("배치 크기: 1
이상이어야 합니다", :data:`app.i18n.FIELD_ERRORS`). They build theirs here too:
:func:`graph_error_body` for a graph that cannot run, :func:`error_response_with` when
the picture of that graph goes with it, :func:`field_error_body` for a form field.

A browser asking for a page that does not exist (``Accept: text/html``, any path but the
API's) gets the 404 as a page in the site's frame, with links to where it can go
(:func:`not_found_page`); programs keep the JSON body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import encodable_json
from app.i18n import FIELD_ERRORS, texts
from app.pages import render_page, request_frame, request_language
from app.schemas import ErrorBody, FieldError
from app.settings import get_settings
from core.errors import CycleError, GraphError
from core.format import short
from core.spec import is_unicode

logger = logging.getLogger("app.errors")

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}

# FastAPI's words for a body its JSON parser gave up on (RecursionError, ...): said anew.
_FASTAPI_BODY_ERROR = "There was an error parsing the body"

# Documented on every endpoint that takes a body.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON"},
    413: {"model": ErrorBody, "description": "Request body over the size limit"},
    422: {"model": ErrorBody, "description": "Invalid request or graph: names the node"},
}

#: lang -> {field: its label on the page}: how a page endpoint names the fields.
FieldLabels = Callable[[str], Mapping[str, str]]


class ErrorJSON(JSONResponse):
    """An error's JSON, always sendable: an error may echo what the request held (a node
    id), and a request can hold what UTF-8 cannot carry (a lone surrogate, ``"\\ud800"``):
    then it goes as ASCII, the text as its JSON escape."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except (UnicodeEncodeError, ValueError, TypeError):
            return encodable_json(content)


def error_response(
    status: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> ErrorJSON:
    return ErrorJSON(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def error_response_with(status: int, body: ErrorBody, extra: Mapping[str, Any]) -> ErrorJSON:
    """An error body and what a page shows beside it (e.g. the graph drawn without numbers).

    The error's own fields win: ``extra`` cannot replace ``detail``, ``code`` or ``node``.
    """
    return ErrorJSON({**extra, **body.model_dump(exclude_none=True)}, status_code=status)


def graph_error_body(exc: GraphError, lang: str | None = None) -> ErrorBody:
    """A core error's body: its message (naming the node), its code and its node.

    ``lang``: as a page in that language says it; None: the API's English.
    """
    detail = exc.message if lang is None else exc.localized(lang)
    if isinstance(exc, CycleError) and exc.node and exc.node not in detail:
        detail = texts(lang or "en")["error_at_node"].format(detail=detail, node=exc.node)
    node = exc.node if exc.node is None or is_unicode(exc.node) else None  # never echo "\ud800"
    return ErrorBody(detail=detail, code=exc.code, node=node)


def graph_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphError)
    return error_response(exc.http_status, graph_error_body(exc))


def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_error_response(exc)


def validation_error_response(
    exc: RequestValidationError,
    lang: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> JSONResponse:
    """400 for malformed JSON, else the 422 of :func:`invalid_request_body`."""
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            t = texts(lang or "en")
            reason = (err.get("ctx") or {}).get("error", "not valid JSON")
            position = err["loc"][-1] if len(err["loc"]) > 1 else None
            where = (
                t["error_json_at"].format(position=position) if isinstance(position, int) else ""
            )
            detail = t["error_malformed_json"].format(where=where, reason=reason)
            return error_response(400, ErrorBody(detail=detail, code="malformed_json"))
    return error_response(
        422, invalid_request_body(errors, getattr(exc, "body", None), lang, labels)
    )


def invalid_request_body(
    errors: Sequence[Any],
    body: Any = None,
    lang: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> ErrorBody:
    """The 422 body for input that does not fit its schema: ``detail`` names the first
    field (and the node, when the field is inside one) and counts the rest; ``errors``
    lists them all, at most 20. ``errors`` is pydantic's list, ``body`` the input.

    ``lang``: as a page in that language says it, each field by its label in ``labels``
    (field -> label) and each message from :data:`app.i18n.FIELD_ERRORS`; None: the
    API's English, pydantic's own messages.
    """
    fields = [_field_error(err, body, lang) for err in errors]
    nodes = (_node_at(body, err.get("loc", ())) for err in errors)
    node = next((n for n in nodes if n is not None), None)
    first = fields[0] if fields else None
    t = texts(lang or "en")
    detail = t["error_schema"]
    if first is not None:
        if lang is None:
            where = _describe(first["loc"], node)
        else:
            where = _label(first["loc"], node, t, labels or {})
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        if len(fields) == 2:
            detail += t["error_more_problem"]
        elif len(fields) > 2:
            detail += t["error_more_problems"].format(count=len(fields) - 1)
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


def validation_error_body(
    exc: ValidationError,
    given: Any = None,
    lang: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> ErrorBody:
    """The same body as the API's 422 for a pydantic ValidationError that a route raised
    itself, e.g. validating a page's query string ``given`` against an API schema (in
    ``lang`` with ``labels``, as :func:`invalid_request_body`)."""
    return invalid_request_body(exc.errors(), given, lang, labels)


def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status == 404 and wants_html(request):
        return not_found_page(request, exc)
    detail = str(exc.detail)
    if status == 413:
        detail = _too_large_message()
    elif status == 400 and detail == _FASTAPI_BODY_ERROR:  # e.g. JSON nested 5,000 deep
        detail = texts(request_language(request) if _is_page(request) else "en")[
            "error_body_unreadable"
        ]
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
    """A 404 that lists what does exist.

    A page's 404 (``route`` given) shows each known name as a link to ``route`` with that
    ``name``, titled by ``titles`` (name -> its title in each language).
    """

    def __init__(
        self,
        detail: str,
        known: Sequence[str],
        *,
        missing: str | None = None,
        route: str | None = None,
        titles: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(status_code=404, detail=detail)
        self.known = list(known)
        self.missing = missing
        self.route = route
        self.titles = titles or {}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GraphError, graph_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)


def page_route(labels: FieldLabels) -> type[APIRoute]:
    """The route class of a page's endpoints: a core error or a body that does not fit
    answers in the page's language, its fields named by ``labels(lang)``."""

    class PageRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def answer(request: Request) -> Response:
                try:
                    return await handler(request)
                except RequestValidationError as exc:
                    lang = request_language(request)
                    return validation_error_response(exc, lang, labels(lang))
                except GraphError as exc:
                    body = graph_error_body(exc, request_language(request))
                    return error_response(exc.http_status, body)

            return answer

    return PageRoute


# --- the 404 page -------------------------------------------------------------------


def _is_page(request: Request) -> bool:
    """A request to one of the pages' endpoints (not the API's): it speaks their language."""
    return not request.scope.get("path", "").startswith("/api/")


def wants_html(request: Request) -> bool:
    """A browser asking for a page: Accept puts HTML first (at least as high as JSON),
    and the path is not the API's (every /api/ path answers JSON)."""
    path = request.scope.get("path", "")
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    if path == "/api" or path.startswith("/api/"):
        return False
    html = json = 0.0
    for part in (request.headers.get("accept") or "").split(","):
        media, _, params = part.partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in ("text/html", "application/xhtml+xml"):
            html = max(html, quality)
        elif media == "application/json" or media.endswith("+json"):
            json = max(json, quality)
    return html > 0 and html >= json


def not_found_page(request: Request, exc: HTTPException) -> Response:
    """The 404 as a page: what is missing, and links to where one can go."""
    frame = request_frame(request)
    t = frame.t
    route = getattr(exc, "route", None)
    links = []
    if route is not None:
        heading = t["nf_example_title"]
        lead = t["nf_example_lead"].format(name=getattr(exc, "missing", ""))
        titles: Mapping[str, Mapping[str, str]] = getattr(exc, "titles", {})
        for name in getattr(exc, "known", []):
            title = titles.get(name, {})
            links.append(
                {
                    "name": name,
                    "title": title.get(frame.lang) or title.get("en") or name,
                    "href": str(request.url_for(route, name=name).path),
                }
            )
    else:
        heading = t["nf_title"]
        lead = t["nf_lead"].format(path=request.url.path)
    context = {**frame.context(), "heading": heading, "lead": lead, "links": links}
    return render_page(request, "not_found.html", context, status=404)


# --- naming the node a validation error is about ---------------------------------------


def _field_error(err: Any, body: Any, lang: str | None) -> dict[str, Any]:
    loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
    if loc and loc[0] == "body":
        loc = loc[1:]
    # pydantic names the union branch it tried ("function-plain[...]"): not useful to a reader
    loc = [p for p in loc if not (isinstance(p, str) and "[" in p)]
    if lang is None:
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    else:
        msg = _page_message(err, lang)
    return {"loc": loc, "msg": msg, "type": str(err.get("type", ""))}


def _page_message(err: Mapping[str, Any], lang: str) -> str:
    """pydantic's error as a page in ``lang`` says it; a core error by its own message."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, GraphError):
        return cause.localized(lang)
    templates = FIELD_ERRORS.get(kind) or FIELD_ERRORS["invalid"]
    params = {key: _ctx_text(value) for key, value in ctx.items()}
    try:
        return (templates.get(lang) or templates["en"]).format(**params)
    except (KeyError, IndexError):  # a ctx without the template's placeholder
        return FIELD_ERRORS["invalid"][lang]


def _ctx_text(value: Any) -> str:
    """A bound or a choice of pydantic's ctx as the page writes it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value).replace(" or ", ", ")  # literal_error's "'a', 'b' or 'c'"
    return str(value) if isinstance(value, int) else short(value)


def _label(
    loc: Sequence[str | int], node: str | None, t: Mapping[str, str], labels: Mapping[str, str]
) -> str:
    """Where a field is, as the page shows it: the node's id and the part of it, or the
    form's label; else the field's path."""
    if node is not None:
        where = t["error_node"].format(node=node)
        after = (
            [p for p in loc[loc.index("nodes") + 2 :] if isinstance(p, str)]
            if "nodes" in loc
            else []
        )
        if after:
            where += f" ({labels.get(after[0], after[0])})"
        return where
    for part in reversed(loc):
        if isinstance(part, str) and part in labels:
            return labels[part]
    return _describe(loc, None)


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
            if isinstance(node_id, str) and is_unicode(node_id):  # never echo a lone surrogate
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
