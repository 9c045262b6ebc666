"""POST /api/run: the book's numbers through HTTP, and every class of error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core import Limits
from core.examples import EXAMPLES
from tests.app.conftest import by_id


def run(client: TestClient, spec: Any) -> Any:
    response = client.post("/api/run", json=spec)
    assert response.status_code == 200, response.text
    return response.json()


def refused(client: TestClient, spec: Any, status: int = 422) -> dict[str, Any]:
    response = client.post("/api/run", json=spec)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["detail"], "an error must say what is wrong"
    return body


def test_run_apple_gradients(client: TestClient) -> None:
    result = run(client, EXAMPLES["apple"].spec)
    assert result["value"] == pytest.approx(220)
    nodes = by_id(result["nodes"])
    assert nodes["apple"]["grad"] == pytest.approx(2.2)
    assert nodes["apple_num"]["grad"] == pytest.approx(110)
    assert nodes["tax"]["grad"] == pytest.approx(200)


def test_run_apple_orange_gradients(client: TestClient) -> None:
    result = run(client, EXAMPLES["apple_orange"].spec)
    assert result["output"] == "price"
    assert result["value"] == pytest.approx(715)
    grads = {n["id"]: n["grad"] for n in result["nodes"]}
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
        assert grads[node_id] == pytest.approx(grad), f"d{node_id}"


def test_run_result_has_the_core_contract(client: TestClient) -> None:
    result = run(client, EXAMPLES["apple_orange"].spec)
    assert set(result) == {"output", "value", "order", "nodes", "edges"}
    assert set(result["nodes"][0]) == {"id", "op", "inputs", "shape", "value", "grad"}
    assert set(result["edges"][0]) == {"source", "target", "index", "value", "grad"}
    assert result["order"].index("tax") < result["order"].index("price")
    edge = next(e for e in result["edges"] if e["source"] == "tax")
    assert (edge["target"], edge["index"], edge["value"]) == ("price", 1, 1.1)
    assert edge["grad"] == pytest.approx(650)


def test_run_fan_out_sums_edge_shares(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 3},
            {"id": "y", "op": "mul", "inputs": ["x", "x"]},
        ]
    }
    result = run(client, spec)
    assert result["value"] == 9
    assert by_id(result["nodes"])["x"]["grad"] == 6
    assert [e["grad"] for e in result["edges"]] == [3, 3]


def test_run_korean_ids_and_matrices(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "사과", "op": "input", "value": [[1.0, 2.0]]},
            {"id": "W", "op": "param", "value": [[1.0], [3.0]]},
            {"id": "곱", "op": "matmul", "inputs": ["사과", "W"]},
        ],
        "dout": [[2.0]],
    }
    result = run(client, spec)
    assert result["value"] == [[7.0]]
    nodes = by_id(result["nodes"])
    assert nodes["W"]["grad"] == [[2.0], [4.0]]
    assert nodes["사과"]["shape"] == [1, 2]


def test_run_every_example(client: TestClient) -> None:
    for name in EXAMPLES:
        spec = client.get(f"/api/examples/{name}").json()
        assert client.post("/api/run", json=spec).status_code == 200, name


# --- graph errors: 422 naming the node -----------------------------------------------


def _x(value: Any = 1.0) -> dict[str, Any]:
    return {"id": "x", "op": "input", "value": value}


def _nested(depth: int) -> Any:
    value: Any = 1.0
    for _ in range(depth):
        value = [value]
    return value


GRAPH_ERRORS: list[tuple[str, dict[str, Any], str, str | None, str]] = [
    (
        "unknown op",
        {"nodes": [_x(), {"id": "y", "op": "cube", "inputs": ["x"]}]},
        "unknown_op",
        "y",
        "cube",
    ),
    (
        "wrong number of inputs",
        {"nodes": [_x(), {"id": "y", "op": "mul", "inputs": ["x"]}]},
        "wrong_number_of_inputs",
        "y",
        "got 1",
    ),
    (
        "unknown input",
        {"nodes": [_x(), {"id": "y", "op": "exp", "inputs": ["z"]}]},
        "unknown_node",
        "y",
        "'z'",
    ),
    ("duplicate id", {"nodes": [_x(), _x()]}, "duplicate_node", "x", "twice"),
    (
        "cycle",
        {
            "nodes": [
                _x(),
                {"id": "a", "op": "add", "inputs": ["x", "b"]},
                {"id": "b", "op": "add", "inputs": ["a", "x"]},
            ]
        },
        "cycle",
        "a",
        "a -> b -> a",
    ),
    (
        "shape mismatch",
        {
            "nodes": [
                _x([[1.0, 2.0, 3.0]]),
                {"id": "W", "op": "param", "value": [[1.0, 2.0]]},
                {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
            ]
        },
        "shape_mismatch",
        "y",
        "(1, 3) and (1, 2)",
    ),
    ("ragged value", {"nodes": [_x([[1.0, 2.0], [3.0]])]}, "invalid_value", "x", "ragged"),
    (
        "log of a negative number",
        {"nodes": [_x(-1.0), {"id": "y", "op": "log", "inputs": ["x"]}]},
        "non_finite",
        "y",
        "log of a non-positive number",
    ),
    (
        "labels out of range",
        {
            "nodes": [
                _x([[1.0, 2.0, 3.0]]),
                {"id": "t", "op": "input", "value": [5]},
                {"id": "loss", "op": "softmax_with_loss", "inputs": ["x", "t"]},
            ]
        },
        "invalid_labels",
        "loss",
        "out of range",
    ),
    (
        "repeat by a billion",
        {
            "nodes": [
                _x([1.0]),
                {"id": "r", "op": "repeat", "inputs": ["x"], "attrs": {"repeats": 10**9}},
            ]
        },
        "over_limit",
        "r",
        "limit",
    ),
    (
        "repeat without repeats",
        {"nodes": [_x([1.0]), {"id": "r", "op": "repeat", "inputs": ["x"]}]},
        "invalid_attrs",
        "r",
        "repeats",
    ),
    (
        "input without a value",
        {"nodes": [{"id": "x", "op": "input"}]},
        "invalid_value",
        "x",
        "missing",
    ),
    (
        "dout of the wrong shape",
        {"nodes": [_x([1.0, 2.0])], "dout": [1.0, 2.0, 3.0]},
        "shape_mismatch",
        "x",
        "dout",
    ),
    ("unknown output", {"nodes": [_x()], "output": "y"}, "unknown_node", "y", "output"),
]


@pytest.mark.parametrize(
    ("spec", "code", "node", "words"),
    [case[1:] for case in GRAPH_ERRORS],
    ids=[case[0] for case in GRAPH_ERRORS],
)
def test_run_graph_error_names_the_node(
    client: TestClient, spec: dict[str, Any], code: str, node: str | None, words: str
) -> None:
    body = refused(client, spec)
    assert body["code"] == code
    assert body["node"] == node
    assert words in body["detail"]


def test_run_over_the_node_limit(client: TestClient, small_limits: Limits) -> None:
    spec = {"nodes": [{"id": f"x{i}", "op": "input", "value": 1} for i in range(6)]}
    body = refused(client, spec)
    assert body["code"] == "over_limit"
    assert "limit is 5" in body["detail"]


def test_run_over_the_total_elements_limit(client: TestClient, small_limits: Limits) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [1.0] * 10},
            {"id": "a", "op": "exp", "inputs": ["x"]},
            {"id": "b", "op": "exp", "inputs": ["a"]},
            {"id": "c", "op": "exp", "inputs": ["b"]},
        ]
    }
    body = refused(client, spec)
    assert body["code"] == "over_limit"
    assert body["node"] == "c"


# --- values: the schema describes them, the core checks them and names the node ---------


VALUE_CASES: list[tuple[str, Any, str, str]] = [
    ("false is not 0", _x(False), "invalid_value", "found a boolean (true/false)"),
    ("true inside a list", _x([1.0, True]), "invalid_value", "holds a boolean (true/false)"),
    ("a string is not a number", _x("1"), "invalid_value", "found a string ('1')"),
    ("a string inside a list", _x([1.0, "1"]), "invalid_value", "holds a string ('1')"),
    ("null inside a list", _x([1.0, None]), "invalid_value", "holds null"),
    ("an object is not a number", _x({"a": 1}), "invalid_value", "found an object"),
    ("nested nine deep", _x([[[[[[[[[1.0]]]]]]]]]), "invalid_value", "nested more than 8"),
    ("nested 500 deep", _x(_nested(500)), "invalid_value", "nested more than 8"),
    ("an int too large for a float", _x(10**400), "invalid_value", "too large for a float"),
    ("such an int in a list", _x([1.0, -(10**400)]), "invalid_value", "too large for a float"),
]


@pytest.mark.parametrize(
    ("node", "code", "words"), [c[1:] for c in VALUE_CASES], ids=[c[0] for c in VALUE_CASES]
)
def test_run_bad_value_gets_the_cores_message(
    client: TestClient, node: dict[str, Any], code: str, words: str
) -> None:
    body = refused(client, {"nodes": [node]})
    assert body["code"] == code
    assert body["node"] == "x"
    assert body["detail"].startswith("node 'x': value "), body["detail"]
    assert words in body["detail"], body["detail"]


def test_run_bad_value_names_its_node(client: TestClient) -> None:
    spec = {"nodes": [_x(), {"id": "w", "op": "param", "value": [1.0, True]}]}
    body = refused(client, spec)
    assert body["node"] == "w"
    assert body["detail"] == "node 'w': value holds a boolean (true/false) where a number belongs"


def test_run_bad_dout_names_the_output(client: TestClient) -> None:
    body = refused(client, {"nodes": [_x()], "dout": [True]})
    assert (body["code"], body["node"]) == ("invalid_value", "x")
    assert body["detail"].startswith("node 'x': dout holds a boolean")


# --- strict requests: 422 from the schema, naming the node -----------------------------


STRICT_CASES: list[tuple[str, Any, str]] = [
    ("unknown field", {"nodes": [{**_x(), "grad": 1}]}, "Extra inputs"),
    ("unknown top-level field", {"nodes": [_x()], "eps": 1}, "Extra inputs"),
    ("id too long", {"nodes": [{**_x(), "id": "a" * 65}]}, "at most 64 characters"),
    ("no nodes", {"nodes": []}, "at least 1"),
    ("not an object", [1, 2], "valid dictionary"),
]


@pytest.mark.parametrize(
    ("spec", "words"), [c[1:] for c in STRICT_CASES], ids=[c[0] for c in STRICT_CASES]
)
def test_run_strict_request_is_refused(client: TestClient, spec: Any, words: str) -> None:
    body = refused(client, spec)
    assert body["code"] == "invalid_request"
    assert words in body["detail"], body["detail"]
    assert body["errors"], "the field list says where"


# Which attrs an op takes and their types are the op registry's: the core checks them.
ATTR_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("axis as a float", {"axis": 0.0}, "attrs.axis must be an integer or null, got 0.0"),
    ("keepdims as 1", {"keepdims": 1}, "attrs.keepdims must be true or false, got 1"),
    ("unknown attr", {"axes": 0}, "unknown attrs axes (allowed: axis, keepdims)"),
]


@pytest.mark.parametrize(
    ("attrs", "words"), [c[1:] for c in ATTR_CASES], ids=[c[0] for c in ATTR_CASES]
)
def test_run_bad_attrs_are_refused_naming_the_node(
    client: TestClient, attrs: dict[str, Any], words: str
) -> None:
    spec = {"nodes": [_x([1.0]), {"id": "s", "op": "sum", "inputs": ["x"], "attrs": attrs}]}
    body = refused(client, spec)
    assert (body["code"], body["node"]) == ("invalid_attrs", "s")
    assert body["detail"] == f"node 's' (sum): {words}"


def test_run_strict_error_names_the_node(client: TestClient) -> None:
    spec = {"nodes": [_x(), {"id": "w", "op": "param", "value": 1.0, "grad": 0}]}
    body = refused(client, spec)
    assert body["code"] == "invalid_request"
    assert body["node"] == "w"
    assert body["detail"].startswith("nodes[1].grad (node 'w')"), body["detail"]


def test_run_id_outside_the_pattern_is_refused(client: TestClient) -> None:
    body = refused(client, {"nodes": [_x(), {**_x(), "id": "a b"}]})
    assert body["code"] == "invalid_spec"
    assert "nodes[1]: id 'a b' must be 1 to 64 letters" in body["detail"]


def test_run_schema_states_the_id_pattern(client: TestClient) -> None:
    node = client.get("/openapi.json").json()["components"]["schemas"]["Node"]
    assert node["properties"]["id"]["pattern"] == r"^[\w.\-]{1,64}$"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize(
    ("value", "words"), [("[1, {}]", "value contains inf or nan"), ("{}", "value is inf or nan")]
)
def test_run_non_finite_json_number_is_refused(
    client: TestClient, literal: str, value: str, words: str
) -> None:
    """Python's JSON reader takes NaN and Infinity (and reads 1e400 as inf): the core refuses."""
    raw = '{"nodes": [{"id": "x", "op": "input", "value": ' + value.format(literal) + "}]}"
    response = client.post("/api/run", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], body["node"]) == ("non_finite", "x")
    assert body["detail"] == f"node 'x': {words}"


# --- malformed bodies and sizes ----------------------------------------------------------


def test_run_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/run", content=b'{"nodes": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "malformed_json"
    assert body["detail"].startswith("malformed JSON")


@pytest.mark.parametrize("depth", [5_000, 100_000])
@pytest.mark.parametrize("where", ["value", "ragged value", "dout"])
def test_run_deeply_nested_json_is_refused_without_a_500(
    client: TestClient, depth: int, where: str
) -> None:
    """Nested past Python's recursion limit, JSON is refused by the parser (400), quickly."""
    deep = "[" * depth + "1" + "]" * depth
    value = {"value": deep, "ragged value": f"[1, {deep}]", "dout": "1"}[where]
    dout = f', "dout": {deep}' if where == "dout" else ""
    raw = '{"nodes": [{"id": "x", "op": "input", "value": ' + value + "}]" + dout + "}"
    response = client.post("/api/run", content=raw, headers={"content-type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.json()["detail"]


def test_run_wrong_content_type_is_422(client: TestClient) -> None:
    response = client.post("/api/run", content=b"nodes", headers={"content-type": "text/plain"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_run_body_over_the_limit_is_413(client: TestClient) -> None:
    values = [1.0] * 700_000  # about 3.5 MB of JSON
    response = client.post("/api/run", json={"nodes": [_x(values)]})
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "body_too_large"
    assert "2097152 bytes" in body["detail"]


def test_run_body_over_the_limit_is_413_without_content_length(client: TestClient) -> None:
    """A chunked body has no Content-Length to trust: the limit holds while reading."""

    def chunks() -> Iterator[bytes]:
        yield b'{"nodes": [{"id": "x", "op": "input", "value": ['
        for _ in range(400):
            yield b"1.0," * 2_000  # 8 kB a chunk, 3.2 MB in all
        yield b"1.0]}]}"

    response = client.post(
        "/api/run", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_run_unsupported_method_is_405(client: TestClient) -> None:
    response = client.get("/api/run")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "POST" in response.headers["allow"]
