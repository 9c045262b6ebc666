"""The OpenAPI examples are the core's answers, computed when the schema is built, not at import."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from app.api.openapi import install_response_examples, response_example
from app.schemas import APPLE_SPEC, EXPRESSION_EXAMPLE, STEP_EXAMPLE
from core import run_graph
from core.expression import expression_to_spec
from core.gradcheck import check_graph
from core.step import step_graph
from tests.app.conftest import run_python

# Counts the plans the core compiles (every run, gradient check and step makes one) while
# app.main is imported, then while its schema is built; prints both counts.
COUNT_PLANS = """
from core.graph import Plan

plans = []
real_init = Plan.__init__

def counting_init(self, *args, **kwargs):
    plans.append(1)
    real_init(self, *args, **kwargs)

Plan.__init__ = counting_init
import app.main
print(len(plans))
app.main.app.openapi()
print(len(plans))
"""


def test_importing_the_app_runs_no_graph() -> None:
    at_import, after_schema = map(int, run_python(COUNT_PLANS).split())
    assert at_import == 0, f"importing app.main compiled {at_import} graph(s)"
    # the count does see the core at work: building the schema runs the examples
    assert after_schema > 0


def _ok_example(schema: dict[str, Any], path: str, method: str = "post") -> Any:
    return schema["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "example"
    ]


def test_openapi_examples_are_the_cores_answers(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert _ok_example(schema, "/api/run") == run_graph(APPLE_SPEC).to_dict()
    assert _ok_example(schema, "/api/gradcheck") == check_graph(APPLE_SPEC).to_dict()
    step = step_graph(STEP_EXAMPLE["graph"], STEP_EXAMPLE["optimizer"], STEP_EXAMPLE["hyper"])
    assert _ok_example(schema, "/api/step") == step.to_dict()
    spec = expression_to_spec(EXPRESSION_EXAMPLE["expression"], EXPRESSION_EXAMPLE["values"])
    expected = {"graph": spec, "result": run_graph(spec).to_dict()}
    assert _ok_example(schema, "/api/expression") == expected
    # the 200 response keeps its schema beside the example
    ok = schema["paths"]["/api/run"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/GraphResult"}


def test_response_example_runs_once_when_the_schema_is_built() -> None:
    calls: list[int] = []

    def answer() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    router = APIRouter(prefix="/inner")

    @router.get("/thing")
    @response_example(answer)
    def thing() -> dict[str, int]:
        return {"answer": 0}

    @router.get("/plain")
    def plain() -> dict[str, int]:
        return {"answer": 1}

    app = FastAPI()
    app.include_router(router, prefix="/outer")
    install_response_examples(app)
    assert calls == [], "marking a route must not compute its example"

    schema = app.openapi()
    assert _ok_example(schema, "/outer/inner/thing", "get") == {"answer": 42}
    plain_ok = schema["paths"]["/outer/inner/plain"]["get"]["responses"]["200"]
    assert "example" not in plain_ok["content"]["application/json"]
    assert app.openapi() is schema
    assert calls == [1], "the schema is built once, and its examples with it"
