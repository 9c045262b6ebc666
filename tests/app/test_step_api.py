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
    ("hyper", "words"),
    [
        ({"lr": 0}, "momentum: lr must be positive, got 0.0"),
        ({"lr": -1}, "momentum: lr must be positive, got -1.0"),
        ({"momentum": 1.0}, "momentum: momentum must be in [0, 1), got 1.0"),
        ({"lr": True}, "momentum: lr must be a number, got True"),
        ({"lr": "0.1"}, "momentum: lr must be a number, got '0.1'"),
        ({"eta": 1}, "momentum has no hyperparameter 'eta'; allowed: lr, momentum"),
    ],
)
def test_step_bad_hyperparameter_is_422(
    client: TestClient, hyper: dict[str, Any], words: str
) -> None:
    # The optimizers own their hyperparameters: the core checks them and says which.
    body = step(client, {"graph": LINE, "optimizer": "momentum", "hyper": hyper}, 422)
    assert body["code"] == "invalid_optimizer"
    assert body["detail"] == words


def test_step_hyper_schema_is_drawn_from_the_optimizers(client: TestClient) -> None:
    from core.optimizers import OPTIMIZERS

    schema = client.get("/openapi.json").json()["components"]["schemas"]
    hyper = schema["StepRequest"]["properties"]["hyper"]
    names = {key for cls in OPTIMIZERS.values() for key in cls.DEFAULTS}
    assert set(hyper["properties"]) == names
    assert "adam (0.9)" in hyper["properties"]["beta1"]["description"]


# --- the optimizer's state goes back and forth; the service keeps none ------------------


def steps(client: TestClient, optimizer: str, count: int) -> list[float]:
    body: dict[str, Any] = {"graph": LINE, "optimizer": optimizer, "hyper": {"lr": 0.1}}
    losses = []
    for _ in range(count):
        data = step(client, body)
        losses.append(data["after"]["value"])
        body = {**body, "graph": data["graph"], "state": data["state"]}
    return losses


def test_two_momentum_steps_equal_the_core_optimizers_two_steps(client: TestClient) -> None:
    import numpy as np

    from core.optimizers import make_optimizer

    W, x = np.array([[0.5], [-0.5]]), np.array([[1.0, 2.0]])
    opt = make_optimizer("momentum", lr=0.1)
    expected = []
    for _ in range(2):
        opt.update([W], [x.T.copy()])  # d(sum(x W))/dW = x^T
        expected.append(float((x @ W).sum()))
    momentum = steps(client, "momentum", 2)
    assert momentum == pytest.approx(expected, rel=1e-12)
    assert momentum[1] != pytest.approx(steps(client, "sgd", 2)[1])


def test_a_state_of_another_optimizer_is_422_naming_both(client: TestClient) -> None:
    first = step(client, {"graph": LINE, "optimizer": "adam"})
    body = step(
        client, {"graph": first["graph"], "optimizer": "momentum", "state": first["state"]}, 422
    )
    assert body["code"] == "invalid_optimizer"
    assert "the state is 'adam''s, not 'momentum''s" in body["detail"]


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
