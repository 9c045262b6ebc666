"""The explorer's page endpoints: the view of a run, the gradient check and one step,
each with its picture when the layout changed and its error body naming the node."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
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


# --- issue 8: what a learner sees is right -----------------------------------------------


def test_the_page_opens_at_the_start_or_at_the_stage_its_address_names(
    client: TestClient,
) -> None:
    data = page_data(client.get("/explore/apple_orange").text)
    assert data["stage"] == 0, "the first Step must compute the first node"
    total = len(data["view"]["stages"]) - 1
    assert page_data(client.get("/explore/apple_orange?s=5").text)["stage"] == 5
    assert page_data(client.get("/explore/apple_orange?s=999").text)["stage"] == total
    assert page_data(client.get("/explore/apple_orange?s=-1").text)["stage"] == 0
    assert page_data(client.get("/explore/apple_orange?s=x").text)["stage"] == 0
    html = client.get("/explore/apple_orange").text
    assert '<output id="state" data-state="none">Not run yet</output>' in html
    # Without JavaScript the picture still shows every number.
    assert ">715</text>" in html


def test_a_share_link_made_from_an_example_keeps_its_title_and_links_back(
    client: TestClient,
) -> None:
    from app.share import encode_graph

    spec = EXAMPLES["apple_orange"].fresh_spec()
    same = client.get(f"/explore?z={encode_graph(spec)}&from=apple_orange&s=3").text
    assert '<h1 id="graph-title">Apples and oranges</h1>' in same
    assert EXAMPLES["apple_orange"].description["en"] in same
    assert 'id="origin"' not in same, "the example itself: nothing changed to point at"
    assert page_data(same)["stage"] == 3 and page_data(same)["origin"] == "apple_orange"
    spec["nodes"][0]["value"] = 200
    client.cookies.set("lang", "ko")
    changed = client.get(f"/explore?z={encode_graph(spec)}&from=apple_orange").text
    assert EXAMPLES["apple_orange"].title["ko"] in changed
    assert 'id="origin"' in changed and 'href="/explore/apple_orange"' in changed
    unknown = client.get(f"/explore?z={encode_graph(spec)}&from=pear").text
    assert "나의 그래프" in unknown and page_data(unknown)["origin"] is None


def test_the_step_panel_shows_each_optimizers_default_learning_rate(
    client: TestClient,
) -> None:
    from core.format import plain_number
    from core.optimizers import OPTIMIZERS

    data = page_data(client.get("/explore/two_layer_net").text)
    assert data["optimizers"] == {
        name: {"lr": plain_number(cls.DEFAULTS["lr"])} for name, cls in OPTIMIZERS.items()
    }
    assert data["optimizers"]["adam"]["lr"] == "0.001"
    html = client.get("/explore/two_layer_net").text
    assert 'placeholder="0.01"' in html  # sgd, the first


def page_steps(client: TestClient, optimizer: str, count: int, lr: str = "1") -> list[Any]:
    spec: dict[str, Any] = EXAMPLES["two_layer_net"].fresh_spec()
    state: dict[str, Any] | None = None
    losses: list[float] = []
    bodies: list[Any] = []
    for _ in range(count):
        body = client.post(
            "/explore/step",
            json={
                "graph": spec,
                "optimizer": optimizer,
                "lr": lr,
                "state": state,
                "losses": losses,
            },
        ).json()
        spec, state, losses = body["graph"], body["state"], body["losses"]
        bodies.append(body)
    return bodies


def test_the_page_carries_the_optimizer_state_and_draws_the_loss_after_each_step(
    client: TestClient,
) -> None:
    from core.step import step_graph

    bodies = page_steps(client, "momentum", 3)
    # The core's own three momentum steps, each carrying on from the last.
    graph: Any = EXAMPLES["two_layer_net"].spec
    carried: dict[str, Any] | None = None
    expected: list[float] = []
    for _ in range(3):
        stepped = step_graph(graph, "momentum", {"lr": 1.0}, state=carried)
        graph, carried = stepped.spec, stepped.state.to_dict()
        expected.append(float(stepped.after.value))
    losses = bodies[-1]["losses"]
    assert losses[1:] == pytest.approx(expected, rel=1e-12)
    assert losses[0] == pytest.approx(float(run_graph(EXAMPLES["two_layer_net"].spec).value))
    sgd = page_steps(client, "sgd", 3)[-1]["losses"]
    assert losses[1] == pytest.approx(sgd[1]), "the first momentum step is SGD's"
    assert abs(losses[3] - sgd[3]) > 1e-3, "then the velocity carries on"
    html = bodies[-1]["html"]
    assert html.count('class="dot"') == 4, "the output before and after each of 3 steps"
    assert 'class="lab-svg lab-curve"' in html and "loss after each step" in html
    assert "Update 3 of momentum: it carries v on to the next step." in html
    assert bodies[-1]["state"]["t"] == 3


@pytest.mark.parametrize(("lang", "words"), [("en", "positive number"), ("ko", "0보다 큰")])
@pytest.mark.parametrize("lr", ["abc", "-1", "0", "1e400", "nan", "1_000"])
def test_a_learning_rate_that_is_no_positive_number_is_refused_with_a_message(
    client: TestClient, lang: str, words: str, lr: str
) -> None:
    client.cookies.set("lang", lang)
    response = client.post(
        "/explore/step",
        json={"graph": EXAMPLES["two_layer_net"].spec, "optimizer": "sgd", "lr": lr},
    )
    assert response.status_code == 422
    body = response.json()
    assert words in body["detail"] and lr in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "lr"]


def test_an_empty_learning_rate_box_takes_the_default(client: TestClient) -> None:
    from core.step import step_graph

    body = page_steps(client, "adam", 1, lr=" ")[0]
    default = step_graph(EXAMPLES["two_layer_net"].spec, "adam")
    assert body["losses"][1] == pytest.approx(float(default.after.value), rel=1e-12)


@pytest.mark.parametrize(("lang", "mark"), [("en", "⚠ at a kink"), ("ko", "⚠ 꺾인 점")])
def test_a_gradient_check_at_a_kink_says_so_and_why_in_the_pages_language(
    client: TestClient, lang: str, mark: str
) -> None:
    from core.gradcheck import check_graph

    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 0.0},
            {"id": "r", "op": "relu", "inputs": ["x"]},
        ]
    }
    client.cookies.set("lang", lang)
    html = client.post("/explore/gradcheck", json={"graph": spec}).json()["html"]
    kink = check_graph(spec)["x"].kink_at
    assert kink is not None
    assert f'<td class="kink">{mark}</td>' in html
    assert kink.message(lang).replace("'", "&#39;") in html
    assert "✗" not in html


def test_an_unknown_optimizer_is_named_even_with_a_learning_rate(client: TestClient) -> None:
    response = client.post(
        "/explore/step",
        json={"graph": EXAMPLES["two_layer_net"].spec, "optimizer": "newton", "lr": "0.1"},
    )
    assert response.status_code == 422 and "newton" in response.json()["detail"]
