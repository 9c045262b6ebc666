"""A time bound on one request's work, checked by the work itself.

Python threads cannot be stopped from outside, so the long loops check the clock:
the gradient check between the elements it perturbs, the training between epochs, the
drawing between its layers. The server sets the bound around each request
(``BPX_REQUEST_SECONDS``); a notebook sets none and nothing is ever checked.

    with time_limit(5.0):     # the work in this context (and the threads it hands
        ...                   # work to) must be done within 5 s from now
    check_deadline()          # raises TimeLimitError once the time is up

The bound lives in a context variable: each request has its own, and the thread pool
that runs a route's work inherits it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from core.errors import TimeLimitError


class _Deadline(NamedTuple):
    at: float  # time.monotonic() when the time is up
    seconds: float  # the bound, for the message


_DEADLINE: ContextVar[_Deadline | None] = ContextVar("bpx_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Bound the work done in this context to ``seconds`` from now (None: no bound)."""
    bound = None if seconds is None else _Deadline(time.monotonic() + seconds, seconds)
    token = _DEADLINE.set(bound)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise :class:`TimeLimitError` when this context's time is up."""
    bound = _DEADLINE.get()
    if bound is not None and time.monotonic() > bound.at:
        raise TimeLimitError.of("limit_time", None, seconds=f"{bound.seconds:g}")


def seconds_left() -> float | None:
    """The time this context has left (None: unbounded)."""
    bound = _DEADLINE.get()
    return None if bound is None else bound.at - time.monotonic()
