"""The training lab page, in English and Korean.

    GET  /lab                      the book's chapter 1 run, drawn on the server
    GET  /lab?dataset=moons        moons with its own defaults (core.datasets.DATASET_DEFAULTS)
    GET  /lab?dataset=moons&...    the same form's settings (how the form works without script)
    POST /lab/figures              POST /api/train's body -> the three figures as SVG and the
                                   summary texts, in the page's language
    POST /lab/stream               POST /api/train/stream's body -> the run as it trains, as
                                   server-sent events of what the page shows (for lab.js):
                                   the figures' frames first, then per epoch the new points
                                   of the curves and the numbers as text, every few epochs
                                   the boundary's cells and the network, last the summary

The routes draw with ``app.drawing.training``: the page reads without JavaScript, and
``static/js/lab.js`` only swaps in and appends what the server drew. Settings
that cannot train show the problem and no run at all: the numbers and figures of other
settings beside the error would read as its answer (lab.js clears them the same way).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Any

import numpy as np
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import ValidationError

from app.api.train import StreamRequest, TrainRequest, event_stream
from app.drawing.training import (
    LiveCurve,
    boundary_svg,
    cells_svg,
    curve_svg,
    format_accuracy,
    format_loss,
    network_svg,
    optimizer_losses_svg,
    optimizer_paths_svg,
)
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
from app.settings import get_settings
from app.share import encode_graph
from app.train_schemas import STREAM_MAX_EPOCH, STREAM_MAX_HIDDEN
from core.datasets import DATASET_DEFAULTS, DATASET_TITLES, DATASETS
from core.format import short
from core.lab import (
    MAX_ITERATIONS,
    POINTS,
    TrainSettings,
    explorer_spec,
    run_to_dict,
    stream,
    train,
)
from core.models import ACTIVATIONS
from core.optimizer_paths import BOOK_SETTINGS, SPIRAL_SETTINGS, paths, spiral_losses
from core.optimizers import OPTIMIZERS


def _labels(lang: str) -> dict[str, str]:
    return field_labels(LAB_FIELDS, lang)


# Errors name the form's labels, in the page's language (app.errors.page_route).
router = APIRouter(tags=["pages"], include_in_schema=False, route_class=page_route(_labels))

FIELDS = tuple(TrainRequest.model_fields)
#: The summary's text while there is no run to show.
NO_VALUE = "–"
#: A live run plays in about this many seconds at 60 frames a second, however fast it
#: trains: the page plays ``per_frame`` epochs per frame.
PLAY_SECONDS = 5


def per_frame(max_epoch: int) -> int:
    return max(1, math.ceil(max_epoch / (PLAY_SECONDS * 60)))


@dataclass(frozen=True)
class LabFigures:
    """One run as the page shows it: three SVG figures and the summary, as text."""

    loss_svg: str
    accuracy_svg: str
    boundary_svg: str
    network_svg: str
    final_loss: str  # format_loss
    final_accuracy: str  # format_accuracy
    final_test_accuracy: str  # format_accuracy
    status: str  # "Trained for 300 epochs."
    hint: str  # "" when the run learned; else why not and what to try
    epochs: int
    explorer_url: str  # the trained net on one mini-batch, in the explorer


def explorer_url(
    explore_path: str,
    settings: TrainSettings,
    params: list[dict[str, Any]],
    points: dict[str, Any],
) -> str:
    """The explorer's address for the trained net on one mini-batch (``core.lab``)."""
    spec = explorer_spec(
        settings, params, np.asarray(points["x"]), np.asarray(points["labels"], dtype=np.intp)
    )
    return f"{explore_path}?z={encode_graph(spec)}"


@lru_cache(maxsize=32)
def figures(settings: TrainSettings, lang: str, explore_path: str = "/explore") -> LabFigures:
    """Train once and draw, in ``lang``; frozen, so a cached copy is safe to share."""
    result = run_to_dict(train(settings))
    words = lab_words(lang)
    epochs = len(result["loss"])
    hint = ""
    if not result["learned"]:
        hint = not_learned(lang, result["final_accuracy"], result["chance_accuracy"])
    return LabFigures(
        loss_svg=curve_svg(result["loss"], "loss", words=words),
        accuracy_svg=curve_svg(
            result["accuracy"], "accuracy", words=words, second=result["test_accuracy"]
        ),
        boundary_svg=boundary_svg(
            result["boundary"], result["points"]["x"], result["points"]["labels"], words=words
        ),
        network_svg=network_svg(result["params"], words=words),
        final_loss=format_loss(result["final_loss"]),
        final_accuracy=format_accuracy(result["final_accuracy"]),
        final_test_accuracy=format_accuracy(result["final_test_accuracy"]),
        status=texts(lang)["lab_trained"].format(epochs=epochs),
        hint=hint,
        epochs=epochs,
        explorer_url=explorer_url(explore_path, settings, result["params"], result["points"]),
    )


@lru_cache(maxsize=2)
def optimizer_figures(lang: str) -> tuple[str, str]:
    """Book 1's comparison: the paths on x²/20 + y², the spiral's losses; the same for every
    request (no settings), so drawn once per language and kept."""
    words = lab_words(lang)
    return (
        optimizer_paths_svg(paths(), BOOK_SETTINGS, words=words),
        optimizer_losses_svg(spiral_losses(), SPIRAL_SETTINGS, words=words),
    )


def not_learned(lang: str, accuracy: float, chance: float) -> str:
    return texts(lang)["lab_not_learned"].format(
        accuracy=format_accuracy(accuracy), chance=format_accuracy(chance)
    )


def page_events(
    settings: TrainSettings, lang: str, max_seconds: float, explore_path: str = "/explore"
) -> Iterator[dict[str, Any]]:
    """``core.lab.stream``'s events as the page shows them, drawn here, in ``lang``.

    ``start``     the empty curves (their axes to the last epoch) and the status
    ``snapshot``  the whole boundary figure at epoch 0, then its cells alone (``cells``);
                  the network with its weights and gradients (``network_svg``)
    ``epoch``     the new points of the curves ("x,y" in the figure drawn last; the loss
                  figure whole again, ``loss_svg``, when a loss leaves its scale), the
                  cursor's x for this epoch, and the numbers and the status as text
    ``end``       the summary: final numbers, the status, the hint when it has not learned,
                  ``problem`` when the run was stopped (the time bound), and the three
                  figures of the whole run, as ``figures`` draws them
    """
    t, words = texts(lang), lab_words(lang)
    loss = LiveCurve("loss", settings.max_epoch, words)
    accuracy = LiveCurve("accuracy", settings.max_epoch, words, with_test=True)
    points: dict[str, Any] = {}
    last_boundary: dict[str, Any] = {}
    last_params: list[dict[str, Any]] = []
    events = stream(settings, max_seconds, lang=lang, page=True)
    try:
        for event in events:
            kind = event["type"]
            if kind == "start":
                points = event["points"]
                yield {
                    "type": "start",
                    "max_epoch": settings.max_epoch,
                    "per_frame": per_frame(settings.max_epoch),
                    "loss_svg": loss.svg(),
                    "accuracy_svg": accuracy.svg(),
                    "x": loss.cursor(0),
                    "status": t["lab_training"],
                    "epoch_status": t["lab_epoch_of"].format(epoch=0, max_epoch=settings.max_epoch),
                }
            elif kind == "snapshot":
                last_boundary = event["boundary"]
                out: dict[str, Any] = {"type": "snapshot", "epoch": event["epoch"]}
                if event["epoch"] == 0:
                    out["boundary_svg"] = boundary_svg(
                        event["boundary"], points["x"], points["labels"], words=words
                    )
                else:
                    out["cells"] = cells_svg(event["boundary"])
                out["network_svg"] = network_svg(event["params"], words=words)
                last_params = event["params"]
                yield out
            elif kind == "epoch":
                epoch = event["epoch"]
                out = {
                    "type": "epoch",
                    "epoch": epoch,
                    "x": loss.cursor(epoch),
                    "loss": format_loss(event["loss"]),
                    "accuracy": format_accuracy(event["accuracy"]),
                    "test_accuracy": format_accuracy(event["test_accuracy"]),
                    "status": t["lab_epoch_of"].format(epoch=epoch, max_epoch=settings.max_epoch),
                    "accuracy_xy": accuracy.add(event["accuracy"], event["test_accuracy"]),
                    "test_xy": accuracy.point(epoch, event["test_accuracy"]),
                }
                point = loss.add(event["loss"])
                if point is None:
                    out["loss_svg"] = loss.svg()
                else:
                    out["loss_xy"] = point
                yield out
            else:
                done = event["epochs"]
                finished = event["reason"] == "done"
                hint = ""
                if done and not event["learned"]:
                    hint = not_learned(lang, event["final_accuracy"], event["chance_accuracy"])
                yield {
                    "type": "end",
                    "epochs": done,
                    "final_loss": format_loss(event["final_loss"]) if done else NO_VALUE,
                    "final_accuracy": format_accuracy(event["final_accuracy"])
                    if done
                    else NO_VALUE,
                    "final_test_accuracy": format_accuracy(event["final_test_accuracy"])
                    if done
                    else NO_VALUE,
                    "status": t["lab_trained" if finished else "lab_stopped"].format(
                        epochs=done, epoch=done
                    ),
                    "hint": hint,
                    "problem": event["message"] or "",
                    # the whole run drawn once more, as POST /lab/figures draws it
                    "loss_svg": curve_svg(
                        loss.values, "loss", words=words, x_end=settings.max_epoch
                    ),
                    "accuracy_svg": curve_svg(
                        accuracy.values,
                        "accuracy",
                        words=words,
                        second=accuracy.test,
                        x_end=settings.max_epoch,
                    ),
                    "boundary_svg": boundary_svg(
                        last_boundary, points["x"], points["labels"], words=words
                    ),
                    "network_svg": network_svg(last_params, words=words),
                    "explorer_url": explorer_url(explore_path, settings, last_params, points),
                }
    finally:
        events.close()


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
        drawn = figures(settings, lang, str(request.url_for("explore").path))
    data = {
        "urls": {
            "figures": str(request.url_for("lab_figures").path),
            "stream": str(request.url_for("lab_stream").path),
        },
        "texts": {
            "training": t["lab_training"],
            "pause": t["lab_pause"],
            "resume": t["lab_resume"],
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
            "optimizer_figures": optimizer_figures(lang),
            "optimizers": list(OPTIMIZERS),
            "activations": list(ACTIVATIONS),
            "limit": f"{MAX_ITERATIONS:,}",  # 10,000: as a person writes it
            "seconds": short(get_settings().max_train_seconds),
            "max_epoch": STREAM_MAX_EPOCH,
            "max_hidden": STREAM_MAX_HIDDEN,
            "points": POINTS,
            "no_value": NO_VALUE,
        },
        status=422 if problem else 200,
    )


@router.post("/lab/figures")
def lab_figures(
    request: Request,
    body: TrainRequest,
    lang_cookie: LangCookie = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """The page's figures for POST /api/train's body; a bad body is the API's 422."""
    lang = pick_language(lang_cookie, accept_language)
    drawn = figures(body.settings(), lang, str(request.url_for("explore").path))
    return JSONResponse(asdict(drawn), headers=SECURITY_HEADERS)


@router.post("/lab/stream")
async def lab_stream(
    request: Request,
    body: StreamRequest,
    lang_cookie: LangCookie = None,
    accept_language: AcceptLanguage = None,
) -> StreamingResponse:
    """The run as the page shows it, while it trains; a bad body is a 422 before any event,
    in the page's language."""
    lang = pick_language(lang_cookie, accept_language)
    events = page_events(
        body.settings(),
        lang,
        get_settings().max_train_seconds,
        str(request.url_for("explore").path),
    )
    return await event_stream(events, headers=SECURITY_HEADERS)
