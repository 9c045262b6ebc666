"""The explorer page, and the page endpoints its script calls (one per action).

    GET  /explore/{example}      the explorer on a named example
    GET  /explore?z=...          on a graph carried by a share link (:mod:`app.share`)
    GET  /explore?g=...          the same, plain base64url JSON
    GET  /explore?expr=&values=  on a typed expression
    GET  /explore                a small graph to build on
    POST /explore/view           {"graph", "layout"} -> the view of its run, and the picture
                                 when its layout is not the one the page has
    POST /explore/gradcheck      the API's gradcheck request -> the table, as HTML
    POST /explore/step           the API's step request and "layout" -> the moved graph,
                                 its view, the before/after table as HTML, the
                                 optimizer's state (to carry on from, as the API's)

Every number on the page is written here, on the server: the picture by
:mod:`app.drawing.svg`, every stage of the step-through by :mod:`app.drawing.view`, the
tables by Jinja partials. The script swaps the picture and picks the server's texts. A
graph that cannot run is drawn without numbers beside its error: a 422 whose body
(built by :mod:`app.errors`) names the node. The endpoints call the same core functions
as the API (``run_graph``, ``check_graph``, ``step_graph``) under the same limits.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app.api.deps import current_limits, json_response
from app.drawing import shapes_for
from app.drawing.view import error_view, layout_key, run_view
from app.errors import NotFoundError, error_response_with, graph_error_body, page_route
from app.gallery import EXPR_DEFAULT, VALUES_DEFAULT
from app.i18n import EXPLORER_FIELDS, field_labels, op_titles, svg_words
from app.pages import Frame, PageFrame, picture, render_page, route_path, templates
from app.schemas import ErrorBody, GradCheckRequest, StepRequest, StrictModel
from app.share import LinkError, decode_graph, parse_values
from core import GraphError, GraphResult, Limits, run_graph
from core.examples import EXAMPLES
from core.expression import expression_to_spec
from core.format import compact, format_shape, number_or_shape, short
from core.gradcheck import GradCheckReport, check_graph
from core.ops import OPS, catalog
from core.ops.base import Source
from core.optimizers import OPTIMIZERS
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
    drawable: bool  # False over the node limit: the endpoints send no picture of it

    def picture(self, lang: str) -> str:
        return picture(self.spec, self.result, lang, shapes=self.shapes)

    def answer(self, lang: str, layout: str | None) -> dict[str, Any]:
        """The view, and the picture unless the page already has this very layout."""
        out: dict[str, Any] = {"view": self.view, "layout": self.layout}
        if self.drawable and layout != self.layout:
            out["svg"] = self.picture(lang)
        return out


def show(spec: Mapping[str, Any], frame: PageFrame, limits: Limits) -> Shown:
    result: GraphResult | None = None
    error: ErrorBody | None = None
    try:
        result = run_graph(spec, limits)
    except GraphError as exc:
        error = graph_error_body(exc, frame.lang)
    return shown_result(spec, result, error, frame, limits)


def shown_result(
    spec: Mapping[str, Any],
    result: GraphResult | None,
    error: ErrorBody | None,
    frame: PageFrame,
    limits: Limits,
) -> Shown:
    titles = op_titles(frame.lang)
    if result is not None:
        view = run_view(
            spec,
            result,
            words=svg_words(frame.lang),
            texts=frame.t,
            op_titles=titles,
            lang=frame.lang,
        )
    else:
        view = error_view(spec, texts=frame.t, op_titles=titles)
    nodes = spec.get("nodes")
    drawable = not (isinstance(nodes, list) and len(nodes) > limits.max_nodes)
    shapes = shapes_for(spec, result)
    key = layout_key(spec, shapes, numbers=result is not None)
    return Shown(spec, result, error, view, key, shapes, drawable)


# --- the page -------------------------------------------------------------------------------


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
) -> Response:
    t = frame.t
    shown = show(spec, frame, current_limits()) if spec is not None else None
    error = shown.error.model_dump(exclude_none=True) if shown and shown.error else None
    data = {
        "spec": spec,
        "view": shown.view if shown else None,
        "layout": shown.layout if shown else None,
        "error": error,
        "example": example,
        "texts": t,
        "ops": catalog(frame.lang),
        "blank": BLANK,
        "urls": {
            "view": route_path(request, "explore_view"),
            "gradcheck": route_path(request, "explore_gradcheck"),
            "step": route_path(request, "explore_step"),
            "explore": route_path(request, "explore"),
            "css": route_path(request, "static", path="css/graph.css"),
        },
    }
    return render_page(
        request,
        "explore.html",
        {
            **frame.context(),
            # The page's first picture is drawn even when the graph cannot run.
            "svg": shown.picture(frame.lang) if shown else "",
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
    frame: Frame,
    z: Annotated[str | None, Query(max_length=4_000_000)] = None,
    g: Annotated[str | None, Query(max_length=4_000_000)] = None,
    expr: Annotated[str | None, Query(max_length=2_000)] = None,
    values: Annotated[str | None, Query(max_length=100_000)] = None,
) -> Response:
    t = frame.t
    if z is not None or g is not None:
        try:
            spec = decode_graph(z, g)
        except LinkError as exc:
            problem = t["error_link"].format(message=exc.localized(frame.lang))
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
                request,
                frame,
                None,
                problem=exc.localized(frame.lang),
                expr=expr,
                values=values_text,
            )
        return _explorer(request, frame, spec, expr=expr, values=values_text)
    return _explorer(request, frame, copy.deepcopy(STARTER), build_open=True)


@router.get("/explore/{name}", response_class=HTMLResponse)
def explore_example(request: Request, name: str, frame: Frame) -> Response:
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
    )


# --- what the script asks -------------------------------------------------------------------


class ViewRequest(StrictModel):
    graph: dict[str, Any] = Field(description="a graph spec, checked by the core")
    layout: str | None = Field(default=None, max_length=64, description="the page's picture")


class PageStepRequest(StepRequest):
    layout: str | None = Field(default=None, max_length=64)


@router.post("/explore/view")
def explore_view(body: ViewRequest, frame: Frame) -> Response:
    """The graph's run as the page shows it; a graph that cannot run is a 422 whose body
    carries its picture without numbers (unless it is too big to draw)."""
    shown = show(body.graph, frame, current_limits())
    answer = shown.answer(frame.lang, body.layout)
    if shown.error is not None:
        return error_response_with(422, shown.error, answer)
    return json_response(answer)


@router.post("/explore/gradcheck")
def explore_gradcheck(body: GradCheckRequest, frame: Frame) -> Response:
    report = check_graph(body.graph, body.eps, body.tolerance, current_limits())
    html = templates.get_template("partials/gradcheck.html").render(
        t=frame.t, **gradcheck_table(report, frame.t)
    )
    return json_response({"html": html, "passed": report.passed})


@router.post("/explore/step")
def explore_step(body: PageStepRequest, frame: Frame) -> Response:
    limits = current_limits()
    stepped = step_graph(body.graph, body.optimizer, body.hyper, limits, state=body.state)
    spec = spec_to_dict(stepped.spec)
    shown = shown_result(spec, stepped.after, None, frame, limits)
    html = templates.get_template("partials/step.html").render(
        t=frame.t, rows=step_rows(stepped, frame.t)
    )
    answer = shown.answer(frame.lang, body.layout)
    return json_response({**answer, "graph": spec, "html": html, "state": stepped.state.to_dict()})


# --- the tables -----------------------------------------------------------------------------


def gradcheck_table(report: GradCheckReport, t: Mapping[str, str]) -> dict[str, Any]:
    """Columns and rows: numbers side by side where they are single numbers; for arrays
    the relative error says it all."""
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
        rows.append({"node": a.name, "cells": cells, "passed": a.passed})
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
