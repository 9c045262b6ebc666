"""How numbers and shapes are written for people: one place for the pages, the drawing,
the messages and the command line.

    short(715.0000000000001)  -> "715"       (at most about four significant digits)
    short(2.2000000000000002) -> "2.2"
    plain(110.00000000000001) -> "110"       (as a person writes it: no float noise)
    plain([[1.0, 2.5]])       -> "[[  1, 2.5]]"
    full(np.array(0.1 + 0.2)) -> "0.30000000000000004"   (every digit, for "show exact")
    operand(-0.235)           -> "(−0.235)"  (a number put into a formula)
    format_shape((3,))        -> "(3,)"      (as Python writes a tuple)
    compact(W)                -> "(2, 3) [0.1, -0.2, 0.3, …]"   (a few numbers of an array)
    in_cell(-0.0123)          -> "−0.012"    (two significant digits: inside a heatmap cell)
    heat_scale(0.1)           -> "±0.1"      (a heatmap key: the scale's two ends)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

#: Significant digits of a plain number: enough for any number a learner types or the
#: book prints, few enough that float noise (110.00000000000001) never shows.
PLAIN_DIGITS = 12
#: The minus sign of a formula (the rules' own operators are written with it).
MINUS = "\u2212"


def _exponent(text: str) -> str:
    """1.5e+300 -> 1.5e300, 1e-05 -> 1e-5: the exponent without padding or plus."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}e{int(exponent)}"


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


def plain_number(x: float) -> str:
    """A number as a person writes it: 110.00000000000001 -> '110', -0.15000000000000002
    -> '-0.15', 1/3 -> '0.333333333333' (:data:`PLAIN_DIGITS` significant digits)."""
    if not math.isfinite(x):
        return str(x)
    text = _exponent(f"{x:.{PLAIN_DIGITS}g}")
    return "0" if text == "-0" else text


def exact_number(x: float) -> str:
    """Every digit Python needs to give ``x`` back: 110.00000000000001, 2 (not 2.0)."""
    if not math.isfinite(x):
        return str(x)
    text = _exponent(repr(float(x)))
    return text.removesuffix(".0")


LINE_WIDTH = 100  # characters of an array's line before it wraps, as NumPy's default


def _written(value: Any, write: Callable[[float], str], limit: int) -> str:
    """A scalar, or an array as nested lists with its numbers right-aligned (as NumPy
    lays them out); past ``limit`` numbers, NumPy's summary with "..."."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return write(float(arr))
    if arr.size > limit or arr.size == 0:
        return _summarised(arr, write, limit)
    texts = [write(x) for x in arr.ravel().tolist()]
    width = max(len(t) for t in texts)
    return _nested([t.rjust(width) for t in texts], arr.shape)


def _nested(texts: list[str], shape: tuple[int, ...]) -> str:
    """``texts`` (flat, row-major) as nested lists of ``shape``: rows wrap at LINE_WIDTH."""

    def block(offset: int, axis: int, indent: str) -> str:
        count = shape[axis]
        if axis == len(shape) - 1:
            lines, line = [], "["
            for k, item in enumerate(texts[offset : offset + count]):
                piece = item + ("]" if k == count - 1 else ",")
                if line != "[" and len(indent) + len(line) + 1 + len(piece) > LINE_WIDTH:
                    lines.append(line)
                    line = " " + piece
                else:
                    line += piece if line == "[" else " " + piece
            lines.append(line)
            return ("\n" + indent).join(lines)
        size = math.prod(shape[axis + 1 :])
        inner = indent + " "
        parts = [block(offset + i * size, axis + 1, inner) for i in range(count)]
        # NumPy's blank line between the blocks of a 3-D array, two for 4-D, ...
        separator = ",\n" + "\n" * (len(shape) - axis - 2) + inner
        return "[" + separator.join(parts) + "]"

    return block(0, 0, "")


def _summarised(arr: np.ndarray[Any, Any], write: Callable[[float], str], limit: int) -> str:
    """NumPy's summary of a big array ("..." between its first and last numbers), each
    number written by ``write`` and right-aligned; NumPy writes only those it shows."""
    widths: list[int] = []

    def measure(x: np.floating[Any]) -> str:
        text = write(float(x))
        widths.append(len(text))
        return text

    np.array2string(arr, threshold=limit, formatter={"float_kind": measure})
    width = max(widths, default=0)
    return np.array2string(
        arr,
        separator=", ",
        threshold=limit,
        max_line_width=LINE_WIDTH,
        formatter={"float_kind": lambda x: write(float(x)).rjust(width)},
    )


def plain(value: Any, limit: int = 200) -> str:
    """Every number as a person writes it (up to ``limit`` of them, then a summary): what
    the tooltips and the Numbers panel show."""
    return _written(value, plain_number, limit)


def full(value: Any, limit: int = 200) -> str:
    """Every digit of every number (up to ``limit`` of them), for "show exact"."""
    return _written(value, exact_number, limit)


def operand(x: float) -> str:
    """A number put into a formula: negative ones in parentheses, with the minus sign:
    −(−0.235), 2 × (−3)."""
    text = short(x).replace("-", MINUS)
    return f"({text})" if text.startswith(MINUS) else text


def in_formula(x: float) -> str:
    """A number a formula ends with: the minus sign, no parentheses (= −0.235)."""
    return short(x).replace("-", MINUS)


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


__all__ = [
    "MINUS",
    "compact",
    "exact_number",
    "format_shape",
    "full",
    "in_formula",
    "number_or_shape",
    "operand",
    "plain",
    "plain_number",
    "short",
]


def in_cell(x: float) -> str:
    """A number inside a heatmap cell: two significant digits, the minus sign of a formula
    (the sign must read at a glance): 0.52497 -> '0.52', -0.0123 -> '−0.012', 123.4 -> '123'."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    a = abs(x)
    if a >= 1e4 or a < 1e-3:
        text = _exponent(f"{x:.0e}")
    elif a >= 100:
        text = f"{x:.0f}"
    else:
        text = f"{x:.2g}"
    return "0" if text == "-0" else text.replace("-", MINUS)


def heat_scale(bound: float) -> str:
    """A heatmap's key: the magnitude its strongest colour stands for, both signs: '±0.1'."""
    return "±" + in_cell(abs(bound))
