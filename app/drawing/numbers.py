"""How arrays look in the picture: heatmap cells and their colours.

How a number or a shape is written is :mod:`core.format`'s (the one place for it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

MAX_CELLS = 20  # heatmap cells per axis; bigger arrays are shown as block means
NUMBERED = 4  # arrays of up to 4 x 4 show their numbers in their cells
NUM_CELL_W, NUM_CELL_H = 36, 16  # px: a cell with a number in it
KEY_SWATCH = 6  # px: one square of a heatmap's key
HEAT_EXTENT = 60  # px: the longer side of a heatmap, before clamping the cell size
MIN_CELL, MAX_CELL = 3, 12

# A purple-to-orange diverging scale (readable with the common colour-vision deficiencies).
NEGATIVE = (84, 39, 136)
ZERO = (247, 247, 247)
POSITIVE = (179, 88, 6)


def as_matrix(shape: Sequence[int]) -> tuple[int, int]:
    """Rows and columns a shape is drawn as: a vector is one row; more axes fold into rows."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return 1, int(shape[0])
    return math.prod(int(n) for n in shape[:-1]), int(shape[-1])


def numbered(shape: Sequence[int]) -> bool:
    """Whether the heatmap of ``shape`` writes each number in its cell (up to 4 x 4)."""
    rows, cols = as_matrix(shape)
    return rows <= NUMBERED and cols <= NUMBERED


def grid(shape: Sequence[int]) -> tuple[int, int, int, int]:
    """(rows shown, columns shown, cell width, cell height in px) of a heatmap."""
    rows, cols = as_matrix(shape)
    if numbered(shape):
        return rows, cols, NUM_CELL_W, NUM_CELL_H
    shown_r, shown_c = min(rows, MAX_CELLS), min(cols, MAX_CELLS)
    cell = max(MIN_CELL, min(MAX_CELL, HEAT_EXTENT // max(shown_r, shown_c)))
    return shown_r, shown_c, cell, cell


def cells(value: Any, shape: Sequence[int]) -> list[list[float]]:
    """The heatmap's cells: the array itself, or block means when it has too many entries."""
    rows, cols = as_matrix(shape)
    arr = np.asarray(value, dtype=np.float64).reshape(rows, cols)
    shown_r, shown_c, _, _ = grid(shape)
    if (shown_r, shown_c) == (rows, cols):
        result: list[list[float]] = arr.tolist()
        return result
    out: list[list[float]] = []
    for i in range(shown_r):
        r0, r1 = (i * rows) // shown_r, ((i + 1) * rows) // shown_r
        row: list[float] = []
        for j in range(shown_c):
            c0, c1 = (j * cols) // shown_c, ((j + 1) * cols) // shown_c
            row.append(float(arr[r0:r1, c0:c1].mean()))
        out.append(row)
    return out


def colour(x: float, scale: float) -> str:
    """The cell colour of ``x`` when the largest magnitude in its array is ``scale``."""
    t = 0.0 if scale == 0 else max(-1.0, min(1.0, x / scale))
    end = POSITIVE if t >= 0 else NEGATIVE
    t = abs(t)
    r, g, b = (round(z + (e - z) * t) for z, e in zip(ZERO, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def scale_of(grid_cells: list[list[float]]) -> float:
    """The heatmap's scale: the first of 1, 3, 10, 30, ... (or 0.3, 0.1, ...) at or above its
    largest magnitude.

    Not the largest magnitude itself: then every array's largest entry would look
    "maximum", and sigmoid's outputs (all about 0.5) would look as strong as can be. On
    this scale they look half strong, and the heatmap's key says what full strength is.
    """
    largest = max((abs(v) for row in grid_cells for v in row if math.isfinite(v)), default=0.0)
    if largest == 0:
        return 0.0
    decade = 10.0 ** math.floor(math.log10(largest))
    for step in (1.0, 3.0, 10.0):
        if largest <= step * decade * (1 + 1e-12):
            return float(f"{step * decade:.1g}")  # 0.30000000000000004 -> 0.3
    return 10 * decade


def _luminance(hex_colour: str) -> float:
    """WCAG's relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# The colours a cell's number is written in (graph.css: .num.ink-dark, .num.ink-light).
INKS = {"dark": "#000000", "light": "#ffffff"}


def ink(fill: str) -> str:
    """ "dark" or "light": the ink that reads better on ``fill`` (one of them always reads at
    4.5:1 or more, as black and white meet at a luminance of 0.18)."""
    dark, light = (contrast(fill, INKS[name]) for name in ("dark", "light"))
    return "dark" if dark >= light else "light"


def negatives_path(grid_cells: list[list[float]], cell_w: int, cell_h: int) -> str:
    """One path over every negative cell: hatched, so a sign never rests on colour alone."""
    return "".join(
        f"M{j * cell_w} {i * cell_h}h{cell_w}v{cell_h}h{-cell_w}z"
        for i, row in enumerate(grid_cells)
        for j, v in enumerate(row)
        if v < 0
    )
