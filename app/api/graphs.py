"""POST /api/run, /api/gradcheck and /api/step: a graph spec in, the core's answer out."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import current_limits, json_response
from app.api.openapi import response_example
from app.errors import ERROR_RESPONSES
from app.schemas import (
    APPLE_SPEC,
    STEP_EXAMPLE,
    GradCheckRequest,
    GradCheckResponse,
    Graph,
    GraphResult,
    StepRequest,
    StepResponse,
)
from core import run_graph
from core.gradcheck import check_graph
from core.step import step_graph

# The 200 examples are the core's answers to the request examples, computed when the
# OpenAPI schema is first built (app.api.openapi), not at import.
router = APIRouter(prefix="/api", tags=["graphs"])


@router.post(
    "/run",
    response_model=GraphResult,
    summary="Run a graph forward and backward",
    description="Every node's value and gradient, every edge's value and its share of the "
    "gradient, and the forward order.",
    responses=ERROR_RESPONSES,
)
@response_example(lambda: run_graph(APPLE_SPEC).to_dict())
def run(graph: Graph) -> Response:
    result = run_graph(graph, current_limits())
    return json_response(result.to_dict(), count=result.numbers)


@router.post(
    "/gradcheck",
    response_model=GradCheckResponse,
    summary="Compare every input's and param's gradient with central differences",
    responses=ERROR_RESPONSES,
)
@response_example(lambda: check_graph(APPLE_SPEC).to_dict())
def gradcheck(request: GradCheckRequest) -> Response:
    report = check_graph(request.graph, request.eps, request.tolerance, current_limits())
    return json_response(report.to_dict())


@router.post(
    "/step",
    response_model=StepResponse,
    summary="Move every param by one optimizer step",
    description="The graph is run, every `param` node is updated by a fresh optimizer "
    "(sgd, momentum, nesterov, adagrad, rmsprop, adam; the book's defaults), and the moved "
    "graph is run again: the result before and after, and the new graph.",
    responses=ERROR_RESPONSES,
)
@response_example(
    lambda: step_graph(
        STEP_EXAMPLE["graph"], STEP_EXAMPLE["optimizer"], STEP_EXAMPLE["hyper"]
    ).to_dict()
)
def step(request: StepRequest) -> Response:
    result = step_graph(
        request.graph, request.optimizer, request.hyper, current_limits(), state=request.state
    )
    return json_response(result.to_dict())
