"""The training lab page, in English and Korean.

    GET  /lab                      the book's chapter 1 run, drawn on the server
    GET  /lab?dataset=moons        moons with its own defaults (core.datasets.DATASET_DEFAULTS)
    GET  /lab?dataset=moons&...    the same form's settings (how the form works without script)
    POST /lab/figures              POST /api/train's body -> the three figures as SVG and the
                                   summary texts, in the page's language (for lab.js)

Both routes draw through ``figures``, with ``app.drawing.training``: the page reads
without JavaScript, and ``static/js/lab.js`` only swaps in what the server drew. Settings
that cannot train show the problem and no run at all: the numbers and figures of other
settings beside the error would read as its answer (lab.js clears them the same way).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from app.api.train import TrainRequest
from app.drawing.training import boundary_svg, curve_svg, format_accuracy, format_loss
from app.errors import page_route, validation_error_body
from app.i18n import LAB_FIELDS, field_labels, lab_words, pick_language, texts
from app.pages import (
    SECURITY_HEADERS,
    AcceptLanguage,
    LangCookie,
    ThemeCookie,
    page_frame,
    render_page,
)
from core.datasets import DATASET_DEFAULTS, DATASET_TITLES, DATASETS
from core.lab import MAX_ITERATIONS, POINTS, TrainSettings, run_to_dict, train
from core.optimizers import OPTIMIZERS


def _labels(lang: str) -> dict[str, str]:
    return field_labels(LAB_FIELDS, lang)


# Errors name the form's labels, in the page's language (app.errors.page_route).
router = APIRouter(tags=["pages"], include_in_schema=False, route_class=page_route(_labels))

FIELDS = tuple(TrainRequest.model_fields)
#: The summary's text while there is no run to show.
NO_VALUE = "–"


@dataclass(frozen=True)
class LabFigures:
    """One run as the page shows it: three SVG figures and the summary, as text."""

    loss_svg: str
    accuracy_svg: str
    boundary_svg: str
    final_loss: str  # format_loss
    final_accuracy: str  # format_accuracy
    status: str  # "Trained for 300 epochs."
    hint: str  # "" when the run learned; else why not and what to try
    epochs: int


@lru_cache(maxsize=32)
def figures(settings: TrainSettings, lang: str) -> LabFigures:
    """Train once and draw, in ``lang``; frozen, so a cached copy is safe to share."""
    result = run_to_dict(train(settings))
    words = lab_words(lang)
    epochs = len(result["loss"])
    hint = ""
    if not result["learned"]:
        hint = texts(lang)["lab_not_learned"].format(
            accuracy=format_accuracy(result["final_accuracy"]),
            chance=format_accuracy(result["chance_accuracy"]),
        )
    return LabFigures(
        loss_svg=curve_svg(result["loss"], "loss", words=words),
        accuracy_svg=curve_svg(result["accuracy"], "accuracy", words=words),
        boundary_svg=boundary_svg(
            result["boundary"], result["points"]["x"], result["points"]["labels"], words=words
        ),
        final_loss=format_loss(result["final_loss"]),
        final_accuracy=format_accuracy(result["final_accuracy"]),
        status=texts(lang)["lab_trained"].format(epochs=epochs),
        hint=hint,
        epochs=epochs,
    )


def form_defaults() -> dict[str, dict[str, str]]:
    """Each data set's own settings as the form's boxes show them, for lab.js to fill in
    when the data set is chosen: {"circles": {"optimizer": "adam", "lr": "0.05"}, ...}."""
    return {
        name: {field.name: str(getattr(d, field.name)) for field in fields(d)}
        for name, d in DATASET_DEFAULTS.items()
    }


def defaults_for(given: dict[str, str]) -> dict[str, Any]:
    """The form's values for a request that cannot train: the named data set's defaults
    (the book's if it has none), under what was given."""
    name = given.get("dataset", "")
    settings = TrainSettings.for_dataset(name) if name in DATASET_DEFAULTS else TrainSettings()
    return {**asdict(settings), **given}


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
    drawn: LabFigures | None = None
    try:
        # Query strings are text: "30" is read as 30 here (lax), unlike the JSON API; a
        # setting left out is the data set's default.
        settings = TrainRequest.model_validate(given, strict=False).settings()
    except ValidationError as exc:
        problem = validation_error_body(exc, given, lang, _labels(lang)).detail
        form = defaults_for(given)
    else:
        form = dict(vars(settings))
        drawn = figures(settings, lang)
    data = {
        "urls": {"figures": str(request.url_for("lab_figures").path)},
        "texts": {
            "training": t["lab_training"],
            "error_network": t["error_network"],
            "no_value": NO_VALUE,
        },
        "defaults": form_defaults(),
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
            "datasets": {name: DATASET_TITLES[name][lang] for name in DATASETS},
            "optimizers": list(OPTIMIZERS),
            "limit": MAX_ITERATIONS,
            "points": POINTS,
            "no_value": NO_VALUE,
        },
        status=422 if problem else 200,
    )


@router.post("/lab/figures")
def lab_figures(
    body: TrainRequest,
    lang_cookie: LangCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """The page's figures for POST /api/train's body; a bad body is the API's 422."""
    drawn = figures(body.settings(), pick_language(lang_cookie, accept_language))
    return JSONResponse(asdict(drawn), headers=SECURITY_HEADERS)
