"""Errors on a page are in the page's language and name what the learner sees; the API
stays English. The page endpoints pick the language as the pages do: the ``lang``
cookie, else Accept-Language."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core import run_graph
from core.errors import GraphError
from core.examples import EXAMPLES

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MATMUL_MISMATCH = {
    "nodes": [
        {"id": "x", "op": "input", "value": [[1, 2, 3]]},
        {"id": "W", "op": "param", "value": [[1, 2], [3, 4]]},
        {"id": "y", "op": "matmul", "inputs": ["x", "W"]},
    ]
}
BAD_EXPONENT = {
    "nodes": [
        {"id": "x", "op": "input", "value": 2},
        {"id": "y", "op": "pow", "inputs": ["x"], "attrs": {"exponent": "two"}},
    ]
}


def english_of(spec: dict[str, Any]) -> str:
    with pytest.raises(GraphError) as caught:
        run_graph(spec)
    return caught.value.message


def korean(client: TestClient, how: str) -> dict[str, str]:
    """The request options that make a page Korean: the cookie or the header."""
    if how == "cookie":
        client.cookies.set("lang", "ko")
        return {"accept-language": "en"}  # the cookie wins
    return {"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"}


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_the_view_says_a_shape_error_in_korean_on_a_korean_page(
    client: TestClient, how: str
) -> None:
    response = client.post(
        "/explore/view", json={"graph": MATMUL_MISMATCH}, headers=korean(client, how)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "shape_mismatch" and body["node"] == "y"
    assert body["detail"] == (
        "노드 'y' (matmul): 형상 (1, 3), (2, 2): 맞지 않습니다: x의 열은 3개인데 W의 행은 2개입니다"
    )
    assert "svg" in body, "the picture still comes with the error"


def test_the_view_on_an_english_page_says_what_the_api_says(client: TestClient) -> None:
    page = client.post("/explore/view", json={"graph": MATMUL_MISMATCH}).json()
    api = client.post("/api/run", json=MATMUL_MISMATCH).json()
    assert page["detail"] == api["detail"] == english_of(MATMUL_MISMATCH)


def test_an_attr_is_named_by_the_build_panels_label_on_the_page_and_by_attrs_in_the_api(
    client: TestClient,
) -> None:
    api = client.post("/api/run", json=BAD_EXPONENT).json()["detail"]
    en = client.post("/explore/view", json={"graph": BAD_EXPONENT}).json()["detail"]
    ko = client.post(
        "/explore/view", json={"graph": BAD_EXPONENT}, headers={"accept-language": "ko"}
    ).json()["detail"]
    assert api == "node 'y' (pow): attrs.exponent must be a finite number, got 'two'"
    assert en == "node 'y' (pow): Exponent must be a finite number, got 'two'"
    assert ko == "노드 'y' (pow): 지수: 유한한 수이어야 합니다 (받은 값: 'two')"


def test_the_gradient_check_and_the_step_speak_korean(client: TestClient) -> None:
    ko = {"accept-language": "ko"}
    check = client.post("/explore/gradcheck", json={"graph": MATMUL_MISMATCH}, headers=ko)
    assert check.status_code == 422 and check.json()["node"] == "y"
    assert "맞지 않습니다" in check.json()["detail"]
    no_params = client.post("/explore/step", json={"graph": EXAMPLES["apple"].spec}, headers=ko)
    assert no_params.status_code == 422
    assert no_params.json()["detail"].startswith("그래프에 param 노드가 없어")
    spec = EXAMPLES["two_layer_net"].spec
    bad_lr = client.post("/explore/step", json={"graph": spec, "hyper": {"lr": -1}}, headers=ko)
    assert bad_lr.status_code == 422
    assert bad_lr.json()["detail"] == "sgd: 학습률: 0보다 커야 합니다 (받은 값: -1.0)"
    en = client.post("/explore/step", json={"graph": spec, "hyper": {"lr": -1}}).json()
    assert en["detail"] == "sgd: learning rate must be positive, got -1.0"
    api = client.post("/api/step", json={"graph": spec, "hyper": {"lr": -1}}).json()
    assert api["detail"] == "sgd: lr must be positive, got -1.0"


def test_a_body_that_does_not_fit_names_the_node_and_the_optimizer_by_their_labels(
    client: TestClient,
) -> None:
    spec = {"nodes": [{"id": "x", "op": "input", "value": 1, "inputs": "x"}]}
    ko = {"accept-language": "ko"}
    body = client.post("/explore/gradcheck", json={"graph": spec}, headers=ko).json()
    assert body["code"] == "invalid_request" and body["node"] == "x"
    assert body["detail"] == "노드 'x' (입력): 목록이어야 합니다", body["detail"]
    api = client.post("/api/gradcheck", json={"graph": spec}).json()
    assert api["detail"] == "graph.nodes[0].inputs (node 'x'): Input should be a valid list"
    optimizer = client.post(
        "/explore/step", json={"graph": EXAMPLES["two_layer_net"].spec, "optimizer": 3}, headers=ko
    ).json()
    assert optimizer["detail"] == "옵티마이저: 문자열이어야 합니다", optimizer["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/run", MATMUL_MISMATCH),
        ("/api/gradcheck", {"graph": MATMUL_MISMATCH}),
        ("/api/train", {"batch_size": 0}),
        ("/api/expression", {"expression": "x +", "values": {"x": 1}}),
    ],
)
def test_the_api_stays_english_for_a_korean_browser(
    client: TestClient, path: str, body: dict[str, Any]
) -> None:
    client.cookies.set("lang", "ko")
    detail = client.post(path, json=body, headers={"accept-language": "ko"}).json()["detail"]
    assert not HANGUL.search(detail), detail


def problem_of(page: str) -> str:
    found = re.search(
        r'<div class="error-banner" role="alert" id="problem">(.*?)</div>', page, re.S
    )
    assert found, "the page shows its problem"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_a_typed_expression_and_a_broken_link_are_explained_in_korean(client: TestClient) -> None:
    ko = {"accept-language": "ko"}
    typed = client.get("/explore", params={"expr": "x * tax", "values": "x=1"}, headers=ko)
    assert "변수 'tax': 값이 주어지지 않았습니다" in problem_of(typed.text)
    broken = client.get("/explore", params={"g": "a"}, headers=ko)
    assert broken.status_code == 400
    assert problem_of(broken.text).endswith("base64url 형식이 아닙니다")
    not_a_graph = base64.urlsafe_b64encode(json.dumps([1]).encode()).decode().rstrip("=")
    listed = client.get("/explore", params={"g": not_a_graph}, headers=ko)
    assert problem_of(listed.text).endswith("JSON이 그래프 객체가 아닙니다")
    english = client.get("/explore", params={"expr": "x * tax", "values": "x=1"})
    assert "the variable 'tax' has no value" in problem_of(english.text)
