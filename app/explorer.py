"""The explorer page, and the page endpoints its script calls (one per action).

    GET  /explore/{example}      the explorer on a named example
    GET  /explore?z=...          on a graph carried by a share link (:mod:`app.share`);
                                 ``&from=apple`` when it was made from that example: its
                                 title and description, and a link back to it
    GET  /explore?g=...          the same, plain base64url JSON
    GET  /explore?expr=&values=  on a typed expression
    GET  /explore                a small graph to build on
    ...&s=3                      any of them, opened at stage 3 of the step-through (else 0,
                                 the start: the first Step computes the first node)
    POST /explore/view           {"graph", "layout"} -> the view of its run, and the picture
                                 when its layout is not the one the page has
    POST /explore/gradcheck      the API's gradcheck request -> the table, as HTML
    POST /explore/step           the API's step request, "layout", the learning-rate box
                                 as typed ("lr") and the output after each step so far
                                 ("losses") -> the moved graph, its view, the before/after
                                 table and the loss trajectory as HTML, the optimizer's
                                 state and the losses (the page sends both back next time)

Every number on the page is written here, on the server: the picture by
:mod:`app.drawing.svg`, every stage of the step-through by :mod:`app.drawing.view`, the
tables by Jinja partials. The script swaps the picture and picks the server's texts. A
graph that cannot run is drawn without numbers beside its error: a 422 whose body
(built by :mod:`app.errors`) names the node. The endpoints call the same core functions
as the API (``run_graph``, ``check_graph``, ``step_graph``) under the same limits.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app.api.deps import current_limits, json_response
from app.drawing import shapes_for
from app.drawing.layout import check_drawable
from app.drawing.training import curve_svg
from app.drawing.view import error_view, fill, layout_key, run_view
from app.errors import (
    NotFoundError,
    error_response,
    error_response_with,
    field_error_body,
    graph_error_body,
    page_route,
)
from app.gallery import EXPR_DEFAULT, VALUES_DEFAULT
from app.i18n import EXPLORER_FIELDS, field_labels, op_titles, svg_words
from app.pages import Frame, PageFrame, picture, render_page, route_path, templates
from app.schemas import ErrorBody, GradCheckRequest, StepRequest, StrictModel
from app.share import LinkError, decode_graph, parse_values
from core import GraphError, GraphResult, Limits, run_graph
from core.errors import LimitError
from core.examples import EXAMPLES
from core.expression import expression_to_spec
from core.format import compact, format_shape, number_or_shape, plain_number, short
from core.gradcheck import GradCheckReport, check_graph
from core.ops import OPS, catalog
from core.ops.base import Source
from core.optimizers import OPTIMIZERS, check_hyperparameter
from core.spec import check_json_tree
from core.step import StepResult, spec_to_dict, step_graph


def _labels(lang: str) -> dict[str, str]:
    return field_labels(EXPLORER_FIELDS, lang)


# The endpoints' errors speak the page's language (app.errors.page_route).
router = APIRouter(tags=["pages"], include_in_schema=False, route_class=page_route(_labels))

# Nothing given: a small graph to build on; "new graph" in the build panel: one input.
STARTER: dict[str, Any] = {
    "nodes": [
        {"id": "x", "op": "input", "value": 2},
        {"id": "y", "op": "input", "value": 3},
        {"id": "z", "op": "mul", "inputs": ["x", "y"]},
    ],
    "output": "z",
}
BLANK: dict[str, Any] = {"nodes": [{"id": "x", "op": "input", "value": 1}], "output": "x"}


# --- a graph as the page shows it ---------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A graph's run (or why it cannot run), the view of its stages, and its picture's key."""

    spec: Mapping[str, Any]
    result: GraphResult | None
    error: ErrorBody | None
    view: dict[str, Any]
    layout: str
    shapes: Mapping[str, tuple[int, ...]]

    def picture(self, lang: str) -> str:
        return picture(self.spec, self.result, lang, shapes=self.shapes)

    def answer(self, lang: str, layout: str | None) -> dict[str, Any]:
        """The view, and the picture unless the page already has this very layout."""
        out: dict[str, Any] = {"view": self.view, "layout": self.layout}
        if layout != self.layout:
            out["svg"] = self.picture(lang)
        return out


def check_size(spec: Mapping[str, Any], limits: Limits) -> None:
    """Raise a GraphError for a graph the page cannot show: JSON nested too deep or text
    that is not valid Unicode (:func:`check_json_tree`, a SpecError); over the engine's
    node limit (the engine's own message) or too large to draw (:func:`check_drawable`),
    a LimitError. Checked before anything is run or drawn; a graph that cannot run for any
    other reason is drawn beside its error."""
    check_json_tree(spec)
    nodes = spec.get("nodes")
    if isinstance(nodes, list) and len(nodes) > limits.max_nodes:
        raise LimitError.of("limit_nodes", None, count=len(nodes), limit=limits.max_nodes)
    check_drawable(spec)


def show(spec: Mapping[str, Any], frame: PageFrame, limits: Limits) -> Shown:
    check_size(spec, limits)  # before the run; shown_result need not check again
    result: GraphResult | None = None
    error: ErrorBody | None = None
    try:
        result = run_graph(spec, limits)
    except GraphError as exc:
        error = graph_error_body(exc, frame.lang)
    return shown_result(spec, result, error, frame, limits, checked=True)


def shown_result(
    spec: Mapping[str, Any],
    result: GraphResult | None,
    error: ErrorBody | None,
    frame: PageFrame,
    limits: Limits,
    *,
    checked: bool = False,
) -> Shown:
    if not checked:
        check_size(spec, limits)
    titles, words = op_titles(frame.lang), svg_words(frame.lang)
    shapes = shapes_for(spec, result)
    if result is not None:
        view = run_view(spec, result, words=words, texts=frame.t, op_titles=titles, lang=frame.lang)
    else:
        view = error_view(spec, texts=frame.t, op_titles=titles, words=words, shapes=shapes)
    key = layout_key(spec, shapes, numbers=result is not None)
    return Shown(spec, result, error, view, key, shapes)


# --- the page -------------------------------------------------------------------------------


def optimizer_defaults() -> dict[str, dict[str, str]]:
    """Each optimizer's default learning rate as the box shows it (the registry's)."""
    return {name: {"lr": plain_number(cls.DEFAULTS["lr"])} for name, cls in OPTIMIZERS.items()}


def opening_stage(raw: str | None, view: Mapping[str, Any] | None) -> int:
    """The stage a page opens at: ``s`` of its address when it is a whole number, kept
    within the run's stages; else 0, the start (a graph that cannot run has only that)."""
    if view is None or raw is None or not raw.isdigit() or not raw.isascii():
        return 0
    return min(int(raw[:9]), len(view["stages"]) - 1)


def _explorer(
    request: Request,
    frame: PageFrame,
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
    template: str = "explore.html",
    extra: Mapping[str, Any] | None = None,
    stage: str | None = None,
    origin: str | None = None,
    changed: bool = False,
) -> Response:
    """The explorer page; a lesson (:mod:`app.learn`) is the same page in its own template,
    ``extra`` its template variables (and ``extra["data"]`` added to the script's data)."""
    t = frame.t
    shown: Shown | None = None
    svg = ""
    if spec is not None:
        try:
            shown = show(spec, frame, current_limits())
            svg = shown.picture(frame.lang)  # drawn even when the graph cannot run
        except GraphError as exc:  # too large to show, or out of time: the page says so
            problem, spec, status, shown = exc.localized(frame.lang), None, 422, None
    error = shown.error.model_dump(exclude_none=True) if shown and shown.error else None
    view = shown.view if shown else None
    opening = opening_stage(stage, view)
    data = {
        "spec": spec,
        "view": view,
        "layout": shown.layout if shown else None,
        "error": error,
        "stage": opening,
        "example": example,
        # the example a share link was made from, for the next link and the title
        "origin": origin or example,
        "texts": t,
        "ops": catalog(frame.lang),
        "optimizers": optimizer_defaults(),
        "blank": BLANK,
        "urls": {
            "view": route_path(request, "explore_view"),
            "gradcheck": route_path(request, "explore_gradcheck"),
            "step": route_path(request, "explore_step"),
            "explore": route_path(request, "explore"),
            "css": route_path(request, "static", path="css/graph.css"),
            "check": route_path(request, "learn_check"),
        },
        **((extra or {}).get("data") or {}),
    }
    return render_page(
        request,
        template,
        {
            **frame.context(),
            "svg": svg,
            "data": data,
            "spec": spec,
            "error": error,
            "problem": problem,
            "title": title or t["explore_custom"],
            "description": description or t["explore_custom_desc"],
            "example": example,
            "origin": origin if changed else None,
            "state_text": view["stages"][opening]["text"] if view else "",
            "state_key": view["stages"][opening]["state"] if view else "none",
            "expr": expr,
            "values": values,
            "optimizers": optimizer_defaults(),
            "ops": list(OPS),
            "build_open": build_open,
            **{k: v for k, v in (extra or {}).items() if k != "data"},
        },
        status=status,
    )


@router.get("/explore", response_class=HTMLResponse)
def explore(
    request: Request,
    frame: Frame,
    z: Annotated[str | None, Query(max_length=4_000_000)] = None,
    g: Annotated[str | None, Query(max_length=4_000_000)] = None,
    expr: Annotated[str | None, Query(max_length=2_000)] = None,
    values: Annotated[str | None, Query(max_length=100_000)] = None,
    s: Annotated[str | None, Query(max_length=12)] = None,
    origin: Annotated[str | None, Query(alias="from", max_length=64)] = None,
) -> Response:
    t = frame.t
    if z is not None or g is not None:
        try:
            spec = decode_graph(z, g)
        except LinkError as exc:
            problem = t["error_link"].format(message=exc.localized(frame.lang))
            return _explorer(request, frame, None, problem=problem, status=400)
        example = EXAMPLES.get(origin) if origin is not None else None
        if example is None:
            return _explorer(request, frame, spec, stage=s)
        lang = frame.lang
        return _explorer(
            request,
            frame,
            spec,
            title=example.title.get(lang, example.title["en"]),
            description=example.description.get(lang, example.description["en"]),
            stage=s,
            origin=example.name,
            changed=spec != example.spec,
        )
    if expr is not None:
        values_text = values or ""
        try:
            parsed = parse_values(values_text)
        except ValueError as exc:
            problem = t["expr_bad_values"].format(text=str(exc))
            return _explorer(
                request, frame, None, problem=problem, expr=expr, values=values_text, status=422
            )
        try:
            spec = expression_to_spec(expr, parsed)
        except GraphError as exc:
            return _explorer(
                request,
                frame,
                None,
                problem=exc.localized(frame.lang),
                expr=expr,
                values=values_text,
                status=422,
            )
        return _explorer(request, frame, spec, expr=expr, values=values_text, stage=s)
    return _explorer(request, frame, copy.deepcopy(STARTER), build_open=True, stage=s)


@router.get("/explore/{name}", response_class=HTMLResponse)
def explore_example(
    request: Request,
    name: str,
    frame: Frame,
    s: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    lang = frame.lang
    example = EXAMPLES.get(name)
    if example is None:
        known = list(EXAMPLES)
        raise NotFoundError(
            f"no example named {name!r}; known: {', '.join(known)}",
            known,
            missing=name,
            route="explore_example",
            titles={n: e.title for n, e in EXAMPLES.items()},
        )
    return _explorer(
        request,
        frame,
        example.fresh_spec(),
        example=name,
        title=example.title.get(lang, example.title["en"]),
        description=example.description.get(lang, example.description["en"]),
        stage=s,
    )


# --- what the script asks -------------------------------------------------------------------


class ViewRequest(StrictModel):
    graph: dict[str, Any] = Field(description="a graph spec, checked by the core")
    layout: str | None = Field(default=None, max_length=64, description="the page's picture")


#: Steps the loss trajectory of the step panel remembers (the page sends them back).
MAX_TRAJECTORY = 1_000
Loss = Annotated[float, Field(allow_inf_nan=False)]
# A learning rate as a person types it: 0.1, .5, 1e-3 (not 1_000, inf or nan).
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class PageStepRequest(StepRequest):
    layout: str | None = Field(default=None, max_length=64)
    lr: str | None = Field(
        default=None, max_length=40, description="the learning-rate box as typed; empty: default"
    )
    losses: list[Loss] = Field(
        default_factory=list,
        max_length=MAX_TRAJECTORY,
        description="the output before the first step and after each one since",
    )


@router.post("/explore/view")
def explore_view(body: ViewRequest, frame: Frame) -> Response:
    """The graph's run as the page shows it; a graph that cannot run is a 422 whose body
    carries its picture without numbers; one too large to show (check_size) is a 422 alone."""
    shown = show(body.graph, frame, current_limits())
    answer = shown.answer(frame.lang, body.layout)
    if shown.error is not None:
        return error_response_with(422, shown.error, answer)
    return json_response(answer)


@router.post("/explore/gradcheck")
def explore_gradcheck(body: GradCheckRequest, frame: Frame) -> Response:
    report = check_graph(body.graph, body.eps, body.tolerance, current_limits())
    html = templates.get_template("partials/gradcheck.html").render(
        t=frame.t, **gradcheck_table(report, frame.t, frame.lang)
    )
    return json_response({"html": html, "passed": report.passed})


@router.post("/explore/step")
def explore_step(body: PageStepRequest, frame: Frame) -> Response:
    """One optimizer step, carrying on from ``state``; the loss trajectory drawn anew."""
    t = frame.t
    hyper = dict(body.hyper)
    if body.lr is not None and body.lr.strip():
        lr = learning_rate(body.lr, body.optimizer)
        if lr is None:
            detail = fill(t["step_bad_lr"], {"text": body.lr.strip()[:20]})
            return error_response(422, field_error_body("lr", detail))
        hyper["lr"] = lr
    limits = current_limits()
    stepped = step_graph(body.graph, body.optimizer, hyper, limits, state=body.state)
    spec = spec_to_dict(stepped.spec)
    shown = shown_result(spec, stepped.after, None, frame, limits)
    losses = trajectory(body.losses, stepped)
    html = templates.get_template("partials/step.html").render(
        t=t,
        rows=step_rows(stepped, t),
        carried=carried_note(stepped, t),
        trajectory=trajectory_svg(losses, stepped.before.output, t) if losses else "",
        trajectory_title=fill(t["step_trajectory"], {"node": stepped.before.output}),
    )
    answer = shown.answer(frame.lang, body.layout)
    return json_response(
        {
            **answer,
            "graph": spec,
            "html": html,
            "state": stepped.state.to_dict(),
            "losses": losses,
        }
    )


def learning_rate(text: str, optimizer: str) -> float | None:
    """The learning rate typed in the box, or None when it is no usable one: not a
    number, or one the optimizer refuses (the core's check: positive and finite)."""
    text = text.strip()
    if _DECIMAL.fullmatch(text) is None:
        return None
    lr = float(text)
    cls = OPTIMIZERS.get(optimizer.strip().lower())
    if cls is None:  # the step names the unknown optimizer itself
        return lr
    try:
        check_hyperparameter(cls, "lr", lr)
    except ValueError:
        return None
    return lr


def trajectory(earlier: list[float], stepped: StepResult) -> list[float]:
    """The output before the first step and after each step since, this one's last; none
    for an output that is not one number."""
    before, after = stepped.before.value, stepped.after.value
    if np.ndim(before) != 0:
        return []
    start = earlier or [float(before)]
    return [*start, float(after)][-MAX_TRAJECTORY:]


def trajectory_svg(losses: list[float], output: str, t: Mapping[str, str]) -> str:
    """The output after each step, drawn as the lab draws its loss (one implementation)."""
    words = {
        "epoch": t["step_axis"],
        "loss": output,
        "loss_title": fill(t["step_trajectory"], {"node": output}),
    }
    return curve_svg(losses, "loss", words=words, first=0, fit=True)


def carried_note(stepped: StepResult, t: Mapping[str, str]) -> str:
    """Which update this was and what the optimizer carries to the next one."""
    state = stepped.state
    slots = OPTIMIZERS[state.optimizer].SLOTS
    tokens = {"optimizer": state.optimizer, "t": str(state.t), "slots": ", ".join(slots)}
    return fill(t["step_carried" if slots else "step_carries_nothing"], tokens)


# --- the tables -----------------------------------------------------------------------------


def gradcheck_table(
    report: GradCheckReport, t: Mapping[str, str], lang: str = "en"
) -> dict[str, Any]:
    """Columns and rows: numbers side by side where they are single numbers; for arrays
    the relative error says it all. A mismatch at a kink says so, and why, in ``lang``."""
    scalars = any(a.analytic.ndim == 0 for a in report.arrays)
    keys = ["col_node", "col_analytic", "col_numeric"] if scalars else ["col_node", "col_shape"]
    rows = []
    for a in report.arrays:
        if scalars:
            cells = [
                {"text": number_or_shape(a.analytic), "num": True},
                {"text": number_or_shape(a.numeric), "num": True},
            ]
        else:
            cells = [{"text": format_shape(a.analytic.shape), "num": False}]
        cells.append({"text": short(a.max_rel_error), "num": True})
        kink = None if a.passed or a.kink_at is None else a.kink_at.message(lang)
        rows.append({"node": a.name, "cells": cells, "passed": a.passed, "kink": kink})
    return {"columns": [t[k] for k in [*keys, "col_rel", "col_result"]], "rows": rows}


def step_rows(stepped: StepResult, t: Mapping[str, str]) -> list[dict[str, str]]:
    """The output and every param: before, after, and the largest change of an entry."""
    before, after = stepped.before, stepped.after
    pairs = [(t["step_output"].format(node=before.output), before.value, after.value)]
    for node in before.nodes:
        op = OPS.get(node.op)
        if isinstance(op, Source) and op.trainable:
            pairs.append((node.id, node.value, after.node(node.id).value))
    return [
        {
            "name": name,
            "before": compact(old),
            "after": compact(new),
            "change": short(float(np.max(np.abs(np.asarray(new) - np.asarray(old))))),
        }
        for name, old, new in pairs
    ]
