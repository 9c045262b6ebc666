"""The cache of compiled scalar plans: never another graph's plan, bounded, shared by threads.

Each test compares what a compile gives with the cache warm against what it gives with
the cache empty (the whole check, sort and compile): the same JSON, or the same error.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import GraphError, Limits, compile_graph
from core.examples import EXAMPLES
from core.graph import PLAN_CACHE, PlanCache

OPS = ["add", "sub", "mul", "div", "neg", "relu", "tanh", "square", "abs"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    PLAN_CACHE.clear()
    yield
    PLAN_CACHE.clear()


def answer(spec: dict[str, Any], limits: Limits | None = None) -> str:
    """The JSON of a compile and run, or the error's message in both languages."""
    try:
        result = compile_graph(spec, limits or Limits()).run()
    except GraphError as error:
        return f"{type(error).__name__}: {error.message} / {error.localized('ko')}"
    return json.dumps(result.to_dict())


def fresh_answer(spec: dict[str, Any], limits: Limits | None = None) -> str:
    saved = PlanCache()
    saved._plans = PLAN_CACHE._plans.copy()  # keep the warm cache for the next step
    saved._nodes = PLAN_CACHE.nodes
    PLAN_CACHE.clear()
    try:
        return answer(spec, limits)
    finally:
        PLAN_CACHE._plans, PLAN_CACHE._nodes = saved._plans, saved.nodes


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    n_sources = draw(st.integers(1, 3))
    nodes: list[dict[str, Any]] = [
        {"id": f"s{i}", "op": "input", "value": draw(st.floats(-3, 3))} for i in range(n_sources)
    ]
    for k in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(OPS))
        arity = 1 if op in ("neg", "relu", "tanh", "square", "abs") else 2
        earlier = [n["id"] for n in nodes]
        nodes.append(
            {
                "id": f"n{k}",
                "op": op,
                "inputs": [draw(st.sampled_from(earlier)) for _ in range(arity)],
            }
        )
    spec: dict[str, Any] = {"nodes": nodes}
    if draw(st.booleans()):
        spec["output"] = draw(st.sampled_from([n["id"] for n in nodes]))
    return spec


@st.composite
def changed(draw: st.DrawFn, spec: dict[str, Any]) -> dict[str, Any]:
    """The same graph with one thing changed: values only (the cache's case), or one op,
    one input, one id, the output, a value's kind, or an attr that the op does not take."""
    other = copy.deepcopy(spec)
    nodes = other["nodes"]
    sources = [n for n in nodes if n["op"] == "input"]
    computed = [n for n in nodes if n["op"] != "input"]
    change = draw(
        st.sampled_from(["values", "op", "input", "id", "output", "kind", "attrs", "cycle"])
    )
    if change == "values":
        for node in sources:
            node["value"] = draw(st.floats(-3, 3))
    elif change == "op":
        node = draw(st.sampled_from(computed))
        node["op"] = draw(st.sampled_from(OPS))
    elif change == "input":
        node = draw(st.sampled_from(computed))
        node["inputs"][0] = draw(st.sampled_from([n["id"] for n in nodes]))
    elif change == "id":
        node = draw(st.sampled_from(nodes))
        node["id"] = draw(st.sampled_from(["s0", "n0", "renamed", "", "a b", "x" * 65]))
    elif change == "output":
        other["output"] = draw(st.sampled_from([n["id"] for n in nodes]))
    elif change == "kind":
        node = draw(st.sampled_from(sources))
        node["value"] = draw(st.sampled_from([True, "2", [1.0, 2.0], None, 10**400, 2]))
    elif change == "attrs":
        draw(st.sampled_from(computed))["attrs"] = {"exponent": 2}
    else:
        nodes.reverse()  # listed out of order: sorted by the full path
    return other


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_a_warm_cache_gives_what_a_fresh_compile_gives(data: st.DataObject) -> None:
    first = data.draw(graphs())
    second = data.draw(changed(first))
    answer(first)  # warms the cache with the first graph's structure
    assert answer(second) == fresh_answer(second)
    assert answer(first) == fresh_answer(first)


def test_the_same_structure_with_new_values_comes_from_the_cache() -> None:
    spec = copy.deepcopy(EXAMPLES["apple_orange"].spec)
    first = compile_graph(spec)
    assert len(PLAN_CACHE) == 1
    spec["nodes"][0]["value"] = 200
    second = compile_graph(spec)
    assert len(PLAN_CACHE) == 1
    assert second is not first and second.edge_sources is first.edge_sources
    # each plan keeps its own values and its own spec
    assert first.run().to_dict()["nodes"][0]["value"] == 100.0
    assert second.run().to_dict()["nodes"][0]["value"] == 200.0
    assert first.spec.nodes[0].value == 100 and second.spec.nodes[0].value == 200


def test_other_limits_are_another_key() -> None:
    spec = EXAMPLES["apple_orange"].spec
    compile_graph(spec, Limits())
    small = Limits(max_total_elements=5)
    assert answer(spec, small) == fresh_answer(spec, small)
    assert answer(spec, small).startswith("LimitError")


def test_a_value_error_is_raised_as_without_the_cache() -> None:
    spec = copy.deepcopy(EXAMPLES["apple_orange"].spec)
    compile_graph(spec)
    for bad in (float("inf"), "100", True, None, 10**400):
        spec["nodes"][0]["value"] = bad
        assert answer(spec) == fresh_answer(spec)
        assert "apple" in answer(spec)


def test_the_cache_is_bounded_in_plans_and_in_nodes() -> None:
    cache = PlanCache(max_plans=4, max_nodes=40)
    for k in range(30):
        nodes = [{"id": "x", "op": "input", "value": 1.0}]
        nodes += [{"id": f"n{i}", "op": "neg", "inputs": ["x"]} for i in range(k % 7 + 1)]
        plan = compile_graph({"nodes": nodes})
        cache.put(("key", k), plan)
        assert len(cache) <= 4 and cache.nodes <= 40
        assert cache.nodes == sum(len(p.ids) for p in cache._plans.values())
    assert cache.get(("key", 29)) is not None  # the latest stays
    assert cache.get(("key", 0)) is None  # the oldest went first
    too_big = compile_graph(
        {"nodes": [{"id": f"x{i}", "op": "input", "value": 1} for i in range(41)]}
    )
    cache.put(("big",), too_big)
    assert cache.get(("big",)) is None


def test_the_shared_cache_stays_within_its_bounds() -> None:
    for k in range(PLAN_CACHE.max_plans * 3):
        nodes = [{"id": f"x{k}", "op": "input", "value": 1.0}]
        nodes.append({"id": "y", "op": "neg", "inputs": [f"x{k}"]})
        compile_graph({"nodes": nodes})
    assert len(PLAN_CACHE) == PLAN_CACHE.max_plans
    assert PLAN_CACHE.nodes <= PLAN_CACHE.max_nodes


def test_threads_compiling_one_structure_each_get_their_own_values() -> None:
    specs = []
    for k in range(300):
        spec = copy.deepcopy(EXAMPLES["apple_orange"].spec)
        spec["nodes"][0]["value"] = k
        spec["dout"] = k / 7
        specs.append(spec)
    expected = [fresh_answer(spec) for spec in specs]  # one by one, each from an empty cache
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(answer, specs))
    assert got == expected
    assert len(PLAN_CACHE) == 1


def test_the_cache_keeps_no_graphs_values() -> None:
    spec = copy.deepcopy(EXAMPLES["apple_orange"].spec)
    spec["nodes"][0]["value"] = 123.25
    spec["dout"] = 7.5
    compile_graph(spec).run().to_dict()
    (kept,) = PLAN_CACHE._plans.values()
    assert kept.floats is not None and kept.floats.values == []
    assert kept._lists.values == [] and kept._lists.dout is None
    assert float(kept.dout) == 1.0
