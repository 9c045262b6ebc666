"""Every request is bounded in time, and every answer carries the site's headers."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from app.pages import SECURITY_HEADERS
from app.settings import get_settings
from app.share import encode_graph
from core import deadline
from core.examples import EXAMPLES
from tests.heavy import chain, skip

AFFINE = EXAMPLES["affine"].spec
HTML = {"accept": "text/html"}


def test_every_answer_carries_its_headers_html_and_json_alike(client: TestClient) -> None:
    """HTML (pages, /docs, the 404 page, a page refusing its link) the same three
    headers, set in one place; JSON (an answer, an error, a 413) nosniff."""
    pages = [
        client.get("/"),
        client.get("/explore/apple"),
        client.get("/lab"),
        client.get("/learn"),
        client.get("/docs"),
        client.get("/no/such/page", headers=HTML),
        client.get("/explore", params={"g": "%%%"}),
    ]
    for response in pages:
        assert response.headers["content-type"].startswith("text/html"), response.url
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
    answers = [
        client.get("/healthz"),
        client.post("/api/run", json=AFFINE),
        client.post("/api/run", json={"nodes": []}),
        client.post(
            "/api/run", content=b"[" * 3_000_000, headers={"content-type": "application/json"}
        ),
        client.get("/openapi.json"),
    ]
    for response in answers:
        assert response.headers["content-type"].startswith("application/json"), response.url
        assert response.headers.get("x-content-type-options") == "nosniff", response.url


@pytest.fixture
def no_time(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("BPX_REQUEST_SECONDS", "0.000001")


def test_the_api_ends_work_past_the_request_time_with_a_422_that_says_so(
    client: TestClient, no_time: None
) -> None:
    response = client.post("/api/gradcheck", json={"graph": AFFINE})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "too_slow"
    assert body["detail"].startswith("the work took longer than the time limit of 1e-06 s")
    train = client.post("/api/train", json={"max_epoch": 5})
    assert train.status_code == 422 and train.json()["code"] == "too_slow"
    assert client.get("/healthz").status_code == 200


def test_the_pages_end_work_past_the_request_time_in_their_language(
    client: TestClient, no_time: None
) -> None:
    korean = {"cookie": "lang=ko"}
    check = client.post("/explore/gradcheck", json={"graph": AFFINE}, headers=korean)
    assert check.status_code == 422
    assert "제한 시간" in check.json()["detail"]
    page = client.get("/explore", params={"z": encode_graph(chain(300))})
    assert page.status_code == 422
    assert "took longer than the time limit" in page.text
    view = client.post("/explore/view", json={"graph": chain(300)})
    assert view.status_code == 422 and view.json()["code"] == "too_slow"


def test_a_page_refuses_a_graph_too_large_to_draw_before_running_it(client: TestClient) -> None:
    link = encode_graph(skip(400))
    assert len(link) < 8_000, "a short link"
    page = client.get("/explore", params={"z": link})
    assert page.status_code == 422
    assert "too large to draw" in page.text
    assert 'class="bpx-graph"' not in page.text, "nothing of the graph is drawn"
    view = client.post("/explore/view", json={"graph": skip(400)})
    assert view.status_code == 422
    assert view.json()["code"] == "over_limit" and "svg" not in view.json()


def test_one_thread_computes_at_a_time_unless_the_settings_say_otherwise(
    settings_env: pytest.MonkeyPatch,
) -> None:
    """The others wait without contending for the GIL, so /healthz answers at once."""
    import anyio.to_thread

    from app.main import app

    def threads() -> int:
        return int(anyio.to_thread.current_default_thread_limiter().total_tokens)

    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(threads) == 1
        assert client.get("/healthz").json() == {"status": "ok"}
    settings_env.setenv("BPX_COMPUTE_THREADS", "3")
    get_settings.cache_clear()
    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(threads) == 3


def test_a_stopping_server_answers_work_with_a_503_that_says_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deadline, "_STOPPING", threading.Event())
    deadline.stop_all()
    response = client.post("/api/gradcheck", json={"graph": AFFINE})
    assert response.status_code == 503
    assert response.json()["code"] == "stopping"
    assert "try again" in response.json()["detail"]
    korean = client.post(
        "/explore/gradcheck", json={"graph": AFFINE}, headers={"cookie": "lang=ko"}
    )
    assert korean.status_code == 503 and "서버가 멈추는 중" in korean.json()["detail"]
    assert client.get("/healthz").status_code == 200
