"""POST /api/expression: a formula in, its graph and the graph's result out."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.app.conftest import by_id

APPLE_ORANGE_VALUES = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}


def post(client: TestClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post("/api/expression", json=body)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def test_expression_apple_orange_gradients(client: TestClient) -> None:
    data = post(
        client,
        {"expression": "(apple*apple_num + orange*orange_num)*tax", "values": APPLE_ORANGE_VALUES},
    )
    result = data["result"]
    assert result["value"] == pytest.approx(715)
    grads = {n["id"]: n["grad"] for n in result["nodes"]}
    assert grads["apple"] == pytest.approx(2.2)
    assert grads["apple_num"] == pytest.approx(110)
    assert grads["orange"] == pytest.approx(3.3)
    assert grads["orange_num"] == pytest.approx(165)
    assert grads["tax"] == pytest.approx(650)


def test_expression_graph_has_named_inputs_and_readable_ids(client: TestClient) -> None:
    data = post(
        client,
        {"expression": "(apple*apple_num + orange*orange_num)*tax", "values": APPLE_ORANGE_VALUES},
    )
    nodes = by_id(data["graph"]["nodes"])
    assert nodes["tax"] == {"id": "tax", "op": "input", "value": 1.1}
    assert nodes["mul_1"]["inputs"] == ["apple", "apple_num"]
    assert nodes["add_3"]["inputs"] == ["mul_1", "mul_2"]
    assert data["graph"]["output"] == "mul_4"
    # the graph goes back to /api/run as it is
    rerun = client.post("/api/run", json=data["graph"]).json()
    assert rerun == data["result"]


def test_expression_with_korean_variables_and_functions(client: TestClient) -> None:
    data = post(
        client,
        {"expression": "sigmoid(사과 * 2) + exp(-배) ** 2", "values": {"사과": 0.0, "배": 0.0}},
    )
    assert data["result"]["value"] == pytest.approx(1.5)
    grads = {n["id"]: n["grad"] for n in data["result"]["nodes"]}
    assert grads["사과"] == pytest.approx(0.5)  # sigmoid'(0) * 2
    assert grads["배"] == pytest.approx(-2.0)  # d/dx exp(-x)^2 = -2 exp(-2x)


def test_expression_matmul_with_dout(client: TestClient) -> None:
    data = post(
        client,
        {
            "expression": "x @ W",
            "values": {"x": [[1.0, 2.0]], "W": [[3.0], [4.0]]},
            "dout": [[2.0]],
        },
    )
    assert data["result"]["value"] == [[11.0]]
    assert by_id(data["result"]["nodes"])["W"]["grad"] == [[2.0], [4.0]]


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("__import__('os').system('true')", "only the functions"),
        ("__import__('os')", "unknown function '__import__'"),
        ("x.real", "attribute access"),
        ("(lambda: x)()", "only the functions"),
        ("[a for a in x]", "list comprehension"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("x ** y", "exponent of ** must be a number"),
        ("x if x else x", "if ... else"),
        ("x // 2", "operator //"),
        ("x +", "not valid"),
        ("", "empty"),
        ("(" * 101 + "x" + ")" * 101, "deeper than 100"),
    ],
)
def test_expression_outside_the_grammar_is_422(
    client: TestClient, expression: str, words: str
) -> None:
    body = post(client, {"expression": expression, "values": {"x": 1.0, "y": 2.0}}, 422)
    assert body["code"] == "invalid_expression"
    assert words in body["detail"]


def test_expression_variable_without_a_value_names_it(client: TestClient) -> None:
    body = post(client, {"expression": "apple * tax", "values": {"apple": 100}}, 422)
    assert body["node"] == "tax"
    assert "'tax' has no value" in body["detail"]


def test_expression_too_long_is_422(client: TestClient) -> None:
    body = post(client, {"expression": "x+" * 1000 + "x", "values": {"x": 1}}, 422)
    assert "at most 2000 characters" in body["detail"]


def test_expression_graph_error_names_the_node(client: TestClient) -> None:
    body = post(client, {"expression": "log(x)", "values": {"x": -1.0}}, 422)
    assert body["code"] == "non_finite"
    assert body["node"] == "log_1"


@pytest.mark.parametrize(
    ("values", "node", "words"),
    [
        ({"x": True}, "x", "found a boolean (true/false)"),
        ({"x": [1.0, "2"]}, "x", "holds a string ('2')"),
        ({"x": 10**400}, "x", "too large for a float"),
        # a value the expression does not use is left out of the graph, but still checked
        ({"x": 1.0, "stale": [1.0, None]}, "stale", "holds null"),
    ],
)
def test_expression_values_are_checked_by_the_core(
    client: TestClient, values: dict[str, Any], node: str, words: str
) -> None:
    body = post(client, {"expression": "x", "values": values}, 422)
    assert (body["code"], body["node"]) == ("invalid_value", node)
    assert body["detail"].startswith(f"node {node!r}: value "), body["detail"]
    assert words in body["detail"], body["detail"]


@pytest.mark.parametrize("variable", ["x", "stale"])
def test_expression_non_finite_json_value_names_the_variable(
    client: TestClient, variable: str
) -> None:
    raw = '{"expression": "x", "values": {"x": 1, "' + variable + '": [1, NaN]}}'
    response = client.post(
        "/api/expression", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], body["node"]) == ("non_finite", variable)
    assert body["detail"] == f"node {variable!r}: value contains inf or nan"


def test_expression_unused_good_values_are_still_fine(client: TestClient) -> None:
    data = post(client, {"expression": "x * 2", "values": {"x": 1.5, "stale": [[1.0, 2.0]]}})
    assert data["result"]["value"] == 3.0
    assert [n["id"] for n in data["graph"]["nodes"]] == ["x", "2", "mul_1"]


def test_expression_bad_dout_names_the_output(client: TestClient) -> None:
    body = post(client, {"expression": "x", "values": {"x": 1.0}, "dout": False}, 422)
    assert (body["code"], body["node"]) == ("invalid_value", "x")
    assert "dout must be a number or nested lists of numbers" in body["detail"]


def test_expression_deeply_nested_value_is_a_clean_4xx(client: TestClient) -> None:
    deep = "[" * 5_000 + "1" + "]" * 5_000
    raw = '{"expression": "x", "values": {"x": 1, "stale": ' + deep + "}}"
    response = client.post(
        "/api/expression", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request"
