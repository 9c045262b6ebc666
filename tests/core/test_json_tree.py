"""A spec no schema checked (a page's graph) is refused, naming the node, when it nests
too deep or holds text no UTF-8 reply can carry."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import SpecError
from core.examples import EXAMPLES
from core.spec import MAX_JSON_DEPTH, check_json_tree


def _nested(depth: int) -> Any:
    value: Any = 1.0
    for _ in range(depth):
        value = [value]
    return value


def test_the_examples_pass() -> None:
    for example in EXAMPLES.values():
        check_json_tree(example.spec)


def test_a_lone_surrogate_in_an_input_is_refused_naming_the_node() -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 1},
            {"id": "y", "op": "relu", "inputs": ["\ud800"]},
        ]
    }
    with pytest.raises(SpecError) as caught:
        check_json_tree(spec)
    assert caught.value.node == "y"
    assert caught.value.message == (
        "node 'y': the text '\\ud800' is not valid Unicode (it holds a lone surrogate)"
    )
    caught.value.message.encode("utf-8")  # the message itself can be sent


def test_a_lone_surrogate_as_the_id_is_refused_without_echoing_it_as_the_node() -> None:
    with pytest.raises(SpecError) as caught:
        check_json_tree({"nodes": [{"id": "a\udfff", "op": "input", "value": 1}]})
    assert caught.value.node is None
    assert "a graph spec: the text 'a\\udfff'" in caught.value.message


def test_a_lone_surrogate_in_a_key_or_the_output_is_refused() -> None:
    with pytest.raises(SpecError):
        check_json_tree({"nodes": [{"id": "x", "op": "pow", "attrs": {"\udc80": 1}}]})
    with pytest.raises(SpecError):
        check_json_tree({"nodes": [{"id": "x", "op": "input", "value": 1}], "output": "\ud83d"})


def test_korean_ids_and_emoji_are_unicode() -> None:
    check_json_tree({"nodes": [{"id": "사과", "op": "input", "value": 1, "attrs": {"🍎": "é"}}]})


def test_json_nested_past_the_depth_is_refused_naming_the_node() -> None:
    deep_attrs = {"nodes": [{"id": "p", "op": "pow", "attrs": {"exponent": _nested(900)}}]}
    with pytest.raises(SpecError) as caught:
        check_json_tree(deep_attrs)
    assert caught.value.node == "p"
    assert caught.value.message == f"node 'p' is nested more than {MAX_JSON_DEPTH} levels deep"
    assert "단계보다 깊게" in caught.value.localized("ko")


def test_a_value_as_deep_as_the_engine_takes_passes() -> None:
    check_json_tree(
        {"nodes": [{"id": "x", "op": "input", "value": _nested(8)}], "dout": _nested(8)}
    )
