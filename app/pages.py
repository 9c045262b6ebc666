"""The frame every HTML page shares: language, theme, templates, security headers.

    Frame                        a route's page frame, as a FastAPI dependency:
                                 ``def gallery(request: Request, frame: Frame)``
    render_page(request, ...)    a template (its security headers: app.middleware)
    request_frame(request)       the frame of any request, outside a route (error pages)
    request_language(request)    the page's language: the ``lang`` cookie, else
                                 Accept-Language
    picture(spec, result, lang)  a graph's SVG in the page's language
    GET  /lang/{code}?next=      remembers the language in a cookie
    GET  /theme/{name}?next=     remembers the theme in a cookie

The pages themselves: :mod:`app.gallery`, :mod:`app.explorer`, :mod:`app.lab`. Every
HTML response carries a Content-Security-Policy without inline script
(:class:`app.middleware.SecurityHeaders` sets :data:`SECURITY_HEADERS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Depends, Header, Query, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.routing import NoMatchFound

from app.drawing import layout_graph, render_layout, shapes_for
from app.i18n import LANGUAGES, op_titles, pick_language, svg_words, texts

ROOT = Path(__file__).resolve().parents[1]
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"

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


@dataclass(frozen=True)
class PageFrame:
    """What the base template needs: the language and its texts, the theme, this address."""

    lang: str
    t: dict[str, str]
    theme: str  # "light", "dark", or "" to follow the system
    here: str  # this page's path and query, to come back to after a switch

    @property
    def other_lang(self) -> str:
        return "ko" if self.lang == "en" else "en"

    def context(self) -> dict[str, Any]:
        """The template variables of the frame."""
        return {
            "lang": self.lang,
            "other_lang": self.other_lang,
            "t": self.t,
            "theme": self.theme,
            "here": self.here,
        }


def frame_of(
    request: Request,
    lang_cookie: LangCookie = None,
    theme: ThemeCookie = None,
    accept_language: AcceptLanguage = None,
) -> PageFrame:
    lang = pick_language(lang_cookie, accept_language)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return PageFrame(
        lang=lang,
        t=texts(lang),
        theme=theme if theme in ("light", "dark") else "",
        here=here,
    )


Frame = Annotated[PageFrame, Depends(frame_of)]


def request_frame(request: Request) -> PageFrame:
    """The frame of a request that no route's dependencies read (an error page's)."""
    cookies, headers = request.cookies, request.headers
    return frame_of(
        request, cookies.get("lang"), cookies.get("theme"), headers.get("accept-language")
    )


def request_language(request: Request) -> str:
    """The language a page speaks to this request: as :data:`Frame` picks it."""
    return pick_language(request.cookies.get("lang"), request.headers.get("accept-language"))


def page_frame(
    request: Request, lang_cookie: str | None, theme: str | None, accept: str | None
) -> dict[str, Any]:
    """The frame's template variables (for routes that take the cookies themselves)."""
    return frame_of(request, lang_cookie, theme, accept).context()


def render_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    # the security headers are set on every HTML response by app.middleware.SecurityHeaders
    return templates.TemplateResponse(request, template, context, status_code=status)


def route_path(request: Request, name: str, **params: Any) -> str | None:
    """The path of the route called ``name``, or None when the app has no such route.

    Asked by name: routers included into the app are not listed with their paths in
    ``app.routes`` (FastAPI wraps them), so a scan of paths would never find them.
    """
    try:
        return str(request.url_for(name, **params).path)
    except NoMatchFound:
        return None


# --- the picture ---------------------------------------------------------------------


PAGE_SCALE = 1.25  # the explorer's picture, a little larger than the book's


def picture(
    spec: Mapping[str, Any],
    result: Any,
    lang: str,
    prefix: str = "bpx",
    labels: bool = True,
    scale: float = PAGE_SCALE,
    shapes: Mapping[str, Sequence[int]] | None = None,
    interactive: bool = True,
) -> str:
    """The SVG of ``spec`` (with ``result``'s numbers, if any); ``shapes`` when known;
    not ``interactive``: one image with nothing to focus (a thumbnail inside a link)."""
    layout = layout_graph(spec, shapes if shapes is not None else shapes_for(spec, result))
    return render_layout(
        layout,
        result,
        words=svg_words(lang),
        prefix=prefix,
        labels=labels,
        op_titles=op_titles(lang),
        scale=scale,
        interactive=interactive,
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
