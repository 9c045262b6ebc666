"""POST /api/expression: type a formula, get its graph and the graph's values and gradients."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import current_limits, json_response
from app.errors import ERROR_RESPONSES
from app.schemas import ExpressionRequest, ExpressionResponse
from core import run_graph
from core.expression import expression_to_spec

router = APIRouter(prefix="/api", tags=["expression"])

_EXAMPLE = expression_to_spec(
    "(apple*apple_num + orange*orange_num)*tax",
    {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1},
)


@router.post(
    "/expression",
    response_model=ExpressionResponse,
    summary="Turn an expression into a graph and run it",
    description="Variables become `input` nodes named as the variable; operations get "
    "readable ids numbered in the order they are computed (`mul_1`, `add_3`). The text is "
    "parsed, never evaluated.",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"graph": _EXAMPLE, "result": run_graph(_EXAMPLE).to_dict()}
                }
            }
        },
        **ERROR_RESPONSES,
    },
)
def expression(request: ExpressionRequest) -> Response:
    spec = expression_to_spec(request.expression, request.values, request.dout)
    result = run_graph(spec, current_limits())
    return json_response({"graph": spec, "result": result.to_dict()})
