"""POST /api/step: one optimizer step on every param, before and after."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.examples import EXAMPLES
from tests.app.conftest import by_id

LINE = {
    "nodes": [
        {"id": "x", "op": "input", "value": [[1.0, 2.0]]},
        {"id": "W", "op": "param", "value": [[0.5], [-0.5]]},
        {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
        {"id": "loss", "op": "sum", "inputs": ["y"]},
    ],
    "output": "loss",
}


def step(client: TestClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post("/api/step", json=body)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def test_step_sgd_moves_params_against_the_gradient(client: TestClient) -> None:
    data = step(client, {"graph": LINE, "optimizer": "sgd", "hyper": {"lr": 0.1}})
    # dloss/dW = x^T = [[1], [2]]; W <- W - 0.1 * dW
    new_w = by_id(data["graph"]["nodes"])["W"]["value"]
    assert [row[0] for row in new_w] == pytest.approx([0.4, -0.7])
    assert data["before"]["value"] == pytest.approx(-0.5)
    assert data["after"]["value"] == pytest.approx(0.4 - 1.4)
    assert by_id(data["before"]["nodes"])["W"]["grad"] == [[1.0], [2.0]]
    assert data["optimizer"] == "sgd"
    assert data["hyper"] == {"lr": 0.1}


def test_step_leaves_inputs_alone(client: TestClient) -> None:
    data = step(client, {"graph": LINE, "optimizer": "sgd"})
    assert by_id(data["graph"]["nodes"])["x"]["value"] == [[1.0, 2.0]]


def test_step_defaults_are_the_books(client: TestClient) -> None:
    data = step(client, {"graph": LINE, "optimizer": "adam"})
    assert data["hyper"] == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}
    # Adam's first step moves every entry by about lr
    new_w = by_id(data["graph"]["nodes"])["W"]["value"]
    assert [row[0] for row in new_w] == pytest.approx([0.499, -0.501], abs=1e-6)


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_step_every_optimizer_lowers_the_loss(client: TestClient, name: str) -> None:
    data = step(client, {"graph": EXAMPLES["two_layer_net"].spec, "optimizer": name})
    assert data["after"]["value"] < data["before"]["value"], name


def test_step_new_graph_runs_as_it_is(client: TestClient) -> None:
    data = step(client, {"graph": LINE, "hyper": {"lr": 0.5}})
    rerun = client.post("/api/run", json=data["graph"]).json()
    assert rerun == data["after"]


def test_step_unknown_optimizer_is_422(client: TestClient) -> None:
    body = step(client, {"graph": LINE, "optimizer": "lbfgs"}, 422)
    assert body["code"] == "invalid_optimizer"
    assert "known: sgd, momentum" in body["detail"]


def test_step_hyperparameter_of_another_optimizer_is_422(client: TestClient) -> None:
    body = step(client, {"graph": LINE, "optimizer": "sgd", "hyper": {"beta1": 0.9}}, 422)
    assert "sgd has no hyperparameter 'beta1'" in body["detail"]


@pytest.mark.parametrize(
    "hyper", [{"lr": 0}, {"lr": -1}, {"momentum": 1.0}, {"lr": True}, {"lr": "0.1"}, {"eta": 1}]
)
def test_step_bad_hyperparameter_is_422(client: TestClient, hyper: dict[str, Any]) -> None:
    body = step(client, {"graph": LINE, "optimizer": "momentum", "hyper": hyper}, 422)
    assert body["code"] == "invalid_request"
    assert body["errors"][0]["loc"][0] == "hyper"


def test_step_without_params_is_422(client: TestClient) -> None:
    body = step(client, {"graph": EXAMPLES["apple"].spec}, 422)
    assert "no param node" in body["detail"]


def test_step_that_overflows_names_the_param(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "w", "op": "param", "value": 1.0},
            {"id": "y", "op": "mul", "inputs": ["w", "w"]},
        ]
    }
    body = step(client, {"graph": spec, "hyper": {"lr": 1e308}}, 422)
    assert body["code"] == "non_finite"
    assert body["node"] == "w"
    assert "smaller lr" in body["detail"]
