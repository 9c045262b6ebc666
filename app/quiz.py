"""Predict, then reveal: check a learner's gradient at one arrow of a graph.

The check runs on the server, where the numbers are: the exact gradient is the engine's
float (2.2000000000000002), the hint is the op's local rule from the registry
(:mod:`core.ops`) with the run's numbers, written by :mod:`core.format` as everywhere
else; the page formats no number and so cannot build either. The service keeps no state:
the page says how many tries it has had, and the answer says what to show.

    check(spec, Question(source="apple", target="apple_price", index=0), "2.2", tries=0, ...)
    -> {"correct": True, "revealed": True, "message": "Right: ∂L/∂apple = dout × apple_num = ..."}

An array is asked in two parts: its ``shape`` first, then its ``values`` (the whole array,
pasted) or one ``entry`` (an index and its number). The third wrong try reveals the part.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.drawing import labels
from app.drawing.view import Timeline, _Rules, fill
from core import Limits, run_graph
from core.format import format_shape, full, short
from core.ops import OPS

TRIES = 3  # the third wrong try reveals the answer
RTOL, ATOL = 1e-3, 1e-6  # accepts 2.2 for 2.2000000000000002, and four significant digits


@dataclass(frozen=True)
class Question:
    source: str
    target: str
    index: int


class QuizError(ValueError):
    """The question names no arrow of the graph that has a gradient."""


def close(answer: Any, exact: Any) -> bool:
    """Within the quiz's tolerance, entry by entry (same shape)."""
    a, e = np.asarray(answer, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=RTOL, atol=ATOL))


def parse_number(text: str) -> float | None:
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def parse_shape(text: str) -> tuple[int, ...] | None:
    """ "(2, 3)", "2, 3", "2x3" -> (2, 3); "()" -> ()."""
    cleaned = text.strip()
    if not re.fullmatch(r"[\s(\[]*(\d+\s*[,x×]?\s*)*[\s)\]]*", cleaned):
        return None
    return tuple(int(n) for n in re.findall(r"\d+", cleaned))


def parse_array(text: str) -> Any | None:
    try:
        value = json.loads(text.replace("−", "-"))
    except ValueError:
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        return None
    return arr if np.all(np.isfinite(arr)) else None


def check(
    spec: Mapping[str, Any],
    question: Question,
    answer: str,
    *,
    part: str,
    tries: int,
    entry: Sequence[int] | None,
    texts: Mapping[str, str],
    words: Mapping[str, str],
    lang: str,
    limits: Limits,
) -> dict[str, Any]:
    """Right, or a hint, or (at the third wrong try) the answer; the texts to show."""
    result = run_graph(spec, limits)
    edge = next(
        (
            e
            for e in result.edges
            if (e.source, e.target, e.index) == (question.source, question.target, question.index)
        ),
        None,
    )
    if edge is None or edge.grad is None:
        raise QuizError(
            f"no arrow {question.source} → {question.target} (input {question.index}) "
            "with a gradient in this graph"
        )
    exact = np.asarray(edge.grad, dtype=np.float64)
    node = result.node(question.target)
    rule = OPS[node.op].rule
    template = (
        rule.backward[question.index] if rule and question.index < len(rule.backward) else None
    )
    rules = _Rules(spec, result, Timeline(result), texts, lang)
    names, numbers, arrays = rules._tokens(node)
    src = question.source
    formula = f"∂L/∂{src}"
    if template is not None:
        formula += f" = {fill(template, names)}"
        if not arrays & set(re.findall(r"\{(\w+)\}", template)):
            formula += f" = {fill(template, numbers)}"
    title = OPS[node.op].title.get(lang) or OPS[node.op].title["en"]
    hint_rule = fill(texts["quiz_rule"], {"node": node.id, "op": title, "rule": formula})

    if part == "shape":
        given_shape = parse_shape(answer)
        correct = given_shape == exact.shape
        shown = format_shape(exact.shape)
        hint = fill(texts["quiz_hint_shape"], {"node": src})
        problem = None if given_shape is not None else texts["quiz_bad_shape"]
    elif part == "entry" and exact.ndim > 0:
        idx = tuple(int(i) for i in entry or ())
        in_range = len(idx) == exact.ndim and all(
            0 <= i < n for i, n in zip(idx, exact.shape, strict=True)
        )
        value = parse_number(answer)
        problem = None
        if not in_range:
            problem = fill(texts["quiz_bad_entry"], {"shape": format_shape(exact.shape)})
        elif value is None:
            problem = texts["quiz_bad_number"]
        correct = problem is None and close(value, exact[idx])
        shown = f"{short(float(exact[idx]))} ({src}{list(idx)})" if in_range else full(exact)
        hint = hint_rule
    else:
        parsed: Any = parse_number(answer) if exact.ndim == 0 else parse_array(answer)
        problem = (
            None
            if parsed is not None
            else texts["quiz_bad_number" if exact.ndim == 0 else "quiz_bad_array"]
        )
        correct = parsed is not None and close(parsed, exact)
        shown = labels.label(exact) if exact.ndim == 0 else full(exact)
        hint = hint_rule

    if problem is not None:  # not an answer at all: no try is used up
        return {"correct": False, "revealed": False, "counted": False, "message": problem}
    if part == "shape":
        full_rule = f"∂L/∂{src}: {shown}"
    elif hint_rule.endswith(f"= {shown}"):  # the rule was dout alone: dout = 6
        full_rule = hint_rule
    else:
        full_rule = f"{hint_rule} = {shown}"
    if correct:
        return {
            "correct": True,
            "revealed": True,
            "counted": True,
            "message": fill(texts["quiz_right"], {"rule": full_rule}),
        }
    if tries + 1 >= TRIES:
        return {
            "correct": False,
            "revealed": True,
            "counted": True,
            "message": fill(texts["quiz_revealed"], {"rule": full_rule}),
        }
    left = str(TRIES - tries - 1)
    return {
        "correct": False,
        "revealed": False,
        "counted": True,
        "message": fill(texts["quiz_wrong"], {"hint": hint, "left": left}),
    }


__all__ = ["TRIES", "Question", "QuizError", "check", "close", "parse_array", "parse_shape"]
