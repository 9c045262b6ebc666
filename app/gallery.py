"""The gallery: every example with its picture and explanation, and an expression box.

GET  /                       the gallery, in English or Korean
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.pages import Frame, picture, render_page, route_path
from core import run_graph
from core.examples import EXAMPLES

EXPR_DEFAULT = "(apple*apple_num + orange*orange_num)*tax"
VALUES_DEFAULT = "apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1"

router = APIRouter(tags=["pages"], include_in_schema=False)


@lru_cache(maxsize=64)
def _thumbnail(name: str, lang: str) -> str:
    example = EXAMPLES[name]
    return picture(
        example.spec,
        run_graph(example.spec),
        lang,
        prefix=f"thumb-{name}",
        scale=1.0,
        interactive=False,  # inside the card's link: an image, nothing to focus in it
    )


@router.get("/", response_class=HTMLResponse)
def gallery(request: Request, frame: Frame) -> Response:
    lang = frame.lang
    cards = [
        {
            "name": name,
            "title": ex.title.get(lang, ex.title["en"]),
            "description": ex.description.get(lang, ex.description["en"]),
            "svg": _thumbnail(name, lang),
        }
        for name, ex in EXAMPLES.items()
    ]
    return render_page(
        request,
        "gallery.html",
        {
            **frame.context(),
            "cards": cards,
            "expr": EXPR_DEFAULT,
            "values": VALUES_DEFAULT,
            "has_docs": route_path(request, "docs") is not None,
            "lab_path": route_path(request, "lab"),
        },
    )
