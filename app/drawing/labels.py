"""What the picture writes: number labels, heatmap colours and tooltips.

One place for the drawn SVG (:mod:`app.drawing.svg`) and for the page's view of a run
(:mod:`app.drawing.view`), so a stage the page paints reads exactly as the server drew it.
How a number or a shape is written is :mod:`core.format`'s.

    label(715.0000000000001)             -> "715"      (an array: its shape, "(2, 3)")
    heat_colours([[1, -1]], (1, 2))      -> [["#b35806", "#542788"]]
    number_text(words, None, known=False) -> "not computed yet"
    edge_head(words, "x", "z", 0)        -> "x → z (input 0 of z)"
    title(head, value_line, grad_line)   -> the three lines of a <title>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.drawing import numbers
from core.format import format_shape, full, number_or_shape

PENDING = "?"  # a number not computed yet: never 0
NO_GRADIENT = "–"  # labels get no gradient


def label(value: Any) -> str:
    """A slot's label: a scalar's short number, an array's shape."""
    return number_or_shape(value)


def heat_colours(value: Any, shape: Sequence[int]) -> list[list[str]]:
    """The fill of every heatmap cell of ``value``, row by row."""
    grid_cells = numbers.cells(value, shape)
    scale = numbers.scale_of(grid_cells)
    return [[numbers.colour(x, scale) for x in row] for row in grid_cells]


def number_line(words: Mapping[str, str], what: str, text: str) -> str:
    """One line of a tooltip: ``value: 715.0000000000001``, ``gradient: not computed yet``.

    ``what`` is "value" or "gradient"; ``text`` is :func:`number_text`'s.
    """
    return f"{words[what]}: {text}"


def number_text(words: Mapping[str, str], value: Any, *, known: bool, limit: int = 200) -> str:
    """Every digit of a known number; the words for one not computed or absent (labels)."""
    if not known:
        return words["not_computed"]
    if value is None:
        return words["no_gradient"]
    return full(value, limit)


def edge_head(words: Mapping[str, str], source: str, target: str | None, index: int) -> str:
    """Which arrow this is: "x → z (input 0 of z)", or "z → (output)"."""
    if target is None:
        return f"{source} → ({words['output']})"
    return f"{source} → {target} ({words['input_of'].format(index=index, target=target)})"


def node_head(node_id: str, op_title: str, shape: Sequence[int] | None) -> str:
    """Which node this is: "z (multiply ×) ()"; without a shape when none is known."""
    where = "" if shape is None else " " + format_shape(shape)
    return f"{node_id} ({op_title}){where}"


def title(head: str, value_line: str, grad_line: str) -> str:
    """A node's or an arrow's tooltip: what it is, its value, its gradient."""
    return f"{head}\n{value_line}\n{grad_line}"
