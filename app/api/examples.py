"""GET /api/examples and /api/examples/{name}: the named graphs of the books."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import json_response
from app.errors import NotFoundError
from app.schemas import APPLE_SPEC, ErrorBody, ExampleSummary, GraphOut
from core.examples import EXAMPLES

router = APIRouter(prefix="/api/examples", tags=["examples"])

_SUMMARIES = [
    {"name": e.name, "title": dict(e.title), "description": dict(e.description)}
    for e in EXAMPLES.values()
]


@router.get(
    "",
    response_model=list[ExampleSummary],
    summary="List the example graphs",
    responses={200: {"content": {"application/json": {"example": _SUMMARIES[:1]}}}},
)
def list_examples() -> Response:
    return json_response(_SUMMARIES)


@router.get(
    "/{name}",
    response_model=GraphOut,
    summary="One example's graph spec, ready for POST /api/run",
    responses={
        200: {"content": {"application/json": {"example": APPLE_SPEC}}},
        404: {"model": ErrorBody, "description": "No example of that name; lists the known ones"},
        422: {"model": ErrorBody, "description": "Invalid request"},
    },
)
def get_example(name: str) -> Response:
    example = EXAMPLES.get(name)
    if example is None:
        known = list(EXAMPLES)
        raise NotFoundError(f"no example named {name!r}; known: {', '.join(known)}", known)
    return json_response(example.spec)
