"""POST /api/train: the book's chapter 1 run through HTTP, every data set and optimizer,
and every bound refused with 422 and a message that names the field."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import asdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.datasets import DATASET_DEFAULTS, DATASETS
from core.lab import GRID, MAX_ITERATIONS, POINTS, TrainSettings
from core.optimizers import OPTIMIZERS
from tests.app.conftest import run_python


def test_train_defaults_are_the_books_spiral_run(client: TestClient) -> None:
    response = client.post("/api/train", json={})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["loss"]) == len(body["accuracy"]) == 300
    # book 2, chapter 1: about 1.13 in epoch 1, 0.48 at 100, 0.16 at 200, 0.11 at 300
    assert body["loss"][0] == pytest.approx(1.13, abs=0.005)
    assert body["loss"][99] == pytest.approx(0.48, abs=0.02)
    assert body["loss"][199] == pytest.approx(0.16, abs=0.02)
    assert body["loss"][299] == pytest.approx(0.11, abs=0.005)
    assert body["final_loss"] == body["loss"][-1]
    assert body["final_accuracy"] == pytest.approx(0.97, abs=0.005)
    assert len(body["points"]["x"]) == len(body["points"]["labels"]) == POINTS
    assert body["points"]["x"][1] == pytest.approx([-0.00097699, 0.00995216], abs=1e-8)
    assert sorted(set(body["points"]["labels"])) == [0, 1, 2]


def test_train_boundary_is_a_coarse_grid_over_the_data(client: TestClient) -> None:
    body = client.post("/api/train", json={"max_epoch": 20}).json()
    b = body["boundary"]
    assert (b["nx"], b["ny"]) == (GRID, GRID)
    assert len(b["classes"]) == b["ny"] and all(len(row) == b["nx"] for row in b["classes"])
    assert {c for row in b["classes"] for c in row} <= {0, 1, 2}
    xs = [p[0] for p in body["points"]["x"]]
    ys = [p[1] for p in body["points"]["x"]]
    # the data's range +- 0.1, as in the book's figure
    assert b["x_min"] == pytest.approx(min(xs) - 0.1) and b["x_max"] == pytest.approx(max(xs) + 0.1)
    assert b["y_min"] == pytest.approx(min(ys) - 0.1) and b["y_max"] == pytest.approx(max(ys) + 0.1)


def test_train_is_the_same_for_the_same_seed_and_differs_for_another(client: TestClient) -> None:
    settings = {"dataset": "moons", "max_epoch": 10, "optimizer": "adam", "lr": 0.05}
    first = client.post("/api/train", json=settings).json()
    again = client.post("/api/train", json=settings).json()
    other = client.post("/api/train", json={**settings, "seed": 7}).json()
    assert first == again
    assert first["loss"] != other["loss"]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_train_each_dataset_learns(client: TestClient, dataset: str) -> None:
    body = client.post(
        "/api/train", json={"dataset": dataset, "optimizer": "adam", "lr": 0.05, "max_epoch": 100}
    ).json()
    classes = 3 if dataset == "spiral" else 2
    assert sorted(set(body["points"]["labels"])) == list(range(classes))
    assert body["loss"][-1] < body["loss"][0], f"{dataset}: the loss did not fall"
    assert body["final_accuracy"] > 0.8, f"{dataset}: accuracy {body['final_accuracy']}"


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_train_with_only_a_dataset_uses_its_defaults_which_learn_it(
    client: TestClient, dataset: str
) -> None:
    body = client.post("/api/train", json={"dataset": dataset}).json()
    defaults = DATASET_DEFAULTS[dataset]
    assert body["final_accuracy"] >= 0.9, (
        f"{dataset}: its defaults ({defaults.optimizer}, lr {defaults.lr}) end at "
        f"{body['final_accuracy']} training accuracy"
    )
    assert body["learned"] is True
    spelled_out = client.post("/api/train", json=asdict(TrainSettings.for_dataset(dataset)))
    assert spelled_out.json() == body, "the defaults are not the data set's own settings"


def test_train_a_given_setting_wins_over_the_datasets_default(client: TestClient) -> None:
    given = {"dataset": "circles", "optimizer": "sgd", "lr": 0.5, "max_epoch": 3}
    body = client.post("/api/train", json=given).json()
    assert body == client.post("/api/train", json={**given, "seed": 1984}).json()
    assert body != client.post("/api/train", json={**given, "optimizer": "adam"}).json()


def test_train_says_when_a_run_did_not_learn(client: TestClient) -> None:
    # circles with the book's SGD 1.0: the loss stays at ln 2, the accuracy at 50%
    body = client.post(
        "/api/train", json={"dataset": "circles", "optimizer": "sgd", "lr": 1.0, "seed": 1984}
    ).json()
    assert body["chance_accuracy"] == 0.5
    assert body["final_accuracy"] == pytest.approx(0.5, abs=0.02)
    assert body["learned"] is False
    book = client.post("/api/train", json={}).json()
    assert book["chance_accuracy"] == pytest.approx(1 / 3) and book["learned"] is True


def test_train_schema_documents_each_datasets_defaults(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TrainRequest"]
    fields = schema["properties"]
    for field in ("optimizer", "lr"):
        assert "default" not in fields[field], f"{field} has one default for every data set"
        for name, defaults in DATASET_DEFAULTS.items():
            assert f"{name}: {getattr(defaults, field)}" in fields[field]["description"]
    assert fields["dataset"]["default"] == "spiral"
    assert schema["x-dataset-defaults"] == {n: asdict(d) for n, d in DATASET_DEFAULTS.items()}
    assert {"dataset": "circles"} in schema["examples"]
    response = client.get("/openapi.json").json()["components"]["schemas"]["TrainResponse"]
    assert {"chance_accuracy", "learned"} <= set(response["required"])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_train_each_optimizer_runs(client: TestClient, optimizer: str) -> None:
    response = client.post("/api/train", json={"optimizer": optimizer, "lr": 0.01, "max_epoch": 5})
    assert response.status_code == 200, response.text
    assert len(response.json()["loss"]) == 5


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"dataset": "iris"}, "dataset", "'spiral', 'xor', 'circles' or 'moons'"),
        ({"hidden_size": 0}, "hidden_size", "greater than or equal to 1"),
        ({"hidden_size": 101}, "hidden_size", "less than or equal to 100"),
        ({"optimizer": "lbfgs"}, "optimizer", "'sgd'"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"lr": -1.0}, "lr", "greater than 0"),
        ({"lr": 101.0}, "lr", "less than or equal to 100"),
        ({"max_epoch": 0}, "max_epoch", "greater than or equal to 1"),
        ({"max_epoch": 1001}, "max_epoch", "less than or equal to 1000"),
        ({"batch_size": 0}, "batch_size", "greater than or equal to 1"),
        ({"batch_size": 301}, "batch_size", "less than or equal to 300"),
        ({"seed": -1}, "seed", "greater than or equal to 0"),
        ({"seed": 2**32}, "seed", "less than or equal to"),
        ({"max_epoch": True}, "max_epoch", "valid integer"),
        ({"max_epoch": "300"}, "max_epoch", "valid integer"),
        ({"max_epoch": 3.5}, "max_epoch", "valid integer"),
        ({"lr": "1.0"}, "lr", "valid number"),
        ({"lr": None}, "lr", "valid number"),
        ({"hidden_size": False}, "hidden_size", "valid integer"),
        ({"epochs": 10}, "epochs", "Extra inputs are not permitted"),
    ],
)
def test_train_refuses_each_bad_field_with_422(
    client: TestClient, body: dict[str, Any], field: str, words: str
) -> None:
    response = client.post("/api/train", json=body)
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "invalid_request"
    assert error["detail"].startswith(f"{field}: "), error["detail"]
    assert words in error["detail"], error["detail"]


def test_train_refuses_too_much_work_naming_the_limit(client: TestClient) -> None:
    response = client.post("/api/train", json={"max_epoch": 1000, "batch_size": 1})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "300000 updates" in detail and str(MAX_ITERATIONS) in detail, detail


def test_train_accepts_exactly_the_limit_of_work(client: TestClient) -> None:
    # 1000 epochs of 300 // 30 = 10 batches: 10,000 updates, the limit itself
    response = client.post("/api/train", json={"max_epoch": 1000, "batch_size": 30})
    assert response.status_code == 200, response.text
    assert len(response.json()["loss"]) == 1000


def test_train_batch_of_every_point_is_one_update_per_epoch(client: TestClient) -> None:
    response = client.post("/api/train", json={"batch_size": POINTS, "max_epoch": 3})
    assert response.status_code == 200, response.text


def test_train_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/train", content=b'{"max_epoch": 3', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_train_is_documented_with_an_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/train"]["post"]
    assert "200" in operation["responses"] and "422" in operation["responses"]
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schema["components"]["schemas"][request_ref.rsplit("/", 1)[-1]]
    assert request_schema["examples"][0]["dataset"] == "spiral"
    assert request_schema["additionalProperties"] is False


def test_train_schema_enums_are_the_core_registries(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    fields = schema["components"]["schemas"]["TrainRequest"]["properties"]
    assert fields["dataset"]["enum"] == list(DATASETS)
    assert fields["optimizer"]["enum"] == list(OPTIMIZERS)


# A fresh interpreter registers one more data set and optimizer in the core, then imports
# the app: nothing else is edited, and both must show up everywhere.
NEW_ENTRIES = textwrap.dedent(
    """
    import json
    import core.datasets, core.optimizers
    core.datasets.DATASETS["blobs"] = core.datasets.make_moons
    core.datasets.DATASET_TITLES["blobs"] = {"en": "Blobs (2 classes)", "ko": "덩어리 (2클래스)"}
    core.datasets.DATASET_DEFAULTS["blobs"] = core.datasets.TrainingDefaults("plain", 0.5)
    core.optimizers.OPTIMIZERS["plain"] = core.optimizers.SGD
    from fastapi.testclient import TestClient
    from app.main import app
    client = TestClient(app)
    fields = client.get("/openapi.json").json()["components"]["schemas"]["TrainRequest"]
    trained = client.post("/api/train", json={"dataset": "blobs", "max_epoch": 2})
    spelled = client.post("/api/train", json={"dataset": "blobs", "optimizer": "plain",
                                              "lr": 0.5, "max_epoch": 2})
    refused = client.post("/api/train", json={"dataset": "iris"})
    page = client.get("/lab", headers={"accept-language": "ko"})
    print(json.dumps({
        "dataset_enum": fields["properties"]["dataset"]["enum"],
        "optimizer_enum": fields["properties"]["optimizer"]["enum"],
        "trained": trained.status_code,
        "defaults_used": trained.json() == spelled.json(),
        "refused": refused.json()["detail"],
        "page": page.text,
    }))
    """
)


def test_a_new_dataset_and_optimizer_reach_the_api_and_the_lab_without_an_edit() -> None:
    seen = json.loads(run_python(NEW_ENTRIES).strip().splitlines()[-1])
    assert seen["dataset_enum"] == [*DATASETS, "blobs"]
    assert seen["optimizer_enum"] == [*OPTIMIZERS, "plain"]
    assert seen["trained"] == 200
    assert seen["defaults_used"], "blobs was not trained with its own defaults"
    data = re.search(r'id="lab-data">(.*?)</script>', seen["page"], re.S)
    assert data, "no #lab-data on the page"
    assert json.loads(data.group(1))["defaults"]["blobs"] == {"optimizer": "plain", "lr": "0.5"}
    assert "'moons' or 'blobs'" in seen["refused"], seen["refused"]
    assert '<option value="blobs">덩어리 (2클래스)</option>' in seen["page"]
    assert '<option value="plain">plain</option>' in seen["page"]
