"""Every message of the core's errors exists once, in English and Korean (core/messages.py).

The table is walked key by key (both languages, the same placeholders); the core's raise
sites are read to check they use it (no sentence written at a raise site, no key that is
not in the table, none in the table that nothing uses); and every error a learner can
meet is raised and said in Korean, its English text as it always was.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import core.errors
from core import Limits, run_graph
from core.errors import GraphError
from core.expression import expression_to_spec
from core.gradcheck import check_graph
from core.lab import check_iterations
from core.messages import LANGUAGES, MESSAGES, Message, Term, placeholders
from core.optimizers import make_optimizer
from core.step import step_graph

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
# the core's raise sites, and the drawing's (it refuses a drawing too large with a core error)
SOURCES = sorted(p for p in CORE.rglob("*.py") if p.name != "messages.py") + sorted(
    (ROOT / "app" / "drawing").rglob("*.py")
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
GRAPH_ERRORS = {
    name
    for name, cls in vars(core.errors).items()
    if isinstance(cls, type) and issubclass(cls, GraphError)
}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    templates = MESSAGES[key]
    assert set(templates) == set(LANGUAGES), f"{key}: languages {sorted(templates)}"
    english, korean = templates["en"], templates["ko"]
    assert english.strip() and korean.strip(), f"{key}: an empty template"
    assert placeholders(english) == placeholders(korean), (
        f"{key}: English names {sorted(placeholders(english))}, "
        f"Korean {sorted(placeholders(korean))}"
    )
    assert not HANGUL.search(english), f"{key}: Korean in the English template"


def _literals(tree: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _key_arguments(tree: ast.AST) -> list[tuple[int, str]]:
    """The first argument of every ``X.of("key", ...)``, ``msg("key")``, ``Message("key")``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        named = (isinstance(func, ast.Attribute) and func.attr == "of") or (
            isinstance(func, ast.Name) and func.id in ("msg", "Message")
        )
        first = node.args[0]
        if named and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, first.value))
    return found


def test_the_raise_sites_name_keys_of_the_table_and_the_table_has_no_unused_key() -> None:
    used: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        used |= _literals(tree)
        for line, key in _key_arguments(tree):
            assert key in MESSAGES, f"{path.name}:{line}: no message {key!r} in MESSAGES"
    unused = sorted(set(MESSAGES) - used)
    assert unused == [], f"messages no raise site uses: {unused}"


def test_no_core_error_is_raised_with_a_sentence_written_at_the_raise_site() -> None:
    """A text given at the raise site would exist in English only."""
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name in GRAPH_ERRORS and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
                offenders.append(f"{path.relative_to(CORE.parent)}:{node.lineno} {name}(...)")
    assert offenders == [], "raise with .of(key, node, ...) instead: " + ", ".join(offenders)


def test_a_term_is_named_by_its_label_on_a_page_and_by_its_api_name_otherwise() -> None:
    term = Term("attrs.exponent", {"en": "Exponent", "ko": "지수"})
    message = Message(
        "attr_kind",
        {"node": "y", "op": "pow", "attr": term, "kind": Message("attr_number"), "got": "'a'"},
    )
    assert message.text() == "node 'y' (pow): attrs.exponent must be a finite number, got 'a'"
    assert (
        message.text("en", page=True) == "node 'y' (pow): Exponent must be a finite number, got 'a'"
    )
    assert (
        message.text("ko", page=True)
        == "노드 'y' (pow): 지수: 유한한 수이어야 합니다 (받은 값: 'a')"
    )
    assert message.text("fr") == message.text("en"), "an unknown language falls back to English"
    with pytest.raises(KeyError, match="no message 'nope'"):
        Message("nope")


def test_an_error_made_from_a_plain_text_says_it_in_every_language() -> None:
    error = core.errors.ShapeError("node 'z': made by hand", "z")
    assert error.key is None and error.localized("ko") == error.message == str(error)


# --- every error a learner can meet, said in Korean ----------------------------------


def inp(node_id: str, value: Any, op: str = "input") -> dict[str, Any]:
    return {"id": node_id, "op": op, "value": value}


def op(node_id: str, name: str, *inputs: str, **attrs: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": name, "inputs": list(inputs)}
    if attrs:
        node["attrs"] = attrs
    return node


def graph(*nodes: dict[str, Any], **rest: Any) -> Callable[[], Any]:
    return lambda: run_graph({"nodes": list(nodes), **rest})


def expression(text: str, **values: Any) -> Callable[[], Any]:
    return lambda: expression_to_spec(text, values)


TRAINABLE = {
    "nodes": [
        inp("x", [[1.0, 2.0]]),
        inp("W", [[1.0], [2.0]], "param"),
        op("y", "matmul", "x", "W"),
        op("l", "sum", "y"),
    ]
}
M = np.ones((2, 3)).tolist()

# (what, how to meet it, the English text a test or a program may rely on)
LEARNER_ERRORS: list[tuple[str, Callable[[], Any], str]] = [
    # shapes, one per op that checks them
    (
        "broadcast",
        graph(inp("x", [1, 2]), inp("y", [1, 2, 3]), op("z", "add", "x", "y")),
        "cannot broadcast",
    ),
    (
        "matmul 2-D",
        graph(inp("x", [1, 2]), inp("W", M), op("z", "matmul", "x", "W")),
        "must be a matrix",
    ),
    (
        "matmul columns",
        graph(inp("x", M), inp("W", M), op("z", "matmul", "x", "W")),
        "x has 3 columns but W has 2 rows",
    ),
    (
        "affine columns",
        graph(inp("x", M), inp("W", M), inp("b", [1, 2, 3]), op("z", "affine", "x", "W", "b")),
        "do not fit",
    ),
    (
        "affine bias",
        graph(inp("x", [[1, 2]]), inp("W", M), inp("b", [1, 2]), op("z", "affine", "x", "W", "b")),
        "b has shape (2,)",
    ),
    ("sum axis", graph(inp("x", [1, 2]), op("z", "sum", "x", axis=3)), "out of range"),
    (
        "repeat axis",
        graph(inp("x", [1, 2]), op("z", "repeat", "x", repeats=2, axis=-3)),
        "out of range",
    ),
    ("softmax scalar", graph(inp("x", 1), op("z", "softmax", "x")), "got a scalar"),
    (
        "loss scores",
        graph(inp("s", [1, 2]), inp("t", [1]), op("z", "softmax_with_loss", "s", "t")),
        "the scores must be",
    ),
    (
        "loss labels shape",
        graph(inp("s", [[1, 2]]), inp("t", [1, 0]), op("z", "softmax_with_loss", "s", "t")),
        "class indices",
    ),
    ("dout shape", graph(inp("x", [1, 2]), dout=[1, 2, 3]), "dout has shape (3,)"),
    # labels
    (
        "one-hot",
        graph(inp("s", [[1, 2]]), inp("t", [[1, 1]]), op("z", "softmax_with_loss", "s", "t")),
        "one-hot labels",
    ),
    (
        "label range",
        graph(inp("s", [[1, 2]]), inp("t", [5]), op("z", "softmax_with_loss", "s", "t")),
        "label 5 is out of range",
    ),
    # inf or nan, each op's cause
    (
        "overflow add",
        graph(inp("x", 1e308), inp("y", 1e308), op("z", "add", "x", "y")),
        "the sum overflowed",
    ),
    (
        "overflow sub",
        graph(inp("x", 1e308), inp("y", -1e308), op("z", "sub", "x", "y")),
        "the difference overflowed",
    ),
    (
        "overflow mul",
        graph(inp("x", 1e300), inp("y", 1e300), op("z", "mul", "x", "y")),
        "the product overflowed",
    ),
    ("divide by 0", graph(inp("x", 1), inp("y", 0), op("z", "div", "x", "y")), "division by zero"),
    ("exp", graph(inp("x", 1000), op("z", "exp", "x")), "exp overflowed"),
    ("log", graph(inp("x", -1), op("z", "log", "x")), "log of a non-positive number"),
    ("pow overflow", graph(inp("x", 10), op("z", "pow", "x", exponent=1000)), "x ** p overflowed"),
    ("pow negative", graph(inp("x", -8), op("z", "pow", "x", exponent=0.5)), "a negative base"),
    ("pow zero", graph(inp("x", 0), op("z", "pow", "x", exponent=-1)), "0 to a negative power"),
    ("square", graph(inp("x", 1e200), op("z", "square", "x")), "the result overflowed"),
    (
        "matmul overflow",
        graph(inp("x", [[1e200]]), inp("W", [[1e200]]), op("z", "matmul", "x", "W")),
        "the product overflowed",
    ),
    (
        "gradient",
        graph(inp("x", 1e300), inp("y", 1e-300), op("z", "mul", "x", "y"), dout=1e300),
        "the gradient flowing back",
    ),
    ("input inf", graph(inp("x", [1.0, float("nan")])), "contains inf or nan"),
    # values
    ("missing", graph(inp("x", None)), "value is missing"),
    ("text", graph(inp("x", "abc")), "found a string"),
    ("ragged", graph(inp("x", [[1, 2], [3]])), "is ragged"),
    ("too large", graph(inp("x", 10**400)), "too large for a float"),
    ("empty", graph(inp("x", [])), "value is empty"),
    ("holds null", graph(inp("x", [1, None])), "holds null"),
    (
        "computed value",
        graph(inp("x", 1), {**op("y", "neg", "x"), "value": 2}),
        "computes its value",
    ),
    # the graph's structure
    (
        "cycle",
        graph(inp("x", 1), op("y", "add", "x", "z"), op("z", "neg", "y")),
        "the graph has a cycle",
    ),
    ("unknown input", graph(inp("x", 1), op("y", "neg", "q")), "input 'q' is not a node"),
    ("unknown output", graph(inp("x", 1), output="q"), "output 'q' is not a node"),
    ("unknown op", graph(inp("x", 1), op("y", "nope", "x")), "unknown op 'nope'"),
    ("arity", graph(inp("x", 1), op("y", "add", "x")), "takes 2 (x, y) inputs, got 1"),
    ("arity source", graph(inp("x", 1), op("y", "input", "x")), "takes none (it holds a value)"),
    ("duplicate", graph(inp("x", 1), inp("x", 2)), "is used twice"),
    ("bad id", graph(inp("a b", 1)), "must be 1 to 64 letters"),
    ("no nodes", graph(), "'nodes' is empty"),
    # attrs
    (
        "attr type",
        graph(inp("x", 1), op("z", "pow", "x", exponent="a")),
        "attrs.exponent must be a finite number",
    ),
    (
        "attr int",
        graph(inp("x", 1), op("z", "repeat", "x", repeats=0)),
        "attrs.repeats must be a positive integer",
    ),
    (
        "attr unknown",
        graph(inp("x", 1), op("z", "neg", "x", foo=1)),
        "unknown attrs foo (allowed: none)",
    ),
    # limits
    (
        "limit nodes",
        lambda: run_graph({"nodes": [inp(f"x{i}", 1) for i in range(4)]}, Limits(max_nodes=3)),
        "the limit is 3",
    ),
    (
        "limit array",
        lambda: run_graph({"nodes": [inp("x", [0.0] * 10)]}, Limits(max_array_elements=3)),
        "10 elements",
    ),
    (
        "limit node",
        lambda: run_graph(
            {"nodes": [inp("x", [0.0] * 40), op("a", "repeat", "x", repeats=40)]},
            Limits(max_array_elements=1000),
        ),
        "would hold 1600 elements",
    ),
    (
        "limit total",
        lambda: run_graph(
            {"nodes": [inp("x", [0.0] * 400), op("a", "neg", "x"), op("b", "neg", "a")]},
            Limits(max_total_elements=1000),
        ),
        "reached at node 'b'",
    ),
    (
        "check elements",
        lambda: check_graph(TRAINABLE, limits=Limits(max_check_elements=1)),
        "perturb 4 elements",
    ),
    (
        "check work",
        lambda: check_graph(TRAINABLE, limits=Limits(max_check_work=10)),
        "element evaluations",
    ),
    (
        "lab work",
        lambda: check_iterations(1000, 1),
        "max_epoch 1000 with batch_size 1 makes 300000 updates",
    ),
    # typed expressions
    ("expr empty", expression("  "), "the expression is empty"),
    ("expr syntax", expression("(x", x=1), "is not valid at column 1"),
    ("expr operator", expression("x // 2", x=1), "the operator // is not allowed"),
    ("expr refused", expression("x.real", x=1), "attribute access (a.b) is not allowed"),
    ("expr function", expression("foo(x)", x=1), "unknown function 'foo'"),
    ("expr arguments", expression("exp(x, x)", x=1), "takes exactly one argument"),
    ("expr constant", expression("'a'"), "only numbers are"),
    ("expr no value", expression("x * tax", x=1), "the variable 'tax' has no value"),
    ("expr exponent", expression("x ** y", x=1, y=2), "the exponent of ** must be a number"),
    ("expr function name", expression("exp + 1"), "exp is a function"),
    ("expr too long", expression("x" * 2001), "2001 characters"),
    # optimizer steps
    ("unknown optimizer", lambda: make_optimizer("lbfgs"), "unknown optimizer 'lbfgs'"),
    ("unknown hyper", lambda: step_graph(TRAINABLE, "sgd", {"foo": 1}), "no hyperparameter 'foo'"),
    ("lr text", lambda: step_graph(TRAINABLE, "sgd", {"lr": "a"}), "lr must be a number"),  # type: ignore[dict-item]
    ("lr negative", lambda: step_graph(TRAINABLE, "sgd", {"lr": -1}), "lr must be positive"),
    (
        "momentum range",
        lambda: step_graph(TRAINABLE, "momentum", {"momentum": 1.5}),
        "must be in [0, 1)",
    ),
    ("no params", lambda: step_graph({"nodes": [inp("x", 1)]}, "sgd"), "no param node"),
    (
        "step inf",
        lambda: step_graph(
            {"nodes": [inp("x", 1e100), inp("W", 1e200, "param"), op("y", "mul", "x", "W")]},
            "sgd",
            {"lr": 1e300},
        ),
        "try a smaller lr",
    ),
    (
        "state of another",
        lambda: step_graph(TRAINABLE, "sgd", state={"optimizer": "adam", "t": 0, "params": {}}),
        "start sgd without a state",
    ),
    (
        "state shape",
        lambda: step_graph(
            TRAINABLE,
            "momentum",
            state={"optimizer": "momentum", "t": 1, "params": {"W": {"v": [1.0]}}},
        ),
        "has shape (1,)",
    ),
]


@pytest.mark.parametrize(
    ("what", "meet", "english"), LEARNER_ERRORS, ids=[c[0] for c in LEARNER_ERRORS]
)
def test_every_error_a_learner_meets_is_said_in_korean_and_its_english_stays(
    what: str, meet: Callable[[], Any], english: str
) -> None:
    with pytest.raises(GraphError) as caught:
        meet()
    error = caught.value
    assert error.key in MESSAGES, f"{what}: raised without a message key: {error.message}"
    assert english in error.message, f"{what}: the English text changed: {error.message}"
    assert str(error) == error.message
    korean = error.localized("ko")
    assert HANGUL.search(korean), f"{what}: no Korean in {korean!r}"
    leftover = [word for word in ("must", " is ", "has ", "the ", "got ") if word in korean]
    assert leftover == [], f"{what}: English words {leftover} in {korean!r}"
    if error.node is not None:
        assert error.node in korean, f"{what}: the Korean text does not name {error.node!r}"
