"""The explorer's page endpoints: the view of a run, the gradient check and one step,
each with its picture when the layout changed and its error body naming the node."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from core import run_graph
from core.examples import EXAMPLES
from core.format import compact, short

SHAPE_MISMATCH = {
    "nodes": [
        {"id": "x", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
        {"id": "y", "op": "input", "value": [1, 2]},
        {"id": "z", "op": "add", "inputs": ["x", "y"]},
    ]
}


def page_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="bpx-data">(.*?)</script>', html, re.S)
    assert found, "the page carries its data in a JSON script"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_page_carries_the_view_and_paths_from_the_routes(client: TestClient) -> None:
    response = client.get("/explore/apple_orange")
    assert response.status_code == 200
    data = page_data(response.text)
    assert data["urls"]["view"] == "/explore/view"
    assert data["urls"]["gradcheck"] == "/explore/gradcheck"
    assert data["urls"]["step"] == "/explore/step"
    assert not any(url.startswith("/api/") for url in data["urls"].values())
    assert data["view"]["ran"] and data["error"] is None
    assert "result" not in data, "the page gets texts to show, not numbers to format"
    assert data["layout"]


def test_the_view_endpoint_answers_the_view_and_the_picture_only_when_the_layout_changed(
    client: TestClient,
) -> None:
    spec = EXAMPLES["apple_orange"].fresh_spec()
    first = client.post("/explore/view", json={"graph": spec})
    assert first.status_code == 200
    body = first.json()
    assert body["svg"].startswith("<svg") and body["view"]["ran"]
    out = next(e for e in body["view"]["edges"] if e["target"] == "")
    assert out["value"]["label"] == short(float(run_graph(spec).value)) == "715"
    spec["nodes"][0]["value"] = 200  # a new value: the same layout
    again = client.post("/explore/view", json={"graph": spec, "layout": body["layout"]})
    assert again.status_code == 200 and "svg" not in again.json()
    assert again.json()["layout"] == body["layout"]
    spec["nodes"][0]["value"] = [100, 200]  # a new shape: a new layout
    reshaped = client.post("/explore/view", json={"graph": spec, "layout": body["layout"]})
    assert reshaped.status_code == 200 and "svg" in reshaped.json()


def test_a_graph_that_cannot_run_is_a_422_naming_the_node_with_its_picture(
    client: TestClient,
) -> None:
    response = client.post("/explore/view", json={"graph": SHAPE_MISMATCH})
    assert response.status_code == 422
    body = response.json()
    assert body["node"] == "z" and body["code"] == "shape_mismatch"
    assert "'z'" in body["detail"] and "(2, 3)" in body["detail"]
    assert 'data-node="z"' in body["svg"] and ">?</text>" in body["svg"]
    assert not body["view"]["ran"]
    assert [f["node"] for f in body["view"]["fields"]] == ["x", "y"]


def test_a_cycle_is_a_422_naming_a_node_on_it(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 1},
            {"id": "y", "op": "add", "inputs": ["x", "z"]},
            {"id": "z", "op": "neg", "inputs": ["y"]},
        ]
    }
    response = client.post("/explore/view", json={"graph": spec})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "cycle" and body["node"] in ("y", "z")
    assert "svg" in body


def test_a_view_request_that_is_not_a_graph_object_is_a_422(client: TestClient) -> None:
    response = client.post("/explore/view", json={"graph": [1, 2]})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_the_gradient_check_answers_its_table(client: TestClient) -> None:
    response = client.post("/explore/gradcheck", json={"graph": EXAMPLES["apple_orange"].spec})
    assert response.status_code == 200
    body = response.json()
    assert body["passed"] is True
    html = body["html"]
    for node in ("apple", "apple_num", "orange", "orange_num", "tax"):
        assert f'<tr data-node="{node}">' in html
    assert '<td class="num">2.2</td>' in html  # d price / d apple, as the book says
    assert "✗" not in html


def test_the_gradient_check_speaks_the_pages_language(client: TestClient) -> None:
    client.cookies.set("lang", "ko")
    response = client.post("/explore/gradcheck", json={"graph": EXAMPLES["matmul"].spec})
    assert response.status_code == 200
    html = response.json()["html"]
    assert '<th scope="col">노드</th>' in html and '<th scope="col">형상</th>' in html
    assert "<td>(2, 3)</td>" in html, "arrays show their shape, not their numbers"
    assert "✓ 통과" in html


def test_the_gradient_check_of_a_broken_graph_names_the_node(client: TestClient) -> None:
    response = client.post("/explore/gradcheck", json={"graph": SHAPE_MISMATCH})
    assert response.status_code == 422
    assert response.json()["node"] == "z"


def test_one_step_answers_the_moved_graph_its_view_and_its_table(client: TestClient) -> None:
    spec = EXAMPLES["two_layer_net"].spec
    before = run_graph(spec)
    first = client.post("/explore/view", json={"graph": spec}).json()
    response = client.post(
        "/explore/step",
        json={"graph": spec, "optimizer": "sgd", "hyper": {"lr": 1}, "layout": first["layout"]},
    )
    assert response.status_code == 200
    body = response.json()
    after = run_graph(body["graph"])
    assert float(after.value) < float(before.value)
    assert "svg" not in body, "a step moves numbers, not the layout"
    out = next(e for e in body["view"]["edges"] if e["target"] == "")
    assert out["value"]["label"] == short(float(after.value))
    html = body["html"]
    assert f'<td class="num">{compact(before.value)}</td>' in html
    assert f'<td class="num">{compact(after.value)}</td>' in html
    for param in ("W1", "b1", "W2", "b2"):
        assert f'<th scope="row">{param}</th>' in html
    assert 'class="step-undo"' in html


def test_a_step_without_params_or_with_a_bad_optimizer_is_a_422(client: TestClient) -> None:
    no_params = client.post("/explore/step", json={"graph": EXAMPLES["apple"].spec})
    assert no_params.status_code == 422
    assert "no param node" in no_params.json()["detail"]
    bad = client.post(
        "/explore/step", json={"graph": EXAMPLES["two_layer_net"].spec, "optimizer": "newton"}
    )
    assert bad.status_code == 422
    assert "newton" in bad.json()["detail"]


def test_a_step_on_a_broken_graph_names_the_node(client: TestClient) -> None:
    spec = {
        "nodes": [
            {"id": "W", "op": "param", "value": [[1.0, 2.0]]},
            {"id": "x", "op": "input", "value": [[1.0, 2.0, 3.0]]},
            {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
        ]
    }
    response = client.post("/explore/step", json={"graph": spec})
    assert response.status_code == 422
    body = response.json()
    assert body["node"] == "y" and body["code"] == "shape_mismatch"


def test_the_page_endpoints_stay_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/explore")]
    assert "/api/run" in paths and "/api/step" in paths
