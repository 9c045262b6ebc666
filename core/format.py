"""How numbers and shapes are written for people: one place for the pages, the drawing,
the messages and the command line.

    short(715.0000000000001)  -> "715"       (at most about four significant digits)
    short(2.2000000000000002) -> "2.2"
    full(np.array(0.1 + 0.2)) -> "0.30000000000000004"   (every digit, for "show exact")
    format_shape((3,))        -> "(3,)"      (as Python writes a tuple)
    compact(W)                -> "(2, 3) [0.1, -0.2, 0.3, …]"   (a few numbers of an array)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def short(x: float) -> str:
    """At most about four significant digits: 715.0000000000001 -> '715', 2.2 -> '2.2'."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    a = abs(x)
    if a >= 1e5 or a < 1e-3:
        mantissa, exponent = f"{x:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    digits = max(0, 3 - math.floor(math.log10(a)))
    text = f"{x:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def full(value: Any, limit: int = 200) -> str:
    """Every number (up to ``limit`` of them, then a summary), for titles and details."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return repr(float(arr))
    return np.array2string(arr, precision=8, separator=", ", threshold=limit, max_line_width=100)


def format_shape(shape: Sequence[int]) -> str:
    """A shape as Python writes the tuple: (), (3,), (2, 3)."""
    if not shape:
        return "()"
    inner = ", ".join(str(n) for n in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def number_or_shape(value: Any) -> str:
    """A scalar as its short number, an array as its shape: what fits beside a formula."""
    arr = np.asarray(value)
    return short(float(arr)) if arr.ndim == 0 else format_shape(arr.shape)


def compact(value: Any, count: int = 3) -> str:
    """A scalar as its short number; an array as its shape and its first few numbers."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return short(float(arr))
    flat = arr.ravel()
    head = ", ".join(short(float(x)) for x in flat[:count])
    more = ", …" if flat.size > count else ""
    return f"{format_shape(arr.shape)} [{head}{more}]"


__all__ = ["compact", "format_shape", "full", "number_or_shape", "short"]
