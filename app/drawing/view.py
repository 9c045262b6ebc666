"""The page's view of a run: every text the explorer shows, at every stage of the step-through.

A run is a list of steps: one forward step per operation (in the engine's order), then the
seed (dout at the output), then one backward step per operation that leads to the output,
in reverse. Stage ``s`` means "the first ``s`` steps are done". A number is shown once the
step that computes it is done; until then it shows "?", never 0.

The view says, for every node and arrow, from which stage on its value and its gradient
are known (``value_at``, ``grad_at``), and gives the texts to show then: the label drawn on
the arrow (or a heatmap's cell colours), every digit for the details panel, and the
tooltip in each of its three states (nothing known, the value, both). For every stage it
gives the state line, the node being computed and the local rule with its numbers. The
page only picks: ``s >= value_at ? label : "?"``. Every text comes from
:mod:`app.drawing.labels` and :mod:`core.format`, as the SVG's do.

    view = run_view(spec, run_graph(spec), words=..., texts=..., op_titles=...)
    view["stages"][3]["lines"]   # the local rule of the third step, with its numbers
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from app.drawing import labels
from app.drawing.code import code_view
from core.format import MINUS, format_shape
from core.graph import EdgeResult, GraphResult, NodeResult
from core.ops import OPS, SOURCE_OPS

DETAILS_LIMIT = 400  # numbers in the details panel before it summarises an array
TITLE_LIMIT = 200  # numbers in a tooltip, as the SVG's

StepKind = Literal["forward", "seed", "backward"]
EdgeKey = tuple[str, str, int]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Step:
    kind: StepKind
    node: str


class Timeline:
    """The steps of a run, and the stage from which each number is known."""

    def __init__(self, result: GraphResult) -> None:
        nodes = {n.id: n for n in result.nodes}
        ops = [i for i in result.order if nodes[i].op not in SOURCE_OPS]
        # Only the output's ancestors take part in the backward pass.
        ancestors = {result.output}
        todo = [result.output]
        while todo:
            for src in nodes[todo.pop()].inputs:
                if src not in ancestors:
                    ancestors.add(src)
                    todo.append(src)
        self.output = result.output
        self.steps = [
            *(Step("forward", i) for i in ops),
            Step("seed", result.output),
            *(Step("backward", i) for i in reversed(ops) if i in ancestors),
        ]
        self.forward_count = len(ops)
        self.total = len(self.steps)
        self.seed_at = self.forward_count + 1
        self.value_at = {i: 0 for i in result.order} | {i: k + 1 for k, i in enumerate(ops)}
        back_at = {s.node: k + 1 for k, s in enumerate(self.steps) if s.kind == "backward"}
        self.consumers: dict[str, list[EdgeResult]] = {i: [] for i in result.order}
        self.edge_grad_at: dict[EdgeKey, int] = {}
        for e in result.edges:
            self.consumers[e.source].append(e)
            self.edge_grad_at[(e.source, e.target, e.index)] = back_at.get(e.target, self.total)
        # A node's gradient is whole once every node it feeds has passed it back.
        self.grad_at: dict[str, int] = {}
        for i in result.order:
            out = self.consumers[i]
            if i == result.output:
                self.grad_at[i] = self.seed_at
            elif out:
                self.grad_at[i] = max(self.edge_grad_at[(e.source, e.target, e.index)] for e in out)
            else:
                self.grad_at[i] = self.total

    def state(self, s: int) -> tuple[str, dict[str, int]]:
        """The state's key and the numbers its text names, at stage ``s``."""
        f, total = self.forward_count, self.total
        if s <= 0:
            return "none", {}
        if s < f:
            return "forward", {"k": s, "n": f}
        if s == f:
            return "forward-done", {}
        if s < total:
            return "backward", {"k": s - f, "n": total - f}
        return "backward-done", {}


_STATE_TEXTS = {
    "none": "state_none",
    "forward": "state_forward",
    "forward-done": "state_forward_done",
    "backward": "state_backward",
    "backward-done": "state_backward_done",
}


def fill(template: str, tokens: Mapping[str, str]) -> str:
    """``{name}`` -> its token; a placeholder without one stays as it is."""
    return _PLACEHOLDER.sub(lambda m: tokens.get(m.group(1), m.group(0)), template)


def fill_numbers(template: str, numbers: Mapping[str, str]) -> str:
    """A formula with numbers in its placeholders, a negative one in parentheses where an
    operator would run into its sign: −(−0.235), 2 + (−3), (−3)², but max(0, −1)."""

    def number(m: re.Match[str]) -> str:
        text = numbers.get(m.group(1), m.group(0))
        if not text.startswith(MINUS):
            return text
        before = template[: m.start()].rstrip()
        after = template[m.end() :]
        alone = (not before or before[-1] in "([,") and not after.startswith(("^", "²", "ᵀ"))
        return text if alone else f"({text})"

    return _PLACEHOLDER.sub(number, template)


# --- the slots ----------------------------------------------------------------------------


class _Written:
    """Each number written once: an edge carries its source's very array, and an array
    takes far longer to write out than to look up. Keyed by the arrays' ids: the result
    holds every one of them while its view is built."""

    def __init__(self, words: Mapping[str, str]) -> None:
        self.words = words
        self._labels: dict[int, str] = {}
        self._texts: dict[tuple[str, int, int], str] = {}

    def label(self, value: Any) -> str:
        """The slot's label; a labels input's absent gradient is "–"."""
        if value is None:
            return labels.NO_GRADIENT
        key = id(value)
        if key not in self._labels:
            self._labels[key] = labels.label(value)
        return self._labels[key]

    def text(self, value: Any, limit: int, *, exact: bool = False) -> str:
        """The numbers as a person writes them, or (``exact``) every digit; past ``limit``
        numbers a summary; the words for no gradient."""
        # Within its limit an array is written out whole, whatever the limit: share it.
        summarised = isinstance(value, np.ndarray) and value.size > limit
        key = ("exact" if exact else "plain", id(value), limit if summarised else -1)
        if key not in self._texts:
            if exact and value is not None:
                self._texts[key] = labels.exact_text(value, limit)
            else:
                self._texts[key] = labels.number_text(self.words, value, known=True, limit=limit)
        return self._texts[key]

    def slot(self, value: Any) -> dict[str, Any]:
        """One number as the page shows it once it is known: its label, its numbers as a
        person writes them and, when they differ, every digit (``exact``)."""
        if value is None:
            return {"label": labels.NO_GRADIENT, "text": self.words["no_gradient"], "none": True}
        text = self.text(value, DETAILS_LIMIT)
        slot: dict[str, Any] = {"label": self.label(value), "text": text}
        exact = self.text(value, DETAILS_LIMIT, exact=True)
        if exact != text:
            slot["exact"] = exact
        if np.ndim(value) > 0:
            arr = np.asarray(value)  # the engine's arrays; a plain list in tests
            heat = labels.heat_cells(arr, arr.shape)
            slot["cells"], slot["key"] = heat.fills, heat.key
            if heat.numbers is not None:
                slot["numbers"], slot["inks"] = heat.numbers, heat.inks
            else:
                slot["negatives"] = heat.negatives
        return slot

    def titles(self, head: str, value: Any, grad: Any) -> list[str]:
        """The tooltip before anything is known, once the value is, once both are."""
        line = labels.number_line
        pending = labels.number_text(self.words, None, known=False)
        value_unknown = line(self.words, "value", pending)
        value_known = line(self.words, "value", self.text(value, TITLE_LIMIT))
        grad_unknown = line(self.words, "gradient", pending)
        grad_known = line(self.words, "gradient", self.text(grad, TITLE_LIMIT))
        return [
            labels.title(head, value_unknown, grad_unknown),
            labels.title(head, value_known, grad_unknown),
            labels.title(head, value_known, grad_known),
        ]


# --- the local rule ------------------------------------------------------------------------


class _Rules:
    """The local rule of each step, with the run's numbers in the registry's placeholders."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        result: GraphResult,
        timeline: Timeline,
        texts: Mapping[str, str],
        lang: str,
    ) -> None:
        self.lang = lang
        self.nodes = {n.id: n for n in result.nodes}
        self.edges = {(e.source, e.target, e.index): e for e in result.edges}
        self.attrs = {
            n["id"]: n.get("attrs") or {}
            for n in _spec_nodes(spec)
            if isinstance(n.get("id"), str) and isinstance(n.get("attrs") or {}, Mapping)
        }
        self.timeline = timeline
        self.texts = texts

    @staticmethod
    def result(value: Any) -> str:
        """What a formula comes to; a labels input's absent gradient is "–"."""
        return labels.NO_GRADIENT if value is None else labels.rule_result(value)

    def lines(self, s: int) -> list[dict[str, str]]:
        if s == 0:
            return [_line("hint", self.texts["rule_sources"])]
        step = self.timeline.steps[s - 1]
        n = self.nodes[step.node]
        if step.kind == "seed":
            dout = self.result(n.grad)
            return [
                _line("step-title", fill(self.texts["rule_seed"], {"node": n.id, "dout": dout}))
            ]
        names, numbers, arrays = self._tokens(n)
        rule = OPS[n.op].rule
        assert rule is not None, f"{n.op} has no rule"

        def written(lhs: str, template: str, value: Any) -> str:
            """lhs = the formula in names = in numbers (when every number fits in it) = its
            value, each side once: "∂L/∂x = dout = 3", never "= 3 = 3"."""
            sides = [lhs, fill_numbers(template, names)]
            if not arrays & set(_PLACEHOLDER.findall(template)):
                sides.append(fill_numbers(template, numbers))
            sides.append(self.result(value))
            kept = [side for k, side in enumerate(sides) if k == 0 or side != sides[k - 1]]
            return " = ".join(kept)

        # what the rule means, in the book's words (the registry's note)
        note = _line("note", rule.note.get(self.lang) or rule.note["en"])
        if step.kind == "forward":
            return [
                _line("step-title", fill(self.texts["rule_forward"], {"node": n.id})),
                _line("rule", written(n.id, rule.forward, n.value)),
                note,
            ]
        out = [
            _line("step-title", fill(self.texts["rule_backward"], {"node": n.id})),
            _line("rule grad", fill(self.texts["rule_dout"], {"value": self.result(n.grad)})),
        ]
        for i, src in enumerate(n.inputs):
            e = self.edges[(src, n.id, i)]
            template = rule.backward[i] if i < len(rule.backward) else None
            if e.grad is None or template is None:
                out.append(_line("rule", fill(self.texts["rule_labels"], {"node": src})))
                continue
            out.append(_line("rule grad", written(f"∂L/∂{src}", template, e.grad)))
        # A node whose every consumer is now done, fed into several: the Repeat rule.
        for src in dict.fromkeys(n.inputs):
            fed = self.timeline.consumers[src]
            if len(fed) < 2 or self.timeline.grad_at[src] > s:
                continue
            parts = " + ".join(
                self.result(e.grad) if k == 0 else labels.rule_operand(e.grad)
                for k, e in enumerate(fed)
            )
            total = f"∂L/∂{src} = {parts} = {self.result(self.nodes[src].grad)}"
            tokens = {"node": src, "count": str(len(fed)), "sum": total}
            out.append(_line("rule grad", fill(self.texts["rule_fanout"], tokens)))
        out.append(note)
        return out

    def _tokens(self, n: NodeResult) -> tuple[dict[str, str], dict[str, str], set[str]]:
        """Each placeholder in names and in numbers, and those that stand for an array."""
        names = {"out": n.id, "dout": "dout"}
        numbers = {"out": self.result(n.value), "dout": self.result(n.grad)}
        arrays = {k for k, v in (("out", n.value), ("dout", n.grad)) if _is_array(v)}
        op = OPS[n.op]
        for name, src_id in zip(op.input_names, n.inputs, strict=False):
            src = self.nodes[src_id]
            names[name] = src.id
            numbers[name] = self.result(src.value)
            if _is_array(src.value):
                arrays.add(name)
        # An attr's placeholder shows its value: {exponent} -> 2, {axis} -> None.
        given = self.attrs.get(n.id, {})
        for attr in op.attrs:
            value = given.get(attr.name)
            if value is None and not attr.required:
                value = attr.default
            text = attr.format(value).replace("-", MINUS)
            names[attr.name] = numbers[attr.name] = text
        return names, numbers, arrays


def _line(cls: str, text: str) -> dict[str, str]:
    return {"cls": cls, "text": text}


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.ndim > 0


# --- the view -------------------------------------------------------------------------------


def _spec_nodes(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    raw = spec.get("nodes") if isinstance(spec, Mapping) else None
    return [n for n in raw if isinstance(n, Mapping)] if isinstance(raw, list) else []


def fields(spec: Mapping[str, Any], op_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """The inputs panel's fields: every input and param, its label with its shape."""
    out = []
    for node in _spec_nodes(spec):
        node_id, op = node.get("id"), node.get("op")
        if not isinstance(node_id, str) or op not in SOURCE_OPS:
            continue
        value = node.get("value")
        multiline = isinstance(value, list)
        where = op_titles.get(str(op), str(op))
        if multiline:
            with suppress(ValueError, TypeError):  # ragged: the engine names the problem
                where += " " + format_shape(np.asarray(value, dtype=np.float64).shape)
        out.append({"node": node_id, "label": f"{node_id} ({where})", "multiline": multiline})
    return out


def run_view(
    spec: Mapping[str, Any],
    result: GraphResult,
    *,
    words: Mapping[str, str],
    texts: Mapping[str, str],
    op_titles: Mapping[str, str],
    lang: str = "en",
) -> dict[str, Any]:
    """Everything the explorer shows of ``result``, at every stage, as data.

    ``words`` are the picture's (as :func:`app.drawing.render_layout` takes them), ``texts``
    the page's (state_*, rule_*), ``op_titles`` each op's name for people, ``lang`` picks
    each op's note.
    """
    timeline = Timeline(result)
    written = _Written(words)
    rules = _Rules(spec, result, timeline, texts, lang)
    stages = []
    for s in range(timeline.total + 1):
        key, counts = timeline.state(s)
        text = fill(texts[_STATE_TEXTS[key]], {k: str(v) for k, v in counts.items()})
        current = timeline.steps[s - 1].node if s > 0 else None
        stages.append({"state": key, "text": text, "current": current, "lines": rules.lines(s)})

    nodes = {}
    for n in result.nodes:
        head = labels.node_head(n.id, op_titles.get(n.op, n.op), n.shape)
        nodes[n.id] = {
            "value_at": timeline.value_at[n.id],
            "grad_at": timeline.grad_at[n.id],
            "heading": labels.node_heading(n.id, n.op, n.shape),
            "titles": written.titles(head, n.value, n.grad),
            "value": written.slot(n.value),
            "grad": written.slot(n.grad),
        }
    edges = []
    for e in result.edges:
        edges.append(
            {
                "source": e.source,
                "target": e.target,
                "index": e.index,
                "value_at": timeline.value_at[e.source],
                "grad_at": timeline.edge_grad_at[(e.source, e.target, e.index)],
                "heading": f"{e.source} → {e.target}",
                "titles": written.titles(
                    labels.edge_head(words, e.source, e.target, e.index), e.value, e.grad
                ),
                "value": written.slot(e.value),
                "grad": written.slot(e.grad),
            }
        )
    out = result.node(result.output)
    edges.append(
        {
            "source": out.id,
            "target": "",  # the output arrow, as the SVG marks it
            "index": -1,
            "value_at": timeline.value_at[out.id],
            "grad_at": timeline.seed_at,
            "heading": f"{out.id} → {words['output']}",
            "titles": written.titles(
                labels.edge_head(words, out.id, None, -1), out.value, out.grad
            ),
            "value": written.slot(out.value),
            "grad": written.slot(out.grad),
        }
    )
    return {
        "ran": True,
        "pending": labels.PENDING,
        "forward_count": timeline.forward_count,
        "stages": stages,
        "nodes": nodes,
        "edges": edges,
        "fields": fields(spec, op_titles),
        # the layer classes beside the graph, and what of them runs at each stage
        "code": code_view(spec, result, timeline.steps),
    }


def error_view(
    spec: Mapping[str, Any],
    *,
    texts: Mapping[str, str],
    op_titles: Mapping[str, str],
    words: Mapping[str, str],
    shapes: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, Any]:
    """The view of a graph that cannot run: no numbers, one stage, its input fields, and
    each node as it is now (its shape where its value or the layout knows it), so that
    nothing of an earlier run stays on the page."""
    stage = {
        "state": "error",
        "text": texts["state_error"],
        "current": None,
        "lines": [_line("hint", texts["local_idle"])],
    }
    unknown = {"label": labels.PENDING, "text": texts["details_cannot_run"]}
    pending = labels.number_text(words, None, known=False)
    nodes: dict[str, Any] = {}
    for node in _spec_nodes(spec):
        node_id, op = node.get("id"), node.get("op")
        if not isinstance(node_id, str) or node_id in nodes:
            continue
        op_name = str(op)
        shape = (shapes or {}).get(node_id)
        # As the picture drawn without numbers titles it: nothing known.
        title = labels.title(
            labels.node_head(node_id, op_titles.get(op_name, op_name), None),
            labels.number_line(words, "value", pending),
            labels.number_line(words, "gradient", pending),
        )
        nodes[node_id] = {
            "value_at": 0,
            "grad_at": 0,
            "heading": labels.node_heading(node_id, op_name, shape),
            "titles": [title, title, title],
            "value": unknown,
            "grad": unknown,
        }
    return {
        "ran": False,
        "pending": labels.PENDING,
        "forward_count": 0,
        "stages": [stage],
        "nodes": nodes,
        "edges": [],
        "fields": fields(spec, op_titles),
    }


def layout_key(
    spec: Mapping[str, Any], shapes: Mapping[str, Sequence[int]], *, numbers: bool
) -> str:
    """Names the picture a spec is drawn as: the same key, the same SVG but for its numbers.

    The layout reads the nodes' ids, ops, inputs and attrs, the output and the shapes;
    whether it was drawn with numbers decides how a label's missing gradient looks.
    """
    structure = [
        [n.get("id"), n.get("op"), n.get("inputs"), n.get("attrs")] for n in _spec_nodes(spec)
    ]
    output = spec.get("output") if isinstance(spec, Mapping) else None
    drawn = sorted((str(k), [int(d) for d in v]) for k, v in shapes.items())
    payload = json.dumps([structure, output, drawn, numbers], default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


__all__ = ["Step", "Timeline", "error_view", "fields", "fill", "layout_key", "run_view"]
