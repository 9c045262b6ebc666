"""Every op's backward against central differences, on random shapes and values.

hypothesis draws the shapes (broadcasting pairs included) and the values; the graph's
own gradient check compares analytic and numeric gradients of sum(dout * output) with
a random dout, so a backward that ignores dout or sums the wrong axis fails.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.gradcheck import check_graph
from core.ops import OPS, SOURCE_OPS, Sample
from core.ops.base import Binary, Unary, same_shape

TOLERANCE = 1e-6
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
matrix_sides = st.integers(min_value=1, max_value=5)


def values(draw: st.DrawFn, shape: tuple[int, ...], low: float, high: float) -> Any:
    arr = draw(
        hnp.arrays(
            np.float64,
            shape,
            elements=st.floats(low, high, allow_nan=False, allow_infinity=False),
        )
    )
    return arr.tolist()


def away_from_zero(draw: st.DrawFn, shape: tuple[int, ...], low: float, high: float) -> Any:
    """Magnitudes in [low, high] with random signs: far from kinks and poles."""
    mags = np.asarray(values(draw, shape, low, high))
    signs = np.asarray(values(draw, shape, -1, 1))
    return np.where(signs < 0, -mags, mags).tolist()


def assert_gradients_match(spec: dict[str, Any]) -> None:
    out_shape = None
    report = check_graph(spec, tolerance=TOLERANCE)
    for a in report.arrays:
        assert a.passed, (
            f"{spec['nodes'][-1]['op']}: gradient of {a.name!r} is off by relative error "
            f"{a.max_rel_error:.2e} (analytic {a.analytic.tolist()}, numeric "
            f"{a.numeric.tolist()}), shapes {out_shape}"
        )
    assert report.arrays, "the check compared nothing"


def with_random_dout(spec: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    from core.graph import compile_graph

    shape = compile_graph(spec).steps[-1].shape
    spec["dout"] = values(draw, shape, -2, 2)
    return spec


# Element-wise ops come from the registry: a new one is tested here without an edit, on
# the values its entry says its derivative exists for (``Op.samples``).
BINARY_OPS = sorted(name for name, op in OPS.items() if isinstance(op, Binary))
PLAIN_UNARY_OPS = sorted(
    name
    for name, op in OPS.items()
    if isinstance(op, Unary) and not op.attrs and op.shape_rule is same_shape
)
# Ops whose shapes or attrs need their own strategy, each tested below by name.
SPECIAL_OPS = {"pow", "softmax", "matmul", "affine", "repeat", "sum", "softmax_with_loss"}


def sample_value(draw: st.DrawFn, op: str, index: int, shape: tuple[int, ...]) -> Any:
    samples = OPS[op].samples
    low, high, mirrored = samples[index] if index < len(samples) else Sample()
    if mirrored:
        return away_from_zero(draw, shape, low, high)
    return values(draw, shape, low, high)


@st.composite
def binary_specs(draw: st.DrawFn) -> dict[str, Any]:
    op = draw(st.sampled_from(BINARY_OPS))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
    x_shape, y_shape = shapes.input_shapes
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": sample_value(draw, op, 0, x_shape)},
            {"id": "y", "op": "param", "value": sample_value(draw, op, 1, y_shape)},
            {"id": "out", "op": op, "inputs": ["x", "y"]},
        ]
    }
    return with_random_dout(spec, draw)


@given(binary_specs())
@settings(max_examples=60, deadline=None)
def test_binary_ops_broadcast_and_match_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


@st.composite
def unary_specs(draw: st.DrawFn, op_names: list[str]) -> dict[str, Any]:
    op = draw(st.sampled_from(op_names))
    shape = draw(small_shapes)
    if op == "softmax" and not shape:
        shape = (3,)
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": sample_value(draw, op, 0, shape)},
            {"id": "out", "op": op, "inputs": ["x"]},
        ]
    }
    return with_random_dout(spec, draw)


@given(unary_specs(PLAIN_UNARY_OPS))
@settings(max_examples=80, deadline=None)
def test_unary_ops_match_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


@given(unary_specs(["softmax"]))
@settings(max_examples=30, deadline=None)
def test_softmax_matches_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


def test_every_op_has_a_gradient_test() -> None:
    computed = set(OPS) - SOURCE_OPS
    covered = set(BINARY_OPS) | set(PLAIN_UNARY_OPS) | SPECIAL_OPS
    assert computed <= covered, f"ops without a gradient test: {sorted(computed - covered)}"
    assert computed >= SPECIAL_OPS, f"no such ops: {sorted(SPECIAL_OPS - computed)}"


@st.composite
def pow_specs(draw: st.DrawFn) -> dict[str, Any]:
    exponent = draw(st.sampled_from([2, 3, 0.5, -1, -2.5, 1.7]))
    shape = draw(small_shapes)
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": values(draw, shape, 0.3, 3)},
            {"id": "out", "op": "pow", "inputs": ["x"], "attrs": {"exponent": exponent}},
        ]
    }
    return with_random_dout(spec, draw)


@given(pow_specs())
@settings(max_examples=30, deadline=None)
def test_pow_matches_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


@st.composite
def matrix_specs(draw: st.DrawFn) -> dict[str, Any]:
    n, d, h = draw(matrix_sides), draw(matrix_sides), draw(matrix_sides)
    op = draw(st.sampled_from(["matmul", "affine"]))
    nodes: list[dict[str, Any]] = [
        {"id": "x", "op": "input", "value": values(draw, (n, d), -2, 2)},
        {"id": "W", "op": "param", "value": values(draw, (d, h), -2, 2)},
    ]
    inputs = ["x", "W"]
    if op == "affine":
        b_shape = draw(st.sampled_from([(h,), (1, h)]))
        nodes.append({"id": "b", "op": "param", "value": values(draw, b_shape, -2, 2)})
        inputs.append("b")
    nodes.append({"id": "out", "op": op, "inputs": inputs})
    return with_random_dout({"nodes": nodes}, draw)


@given(matrix_specs())
@settings(max_examples=40, deadline=None)
def test_matmul_and_affine_match_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


@st.composite
def repeat_sum_specs(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    op = draw(st.sampled_from(["repeat", "sum"]))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    if op == "repeat":
        attrs: dict[str, Any] = {"repeats": draw(st.integers(1, 3)), "axis": axis}
    else:
        attrs = {"axis": axis, "keepdims": draw(st.booleans())}
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": values(draw, shape, -3, 3)},
            {"id": "out", "op": op, "inputs": ["x"], "attrs": attrs},
        ]
    }
    return with_random_dout(spec, draw)


@given(repeat_sum_specs())
@settings(max_examples=50, deadline=None)
def test_repeat_and_sum_match_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)


@st.composite
def loss_specs(draw: st.DrawFn) -> dict[str, Any]:
    n, c = draw(matrix_sides), draw(st.integers(2, 5))
    labels = draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    if draw(st.booleans()):
        label_value: Any = np.eye(c)[labels].tolist()
    else:
        label_value = labels
    return {
        "nodes": [
            {"id": "scores", "op": "param", "value": values(draw, (n, c), -4, 4)},
            {"id": "t", "op": "input", "value": label_value},
            {"id": "loss", "op": "softmax_with_loss", "inputs": ["scores", "t"]},
        ],
        "dout": draw(st.floats(0.5, 2)),
    }


@given(loss_specs())
@settings(max_examples=40, deadline=None)
def test_softmax_with_loss_matches_numeric_gradient(spec: dict[str, Any]) -> None:
    report = check_graph(spec, tolerance=TOLERANCE)
    assert [a.name for a in report.arrays] == ["scores"], "labels must not be checked"
    assert_gradients_match(spec)


@st.composite
def composite_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A small network with fan-out: x feeds two branches that meet again."""
    n, d = draw(matrix_sides), draw(matrix_sides)
    return with_random_dout(
        {
            "nodes": [
                {"id": "x", "op": "input", "value": values(draw, (n, d), -2, 2)},
                {"id": "a", "op": "tanh", "inputs": ["x"]},
                {"id": "b", "op": "sigmoid", "inputs": ["x"]},
                {"id": "c", "op": "mul", "inputs": ["a", "x"]},
                {"id": "d", "op": "add", "inputs": ["c", "b"]},
                {"id": "e", "op": "sum", "inputs": ["d"], "attrs": {"axis": 0}},
            ]
        },
        draw,
    )


@given(composite_specs())
@settings(max_examples=25, deadline=None)
def test_fan_out_graph_matches_numeric_gradient(spec: dict[str, Any]) -> None:
    assert_gradients_match(spec)
