"""Every response has an X-Request-ID, and every request one access-log line with it."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from app.errors import install_error_handlers
from app.request_log import RequestLog, install_request_log, request_id_of
from core.examples import EXAMPLES

LINE = re.compile(
    r"method=(?P<method>\S+) path=(?P<path>\S+) status=(?P<status>\d{3}) "
    r"duration_ms=(?P<duration>\d+\.\d\d) request_id=(?P<id>[A-Za-z0-9._:\-]{1,128})"
)


def access_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    lines = [r.getMessage() for r in caplog.records if r.name == "app.access"]
    matches = [LINE.fullmatch(line) for line in lines]
    assert all(matches), f"an access line without every field: {lines}"
    return [m for m in matches if m]


def test_every_response_has_its_own_request_id(client: TestClient) -> None:
    ids = [client.get("/healthz").headers["x-request-id"] for _ in range(20)]
    ids.append(client.post("/api/run", json=EXAMPLES["apple_orange"].spec).headers["x-request-id"])
    ids.append(client.get("/no/such/page").headers["x-request-id"])
    assert len(set(ids)) == len(ids), ids
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_a_sane_client_id_is_echoed(client: TestClient) -> None:
    given = "class-7b.run:42-retry_1"
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers.get_list("x-request-id") == [given]


@pytest.mark.parametrize(
    "given",
    ["", "two words", "forged\nINFO: method=GET", "x" * 129, "ä-umlaut", "<script>"],
)
def test_an_unfit_client_id_is_replaced(client: TestClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": given.encode("utf-8")})
    answered = response.headers.get_list("x-request-id")
    assert len(answered) == 1 and answered[0] != given
    assert re.fullmatch(r"[0-9a-f]{32}", answered[0])
    assert request_id_of(given) != given


def test_one_access_line_per_request_with_every_field(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.access")
    ok = client.post("/api/run", json=EXAMPLES["apple_orange"].spec)
    missing = client.get("/api/examples/nope", headers={"X-Request-ID": "mine-1"})
    assert missing.headers["x-request-id"] == "mine-1"
    (first, second) = access_lines(caplog)
    assert (first["method"], first["path"], first["status"]) == ("POST", "/api/run", "200")
    assert first["id"] == ok.headers["x-request-id"]
    assert float(first["duration"]) > 0
    assert (second["method"], second["path"], second["status"], second["id"]) == (
        "GET",
        "/api/examples/nope",
        "404",
        "mine-1",
    )
    record = next(r for r in caplog.records if r.name == "app.access")
    assert record.__dict__["status"] == 200 and record.__dict__["path"] == "/api/run"


def test_the_log_line_keeps_one_line_and_leaves_the_query_out(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.access")
    client.get("/explore/x%0AINFO:%20forged?z=a-whole-graph")
    (line,) = access_lines(caplog)
    assert line["path"] == "/explore/x%0AINFO:%20forged"
    assert "\n" not in caplog.records[-1].getMessage()


def test_a_refused_body_has_an_id_and_a_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.access")
    response = client.post("/api/run", content=b"x" * (3 * 1024 * 1024))
    assert response.status_code == 413
    (line,) = access_lines(caplog)
    assert (line["status"], line["id"]) == ("413", response.headers["x-request-id"])


def test_a_bug_answers_500_with_its_id_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    install_request_log(app, enabled=True, level="info")
    caplog.set_level(logging.INFO, logger="app.access")
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "bug-report-1"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert response.headers["x-request-id"] == "bug-report-1"
    (line,) = access_lines(caplog)
    assert (line["status"], line["id"]) == ("500", "bug-report-1")


def test_the_access_log_can_be_turned_off(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()
    app.get("/ping")(lambda: "pong")
    logger = logging.getLogger("app.access")
    level = logger.level
    try:
        install_request_log(app, enabled=False, level="info")
        caplog.set_level(logging.DEBUG)  # the root's level: the logger's own still decides
        logger.setLevel(logging.CRITICAL + 1)
        with TestClient(app) as client:
            response = client.get("/ping")
    finally:
        logger.setLevel(level)
    assert response.headers["x-request-id"]
    assert not [r for r in caplog.records if r.name == "app.access"]


def test_a_streamed_response_passes_through_as_it_is_sent() -> None:
    """Each body part reaches the server before the app has written the next one."""
    sent: list[Message] = []
    may_go_on = asyncio.Event()

    async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"data: 1\n\n", "more_body": True})
        await may_go_on.wait()
        await send({"type": "http.response.body", "body": b"data: 2\n\n", "more_body": False})

    async def server_send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def scenario() -> None:
        scope: Scope = {"type": "http", "method": "GET", "path": "/s", "headers": []}
        task = asyncio.create_task(RequestLog(streaming_app)(scope, receive, server_send))
        for _ in range(100):
            await asyncio.sleep(0)
            if len(sent) == 2:
                break
        assert [m.get("body") for m in sent[1:]] == [b"data: 1\n\n"], "the first part was held"
        may_go_on.set()
        await task

    asyncio.run(scenario())
    assert [m.get("body") for m in sent[1:]] == [b"data: 1\n\n", b"data: 2\n\n"]
    assert dict(sent[0]["headers"])[b"x-request-id"]
