"""How one worker serves: BPX_COMPUTE_THREADS threads compute, /healthz on the event loop."""

from __future__ import annotations

import gc
import inspect

import pytest
from anyio import to_thread
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api import health
from app.main import app, lifespan
from app.settings import Settings


def pool_size_app() -> FastAPI:
    probe = FastAPI(lifespan=lifespan)

    @probe.get("/pool")
    async def pool() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    return probe


def test_the_thread_pool_has_bpx_compute_threads_threads(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("BPX_COMPUTE_THREADS", "3")
    with TestClient(pool_size_app()) as client:
        assert client.get("/pool").json() == 3


def test_the_default_pool_is_small() -> None:
    # anyio's default is 40: the GIL makes them take turns (docs/reliability.md)
    assert Settings().compute_threads == 1


async def pool_size() -> float:
    return to_thread.current_default_thread_limiter().total_tokens


def test_the_served_app_sizes_its_pool_at_startup() -> None:
    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(pool_size) == Settings().compute_threads


def test_healthz_needs_no_thread() -> None:
    """A coroutine: it answers on the event loop while every thread computes."""
    assert inspect.iscoroutinefunction(health.healthz)


def test_the_startup_heap_is_frozen_while_the_app_serves_and_only_then() -> None:
    """A full collection walks only what requests made (app.main.startup_heap_frozen)."""
    gc.unfreeze()
    startup_object = app.router.routes  # a list made at import

    def collector_sees(obj: object) -> bool:
        return any(seen is obj for seen in gc.get_objects())

    assert collector_sees(startup_object)
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 10_000  # modules, routes, schemas
        assert not collector_sees(startup_object)
        made_now = [object()]
        assert collector_sees(made_now)
        assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == 0
    assert collector_sees(startup_object)
