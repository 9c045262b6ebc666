"""The pages' JavaScript knows no op, rule, attr or number format: the server gives them.

Op knowledge lives in ``core.ops`` and reaches the page as data (the op catalog); numbers
and shapes are written by ``core.format`` on the server. A string literal in
``static/js`` equal to an op's name or an attr's name, a rule template, or a call that
formats a number would be a second copy of that knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.ops import OPS

JS_DIR = Path(__file__).resolve().parents[2] / "static" / "js"
SCRIPTS = sorted(JS_DIR.glob("*.js"))  # static/vendor is not ours

OP_NAMES = frozenset(OPS)
ATTR_NAMES = frozenset(attr.name for op in OPS.values() for attr in op.attrs)
RULE_TEMPLATES = sorted(
    {t for op in OPS.values() if op.rule for t in (op.rule.forward, *op.rule.backward) if t}
)
FORMATTING = re.compile(
    r"\.(toFixed|toExponential|toPrecision|toLocaleString)\s*\(|Intl\.NumberFormat|\.toString\(16\)"
)
# HTML's own words may sound like an op or an attr: an element's tag (el("input")), an
# event's name (addEventListener("input")), a class (class: "axis").
HTML_WORD = re.compile(
    r"(?:\bel\(|createElement\(|createElementNS\([^,]*,|addEventListener\(|\bclass:)\s*$"
)


@dataclass(frozen=True)
class Literal:
    text: str  # the string's characters (a template literal: its static parts, joined by \0)
    before: str  # the source just before it, to tell an element's tag from a name


def literals(source: str) -> list[Literal]:
    """Every string and template literal of a script, skipping comments and regexes."""
    found: list[Literal] = []
    i, n = 0, len(source)
    previous = ""  # the last significant character, to tell a regex from a division
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "'\"":
            end = i + 1
            while end < n and source[end] != c:
                end += 2 if source[end] == "\\" else 1
            found.append(Literal(source[i + 1 : end], source[max(0, i - 40) : i]))
            i, previous = end + 1, c
        elif c == "`":
            parts, end, depth, start = [], i + 1, 0, i + 1
            while end < n and not (source[end] == "`" and depth == 0):
                if source.startswith("${", end) and depth == 0:
                    parts.append(source[start:end])
                    depth, end = 1, end + 2
                elif depth and source[end] in "{}":
                    depth += 1 if source[end] == "{" else -1
                    end += 1
                    start = end
                elif source[end] == "\\":
                    end += 2
                else:
                    end += 1
            parts.append(source[start:end] if depth == 0 else "")
            found.append(Literal("\0".join(parts), source[max(0, i - 40) : i]))
            i, previous = end + 1, c
        elif c == "/" and (previous == "" or previous in "(,=:[!&|?{};"):
            end = i + 1  # a regex literal: up to its closing slash, classes included
            in_class = False
            while end < n and (source[end] != "/" or in_class):
                if source[end] == "\\":
                    end += 1
                elif source[end] in "[]":
                    in_class = source[end] == "["
                end += 1
            i, previous = end + 1, "/"
        else:
            if not c.isspace():
                previous = c
            i += 1
    return found


def problems(name: str, source: str) -> list[str]:
    found = []
    for lit in literals(source):
        for part in lit.text.split("\0"):
            if HTML_WORD.search(lit.before):
                continue
            if part in OP_NAMES:
                found.append(f"{name}: the op name {part!r} as a string")
            if part in ATTR_NAMES:
                found.append(f"{name}: the attr name {part!r} as a string")
    for template in RULE_TEMPLATES:
        if template in source:
            found.append(f"{name}: the rule {template!r}")
    for attr in sorted(ATTR_NAMES):
        if re.search(rf"\.{attr}\b", source):
            found.append(f"{name}: reads the attr .{attr} by name")
    found += [f"{name}: formats a number ({m.group(0)})" for m in FORMATTING.finditer(source)]
    return found


def test_the_scanner_finds_what_it_looks_for() -> None:
    bad = (
        'const op = "mul"; // "add" in a comment is fine\n'
        'const re = /"sum"/g;\n'
        'el("input", {}); document.createElement("div");\n'
        "const rule = `{dout} × {y}`; x.toFixed(2); node.attrs.axis = 1;\n"
        "const t = `${a}exponent${b}`; const k = 'keepdims';\n"
    )
    found = problems("bad.js", bad)
    assert found == [
        "bad.js: the op name 'mul' as a string",
        "bad.js: the attr name 'exponent' as a string",
        "bad.js: the attr name 'keepdims' as a string",
        "bad.js: the rule '{dout}'",  # add's backward, inside mul's
        "bad.js: the rule '{dout} × {y}'",
        "bad.js: reads the attr .axis by name",
        "bad.js: formats a number (.toFixed()",
    ]
    html = 'el("input"); x.addEventListener("input", f); el("line", { class: "axis" });'
    assert problems("fine.js", html) == []


def test_there_are_scripts_to_check() -> None:
    names = {p.name for p in SCRIPTS}
    assert {"explorer.js", "api.js", "stepper.js", "panels.js", "builder.js"} <= names
    assert "numbers.js" not in names and "graph.js" not in names


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_no_script_writes_op_knowledge_or_formats_numbers(path: Path) -> None:
    assert problems(path.name, path.read_text(encoding="utf-8")) == []
