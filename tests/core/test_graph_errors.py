"""Every way a graph can be invalid raises the core's own error, naming the node."""

from __future__ import annotations

from typing import Any

import pytest

from core import Limits, run_graph
from core.errors import (
    ArityError,
    AttributeSpecError,
    CycleError,
    DuplicateNodeError,
    GraphError,
    InvalidValueError,
    LabelError,
    LimitError,
    NonFiniteError,
    ShapeError,
    SpecError,
    UnknownNodeError,
    UnknownOpError,
)


def inp(node_id: str, value: Any) -> dict[str, Any]:
    return {"id": node_id, "op": "input", "value": value}


def op(node_id: str, name: str, *inputs: str, **attrs: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": name, "inputs": list(inputs)}
    if attrs:
        node["attrs"] = attrs
    return node


CASES: list[tuple[str, dict[str, Any], type[GraphError], str | None, list[str]]] = [
    (
        "unknown op",
        {"nodes": [inp("x", 1), op("y", "sqrt", "x")]},
        UnknownOpError,
        "y",
        ["'sqrt'"],
    ),
    (
        "wrong number of inputs",
        {"nodes": [inp("x", 1), op("y", "mul", "x")]},
        ArityError,
        "y",
        ["takes 2", "got 1"],
    ),
    (
        "unknown input",
        {"nodes": [inp("x", 1), op("y", "neg", "z")]},
        UnknownNodeError,
        "y",
        ["'z'"],
    ),
    (
        "unknown output",
        {"nodes": [inp("x", 1)], "output": "nope"},
        UnknownNodeError,
        "nope",
        ["'nope'"],
    ),
    ("duplicate id", {"nodes": [inp("x", 1), inp("x", 2)]}, DuplicateNodeError, "x", ["twice"]),
    (
        "cycle",
        {
            "nodes": [
                inp("x", 1),
                op("a", "add", "x", "c"),
                op("b", "neg", "a"),
                op("c", "exp", "b"),
            ]
        },
        CycleError,
        "a",
        ["a -> b -> c -> a"],
    ),
    ("self loop", {"nodes": [op("a", "neg", "a")]}, CycleError, "a", ["a -> a"]),
    (
        "shape mismatch",
        {"nodes": [inp("x", [1, 2, 3]), inp("y", [1, 2]), op("z", "add", "x", "y")]},
        ShapeError,
        "z",
        ["(3,)", "(2,)"],
    ),
    (
        "matmul shapes",
        {"nodes": [inp("x", [[1, 2]]), inp("W", [[1, 2]]), op("y", "matmul", "x", "W")]},
        ShapeError,
        "y",
        ["(1, 2)", "2 columns", "1 rows"],
    ),
    ("ragged", {"nodes": [inp("x", [[1, 2], [3]])]}, InvalidValueError, "x", ["ragged"]),
    ("non-numeric", {"nodes": [inp("x", [1, "two"])]}, InvalidValueError, "x", ["a string"]),
    ("boolean", {"nodes": [inp("x", [1, True])]}, InvalidValueError, "x", ["a boolean"]),
    # the words of JSON and of Python both: the API's and a notebook's users read them
    ("null", {"nodes": [inp("x", [1, None])]}, InvalidValueError, "x", ["null (None)"]),
    ("object", {"nodes": [inp("x", {"a": 1})]}, InvalidValueError, "x", ["an object (dict)"]),
    (
        "boolean scalar",
        {"nodes": [inp("x", False)]},
        InvalidValueError,
        "x",
        ["must be a number or nested lists of numbers, found a boolean (true/false)"],
    ),
    (
        "a string where a row belongs",
        {"nodes": [inp("x", [[1, 2], "ab"])]},
        InvalidValueError,
        "x",
        ["ragged", "expected a list of 2 entries, found a string ('ab')"],
    ),
    (
        "a list where a number belongs",
        {"nodes": [inp("x", [1, [2]])]},
        InvalidValueError,
        "x",
        ["is ragged: found a list where a number belongs"],
    ),
    ("missing value", {"nodes": [{"id": "x", "op": "input"}]}, InvalidValueError, "x", ["missing"]),
    (
        "non-finite input",
        {"nodes": [inp("x", [1.0, float("inf")])]},
        NonFiniteError,
        "x",
        ["inf or nan"],
    ),
    (
        "log of zero",
        {"nodes": [inp("x", [1.0, 0.0]), op("y", "log", "x")]},
        NonFiniteError,
        "y",
        ["log of a non-positive number"],
    ),
    (
        "division by zero",
        {"nodes": [inp("x", 1.0), inp("z", 0.0), op("y", "div", "x", "z")]},
        NonFiniteError,
        "y",
        ["division by zero"],
    ),
    (
        "exp overflow",
        {"nodes": [inp("x", 1000.0), op("y", "exp", "x")]},
        NonFiniteError,
        "y",
        ["exp overflowed"],
    ),
    (
        "infinite slope in backward",
        {"nodes": [inp("x", 0.0), op("y", "pow", "x", exponent=0.5)]},
        NonFiniteError,
        "y",
        ["gradient", "'x'"],
    ),
    (
        "labels out of range",
        {
            "nodes": [
                inp("s", [[1.0, 2.0]]),
                inp("t", [2]),
                op("L", "softmax_with_loss", "s", "t"),
            ]
        },
        LabelError,
        "L",
        ["label 2", "0 to 1"],
    ),
    (
        "labels not whole",
        {
            "nodes": [
                inp("s", [[1.0, 2.0]]),
                inp("t", [0.5]),
                op("L", "softmax_with_loss", "s", "t"),
            ]
        },
        LabelError,
        "L",
        ["0.5"],
    ),
    (
        "bad attrs",
        {"nodes": [inp("x", 1.0), op("y", "pow", "x", exponent="two")]},
        AttributeSpecError,
        "y",
        ["exponent"],
    ),
    (
        "unknown attrs",
        {"nodes": [inp("x", 1.0), op("y", "neg", "x", scale=2)]},
        AttributeSpecError,
        "y",
        ["scale"],
    ),
    (
        "axis out of range",
        {"nodes": [inp("x", [1.0, 2.0]), op("y", "sum", "x", axis=3)]},
        ShapeError,
        "y",
        ["axis 3"],
    ),
    (
        "value on a computed node",
        {"nodes": [inp("x", 1.0), {"id": "y", "op": "neg", "inputs": ["x"], "value": 3}]},
        InvalidValueError,
        "y",
        ["only input and param"],
    ),
    (
        "dout shape",
        {"nodes": [inp("x", [1.0, 2.0]), op("y", "neg", "x")], "dout": [1.0, 2.0, 3.0]},
        ShapeError,
        "y",
        ["dout", "(3,)", "(2,)"],
    ),
    (
        "repeat by a billion",
        {"nodes": [inp("x", [1.0, 2.0]), op("y", "repeat", "x", repeats=10**9, axis=0)]},
        LimitError,
        "y",
        ["2000000000 elements", "100000"],
    ),
]


@pytest.mark.parametrize(
    ("spec", "error", "node", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_invalid_graph_raises_an_error_naming_the_node(
    spec: dict[str, Any], error: type[GraphError], node: str | None, words: list[str]
) -> None:
    with pytest.raises(error) as info:
        run_graph(spec)
    assert info.value.node == node
    message = str(info.value)
    if node is not None:
        assert repr(node) in message or node in message
    for word in words:
        assert word in message, f"{word!r} missing from {message!r}"


@pytest.mark.parametrize(
    "spec",
    [
        {},
        {"nodes": []},
        {"nodes": "x"},
        {"nodes": [inp("x", 1)], "extra": 1},
        {"nodes": [{"id": "", "op": "input", "value": 1}]},
        {"nodes": [{"id": "a b", "op": "input", "value": 1}]},
        {"nodes": [{"id": "x" * 65, "op": "input", "value": 1}]},
        {"nodes": [{"id": "x", "op": 3, "value": 1}]},
        {"nodes": [{"id": "x", "op": "neg", "inputs": "y"}]},
    ],
)
def test_malformed_specs_raise_spec_errors(spec: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run_graph(spec)


def test_too_many_nodes_is_refused_before_anything_runs() -> None:
    nodes = [inp(f"x{i}", 1.0) for i in range(11)]
    with pytest.raises(LimitError, match="11 nodes; the limit is 10"):
        run_graph({"nodes": nodes}, Limits(max_nodes=10))


def test_an_array_over_the_element_limit_is_refused_before_it_is_built() -> None:
    with pytest.raises(LimitError, match="node 'x'"):
        run_graph({"nodes": [inp("x", [[0.0] * 30] * 30)]}, Limits(max_array_elements=500))


def test_the_whole_graph_has_an_element_limit() -> None:
    nodes = [inp("x", [0.0] * 400), op("a", "neg", "x"), op("b", "neg", "a")]
    with pytest.raises(LimitError, match="reached at node 'b'"):
        run_graph({"nodes": nodes}, Limits(max_total_elements=1000))


def test_errors_are_value_errors_with_a_code() -> None:
    with pytest.raises(ValueError) as info:
        run_graph({"nodes": [inp("x", 1), op("y", "nope", "x")]})
    assert isinstance(info.value, GraphError)
    assert info.value.code == "unknown_op"


@pytest.mark.parametrize("value", [10**400, [1.0, 10**400], [[1.0], [-(10**5000)]]])
def test_integers_beyond_float_range_are_refused_with_a_message(value: Any) -> None:
    with pytest.raises(InvalidValueError, match=r"node 'x': value .*too large for a float"):
        run_graph({"nodes": [inp("x", value)]})


# --- why pow gave inf or nan -----------------------------------------------------------


def _pow_of(x: float, p: float) -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "x", "op": "input", "value": x},
            {"id": "y", "op": "pow", "inputs": ["x"], "attrs": {"exponent": p}},
        ]
    }


@pytest.mark.parametrize(
    ("x", "p", "cause"),
    [
        (10.0, 1000.0, "x ** p overflowed"),
        (-8.0, 0.5, "a negative base with a fractional exponent"),
        (0.0, -1.0, "0 to a negative power"),
    ],
)
def test_pow_names_the_cause_of_inf_or_nan(x: float, p: float, cause: str) -> None:
    with pytest.raises(NonFiniteError) as caught:
        run_graph(_pow_of(x, p))
    assert caught.value.node == "y"
    assert cause in caught.value.message, caught.value.message
