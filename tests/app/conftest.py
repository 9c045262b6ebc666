"""Fixtures for the API tests: a client on the app, and a live uvicorn for the threads."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import app
from app.settings import get_settings
from core import Limits
from tests import live


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set BPX_ variables for one test: the settings are read anew, and again after it."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def small_limits(settings_env: pytest.MonkeyPatch) -> Limits:
    """Tighter core limits for one test, set through the BPX_MAX_* settings."""
    limits = Limits(
        max_nodes=5,
        max_array_elements=10,
        max_total_elements=30,
        max_check_elements=4,
        max_check_work=100_000,
    )
    for name in (
        "max_nodes",
        "max_array_elements",
        "max_total_elements",
        "max_check_elements",
        "max_check_work",
    ):
        settings_env.setenv(f"BPX_{name.upper()}", str(getattr(limits, name)))
    return limits


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """One uvicorn worker on 127.0.0.1, started for the module and stopped after it."""
    with live.live_server() as base:
        yield base


ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter at the repository's root; its standard output.

    For what one process cannot show: what importing the app does, or a registry
    changed before anything imported it.
    """
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}
