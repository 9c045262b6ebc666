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


def grid(shape: Sequence[int]) -> tuple[int, int, int]:
    """(rows shown, columns shown, cell size in px) of a heatmap."""
    rows, cols = as_matrix(shape)
    shown_r, shown_c = min(rows, MAX_CELLS), min(cols, MAX_CELLS)
    cell = max(MIN_CELL, min(MAX_CELL, HEAT_EXTENT // max(shown_r, shown_c)))
    return shown_r, shown_c, cell


def cells(value: Any, shape: Sequence[int]) -> list[list[float]]:
    """The heatmap's cells: the array itself, or block means when it has too many entries."""
    rows, cols = as_matrix(shape)
    arr = np.asarray(value, dtype=np.float64).reshape(rows, cols)
    shown_r, shown_c, _ = grid(shape)
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
    return max((abs(v) for row in grid_cells for v in row), default=0.0)
