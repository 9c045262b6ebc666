"""Assembles the FastAPI application: settings, error handlers, routers, static files.

Run it with ``make run``, or ``python -m app.main`` to take host, port and log level
from the BPX_ settings.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from types import FrameType
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import explorer, gallery, lab, learn, pages
from app.api import docs, examples, expression, graphs, health, train
from app.api.openapi import install_response_examples
from app.errors import BodySizeLimit, install_error_handlers
from app.middleware import RequestTimeLimit, SecurityHeaders
from app.request_log import install_request_log
from app.settings import get_settings
from core.deadline import stop_all

settings = get_settings()
logging.getLogger("app").setLevel(settings.log_level.upper())


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """At most BPX_COMPUTE_THREADS threads compute at once (anyio's default is 40).

    The endpoints' work holds Python's GIL, so more threads only take turns: eight threads
    each drawing a 1,000-node graph kept the event loop waiting, /healthz 430 ms p50 and
    1 s p99; with one thread computing, 13 ms and 66 ms. With anyio's 40 a busy worker also
    served fewer requests (bench/load.py: 104 against 170 per second with 4).
    """
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = get_settings().compute_threads
    stop_work_on_signals()
    with startup_heap_frozen():
        yield


@contextmanager
def startup_heap_frozen() -> Iterator[None]:
    """While the app serves, the objects made before it started (modules, classes, the
    routes and schemas: about 82,000 of them) sit in the collector's permanent generation
    (``gc.freeze``), so a full collection walks only what requests made.

    A full collection comes every so often as requests make and drop their objects. It
    walked the whole startup heap each time, 16 to 18 ms of an idle worker's time (0.1 ms
    frozen), in which it answered nothing: 1,000-node ``POST /api/run`` requests one after
    another took 4.9 ms at the median and 32 ms at the 99th percentile, 5.6 to 6.7 ms
    frozen (docs/benchmarks.md). Frozen objects are still freed when their count drops to
    zero; only a cycle among them would wait, and they live as long as the process.
    Unfrozen when the app stops.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def stop_work_on_signals() -> None:
    """On SIGTERM or SIGINT, end every bounded work at its next check (core.deadline), then
    let the server stop as it would: it waits for the requests in flight, and none of them
    then goes on computing, nor does one that was waiting its turn for a thread.

    uvicorn has set its own handlers by the time the app starts; each is kept and called.
    Only the main thread may set handlers (a TestClient starts the app in another).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            stop_all()
            if callable(previous):
                previous(signum, frame)
            else:  # not set by Python: what it was does the rest
                default = signal.SIG_DFL if previous is None else previous
                signal.signal(signum, default)
                signal.raise_signal(signum)

        signal.signal(sig, handler)


app = FastAPI(
    lifespan=lifespan,
    title="Backprop Explorer",
    summary="Values flow forward, gradients flow backward: run computational graphs over HTTP.",
    version="0.1.0",
    docs_url=None,  # served by app.api.docs from local files, not a CDN
    redoc_url=None,
)
install_error_handlers(app)
install_response_examples(app)  # the core computes them on the first GET /openapi.json
app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
app.add_middleware(RequestTimeLimit)
app.add_middleware(SecurityHeaders)  # on every answer, a 413 included
# outermost, so that every answer (a 413 too) has its id and its line
install_request_log(app, settings.access_log, settings.log_level)

app.include_router(health.router)
app.include_router(examples.router)
app.include_router(graphs.router)
app.include_router(expression.router)
app.include_router(train.router)
app.include_router(docs.router)
app.mount(docs.ASSETS_PATH, docs.swagger_assets(), name="swagger-ui")

# Pages and their static files are included below.
app.include_router(pages.router)
app.include_router(gallery.router)
app.include_router(explorer.router)
app.include_router(lab.router)
app.include_router(learn.router)
app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")


def main() -> None:
    import uvicorn

    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,  # app.request_log writes one line per request
    )


if __name__ == "__main__":
    main()
