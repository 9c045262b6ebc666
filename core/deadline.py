"""A time bound on one request's work, checked by the work itself.

Python threads cannot be stopped from outside, so the long loops check the clock:
the gradient check between the elements it perturbs, the training between epochs, the
drawing between its layers. The server sets the bound around each request
(``BPX_REQUEST_SECONDS``); a notebook sets none and nothing is ever checked.

    with time_limit(5.0):     # the work in this context (and the threads it hands
        ...                   # work to) must be done within 5 s of its first check
    check_deadline()          # raises TimeLimitError once the time is up

The clock starts at the work's first check, not when the request came in: a request that
waited its turn for a compute thread (BPX_COMPUTE_THREADS) still has its whole time, and
its answer never blames its size for the queue. The bound lives in a context variable:
each request has its own, and the thread pool that runs a route's work inherits it.

``stop_all()`` (the server's SIGTERM, app.main) makes every bounded work end at its next
check with a :class:`StoppingError`, so that stopping waits for no long work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from core.errors import StoppingError, TimeLimitError


class _Deadline:
    """A bound of ``seconds``; its clock starts at the first check (``at`` is then set)."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None

    def time_up(self) -> bool:
        now = time.monotonic()
        if self.at is None:
            self.at = now + self.seconds  # two threads racing here set nearly the same time
        return now > self.at


_DEADLINE: ContextVar[_Deadline | None] = ContextVar("bpx_deadline", default=None)
_STOPPING = threading.Event()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Bound the work done in this context to ``seconds`` from its first check (None: no
    bound)."""
    token = _DEADLINE.set(None if seconds is None else _Deadline(seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise :class:`TimeLimitError` when this context's time is up, and
    :class:`StoppingError` when the server is stopping (bounded work only)."""
    bound = _DEADLINE.get()
    if bound is None:
        return
    if _STOPPING.is_set():
        raise StoppingError.of("limit_stopping", None)
    if bound.time_up():
        raise TimeLimitError.of("limit_time", None, seconds=f"{bound.seconds:g}")


def seconds_left() -> float | None:
    """The time this context has left (None: unbounded); the whole bound before the
    work's first check."""
    bound = _DEADLINE.get()
    if bound is None:
        return None
    return bound.seconds if bound.at is None else bound.at - time.monotonic()


def stop_all() -> None:
    """End every bounded work in this process at its next check (the server is stopping)."""
    _STOPPING.set()


def stopping() -> bool:
    return _STOPPING.is_set()
