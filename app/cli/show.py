"""What the command line prints: tables of results and reports, and short messages.

Every number goes through ``core.format`` (715.0000000000001 prints as 715), every text
from a graph or a learner's file is printed as plain text (never as rich markup, so
``grads[0][...]`` stays as it is), and no traceback is ever printed: an error is one
message, the line of the learner's file it comes from, and a hint.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from core.errors import LayerCheckError, LearnerCodeError
from core.format import format_shape, short
from core.gradcheck import GradCheckReport, verdict

#: Arrays up to this many numbers are printed whole; larger ones by shape and range.
INLINE_NUMBERS = 6

# Messages are not cut into lines: the terminal wraps them, and a program reads them whole.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def brief(value: Any) -> str:
    """A value for a table cell: ``715``, ``[1.1, -2]``; a larger array by its range,
    ``[-0.41 … 0.73]`` (the shape has its own column)."""
    if value is None:
        return "none (labels)"
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return short(float(arr))
    if arr.size <= INLINE_NUMBERS:
        return _nested(arr)
    return f"[{short(float(arr.min()))} … {short(float(arr.max()))}]"


def _nested(arr: np.ndarray[Any, Any]) -> str:
    if arr.ndim == 0:
        return short(float(arr))
    return "[" + ", ".join(_nested(row) for row in arr) + "]"


def result_table(data: Mapping[str, Any], title: str | None = None) -> Table:
    """One row per node in forward order: op, shape, value, gradient."""
    table = Table(title=Text(title) if title else None, title_justify="left")
    for column in ("node", "op", "shape", "value", "gradient"):
        table.add_column(column, justify="right" if column in ("value", "gradient") else "left")
    for node in data["nodes"]:
        table.add_row(
            Text(str(node["id"])),
            Text(str(node["op"])),
            Text(format_shape(node["shape"])),
            Text(brief(node["value"])),
            Text(brief(node["grad"])),
        )
    return table


def print_result(data: Mapping[str, Any], title: str | None = None) -> None:
    out.print(result_table(data, title))
    output = next(n for n in data["nodes"] if n["id"] == data["output"])
    line = f"output {data['output']} = {brief(output['value'])}"
    out.print(Text(line))


def report_table(report: GradCheckReport) -> Table:
    """One row per gradient: which array, its shape, how far off, ok or WRONG."""
    table = Table()
    for column in ("gradient", "array", "shape", "max abs error", "relative error", "verdict"):
        table.add_column(column, justify="right" if "error" in column else "left")
    for a in report.arrays:
        table.add_row(
            Text(a.gradient),
            Text(a.name),
            Text(format_shape(a.shape)),
            Text(short(a.max_abs_error)),
            Text(short(a.max_rel_error)),
            Text("ok", style="green") if a.passed else Text("WRONG", style="bold red"),
        )
    return table


def print_report(report: GradCheckReport) -> None:
    """The table, a sentence for each wrong gradient and each problem, the verdict."""
    if report.arrays:
        out.print(report_table(report))
    wrong = [a for a in report.arrays if not a.passed]
    for a in wrong:
        line = f"{a.gradient} ({a.name}, shape {format_shape(a.shape)}) is {verdict(a)}"
        out.print(Text(line, style="red"))
    for problem in report.problems:
        out.print(Text(f"problem: {problem}", style="red"))
    count = len(report.arrays)
    if report.passed:
        what = "the gradient matches" if count == 1 else f"all {count} gradients match"
        plural = "s" if count != 1 else ""
        out.print(Text(f"passed: {what} the numerical one{plural}", style="bold green"))
    elif wrong:
        names = ", ".join(a.gradient for a in wrong)
        out.print(Text(f"failed: {len(wrong)} of {count} wrong ({names})", style="bold red"))
    else:
        out.print(Text("failed: the gradients match, but see the problem above", style="bold red"))


def display_path(file: str) -> str:
    """A file as the learner would type it: relative to the current folder when inside."""
    try:
        return os.path.relpath(file) if Path(file).resolve().is_relative_to(Path.cwd()) else file
    except (ValueError, OSError):
        return file


def print_error(message: str, hint: str | None = None, lines: Sequence[str] = ()) -> None:
    """``error: ...`` on stderr, then indented ``lines``, then ``hint: ...``."""
    err.print(Text(f"error: {message}", style="bold red"))
    for line in lines:
        err.print(Text(line))
    if hint:
        err.print(Text(f"hint: {hint}", style="yellow"))


def print_layer_error(exc: LayerCheckError) -> None:
    """A learner's error: the message, their file and line with its source, the hint."""
    lines: list[str] = []
    if isinstance(exc, LearnerCodeError) and exc.location is not None:
        where = exc.location
        place = f"  at {display_path(where.file)}, line {where.line}"
        if where.function and not where.function.startswith("<"):
            place += f", in {where.function}"
        lines.append(place)
        if where.source:
            lines.append(f"      {where.source}")
    print_error(exc.message, exc.hint, lines)
