"""The pages run graphs under the same BPX_ limits as the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.share import encode_graph
from core.examples import EXAMPLES


def test_a_shared_graph_over_the_node_limit_shows_the_limit_from_the_settings(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("BPX_MAX_NODES", "3")
    response = client.get("/explore", params={"z": encode_graph(EXAMPLES["apple_orange"].spec)})
    assert "the graph has 9 nodes; the limit is 3" in response.text


def test_the_view_endpoint_refuses_more_nodes_than_the_settings_allow_and_draws_nothing(
    client: TestClient, settings_env: pytest.MonkeyPatch
) -> None:
    settings_env.setenv("BPX_MAX_NODES", "3")
    response = client.post("/explore/view", json={"graph": EXAMPLES["apple_orange"].spec})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "the graph has 9 nodes; the limit is 3"
    assert body["code"] == "over_limit"
    assert "svg" not in body, "a graph over the node limit is too big to lay out"
