"""A live uvicorn on 127.0.0.1 and a headless Chromium (Debian's when installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import live

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-results" / "browser"


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    # The server's output is shared with the tests', as pytest captures it.
    with live.live_server(stdout=None, stderr=None) as base:
        yield base


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **live.chromium_launch_options()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
