"""The drawing's work is bounded before it starts, and by the request's time while it runs."""

from __future__ import annotations

import grandalf.layouts
import pytest

from app.drawing.layout import MAX_DRAWING_CELLS, MAX_DRAWN_INPUTS, check_drawable, layout_graph
from core import run_graph
from core.deadline import time_limit
from core.errors import LimitError, TimeLimitError
from tests.heavy import chain, fan_in, skip


def test_long_skip_edges_over_the_cell_limit_are_refused_before_any_layout() -> None:
    spec = skip(400)  # valid: the engine runs it; its drawing would cross ~160,000 columns
    run_graph(spec)
    with pytest.raises(LimitError) as caught:
        layout_graph(spec)
    assert f"the limit is {MAX_DRAWING_CELLS}" in caught.value.message
    assert "too large to draw" in caught.value.message
    assert "그릴 수 없습니다" in caught.value.localized("ko")


def test_a_node_listing_thousands_of_inputs_is_refused_naming_it() -> None:
    with pytest.raises(LimitError) as caught:
        check_drawable(fan_in(8_000))
    assert caught.value.node == "y"
    assert "8000 inputs" in caught.value.message
    assert f"{MAX_DRAWN_INPUTS}" in caught.value.message


def test_a_graph_of_100_nodes_that_all_read_one_input_still_draws() -> None:
    layout = layout_graph(skip(100))
    assert len(layout.nodes) == 100


def test_a_long_chain_lays_out_without_comparing_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    """grandalf found each layer's rank by comparing lists: ~n**2/2 comparisons."""
    compared = 0
    original = grandalf.layouts.Layer.__eq__

    def counting(self: grandalf.layouts.Layer, other: object) -> bool:
        nonlocal compared
        compared += 1
        return bool(original(self, other))

    monkeypatch.setattr(grandalf.layouts.Layer, "__eq__", counting)
    layout_graph(chain(600))
    assert compared < 10_000, f"{compared} layer comparisons for 600 nodes"


def test_the_layout_stops_when_the_request_time_is_up() -> None:
    with time_limit(1e-9), pytest.raises(TimeLimitError) as caught:
        layout_graph(chain(30))
    assert "BPX_REQUEST_SECONDS" in caught.value.message
    assert caught.value.code == "too_slow"
