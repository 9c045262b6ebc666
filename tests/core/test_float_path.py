"""The float path (scalar graphs on Python floats) against the array path (the layers).

Both run the same plan: ``plan.run()`` takes the float path when every value is a
scalar, ``plan.run_arrays()`` always calls the layers. They must agree on every value,
gradient and edge share: to the last bit (and the sign of a zero) where the arithmetic is
IEEE's in both (+, -, *, /, negation, x*x, |x|, ReLU, sum), within a tight tolerance where
the float rule calls ``math`` and the layer NumPy (exp, log, tanh, sigmoid, pow). Where a
graph fails, it fails with the array path's own error.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import GraphError, Limits, compile_graph, run_graph
from core.errors import NonFiniteError
from core.examples import EXAMPLES
from core.graph import GraphResult, Plan
from core.ops import OPS, SOURCE_OPS, Sample
from core.ops.base import keeps_shape

#: float rules computed with the same IEEE operations as the layer: bit for bit
EXACT = {"add", "sub", "mul", "div", "neg", "square", "abs", "relu", "sum"}
#: float rules that call math where the layer calls NumPy: an ulp apart at each such node,
#: which a later node may magnify (1 - tanh(x)**2 near 1 loses most of its digits)
CLOSE = {"exp", "log", "tanh", "sigmoid", "pow"}
RELATIVE, ABSOLUTE = 1e-9, 1e-12

FLOAT_OPS = sorted(name for name, op in OPS.items() if op.floats is not None)
UNARY = [name for name in FLOAT_OPS if OPS[name].arity == 1]
BINARY = [name for name in FLOAT_OPS if OPS[name].arity == 2]


def test_every_op_that_can_give_a_scalar_has_a_float_rule() -> None:
    # element-wise ops keep their inputs' shape, so they run on scalars; so does sum.
    scalar_capable = {
        name
        for name, op in OPS.items()
        if name not in SOURCE_OPS and (keeps_shape(op.shape_rule) or name == "sum")
    }
    assert set(FLOAT_OPS) == scalar_capable
    assert scalar_capable == EXACT | CLOSE, "say whether a new float rule is exact or close"
    assert not EXACT & CLOSE


def same_float(a: float, b: float, op_names: set[str]) -> bool:
    if op_names <= EXACT:
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b or math.isclose(a, b, rel_tol=RELATIVE, abs_tol=ABSOLUTE)


def assert_same_answer(result: GraphResult, reference: GraphResult, op_names: set[str]) -> None:
    got, want = result.to_dict(), reference.to_dict()
    if op_names <= EXACT:  # the JSON itself, to the byte
        assert json.dumps(got) == json.dumps(want)
        return
    assert [n["id"] for n in got["nodes"]] == [n["id"] for n in want["nodes"]]
    for kind in ("nodes", "edges"):
        for a, b in zip(got[kind], want[kind], strict=True):
            assert {k: v for k, v in a.items() if k not in ("value", "grad")} == {
                k: v for k, v in b.items() if k not in ("value", "grad")
            }
            for key in ("value", "grad"):
                assert same_float(a[key], b[key], op_names), (kind, a, b)


def ran_on_floats(result: GraphResult) -> bool:
    return result._floats


# --- one op at a time ---------------------------------------------------------------


def sample(draw: st.DrawFn, op: str, index: int) -> float:
    samples = OPS[op].samples
    low, high, mirrored = samples[index] if index < len(samples) else Sample()
    x = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
    if mirrored and draw(st.booleans()):
        x = -x
    return x


@st.composite
def one_op_specs(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    op = draw(st.sampled_from(FLOAT_OPS))
    names = OPS[op].input_names
    nodes: list[dict[str, Any]] = [
        {"id": name, "op": "input", "value": sample(draw, op, i)} for i, name in enumerate(names)
    ]
    node: dict[str, Any] = {"id": "out", "op": op, "inputs": list(names)}
    if op == "pow":
        node["attrs"] = {"exponent": draw(st.sampled_from([2, 3, 0.5, -1, 1.5, -2.5]))}
        nodes[0]["value"] = abs(nodes[0]["value"]) + 0.1
    nodes.append(node)
    dout = draw(st.floats(-3, 3, allow_nan=False, allow_infinity=False))
    return {"nodes": nodes, "dout": dout}, op


@given(one_op_specs())
@settings(max_examples=300, deadline=None)
def test_each_float_rule_agrees_with_its_layer(drawn: tuple[dict[str, Any], str]) -> None:
    spec, op = drawn
    plan = compile_graph(spec)
    assert plan.floats is not None, f"{op}: a scalar graph should run on floats"
    result = plan.run()
    assert ran_on_floats(result)
    assert_same_answer(result, plan.run_arrays(), {op})


def test_kinks_and_signed_zeros_agree_to_the_bit() -> None:
    # relu and abs at 0 and -0.0, mul giving -0.0, a zero dout: the sign of each zero counts
    for x in (0.0, -0.0, 1.5, -1.5):
        for dout in (1.0, -1.0, 0.0, -0.0):
            for op in ("relu", "abs", "neg", "square", "sum"):
                spec = {
                    "nodes": [
                        {"id": "x", "op": "input", "value": x},
                        {"id": "y", "op": op, "inputs": ["x"]},
                    ],
                    "dout": dout,
                }
                plan = compile_graph(spec)
                assert_same_answer(plan.run(), plan.run_arrays(), {op})
            spec = {
                "nodes": [
                    {"id": "x", "op": "input", "value": x},
                    {"id": "c", "op": "input", "value": -0.0},
                    {"id": "y", "op": "mul", "inputs": ["x", "c"]},
                    {"id": "z", "op": "add", "inputs": ["y", "c"]},
                ],
                "dout": dout,
            }
            plan = compile_graph(spec)
            assert_same_answer(plan.run(), plan.run_arrays(), {"mul", "add"})


# --- whole graphs -------------------------------------------------------------------------


@st.composite
def scalar_graphs(draw: st.DrawFn, ops: list[str]) -> tuple[dict[str, Any], set[str]]:
    """A random DAG of scalar nodes: fan-out, nodes that do not reach the output, any
    listed order (the engine sorts), a random output and dout."""
    n_sources = draw(st.integers(1, 4))
    n_ops = draw(st.integers(1, 14))
    nodes: list[dict[str, Any]] = [
        {
            "id": f"s{i}",
            "op": draw(st.sampled_from(["input", "param"])),
            "value": draw(st.floats(-3, 3, allow_nan=False, allow_infinity=False)),
        }
        for i in range(n_sources)
    ]
    used: set[str] = set()
    for k in range(n_ops):
        op = draw(st.sampled_from(ops))
        earlier = [n["id"] for n in nodes]
        inputs = [draw(st.sampled_from(earlier)) for _ in range(OPS[op].arity)]
        node: dict[str, Any] = {"id": f"n{k}", "op": op, "inputs": inputs}
        if op == "pow":
            node["attrs"] = {"exponent": draw(st.sampled_from([2, 3, -1, 0.5]))}
        nodes.append(node)
        used.add(op)
    output = draw(st.sampled_from([n["id"] for n in nodes]))
    listed = draw(st.permutations(nodes))
    dout = draw(st.floats(-2, 2, allow_nan=False, allow_infinity=False))
    return {"nodes": listed, "output": output, "dout": dout}, used


def check_graph_agrees(spec: dict[str, Any], used: set[str]) -> None:
    plan = compile_graph(spec)
    assert plan.floats is not None
    try:
        reference = plan.run_arrays()
    except GraphError as error:  # the float path must fail with the same error
        with pytest.raises(type(error)) as raised:
            plan.run()
        assert raised.value.message == error.message
        assert raised.value.localized("ko") == error.localized("ko")
        return
    result = plan.run()
    if not ran_on_floats(result):  # it declines only where a sum overflows
        assert any(abs(v) > 1e300 for v in (*result._values, *result._grads)) or any(
            abs(float(e.grad)) > 1e300 for e in result.edges if e.grad is not None
        )
    assert_same_answer(result, reference, used)


@given(scalar_graphs(sorted(EXACT)))
@settings(max_examples=200, deadline=None)
def test_exact_ops_give_the_array_paths_json_to_the_byte(
    drawn: tuple[dict[str, Any], set[str]],
) -> None:
    check_graph_agrees(*drawn)


@given(scalar_graphs(FLOAT_OPS))
@settings(max_examples=200, deadline=None)
def test_every_op_agrees_with_the_array_path_on_random_graphs(
    drawn: tuple[dict[str, Any], set[str]],
) -> None:
    check_graph_agrees(*drawn)


def test_the_books_examples_give_the_same_json_on_both_paths() -> None:
    ran = 0
    for name, example in EXAMPLES.items():
        plan = compile_graph(example.spec)
        if plan.floats is None:
            continue
        used = {op.name for op in plan.ops if op.name not in SOURCE_OPS}
        assert_same_answer(plan.run(), plan.run_arrays(), used)
        ran += 1
        assert ran_on_floats(plan.run()), name
    assert ran >= 3


def test_graphs_with_arrays_take_the_array_path() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [1.0, 2.0]},
            {"id": "y", "op": "sum", "inputs": ["x"]},
            {"id": "z", "op": "mul", "inputs": ["y", "y"]},
        ]
    }
    plan = compile_graph(spec)
    assert plan.floats is None
    result = plan.run()
    assert not ran_on_floats(result)
    assert result.to_dict()["value"] == 9.0


# --- failures: the array path's own errors -------------------------------------------


@pytest.mark.parametrize(
    ("op", "x", "y"),
    [("log", -1.0, None), ("log", 0.0, None), ("exp", 800.0, None), ("div", 1.0, 0.0)],
)
def test_a_failing_float_rule_gives_the_array_paths_error(
    op: str, x: float, y: float | None
) -> None:
    nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": x}]
    if y is not None:
        nodes.append({"id": "y", "op": "input", "value": y})
    nodes.append({"id": "bad", "op": op, "inputs": ["x"] if y is None else ["x", "y"]})
    plan = compile_graph({"nodes": nodes})
    with pytest.raises(NonFiniteError) as expected:
        plan.run_arrays()
    with pytest.raises(NonFiniteError) as got:
        plan.run()
    assert got.value.node == expected.value.node == "bad"
    assert got.value.message == expected.value.message
    assert got.value.localized("ko") == expected.value.localized("ko")


def test_an_inf_in_backward_names_the_node_as_the_array_path_does() -> None:
    # forward is finite; x * y's share dout * y overflows
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 1e-300},
            {"id": "y", "op": "input", "value": 1e300},
            {"id": "p", "op": "mul", "inputs": ["x", "y"]},
        ],
        "dout": 1e10,
    }
    plan = compile_graph(spec)
    with pytest.raises(NonFiniteError) as expected:
        plan.run_arrays()
    with pytest.raises(NonFiniteError) as got:
        plan.run()
    assert got.value.message == expected.value.message
    assert "p" in got.value.message


def test_overrides_run_on_floats_and_leave_the_plan_as_it_was() -> None:
    spec = EXAMPLES["apple_orange"].spec
    plan = compile_graph(spec)
    changed = plan.run({"apple": np.array(200.0)})
    assert ran_on_floats(changed)
    reference = plan.run_arrays({"apple": np.array(200.0)})
    assert json.dumps(changed.to_dict()) == json.dumps(reference.to_dict())
    assert plan.run().to_dict() == run_graph(spec).to_dict()


def test_results_keep_their_types_for_python_callers() -> None:
    result = run_graph(EXAMPLES["apple_orange"].spec)
    assert ran_on_floats(result)
    assert isinstance(result.value, np.ndarray) and result.value.shape == ()
    node = result.node("apple")
    assert isinstance(node.value, np.ndarray) and isinstance(node.grad, np.ndarray)
    assert isinstance(result.grad("tax"), np.ndarray)
    assert all(isinstance(e.grad, np.ndarray) for e in result.edges)
    d = result.to_dict()
    assert type(d["value"]) is float and d["nodes"][0]["shape"] == []
    assert all(type(n["grad"]) is float for n in d["nodes"])


def test_a_plan_is_shared_by_threads_on_the_float_path() -> None:
    from concurrent.futures import ThreadPoolExecutor

    plan: Plan = compile_graph(EXAMPLES["apple_orange"].spec, Limits())
    want = json.dumps(plan.run_arrays().to_dict())
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: json.dumps(plan.run().to_dict()), range(200)))
    assert set(answers) == {want}
