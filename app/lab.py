"""The training lab page, in English and Korean.

    GET /lab                      the book's chapter 1 run, drawn on the server
    GET /lab?dataset=moons&...    the same form's settings (how the form works without script)

The figures are inline SVG from ``app.drawing.training``, so the page reads without
JavaScript; ``static/js/lab.js`` posts the form to POST /api/train and redraws them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.api.train import DatasetName, OptimizerName, TrainRequest
from app.drawing.training import boundary_svg, curve_svg
from app.i18n import lab_words
from app.pages import AcceptLanguage, LangCookie, ThemeCookie, page_frame, render_page
from core.lab import MAX_ITERATIONS, POINTS, TrainSettings, run_to_dict, train

router = APIRouter(tags=["pages"], include_in_schema=False)

FIELDS = tuple(TrainRequest.model_fields)


@lru_cache(maxsize=32)
def figures(settings: TrainSettings, lang: str) -> dict[str, Any]:
    """Train once and draw; the strings are immutable, so a cached copy is safe to share."""
    result = run_to_dict(train(settings))
    words = lab_words(lang)
    return {
        "loss_svg": curve_svg(result["loss"], "loss", words=words),
        "accuracy_svg": curve_svg(result["accuracy"], "accuracy", words=words),
        "boundary_svg": boundary_svg(
            result["boundary"], result["points"]["x"], result["points"]["labels"], words=words
        ),
        "final_loss": result["final_loss"],
        "final_accuracy": result["final_accuracy"],
        "epochs": len(result["loss"]),
    }


def format_loss(value: float) -> str:
    return f"{value:.4f}"


def format_accuracy(value: float) -> str:
    return f"{100 * value:.1f}%"


@router.get("/lab", response_class=HTMLResponse)
def lab(
    request: Request,
    lang_cookie: LangCookie = None,
    theme: ThemeCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    frame = page_frame(request, lang_cookie, theme, accept_language)
    lang, t = frame["lang"], frame["t"]
    given = {k: v for k, v in request.query_params.items() if k in FIELDS and v != ""}
    problem: str | None = None
    form: dict[str, Any] = TrainRequest().model_dump()
    try:
        # Query strings are text: "30" is read as 30 here (lax), unlike the JSON API.
        settings = TrainRequest.model_validate(given, strict=False).settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        problem = f"{where}: {message}" if where else message
        settings = None
        form.update(given)
    if settings is not None:
        form = dict(vars(settings))
    drawn = figures(settings, lang) if settings is not None else None
    data = {
        "urls": {"train": "/api/train"},
        "words": lab_words(lang),
        "texts": {
            "training": t["lab_training"],
            "trained": t["lab_trained"],
            "error_network": t["error_network"],
        },
    }
    return render_page(
        request,
        "lab.html",
        {
            **frame,
            "form": form,
            "drawn": drawn,
            "problem": problem,
            "data": data,
            "datasets": get_args(DatasetName),
            "optimizers": get_args(OptimizerName),
            "limit": MAX_ITERATIONS,
            "points": POINTS,
            "format_loss": format_loss,
            "format_accuracy": format_accuracy,
        },
        status=422 if problem else 200,
    )
