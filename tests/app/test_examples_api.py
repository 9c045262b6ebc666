"""GET /api/examples and /api/examples/{name}."""

from __future__ import annotations

from fastapi.testclient import TestClient

from core.examples import EXAMPLES


def test_list_examples_has_titles_in_english_and_korean(client: TestClient) -> None:
    response = client.get("/api/examples")
    assert response.status_code == 200
    listed = response.json()
    assert [e["name"] for e in listed] == list(EXAMPLES)
    for entry in listed:
        assert set(entry) == {"name", "title", "description"}
        assert entry["title"]["en"] and entry["title"]["ko"], entry["name"]
        assert entry["description"]["en"] and entry["description"]["ko"], entry["name"]


def test_get_example_returns_a_runnable_spec(client: TestClient) -> None:
    spec = client.get("/api/examples/apple_orange").json()
    ids = {n["id"] for n in spec["nodes"]}
    assert {"apple", "apple_num", "orange", "orange_num", "tax"} <= ids
    assert client.post("/api/run", json=spec).json()["value"] == 715.0000000000001


def test_get_example_not_found_lists_the_known_names(client: TestClient) -> None:
    response = client.get("/api/examples/banana")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert "'banana'" in body["detail"]
    assert body["known"] == list(EXAMPLES)
    assert "apple_orange" in body["detail"]


def test_get_example_cannot_change_the_shared_example(client: TestClient) -> None:
    first = client.get("/api/examples/apple").json()
    first["nodes"][0]["value"] = 999
    assert client.get("/api/examples/apple").json()["nodes"][0]["value"] == 100
