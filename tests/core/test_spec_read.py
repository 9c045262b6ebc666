"""read_spec's reader for plain JSON against parse_node, node by node: where the reader
takes a list of nodes, it reads what parse_node reads; anything parse_node refuses, the
reader leaves to it (so every message stays parse_node's)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import GraphError
from core.spec import NO_ATTRS, _read_plain_nodes, ids_valid, parse_node, read_spec

IDS = ["a", "x_1", "사과", "a.b-c", "x" * 64, "", "x" * 65, "a b", "a\n", "a\x00b", 1, None]


@st.composite
def node_dicts(draw: st.DrawFn) -> Any:
    node: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        node["id"] = draw(st.sampled_from(IDS))
    if draw(st.integers(0, 9)):
        node["op"] = draw(st.sampled_from(["input", "mul", "relu", 3]))
    if draw(st.booleans()):
        node["inputs"] = draw(
            st.sampled_from([None, [], ["a"], ["a", "x_1"], ["a", 1], "a", ("a",), [None]])
        )
    if draw(st.booleans()):
        node["value"] = draw(st.sampled_from([1.5, None, [1, 2], "x"]))
    if draw(st.booleans()):
        node["attrs"] = draw(st.sampled_from([None, {}, {"exponent": 2}, [1]]))
    if not draw(st.integers(0, 9)):
        node["extra"] = 1
    if not draw(st.integers(0, 19)):
        return draw(st.sampled_from([["id", "a"], "node", None]))
    return node


@given(st.lists(node_dicts(), min_size=1, max_size=5))
@settings(max_examples=500, deadline=None)
def test_the_plain_reader_reads_what_parse_node_reads(nodes: list[Any]) -> None:
    fast = _read_plain_nodes(nodes)
    if fast is not None and not ids_valid(fast[0]):
        fast = None  # read_spec then has parse_node read them
    try:
        careful = [parse_node(node, i) for i, node in enumerate(nodes)]
    except GraphError:
        assert fast is None, "the reader took a node that parse_node refuses"
        return
    if fast is None:
        return  # parse_node reads these (tuples, Mappings, ids ending in a newline...)
    ids, ops, inputs, values, attrs = fast
    assert ids == [n.id for n in careful]
    assert ops == [n.op for n in careful]
    assert inputs == [n.inputs for n in careful]
    assert values == [n.value for n in careful]
    assert attrs == [n.attrs for n in careful]
    assert all(type(x) is tuple for x in inputs)


def test_plain_json_is_read_without_parse_node() -> None:
    nodes = [
        {"id": "a", "op": "input", "value": 1.0},
        {"id": "사과.b-1", "op": "relu", "inputs": ["a"], "attrs": None},
    ]
    fast = _read_plain_nodes(nodes)
    assert fast is not None
    assert fast[4] == [NO_ATTRS, NO_ATTRS]
    assert read_spec({"nodes": nodes}).ids == ["a", "사과.b-1"]


def test_an_empty_or_long_id_anywhere_is_left_to_parse_node() -> None:
    for bad in ("", "x" * 65, "a\n", "a\x00b", "a b"):
        for where in range(3):
            ids = ["a", "b", "c"]
            ids[where] = bad
            assert not ids_valid(ids), (bad, where)
    assert ids_valid(["a", "사과", "x" * 64, "a.b-c_d"])


def test_ids_left_unchecked_are_said_so() -> None:
    spec = {"nodes": [{"id": "a b", "op": "input", "value": 1.0}]}
    lists = read_spec(spec, check_ids=False)
    assert not lists.ids_checked
    with pytest.raises(GraphError, match="a b"):
        read_spec(spec)
    spec_bad_output = {"nodes": [{"id": "a b", "op": "input", "value": 1.0}], "output": 3}
    with pytest.raises(GraphError) as raised:
        read_spec(spec_bad_output, check_ids=False)
    assert "a b" in raised.value.message  # the id first, as node by node
