"""The book's code beside the graph: each op's layer class as this project runs it.

The class's source is read from :mod:`core.layers` with :mod:`inspect` (never a copy), and
for every stage of the step-through the view says which class runs, which of its lines run
(``forward`` or ``backward``) and the live numbers of its variables: the inputs and
``out`` in forward, ``self.*`` as forward left them, then ``dout`` and ``dx``, ``dy``,
``dW``, ``db`` in backward. The numbers come from running a fresh layer on the node's own
inputs, as the engine did, and are written by :mod:`core.format`.

    code = code_view(spec, result, steps)
    code["classes"]["mul"]["lines"]            # MulLayer's source, line by line
    code["stages"][7]                          # {"op", "phase", "marks", "notes", "vars"}
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

from core.format import compact
from core.graph import GraphResult
from core.ops import OPS, SOURCE_OPS

CODE_LIMIT = 200  # nodes: past it the view carries no code (a run per node is not free)
NUMBERS = 4  # numbers of an array written beside its name


@cache
def layer_source(op_name: str) -> dict[str, Any] | None:
    """The op's layer class: its name, its source lines, and which lines each method is."""
    op = OPS.get(op_name)
    cls = op.layer if op is not None else None
    if cls is None or not inspect.isclass(cls):
        return None
    lines, start = inspect.getsourcelines(cls)

    def method_lines(name: str) -> list[int]:
        fn = cls.__dict__.get(name)
        if fn is None:
            return []
        body, first = inspect.getsourcelines(fn)
        return list(range(first - start, first - start + len(body)))

    return {
        "name": cls.__name__,
        "lines": [line.rstrip("\n") for line in lines],
        "forward": method_lines("forward"),
        "backward": method_lines("backward"),
    }


def _written(value: Any) -> str:
    return compact(value, NUMBERS)


def _kept(layer: Any) -> list[tuple[str, Any]]:
    """What forward kept on the layer (``self.mask``, ``self.out``), numbers only."""
    kept = []
    for name, value in vars(layer).items():
        if name in ("params", "grads") or name.startswith("_"):
            continue
        if isinstance(value, np.ndarray | float | int | np.generic) and not isinstance(value, bool):
            kept.append((f"self.{name}", value))
    return kept


def _notes(
    lines: Sequence[str], marks: Sequence[int], names: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """Each variable's number beside the first marked line that names it."""
    notes: dict[str, list[str]] = {}
    for name, text in names:
        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        for i in marks:
            if pattern.search(lines[i]):
                notes.setdefault(str(i), []).append(f"{name} = {text}")
                break
    return {k: ", ".join(v) for k, v in notes.items()}


def _stage(
    node: Any, attrs: Mapping[str, Any], inputs: list[Any], phase: str
) -> dict[str, Any] | None:
    op = OPS[node.op]
    source = layer_source(node.op)
    if source is None:
        return None
    out, layer = op.forward(op.parse_attrs(node.id, attrs), inputs)
    names: list[tuple[str, str, bool]] = []  # (name, text, is a gradient)
    if phase == "forward":
        names += [(n, _written(v), False) for n, v in zip(op.input_names, inputs, strict=False)]
        names += [(n, _written(v), False) for n, v in _kept(layer)]
        names.append(("out", _written(out), False))
    else:
        names += [(n, _written(v), False) for n, v in _kept(layer)]
        dout = node.grad if node.grad is not None else np.ones_like(out)
        grads = op.backward(layer, np.asarray(dout, dtype=np.float64))
        names.append(("dout", _written(dout), True))
        for n, g in zip(op.input_names, grads, strict=False):
            if g is not None:
                names.append((f"d{n}", _written(g), True))
    marks = source[phase]
    return {
        "op": node.op,
        "phase": phase,
        "marks": marks,
        "notes": _notes(source["lines"], marks, [(n, t) for n, t, _ in names]),
        "vars": [{"name": n, "text": t, "grad": g} for n, t, g in names],
    }


def code_view(
    spec: Mapping[str, Any], result: GraphResult, steps: Sequence[Any]
) -> dict[str, Any] | None:
    """The classes the run uses and, per stage, what of them runs; None for a big graph.

    ``steps`` are the view's timeline steps (``kind`` and ``node``); stage ``s`` is after
    ``steps[s - 1]``.
    """
    if len(result.nodes) > CODE_LIMIT:
        return None
    nodes = {n.id: n for n in result.nodes}
    raw = spec.get("nodes") if isinstance(spec, Mapping) else None
    attrs = {
        n["id"]: n.get("attrs") or {}
        for n in (raw if isinstance(raw, list) else [])
        if isinstance(n, Mapping) and isinstance(n.get("id"), str)
    }
    classes: dict[str, Any] = {}
    for n in result.nodes:
        if n.op not in SOURCE_OPS and (source := layer_source(n.op)) is not None:
            classes[n.op] = source
    stages: list[dict[str, Any] | None] = [None]
    for step in steps:
        node = nodes[step.node]
        if step.kind == "seed" or node.op not in classes:
            stages.append(None)
            continue
        inputs = [nodes[i].value for i in node.inputs]
        stages.append(_stage(node, attrs.get(node.id, {}), inputs, step.kind))
    return {"classes": classes, "stages": stages}


__all__ = ["code_view", "layer_source"]
