"""Schemathesis, from the app's own OpenAPI schema: every endpoint, every check.

Generated requests, valid and invalid, must never get a 500, must get a documented status
with a body that fits the documented schema, and invalid ones must be refused.

One check is tuned, and why: ``positive_data_acceptance`` expects a request that fits the
schema to succeed. A JSON schema can say that a node has an ``id`` and an ``op``, but not
that the graph has no cycle or that the shapes fit, so a schema-valid graph may rightly get
422 from the engine. 422 is added to that check's accepted statuses; every other check
runs with its defaults.

The training stream's time bound is cut to a second here: a schema-valid body may ask for
5,000 epochs on 256 hidden units, which the bound ends (the stream's own tests show it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app.main import app
from app.settings import get_settings

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 60, "deterministic": True},
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]},
        },
    }
)

schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


@pytest.fixture(autouse=True)
def short_training_streams(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BPX_MAX_TRAIN_SECONDS", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
