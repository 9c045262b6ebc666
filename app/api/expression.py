"""POST /api/expression: type a formula, get its graph and the graph's values and gradients."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import current_limits, json_response
from app.api.openapi import response_example
from app.errors import ERROR_RESPONSES
from app.schemas import EXPRESSION_EXAMPLE, ExpressionRequest, ExpressionResponse
from core import run_graph
from core.expression import expression_to_spec

router = APIRouter(prefix="/api", tags=["expression"])


def _example() -> dict[str, object]:
    """The request example's answer, computed when the OpenAPI schema is first built."""
    spec = expression_to_spec(EXPRESSION_EXAMPLE["expression"], EXPRESSION_EXAMPLE["values"])
    return {"graph": spec, "result": run_graph(spec).to_dict()}


@router.post(
    "/expression",
    response_model=ExpressionResponse,
    summary="Turn an expression into a graph and run it",
    description="Variables become `input` nodes named as the variable; operations get "
    "readable ids numbered in the order they are computed (`mul_1`, `add_3`). The text is "
    "parsed, never evaluated.",
    responses=ERROR_RESPONSES,
)
@response_example(_example)
def expression(request: ExpressionRequest) -> Response:
    limits = current_limits()
    spec = expression_to_spec(request.expression, request.values, request.dout, limits)
    result = run_graph(spec, limits)
    return json_response({"graph": spec, "result": result.to_dict()})
