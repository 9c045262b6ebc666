"""core.expression: the grammar, the graph it builds, and everything it refuses."""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pytest

from core import Limits, run_graph
from core.errors import GraphError, InvalidValueError, LimitError, NonFiniteError, SpecError
from core.expression import (
    MAX_EXPRESSION_CHARS,
    MAX_NESTING,
    ExpressionError,
    expression_to_spec,
    parse_expression,
)


def nodes_of(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in spec["nodes"]}


def value_and_grads(expression: str, **values: Any) -> tuple[Any, dict[str, Any]]:
    result = run_graph(expression_to_spec(expression, values))
    return result.value, {n.id: n.grad for n in result.nodes}


def refused(expression: str, **values: Any) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        expression_to_spec(expression, values)
    return info.value


# --- what it builds --------------------------------------------------------------------


def test_expression_apple_orange_matches_the_book() -> None:
    value, grads = value_and_grads(
        "(apple*apple_num + orange*orange_num)*tax",
        apple=100,
        apple_num=2,
        orange=150,
        orange_num=3,
        tax=1.1,
    )
    assert value == pytest.approx(715)
    assert grads["apple"] == pytest.approx(2.2)
    assert grads["apple_num"] == pytest.approx(110)
    assert grads["orange"] == pytest.approx(3.3)
    assert grads["orange_num"] == pytest.approx(165)
    assert grads["tax"] == pytest.approx(650)


def test_expression_ids_are_numbered_in_computing_order() -> None:
    spec = expression_to_spec("a*b + c", {"a": 1, "b": 2, "c": 3})
    assert [n["id"] for n in spec["nodes"]] == ["a", "b", "mul_1", "c", "add_2"]
    assert spec["output"] == "add_2"
    assert nodes_of(spec)["c"] == {"id": "c", "op": "input", "value": 3}


def test_expression_variable_used_twice_is_one_node() -> None:
    spec = expression_to_spec("x * x", {"x": 3.0})
    assert [n["id"] for n in spec["nodes"]] == ["x", "mul_1"]
    value, grads = value_and_grads("x * x", x=3.0)
    assert (value, grads["x"]) == (9.0, 6.0)


def test_expression_every_operator_and_function() -> None:
    x = 0.7
    cases = {
        "x + 2": (x + 2, 1.0),
        "x - 2": (x - 2, 1.0),
        "2 - x": (2 - x, -1.0),
        "x * 3": (x * 3, 3.0),
        "x / 2": (x / 2, 0.5),
        "1 / x": (1 / x, -1 / x**2),
        "-x": (-x, -1.0),
        "x ** 3": (x**3, 3 * x**2),
        "x ** -1": (1 / x, -1 / x**2),
        "x ** 0.5": (x**0.5, 0.5 * x**-0.5),
        "exp(x)": (np.exp(x), np.exp(x)),
        "log(x)": (np.log(x), 1 / x),
        "sigmoid(x)": (1 / (1 + np.exp(-x)), (1 / (1 + np.exp(-x))) * (1 - 1 / (1 + np.exp(-x)))),
        "relu(x)": (x, 1.0),
        "relu(-x)": (0.0, 0.0),
        "tanh(x)": (np.tanh(x), 1 - np.tanh(x) ** 2),
        "sum(x)": (x, 1.0),
    }
    for expression, (want_value, want_grad) in cases.items():
        value, grads = value_and_grads(expression, x=x)
        assert value == pytest.approx(want_value), expression
        assert grads["x"] == pytest.approx(want_grad), expression


def test_expression_softmax_sum_and_matmul_on_arrays() -> None:
    spec = expression_to_spec(
        "sum(softmax(x @ W))", {"x": [[1.0, 2.0]], "W": [[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]}
    )
    ops = [n["op"] for n in spec["nodes"]]
    assert ops == ["input", "input", "matmul", "softmax", "sum"]
    result = run_graph(spec)
    assert float(result.value) == pytest.approx(1.0)
    assert result.grad("W") == pytest.approx(np.zeros((2, 3)))  # softmax sums to 1 regardless


def test_expression_korean_and_other_scripts() -> None:
    value, grads = value_and_grads("사과 * 개수 + αβ", 사과=100, 개수=2, αβ=1)
    assert value == 201
    assert (grads["사과"], grads["개수"], grads["αβ"]) == (2, 100, 1)


def test_expression_full_width_letters_find_their_value() -> None:
    # Python reads the full-width ｘ as x; the value given as "ｘ" must still be found
    value, _ = value_and_grads("ｘ * 2", **{"ｘ": 4.0})
    assert value == 8.0


def test_expression_numbers_are_input_nodes_named_by_value() -> None:
    spec = expression_to_spec("2 * x + 0.5 - -3", {"x": 1.0})
    nodes = nodes_of(spec)
    assert nodes["2"]["value"] == 2.0
    assert nodes["0.5"]["value"] == 0.5
    assert nodes["-3"]["value"] == -3.0
    assert run_graph(spec).value == 5.5


def test_expression_counter_skips_a_variable_called_like_an_op() -> None:
    spec = expression_to_spec("mul_1 * y", {"mul_1": 2.0, "y": 3.0})
    assert [n["id"] for n in spec["nodes"]] == ["mul_1", "y", "mul_2"]
    assert run_graph(spec).value == 6.0


def test_expression_dout_is_passed_on() -> None:
    spec = expression_to_spec("x * 2", {"x": 1.0}, dout=3.0)
    assert spec["dout"] == 3.0
    assert run_graph(spec).grad("x") == 6.0


def test_expression_unused_values_are_ignored() -> None:
    spec = expression_to_spec("x", {"x": 1.0, "stale": 2.0})
    assert [n["id"] for n in spec["nodes"]] == ["x"]


@pytest.mark.parametrize(
    ("stale", "error", "words"),
    [
        ("two", InvalidValueError, "found a string ('two')"),
        ([1.0, float("nan")], NonFiniteError, "contains inf or nan"),
        ([1.0] * 11, LimitError, "the limit is 10"),
    ],
)
def test_expression_unused_values_are_checked_by_name(
    stale: Any, error: type[GraphError], words: str
) -> None:
    with pytest.raises(error) as info:
        expression_to_spec("x", {"x": 1.0, "stale": stale}, limits=Limits(max_array_elements=10))
    assert info.value.node == "stale"
    assert str(info.value).startswith("node 'stale': value ")
    assert words in str(info.value)


def test_expression_error_is_a_graph_error() -> None:
    assert issubclass(ExpressionError, SpecError)
    assert issubclass(ExpressionError, GraphError)
    assert ExpressionError("x").code == "invalid_expression"


# --- what it refuses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('ls')", "only the functions"),
        ("eval('1')", "unknown function 'eval'"),
        ("x.__class__", "attribute access"),
        ("x.real", "attribute access"),
        ("x[0]", "indexing"),
        ("lambda: 1", "lambda"),
        ("(lambda: 1)()", "only the functions"),
        ("[y for y in x]", "list comprehension"),
        ("{y for y in x}", "set comprehension"),
        ("{y: 1 for y in x}", "dict comprehension"),
        ("sum(y for y in x)", "generator expression"),
        ("x if x else 1", "if ... else"),
        ("x < 1", "comparison"),
        ("x and 1", "'and' / 'or'"),
        ("(y := 2)", "assignment"),
        ("x, 1", "tuple"),
        ("[x]", "list literal"),
        ("{'a': 1}", "dict literal"),
        ("'text'", "only numbers are"),
        ("f'{x}'", "f-string"),
        ("True", "only numbers are"),
        ("None", "only numbers are"),
        ("1j", "only numbers are"),
        ("x // 2", "operator //"),
        ("x % 2", "operator %"),
        ("x ^ 2", "operator ^"),
        ("~x", "operator ~"),
        ("not x", "operator not"),
        ("+x", "operator unary +"),
        ("x ** x", "exponent of ** must be a number"),
        ("x ** (1 + 1)", "exponent of ** must be a number"),
        ("exp(x, x)", "exactly one argument"),
        ("exp()", "exactly one argument"),
        ("exp(x=1)", "no keyword arguments"),
        ("exp(*x)", "unpacking"),
        ("print(x)", "unknown function 'print'"),
        ("exp", "exp is a function"),
        ("exp + 1", "exp is a function"),
        ("1e400", "too large"),
        ("x +", "not valid"),
        ("import os", "not valid"),
        ("x = 1", "not valid"),
        ("", "empty"),
        ("   ", "empty"),
        ("x\x00", "not valid"),
        ("x·y", "must be 1 to 64 letters"),
        ("a" * 65, "must be 1 to 64 letters"),
    ],
)
def test_expression_refuses_what_is_not_in_the_grammar(expression: str, words: str) -> None:
    values = {"x": 1.0, "a" * 65: 1.0, "x·y": 1.0}
    error = refused(expression, **values)
    assert words in error.message, error.message


def test_expression_refuses_without_evaluating(tmp_path: Any) -> None:
    marker = tmp_path / "ran"
    expression = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    refused(expression)
    assert not marker.exists()


def test_expression_variable_without_a_value_names_it() -> None:
    error = refused("apple * tax", apple=100)
    assert error.node == "tax"
    assert "'tax' has no value" in error.message


def test_expression_too_long_names_the_limit() -> None:
    error = refused("x+" * 1000 + "x", x=1)
    assert f"the limit is {MAX_EXPRESSION_CHARS}" in error.message
    assert "2001 characters" in error.message


def test_expression_at_the_length_limit_is_fine() -> None:
    text = "(" + "x+" * 49 + "x)"
    text = text + " " * (MAX_EXPRESSION_CHARS - len(text))
    assert run_graph(expression_to_spec(text, {"x": 1.0})).value == 50


@pytest.mark.parametrize(
    "expression",
    [
        "(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1),
        "-" * 1_500 + "x",  # deep enough to break Python's own parser
        "exp(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1),
        "x" + "+x" * MAX_NESTING,  # a chain of 101 additions is 101 levels deep
        "x" + " ** 2" * 300,
    ],
    ids=["parentheses", "unary minus", "calls", "long chain", "power tower"],
)
def test_expression_deeper_than_the_limit_is_refused(expression: str) -> None:
    error = refused(expression, x=0.5)
    assert f"deeper than {MAX_NESTING}" in error.message


def test_expression_at_the_nesting_limit_is_fine() -> None:
    expression = "x" + "+x" * (MAX_NESTING - 1)
    assert run_graph(expression_to_spec(expression, {"x": 1.0})).value == MAX_NESTING


def test_parse_expression_returns_the_tree() -> None:
    tree = parse_expression("a * (b + 1)")
    assert isinstance(tree, ast.BinOp)
    assert ast.unparse(tree) == "a * (b + 1)"


def test_parse_expression_refuses_a_non_string() -> None:
    with pytest.raises(ExpressionError, match="must be a string"):
        parse_expression(42)  # type: ignore[arg-type]
