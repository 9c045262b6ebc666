"""What the picture writes: number labels, heatmap colours and tooltips.

One place for the drawn SVG (:mod:`app.drawing.svg`) and for the page's view of a run
(:mod:`app.drawing.view`), so a stage the page paints reads exactly as the server drew it.
How a number or a shape is written is :mod:`core.format`'s.

    label(715.0000000000001)             -> "715"      (an array: its shape, "(2, 3)")
    heat_cells([[0.5, -1]], (1, 2))      -> fills, inks, numbers "0.5" "−1", key "±1"
    number_text(words, 110.00000000000001, known=True) -> "110"   (exact_text: every digit)
    number_text(words, None, known=False) -> "not computed yet"
    rule_operand(-0.235)                 -> "(−0.235)" (a number put into a formula)
    edge_head(words, "x", "z", 0)        -> "x → z (input 0 of z)"
    node_head("apple", "input", ())      -> "apple (input)"   (an array: "W (param) (3, 2)")
    title(head, value_line, grad_line)   -> the three lines of a <title>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.drawing import numbers
from core.format import (
    format_shape,
    full,
    heat_scale,
    in_cell,
    in_formula,
    number_or_shape,
    operand,
    plain,
)

PENDING = "?"  # a number not computed yet: never 0
NO_GRADIENT = "–"  # labels get no gradient


def label(value: Any) -> str:
    """A slot's label: a scalar's short number, an array's shape."""
    return number_or_shape(value)


@dataclass(frozen=True)
class HeatCells:
    """What a heatmap of a known array shows, its cells row-major (flat)."""

    fills: list[str]  # each cell's colour on the array's scale
    key: str  # the scale: "±1" (the strongest colour's magnitude)
    numbers: list[str] | None  # up to 4 x 4: each cell's number, written by core.format
    inks: list[str] | None  # ... and its ink, "dark" or "light", for contrast on its fill
    negatives: str  # larger arrays: the path hatching the negative cells ("" if none)


def heat_cells(value: Any, shape: Sequence[int]) -> HeatCells:
    """The heatmap of ``value``: colours on a decade scale, its key, and numbers or hatching
    so that a sign is never told by colour alone."""
    grid_cells = numbers.cells(value, shape)
    scale = numbers.scale_of(grid_cells)
    flat = [x for row in grid_cells for x in row]
    fills = [numbers.colour(x, scale) for x in flat]
    if numbers.numbered(shape):
        return HeatCells(
            fills,
            heat_scale(scale),
            [in_cell(x) for x in flat],
            [numbers.ink(f) for f in fills],
            "",
        )
    _, _, cell_w, cell_h = numbers.grid(shape)
    return HeatCells(
        fills, heat_scale(scale), None, None, numbers.negatives_path(grid_cells, cell_w, cell_h)
    )


def rule_operand(value: Any) -> str:
    """A number put into a rule's formula: a negative scalar in parentheses with the minus
    sign, −(−0.235); an array its shape."""
    arr = np.asarray(value)
    return operand(float(arr)) if arr.ndim == 0 else format_shape(arr.shape)


def rule_result(value: Any) -> str:
    """What a rule's formula comes to: the minus sign, no parentheses; an array its shape."""
    arr = np.asarray(value)
    return in_formula(float(arr)) if arr.ndim == 0 else format_shape(arr.shape)


def number_line(words: Mapping[str, str], what: str, text: str) -> str:
    """One line of a tooltip: ``value: 715.0000000000001``, ``gradient: not computed yet``.

    ``what`` is "value" or "gradient"; ``text`` is :func:`number_text`'s.
    """
    return f"{words[what]}: {text}"


def number_text(words: Mapping[str, str], value: Any, *, known: bool, limit: int = 200) -> str:
    """A known number as a person writes it (110, not 110.00000000000001); the words for
    one not computed or absent (labels)."""
    if not known:
        return words["not_computed"]
    if value is None:
        return words["no_gradient"]
    return plain(value, limit)


def exact_text(value: Any, limit: int = 200) -> str:
    """Every digit of a number: what "show exact" shows beside :func:`number_text`."""
    return full(value, limit)


def edge_head(words: Mapping[str, str], source: str, target: str | None, index: int) -> str:
    """Which arrow this is: "x → z (input 0 of z)", or "z → (output)"."""
    if target is None:
        return f"{source} → ({words['output']})"
    return f"{source} → {target} ({words['input_of'].format(index=index, target=target)})"


def _shape_part(shape: Sequence[int] | None) -> str:
    """An array's shape; nothing for a scalar, whose shape () says nothing to a learner,
    nor for a shape not known (a graph that cannot run)."""
    return "" if not shape else format_shape(shape)


def node_head(node_id: str, op_title: str, shape: Sequence[int] | None) -> str:
    """Which node this is: "z (multiply ×)", "W (param) (3, 2)"."""
    where = _shape_part(shape)
    return f"{node_id} ({op_title}) {where}" if where else f"{node_id} ({op_title})"


def node_heading(node_id: str, op: str, shape: Sequence[int] | None) -> str:
    """The Numbers panel's heading of a node: "W · param · (3, 2)", "apple · input"."""
    return " · ".join(part for part in (node_id, op, _shape_part(shape)) if part)


def title(head: str, value_line: str, grad_line: str) -> str:
    """A node's or an arrow's tooltip: what it is, its value, its gradient."""
    return f"{head}\n{value_line}\n{grad_line}"
