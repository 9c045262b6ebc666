"""The graph engine: the book's numbers, fan-out, deep chains, threads, dout, labels."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from core import Limits, compile_graph, run_graph

APPLE: dict[str, Any] = {
    "nodes": [
        {"id": "apple", "op": "input", "value": 100},
        {"id": "apple_num", "op": "input", "value": 2},
        {"id": "tax", "op": "input", "value": 1.1},
        {"id": "apple_price", "op": "mul", "inputs": ["apple", "apple_num"]},
        {"id": "price", "op": "mul", "inputs": ["apple_price", "tax"]},
    ],
    "output": "price",
    "dout": 1,
}


def apple_orange(**values: float) -> dict[str, Any]:
    v = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1, **values}
    return {
        "nodes": [
            *({"id": k, "op": "input", "value": x} for k, x in v.items()),
            {"id": "apple_price", "op": "mul", "inputs": ["apple", "apple_num"]},
            {"id": "orange_price", "op": "mul", "inputs": ["orange", "orange_num"]},
            {"id": "all_price", "op": "add", "inputs": ["apple_price", "orange_price"]},
            {"id": "price", "op": "mul", "inputs": ["all_price", "tax"]},
        ]
    }


def test_apple_forward_and_backward_match_the_book() -> None:
    result = run_graph(APPLE)
    assert result.value == 220.00000000000003
    grads = {n.id: float(n.grad) for n in result.nodes if n.grad is not None}
    assert grads == pytest.approx(
        {"apple": 2.2, "apple_num": 110, "tax": 200, "apple_price": 1.1, "price": 1.0}
    )
    assert result.order == ["apple", "apple_num", "tax", "apple_price", "price"]


def test_apple_orange_forward_and_backward_match_the_book() -> None:
    result = run_graph(apple_orange())
    assert result.value == 715.0000000000001
    expected = {
        "apple": 2.2,
        "apple_num": 110,
        "orange": 3.3,
        "orange_num": 165,
        "tax": 650,
        "all_price": 1.1,
        "apple_price": 1.1,
        "orange_price": 1.1,
    }
    for node_id, grad in expected.items():
        assert float(result.grad(node_id)) == pytest.approx(grad), node_id


def test_result_dict_has_the_documented_json_form() -> None:
    d = run_graph(APPLE).to_dict()
    assert d["output"] == "price"
    assert d["nodes"][0] == {
        "id": "apple",
        "op": "input",
        "inputs": [],
        "shape": [],
        "value": 100.0,
        "grad": pytest.approx(2.2),
    }
    assert d["edges"][0] == {
        "source": "apple",
        "target": "apple_price",
        "index": 0,
        "value": 100.0,
        "grad": pytest.approx(2.2),
    }


def test_node_order_in_the_spec_does_not_matter() -> None:
    spec = apple_orange()
    spec["nodes"] = list(reversed(spec["nodes"]))
    spec["output"] = "price"
    result = run_graph(spec)
    assert result.value == pytest.approx(715)
    order = result.order
    for node in spec["nodes"]:
        for src in node.get("inputs", []):
            assert order.index(src) < order.index(node["id"])


def test_output_defaults_to_the_last_node_listed() -> None:
    spec = dict(APPLE)
    del spec["output"]
    assert run_graph(spec).output == "price"


def test_fan_out_sums_the_gradients_and_keeps_each_edge_share() -> None:
    # y = x * x + 3x: x feeds three edges; dy/dx = 2x + 3
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 5.0},
            {"id": "three", "op": "input", "value": 3.0},
            {"id": "sq", "op": "mul", "inputs": ["x", "x"]},
            {"id": "lin", "op": "mul", "inputs": ["three", "x"]},
            {"id": "y", "op": "add", "inputs": ["sq", "lin"]},
        ]
    }
    result = run_graph(spec)
    assert float(result.grad("x")) == 13.0
    shares = {
        (e.target, e.index): float(np.asarray(e.grad)) for e in result.edges if e.source == "x"
    }
    assert shares == {("sq", 0): 5.0, ("sq", 1): 5.0, ("lin", 1): 3.0}


def test_edge_shares_are_not_changed_by_accumulation() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [1.0, 2.0]},
            {"id": "a", "op": "neg", "inputs": ["x"]},
            {"id": "b", "op": "exp", "inputs": ["x"]},
            {"id": "y", "op": "add", "inputs": ["a", "b"]},
        ]
    }
    result = run_graph(spec)
    edge_a = next(e for e in result.edges if e.source == "x" and e.target == "a")
    edge_b = next(e for e in result.edges if e.source == "x" and e.target == "b")
    assert edge_a.grad is not None and edge_b.grad is not None
    np.testing.assert_allclose(edge_a.grad, [-1.0, -1.0])
    np.testing.assert_allclose(edge_b.grad, np.exp([1.0, 2.0]))
    np.testing.assert_allclose(result.grad("x"), np.exp([1.0, 2.0]) - 1)


def test_broadcast_operand_gradient_is_summed_back_to_its_shape() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]},
            {"id": "b", "op": "param", "value": [10.0, 20.0, 30.0]},
            {"id": "y", "op": "add", "inputs": ["x", "b"]},
        ],
        "dout": [[1, 2, 3], [4, 5, 6]],
    }
    result = run_graph(spec)
    np.testing.assert_allclose(result.grad("b"), [5, 7, 9])
    assert result.node("b").shape == (3,)


def test_dout_defaults_to_ones_and_a_scalar_dout_fills_the_output() -> None:
    spec: dict[str, Any] = {
        "nodes": [
            {"id": "x", "op": "input", "value": [1.0, 2.0]},
            {"id": "y", "op": "mul", "inputs": ["x", "x"]},
        ]
    }
    np.testing.assert_allclose(run_graph(spec).grad("x"), [2.0, 4.0])
    spec["dout"] = 0.5
    np.testing.assert_allclose(run_graph(spec).grad("x"), [1.0, 2.0])
    spec["dout"] = [1.0, -1.0]
    np.testing.assert_allclose(run_graph(spec).grad("x"), [2.0, -4.0])


def test_labels_have_no_gradient_and_scores_get_y_minus_t_over_n() -> None:
    spec = {
        "nodes": [
            {"id": "s", "op": "input", "value": [[0.3, 2.9, 4.0], [2.0, 1.0, 0.1]]},
            {"id": "t", "op": "input", "value": [2, 0]},
            {"id": "loss", "op": "softmax_with_loss", "inputs": ["s", "t"]},
        ]
    }
    result = run_graph(spec)
    assert result.node("t").grad is None
    assert next(e for e in result.edges if e.source == "t").grad is None
    s = np.array([[0.3, 2.9, 4.0], [2.0, 1.0, 0.1]])
    y = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    onehot = np.eye(3)[[2, 0]]
    np.testing.assert_allclose(result.grad("s"), (y - onehot) / 2)
    assert float(result.value) == pytest.approx(-np.mean(np.log(y[[0, 1], [2, 0]])))


def test_one_hot_labels_give_the_same_loss_as_indices() -> None:
    def loss(t: Any) -> float:
        return float(
            run_graph(
                {
                    "nodes": [
                        {"id": "s", "op": "input", "value": [[1.0, 2.0], [0.5, -1.0]]},
                        {"id": "t", "op": "input", "value": t},
                        {"id": "L", "op": "softmax_with_loss", "inputs": ["s", "t"]},
                    ]
                }
            ).value
        )

    assert loss([[0, 1], [1, 0]]) == loss([1, 0])


def test_nodes_that_do_not_reach_the_output_get_zero_gradient() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2.0},
            {"id": "y", "op": "exp", "inputs": ["x"]},
            {"id": "z", "op": "neg", "inputs": ["x"]},
        ],
        "output": "y",
    }
    result = run_graph(spec)
    assert float(result.grad("z")) == 0.0
    assert float(result.grad("x")) == pytest.approx(np.exp(2.0))


def chain(length: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "x0", "op": "input", "value": 0.5},
        {"id": "c", "op": "input", "value": 1.0},
    ]
    for i in range(1, length):
        nodes.append({"id": f"x{i}", "op": "mul", "inputs": [f"x{i - 1}", "c"]})
    return {"nodes": nodes}


def test_a_chain_of_100000_nodes_runs_without_recursion() -> None:
    limits = Limits(max_nodes=200_000, max_total_elements=1_000_000)
    result = run_graph(chain(100_000), limits)
    assert float(result.value) == 0.5
    assert float(result.grad("x0")) == 1.0
    assert float(result.grad("c")) == pytest.approx(0.5 * 99_999)


def test_threads_running_graphs_at_once_each_get_their_own_answer() -> None:
    plan_shared = compile_graph(apple_orange())
    barrier = threading.Barrier(8)

    def work(k: int) -> tuple[int, float, float, float]:
        barrier.wait()
        result = run_graph(apple_orange(apple=float(k), tax=1.0 + k / 100))
        shared = plan_shared.run()
        return k, float(result.value), float(result.grad("apple")), float(shared.value)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(work, range(1, 201)))
    for k, value, d_apple, shared_value in answers:
        tax = 1.0 + k / 100
        assert value == pytest.approx((k * 2 + 450) * tax)
        assert d_apple == pytest.approx(2 * tax)
        assert shared_value == pytest.approx(715)


def test_a_plan_runs_again_with_other_source_values() -> None:
    plan = compile_graph(APPLE)
    result = plan.run({"apple": np.array(200.0)})
    assert float(result.value) == pytest.approx(440)
    assert float(plan.run().value) == pytest.approx(220)


def test_korean_ids_work() -> None:
    spec = {
        "nodes": [
            {"id": "사과", "op": "input", "value": 100},
            {"id": "개수", "op": "input", "value": 2},
            {"id": "가격", "op": "mul", "inputs": ["사과", "개수"]},
        ]
    }
    assert float(run_graph(spec).grad("사과")) == 2.0


def test_typed_spec_objects_are_accepted() -> None:
    from core.spec import GraphSpec, NodeSpec

    spec = GraphSpec(
        nodes=(
            NodeSpec("a", "input", value=3.0),
            NodeSpec("b", "pow", ("a",), attrs={"exponent": 2}),
        )
    )
    result = run_graph(spec)
    assert float(result.value) == 9.0
    assert float(result.grad("a")) == 6.0
