"""POST /api/gradcheck: analytic against numeric gradients, per input and param."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from core import Limits
from core.examples import EXAMPLES


def test_gradcheck_apple_orange_passes(client: TestClient) -> None:
    response = client.post("/api/gradcheck", json={"graph": EXAMPLES["apple_orange"].spec})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["passed"] is True
    arrays = {a["node"]: a for a in report["arrays"]}
    assert set(arrays) == {"apple", "apple_num", "orange", "orange_num", "tax"}
    assert arrays["tax"]["analytic"] == pytest.approx(650)
    assert arrays["tax"]["numeric"] == pytest.approx(650, rel=1e-6)
    for entry in arrays.values():
        assert entry["max_rel_error"] < 1e-6
        assert entry["passed"] is True


def test_gradcheck_two_layer_net_checks_every_param(client: TestClient) -> None:
    response = client.post(
        "/api/gradcheck", json={"graph": EXAMPLES["two_layer_net"].spec, "eps": 1e-5}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["passed"] is True
    assert report["eps"] == 1e-5
    checked = {a["node"] for a in report["arrays"]}
    assert {"W1", "b1", "W2", "b2", "x"} <= checked
    assert "t" not in checked, "labels have no gradient to check"
    shapes = {a["node"]: a["shape"] for a in report["arrays"]}
    assert shapes["W1"] == [2, 10]


def test_gradcheck_with_a_huge_eps_fails_and_says_so(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2.0},
            {"id": "y", "op": "exp", "inputs": ["x"]},
        ]
    }
    report = client.post("/api/gradcheck", json={"graph": spec, "eps": 1.0}).json()
    assert report["passed"] is False
    assert report["arrays"][0]["max_rel_error"] > 0.1


@pytest.mark.parametrize("eps", [0, -1e-6, 2.0, True, "1e-6"])
def test_gradcheck_bad_eps_is_422(client: TestClient, eps: object) -> None:
    response = client.post("/api/gradcheck", json={"graph": EXAMPLES["apple"].spec, "eps": eps})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["eps"]


def test_gradcheck_over_the_check_limit_is_422(client: TestClient, small_limits: Limits) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [1.0, 2.0, 3.0, 4.0, 5.0]},
            {"id": "y", "op": "exp", "inputs": ["x"]},
        ]
    }
    response = client.post("/api/gradcheck", json={"graph": spec})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "over_limit"
    assert "perturb 5 elements" in body["detail"]


def test_gradcheck_graph_error_names_the_node(client: TestClient) -> None:
    spec = {"nodes": [{"id": "x", "op": "input", "value": 1.0}, {"id": "y", "op": "exp"}]}
    body = client.post("/api/gradcheck", json={"graph": spec}).json()
    assert body["code"] == "wrong_number_of_inputs"
    assert body["node"] == "y"


def test_gradcheck_that_would_hold_a_worker_is_422(client: TestClient) -> None:
    """Within the core's node limits, but 2 x 5,000 x 200 x 5,000 element evaluations."""
    nodes: list[dict[str, object]] = [{"id": "x", "op": "input", "value": [0.001] * 5_000}]
    for i in range(199):
        nodes.append({"id": f"t{i}", "op": "tanh", "inputs": [nodes[-1]["id"]]})
    response = client.post("/api/gradcheck", json={"graph": {"nodes": nodes}})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "over_limit"
    assert "2 x 5000 elements perturbed" in body["detail"]


def test_gradcheck_budget_is_a_setting(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("BPX_MAX_CHECK_WORK", "1000")
    response = client.post("/api/gradcheck", json={"graph": EXAMPLES["apple"].spec})
    assert response.status_code == 422
    assert "the limit is 1e+03" in response.json()["detail"]
