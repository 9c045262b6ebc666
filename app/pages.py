"""The HTML pages: the gallery and the explorer, in English and Korean.

    GET  /                       gallery of the examples, an expression box, links
    GET  /explore/{example}      the explorer on a named example
    GET  /explore?z=...          the explorer on a graph carried by the URL (deflate + base64url)
    GET  /explore?g=...          the same, plain base64url JSON
    GET  /explore?expr=&values=  the explorer on a typed expression
    POST /explore/svg            the picture of a graph (for the page's JavaScript)
    GET  /lang/{code}?next=      remembers the language in a cookie
    GET  /theme/{name}?next=     remembers the theme in a cookie

The picture is drawn here, on the server, so it reads without JavaScript. Every HTML
response carries a Content-Security-Policy without inline script.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Cookie, Header, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.routing import NoMatchFound

from app.api.deps import current_limits
from app.drawing import layout_graph, render_layout, shapes_for
from app.i18n import LANGUAGES, op_titles, pick_language, svg_words, texts
from core import GraphError, run_graph
from core.examples import EXAMPLES
from core.expression import expression_to_spec
from core.ops import OPS, catalog
from core.optimizers import OPTIMIZERS

ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"
MAX_URL_GRAPH_BYTES = 2_000_000  # a decompressed graph from a URL, at most

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
ONE_YEAR = 365 * 24 * 3600

router = APIRouter(tags=["pages"], include_in_schema=False)
templates = Jinja2Templates(directory=TEMPLATES_DIR)


@pass_context
def _url_for(context: Mapping[str, Any], name: str, /, **params: Any) -> str:
    """Site-relative paths ("/static/css/site.css"), right behind any host or proxy."""
    return str(context["request"].url_for(name, **params).path)


templates.env.globals["url_for"] = _url_for

LangCookie = Annotated[str | None, Cookie(alias="lang")]
ThemeCookie = Annotated[str | None, Cookie(alias="theme")]
AcceptLanguage = Annotated[str | None, Header()]


def render_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def page_frame(
    request: Request, lang_cookie: str | None, theme: str | None, accept: str | None
) -> dict[str, Any]:
    lang = pick_language(lang_cookie, accept)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "lang": lang,
        "other_lang": "ko" if lang == "en" else "en",
        "t": texts(lang),
        "theme": theme if theme in ("light", "dark") else "",
        "here": here,
    }


# --- the picture -------------------------------------------------------------------


PAGE_SCALE = 1.25  # the explorer's picture, a little larger than the book's


def picture(
    spec: Mapping[str, Any],
    result: Any,
    lang: str,
    prefix: str = "bpx",
    labels: bool = True,
    scale: float = PAGE_SCALE,
) -> str:
    layout = layout_graph(spec, shapes_for(spec, result))
    return render_layout(
        layout,
        result,
        words=svg_words(lang),
        prefix=prefix,
        labels=labels,
        op_titles=op_titles(lang),
        scale=scale,
    )


@lru_cache(maxsize=64)
def _thumbnail(name: str, lang: str) -> str:
    example = EXAMPLES[name]
    return picture(example.spec, run_graph(example.spec), lang, prefix=f"thumb-{name}", scale=1.0)


@router.post("/explore/svg")
def explore_svg(
    spec: Annotated[dict[str, Any], Body()],
    lang_cookie: LangCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """The picture of ``spec`` with every number still to come ("?"): the page's script
    fills them from the API's result."""
    lang = pick_language(lang_cookie, accept_language)
    nodes = spec.get("nodes")
    max_nodes = current_limits().max_nodes
    if isinstance(nodes, list) and len(nodes) > max_nodes:
        return Response(
            json.dumps(
                {
                    "detail": f"the graph has {len(nodes)} nodes; the limit is {max_nodes}",
                    "code": "over_limit",
                    "node": None,
                }
            ),
            status_code=422,
            media_type="application/json",
        )
    svg = picture(spec, None, lang)
    return Response(svg, media_type="image/svg+xml", headers=SECURITY_HEADERS)


# --- graphs in URLs -----------------------------------------------------------------


def decode_graph(z: str | None, g: str | None) -> dict[str, Any]:
    """The spec a share link carries: ``z`` is raw-deflated JSON, ``g`` plain JSON, both
    base64url without padding. Raises ValueError with a readable message."""
    token = z if z is not None else g
    assert token is not None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None
    if z is not None:
        inflater = zlib.decompressobj(-15)
        try:
            raw = inflater.decompress(raw, MAX_URL_GRAPH_BYTES)
        except zlib.error:
            raise ValueError("not deflate data") from None
        if inflater.unconsumed_tail:
            raise ValueError(f"the graph is over {MAX_URL_GRAPH_BYTES} bytes")
    try:
        spec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(spec, dict):
        raise ValueError("the JSON is not a graph object")
    return spec


def encode_graph(spec: Mapping[str, Any]) -> str:
    """The ``z`` parameter for ``spec`` (what the page's script makes, too)."""
    data = json.dumps(spec, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(data) + deflater.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


_VALUE_ITEM = re.compile(r"\s*([\w.\-]+)\s*=\s*(\[[^=]*\]|[^,\s]+)\s*(?:,|;|$)")


def parse_values(text: str) -> dict[str, Any]:
    """``apple=100, x=[[1, 2]]`` -> {"apple": 100, "x": [[1, 2]]}; ValueError on anything else."""
    values: dict[str, Any] = {}
    position = 0
    text = text.strip()
    while position < len(text):
        match = _VALUE_ITEM.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(text[position : position + 20])
        name, raw = match.group(1), match.group(2)
        try:
            values[name] = json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError(raw) from None
        position = match.end()
    return values


# --- pages ------------------------------------------------------------------------------

EXPR_DEFAULT = "(apple*apple_num + orange*orange_num)*tax"
VALUES_DEFAULT = "apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1"


def _route_path(request: Request, name: str) -> str | None:
    """The path of the route called ``name``, or None when the app has no such route.

    Asked by name: routers included into the app are not listed with their paths in
    ``app.routes`` (FastAPI wraps them), so a scan of paths would never find them.
    """
    try:
        return str(request.url_for(name).path)
    except NoMatchFound:
        return None


@router.get("/", response_class=HTMLResponse)
def gallery(
    request: Request,
    lang_cookie: LangCookie = None,
    theme: ThemeCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    frame = page_frame(request, lang_cookie, theme, accept_language)
    lang = frame["lang"]
    cards = [
        {
            "name": name,
            "title": ex.title.get(lang, ex.title["en"]),
            "description": ex.description.get(lang, ex.description["en"]),
            "svg": _thumbnail(name, lang),
        }
        for name, ex in EXAMPLES.items()
    ]
    has_docs = _route_path(request, "docs") is not None
    lab_path = _route_path(request, "lab")
    return render_page(
        request,
        "gallery.html",
        {
            **frame,
            "cards": cards,
            "expr": EXPR_DEFAULT,
            "values": VALUES_DEFAULT,
            "has_docs": has_docs,
            "lab_path": lab_path,
        },
    )


def _explorer(
    request: Request,
    frame: dict[str, Any],
    spec: dict[str, Any] | None,
    *,
    example: str | None = None,
    title: str | None = None,
    description: str | None = None,
    problem: str | None = None,
    expr: str = EXPR_DEFAULT,
    values: str = VALUES_DEFAULT,
    status: int = 200,
    build_open: bool = False,
) -> Response:
    lang = frame["lang"]
    t = frame["t"]
    result: Any = None
    error: dict[str, Any] | None = None
    if spec is not None:
        try:
            result = run_graph(spec, current_limits())
        except GraphError as exc:
            error = {"detail": exc.message, "code": exc.code, "node": exc.node}
    svg = picture(spec, result, lang) if spec is not None else ""
    data = {
        "spec": spec,
        "result": result.to_dict() if result is not None else None,
        "error": error,
        "example": example,
        "lang": lang,
        "texts": t,
        "ops": catalog(lang),
        "optimizers": list(OPTIMIZERS),
        "urls": {
            "run": "/api/run",
            "gradcheck": "/api/gradcheck",
            "step": "/api/step",
            "expression": "/api/expression",
            "svg": str(request.url_for("explore_svg").path),
            "explore": str(request.url_for("explore").path),
            "css": str(request.url_for("static", path="css/graph.css").path),
        },
    }
    return render_page(
        request,
        "explore.html",
        {
            **frame,
            "svg": svg,
            "data": data,
            "spec": spec,
            "error": error,
            "problem": problem,
            "title": title or t["explore_custom"],
            "description": description or t["explore_custom_desc"],
            "example": example,
            "expr": expr,
            "values": values,
            "optimizers": list(OPTIMIZERS),
            "ops": list(OPS),
            "build_open": build_open,
        },
        status=status,
    )


@router.get("/explore", response_class=HTMLResponse)
def explore(
    request: Request,
    z: Annotated[str | None, Query(max_length=4_000_000)] = None,
    g: Annotated[str | None, Query(max_length=4_000_000)] = None,
    expr: Annotated[str | None, Query(max_length=2_000)] = None,
    values: Annotated[str | None, Query(max_length=100_000)] = None,
    lang_cookie: LangCookie = None,
    theme: ThemeCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    frame = page_frame(request, lang_cookie, theme, accept_language)
    t = frame["t"]
    if z is not None or g is not None:
        try:
            spec = decode_graph(z, g)
        except ValueError as exc:
            problem = t["error_link"].format(message=str(exc))
            return _explorer(request, frame, None, problem=problem, status=400)
        return _explorer(request, frame, spec)
    if expr is not None:
        values_text = values or ""
        try:
            parsed = parse_values(values_text)
        except ValueError as exc:
            problem = t["expr_bad_values"].format(text=str(exc))
            return _explorer(request, frame, None, problem=problem, expr=expr, values=values_text)
        try:
            spec = expression_to_spec(expr, parsed)
        except GraphError as exc:
            return _explorer(
                request, frame, None, problem=exc.message, expr=expr, values=values_text
            )
        return _explorer(request, frame, spec, expr=expr, values=values_text)
    # Nothing given: a small graph to build on.
    starter = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2},
            {"id": "y", "op": "input", "value": 3},
            {"id": "z", "op": "mul", "inputs": ["x", "y"]},
        ],
        "output": "z",
    }
    return _explorer(request, frame, starter, build_open=True)


@router.get("/explore/{name}", response_class=HTMLResponse)
def explore_example(
    request: Request,
    name: str,
    lang_cookie: LangCookie = None,
    theme: ThemeCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    frame = page_frame(request, lang_cookie, theme, accept_language)
    lang, t = frame["lang"], frame["t"]
    example = EXAMPLES.get(name)
    if example is None:
        problem = t["not_found"].format(name=name, known=", ".join(EXAMPLES))
        return _explorer(request, frame, None, problem=problem, status=404)
    return _explorer(
        request,
        frame,
        example.fresh_spec(),
        example=name,
        title=example.title.get(lang, example.title["en"]),
        description=example.description.get(lang, example.description["en"]),
    )


# --- remembered choices ---------------------------------------------------------------


def _local(next_url: str | None) -> str:
    """Only paths on this site: never ``//elsewhere`` or ``https://elsewhere``."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//"):
        return "/"
    if "\\" in next_url or any(ord(c) < 32 for c in next_url):
        return "/"
    return next_url


@router.get("/lang/{code}")
def set_language(code: str, next: Annotated[str | None, Query()] = None) -> Response:
    response = RedirectResponse(_local(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=ONE_YEAR, samesite="lax")
    return response


@router.get("/theme/{name}")
def set_theme(name: str, next: Annotated[str | None, Query()] = None) -> Response:
    response = RedirectResponse(_local(next), status_code=303)
    if name in ("light", "dark"):
        response.set_cookie("theme", name, max_age=ONE_YEAR, samesite="lax")
    return response
