"""POST /api/train/stream: the lab's run as server-sent events. The book's numbers, the
events in order with their fields, bad settings refused before any event, the time bound
ending a run with a final event, and a client that goes stopping the training (measured on
a live one-worker server: its CPU time stops growing, /healthz answers)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from app.train_schemas import STREAM_MAX_EPOCH, STREAM_MAX_HIDDEN
from core.lab import PARAM_NAMES, snapshot_every
from tests import live

#: A run the time bound ends: 5,000 epochs of 300 single-point updates on 256 hidden units.
LONG_RUN = {"max_epoch": 5000, "hidden_size": 256, "batch_size": 1, "optimizer": "adam", "lr": 0.01}


def parse(body: str) -> list[dict[str, Any]]:
    """The events of a text/event-stream body: each a ``data:`` line, then a blank line."""
    blocks = body.split("\n\n")
    assert blocks[-1] == "", "the stream ends with a whole event"
    events = []
    for block in blocks[:-1]:
        assert block.startswith("data: ") and "\n" not in block, block[:80]
        events.append(orjson.loads(block.removeprefix("data: ")))
    return events


def test_the_books_run_streams_the_plain_endpoints_numbers(client: TestClient) -> None:
    response = client.post("/api/train/stream", json={})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = parse(response.text)
    plain = client.post("/api/train", json={}).json()
    epochs = [e for e in events if e["type"] == "epoch"]
    assert [e["loss"] for e in epochs] == plain["loss"]
    assert [e["accuracy"] for e in epochs] == plain["accuracy"]
    assert [e["test_accuracy"] for e in epochs] == plain["test_accuracy"]
    assert epochs[0]["loss"] == pytest.approx(1.1256, abs=5e-5)
    assert epochs[299]["epoch"] == 300 and epochs[299]["loss"] < 0.12
    end = events[-1]
    assert end == {
        "type": "end",
        "reason": "done",
        "epochs": 300,
        "final_loss": plain["final_loss"],
        "final_accuracy": 0.97,
        "final_test_accuracy": plain["final_test_accuracy"],
        "chance_accuracy": plain["chance_accuracy"],
        "learned": True,
        "message": None,
    }
    snapshots = [e for e in events if e["type"] == "snapshot"]
    assert snapshots[-1]["boundary"] == plain["boundary"]  # the same net at the end


def test_events_come_in_order_with_their_fields(client: TestClient) -> None:
    events = parse(client.post("/api/train/stream", json={"dataset": "moons"}).text)
    assert [e["type"] for e in events[:2]] == ["start", "snapshot"]
    start = events[0]
    assert start["settings"]["optimizer"] == "adam"  # moons' own defaults
    assert start["max_seconds"] == 20.0 and start["snapshot_every"] == snapshot_every(300)
    assert set(start["points"]) == set(start["test_points"]) == {"x", "labels"}
    seen_epoch = 0
    for event in events[1:-1]:
        if event["type"] == "epoch":
            assert set(event) == {"type", "epoch", "loss", "accuracy", "test_accuracy"}
            assert event["epoch"] == seen_epoch + 1
            seen_epoch = event["epoch"]
        else:
            assert event["type"] == "snapshot" and event["epoch"] == seen_epoch
            assert [p["name"] for p in event["params"]] == list(PARAM_NAMES)
            for p in event["params"]:
                assert {"shape", "norm", "grad_norm", "value", "grad"} <= set(p)
    assert seen_epoch == 300 and events[-1]["type"] == "end"
    assert events[-1]["final_accuracy"] >= 0.9 and events[-1]["final_test_accuracy"] >= 0.9


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"max_epoch": STREAM_MAX_EPOCH + 1}, "max_epoch", "less than or equal to 5000"),
        ({"hidden_size": STREAM_MAX_HIDDEN + 1}, "hidden_size", "less than or equal to 256"),
        ({"activation": "gelu"}, "activation", "'sigmoid', 'relu' or 'tanh'"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"dataset": "iris"}, "dataset", "spiral"),
        ({"epochs": 3}, "epochs", "Extra inputs"),
    ],
)
def test_bad_settings_are_a_422_before_any_event(
    client: TestClient, body: dict[str, Any], field: str, words: str
) -> None:
    response = client.post("/api/train/stream", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail.startswith(f"{field}:") and words in detail, detail


def test_a_stream_takes_larger_bounds_than_the_plain_endpoint(client: TestClient) -> None:
    body = {"max_epoch": 2, "hidden_size": 200, "batch_size": 1}
    assert client.post("/api/train", json=body).status_code == 422
    events = parse(client.post("/api/train/stream", json=body).text)
    assert events[-1]["reason"] == "done" and events[-1]["epochs"] == 2
    assert events[0]["settings"]["hidden_size"] == 200


def test_the_time_bound_ends_a_long_run_with_a_final_event(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("BPX_MAX_TRAIN_SECONDS", "0.5")
    started = time.monotonic()
    events = parse(client.post("/api/train/stream", json=LONG_RUN).text)
    elapsed = time.monotonic() - started
    end = events[-1]
    assert end["type"] == "end" and end["reason"] == "time_limit"
    assert 0 < end["epochs"] < 5000
    assert end["message"].startswith("the run was stopped after 0.5 s, at epoch")
    assert events[0]["max_seconds"] == 0.5
    # a generous bound, only to show that it stopped: the run would take minutes
    assert elapsed < 30


def test_a_stream_outlives_the_requests_time_bound_and_keeps_its_own(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    """BPX_REQUEST_SECONDS bounds a request's work; a stream has BPX_MAX_TRAIN_SECONDS
    instead, so that it ends with a final event rather than breaking off."""
    settings_env.setenv("BPX_REQUEST_SECONDS", "0.2")
    settings_env.setenv("BPX_MAX_TRAIN_SECONDS", "1")
    events = parse(client.post("/api/train/stream", json=LONG_RUN).text)
    end = events[-1]
    assert end["type"] == "end" and end["reason"] == "time_limit", end
    assert events[0]["max_seconds"] == 1
    assert end["message"].startswith("the run was stopped after 1 s, at epoch")


def cpu_over(pid: int, seconds: float) -> float:
    before = live.cpu_seconds(pid)
    time.sleep(seconds)
    return live.cpu_seconds(pid) - before


def test_a_client_that_goes_stops_the_training() -> None:
    with (
        live.live_process() as (base, process),
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        started = time.monotonic()
        with http.stream("POST", "/api/train/stream", json=LONG_RUN) as response:
            assert response.status_code == 200
            lines = response.iter_lines()
            first = orjson.loads(next(lines).removeprefix("data: "))
            # the start comes before any training (generous bound: proves it arrives)
            assert first["type"] == "start" and time.monotonic() - started < 10
            for line in lines:
                if line.startswith("data: ") and '"type":"epoch"' in line:
                    break
            # while the client listens, the run keeps the worker's CPU busy
            # (a share of a core: the machine may be busy with other work)
            busy = cpu_over(process.pid, 3.0)
            assert busy > 0.15, busy
        # the response is closed: the client has gone
        time.sleep(0.5)
        idle = cpu_over(process.pid, 2.0)
        assert idle <= 0.06, f"the server still works after the client went: {idle} s"
        health = http.get("/healthz", timeout=5)
        assert health.status_code == 200


def test_the_page_stream_draws_on_the_server_in_the_pages_language(client: TestClient) -> None:
    body = {"max_epoch": 30}
    events = parse(client.post("/lab/stream", json=body, headers={"accept-language": "ko"}).text)
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["start", "snapshot"] and kinds[-1] == "end"
    assert kinds.count("epoch") == 30
    start, first_snapshot = events[0], events[1]
    assert start["loss_svg"].startswith("<svg") and 'data-epochs="0"' in start["loss_svg"]
    assert "에폭별 손실" in start["loss_svg"] and start["status"] == "학습 중…"
    assert '<g class="points">' in first_snapshot["boundary_svg"]
    later = [e for e in events if e["type"] == "snapshot"][1:]
    assert later and all(
        e["cells"].startswith('<svg xmlns="http://www.w3.org/2000/svg" class="cells"')
        for e in later
    )
    epochs = [e for e in events if e["type"] == "epoch"]
    assert epochs[0]["loss"] == "1.1256" and epochs[0]["status"] == "에폭 1/30"
    assert "loss_svg" in epochs[0]  # 1.13 is above the empty figure's top: drawn again
    assert all("loss_xy" in e for e in epochs[1:])
    end = events[-1]
    # the whole run drawn once more, exactly as POST /lab/figures draws it
    drawn = client.post("/lab/figures", json=body, headers={"accept-language": "ko"}).json()
    for key in ("loss_svg", "accuracy_svg", "boundary_svg"):
        assert end[key] == drawn[key], key
    assert end["final_loss"] == drawn["final_loss"] == epochs[-1]["loss"]
    assert end["status"] == drawn["status"] == "30 에폭 학습을 마쳤습니다."


def test_the_page_stream_says_why_a_run_stopped(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("BPX_MAX_TRAIN_SECONDS", "0.3")
    events = parse(
        client.post("/lab/stream", json=LONG_RUN, headers={"accept-language": "ko"}).text
    )
    end = events[-1]
    assert end["status"] == f"에폭 {end['epochs']}에서 멈췄습니다."
    assert end["problem"].startswith("0.3초가 지나 에폭")


def test_the_page_stream_refuses_bad_settings_in_the_pages_language(client: TestClient) -> None:
    response = client.post(
        "/lab/stream", json={"max_epoch": 9000}, headers={"accept-language": "ko"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "에폭 수: 5000 이하여야 합니다"
