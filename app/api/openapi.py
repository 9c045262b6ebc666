"""Response examples that the core computes, filled in when the OpenAPI schema is built.

An endpoint's 200 example is the core's real answer (``run_graph(APPLE_SPEC)`` and the
like), so it cannot drift from what the endpoint returns. Computed in the route decorator,
it would run graphs whenever ``app.main`` is imported: every test run, worker start and
script. Instead :func:`response_example` marks the endpoint with a function, and
:func:`install_response_examples` wraps ``app.openapi`` so that the functions run when
FastAPI builds the schema, which it does lazily and once (the first GET /openapi.json).

    @router.post("/run", response_model=GraphResult, responses=ERROR_RESPONSES)
    @response_example(lambda: run_graph(APPLE_SPEC).to_dict())
    def run(graph: Graph) -> Response: ...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
ExampleFactory = Callable[[], object]

_FACTORY = "__response_example__"


def response_example(factory: ExampleFactory) -> Callable[[Endpoint], Endpoint]:
    """Mark an endpoint: its 200 JSON example is ``factory()``, called when the schema is built.

    Put it below the route decorator, so the route registers the marked function.
    """

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _FACTORY, factory)
        return endpoint

    return mark


def fill_response_examples(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Write every marked route's example into ``schema`` (in place).

    The routes are walked as ``get_openapi`` walks them, included routers and their
    prefixes resolved, so each example lands on the operation the schema lists.
    """
    for route in iter_route_contexts(routes):
        factory = getattr(route.endpoint, _FACTORY, None)
        if factory is None or not isinstance(route.original_route, APIRoute):
            continue
        if not route.include_in_schema or route.path_format is None:
            continue
        example = factory()
        operations = schema["paths"][route.path_format]
        for method in route.methods or ():
            ok = operations[method.lower()]["responses"].setdefault("200", {})
            ok.setdefault("content", {}).setdefault("application/json", {})["example"] = example


def install_response_examples(app: FastAPI) -> None:
    """Have ``app.openapi()`` fill in the marked examples each time it builds a schema.

    FastAPI keeps the schema it built and returns it until the routes change; a schema
    is filled once, when it is new.
    """
    build = app.openapi
    filled: list[dict[str, Any]] = []  # the last schema filled, compared by identity

    def openapi() -> dict[str, Any]:
        schema = build()
        if not filled or filled[0] is not schema:
            fill_response_examples(schema, app.routes)
            filled[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point
