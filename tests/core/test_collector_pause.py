"""The engine pauses CPython's cyclic collector during its own phases (compile, run,
to_dict) and always leaves it as it found it: after an error, across threads, and when
the caller had disabled it."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import core.graph as graph
from core import compile_graph
from core.errors import GraphError
from core.graph import COLLECTOR_PAUSED

SPEC = {
    "nodes": [
        {"id": "x", "op": "input", "value": 2.0},
        {"id": "y", "op": "input", "value": 3.0},
        {"id": "z", "op": "mul", "inputs": ["x", "y"]},
    ]
}
MATRIX_SPEC = {
    "nodes": [
        {"id": "x", "op": "input", "value": [[1.0, 2.0]]},
        {"id": "w", "op": "param", "value": [[1.0], [0.5]]},
        {"id": "z", "op": "matmul", "inputs": ["x", "w"]},
    ]
}


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled()
    with COLLECTOR_PAUSED:
        assert not gc.isenabled()
        with COLLECTOR_PAUSED:  # nested: the inner exit does not enable it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_enabled_again_when_an_error_is_raised() -> None:
    with pytest.raises(ZeroDivisionError), COLLECTOR_PAUSED:
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
    bad = {"nodes": [{"id": "x", "op": "nope"}]}
    with pytest.raises(GraphError):
        compile_graph(bad)
    assert gc.isenabled()
    nonfinite = {
        "nodes": [
            {"id": "x", "op": "input", "value": -1.0},
            {"id": "y", "op": "log", "inputs": ["x"]},
        ]
    }
    plan = compile_graph(nonfinite)
    with pytest.raises(GraphError):
        plan.run()
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_finds_it_disabled() -> None:
    gc.disable()
    for spec in (SPEC, MATRIX_SPEC):
        compile_graph(spec).run().to_dict()
        assert not gc.isenabled()
    with pytest.raises(GraphError):
        compile_graph({"nodes": []})
    assert not gc.isenabled()


def test_compile_run_and_to_dict_pause_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside compile, and the float path's run and to_dict, the collector is paused; the
    array path's run and to_dict make few objects and leave it on."""
    seen: list[tuple[str, bool]] = []
    real_compile = graph._compile_graph

    def compile_spy(*args: Any) -> Any:
        seen.append(("compile", gc.isenabled()))
        return real_compile(*args)

    monkeypatch.setattr(graph, "_compile_graph", compile_spy)
    for cls, name in (
        (graph.Plan, "_run_floats"),
        (graph.Plan, "run_arrays"),
        (graph.GraphResult, "_floats_to_dict"),
        (graph.GraphResult, "_arrays_to_dict"),
    ):
        real = getattr(cls, name)

        def spy(self: object, *args: object, _real: object = real, _name: str = name) -> object:
            seen.append((_name, gc.isenabled()))
            return _real(self, *args)  # type: ignore[operator]

        monkeypatch.setattr(cls, name, spy)
    for spec in (SPEC, MATRIX_SPEC):
        compile_graph(spec).run().to_dict()
        assert gc.isenabled()
    assert seen == [
        ("compile", False),
        ("_run_floats", False),
        ("_floats_to_dict", False),
        ("compile", False),
        ("run_arrays", True),
        ("_arrays_to_dict", True),
    ]


def test_one_thread_leaving_does_not_enable_it_while_another_is_inside() -> None:
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with COLLECTOR_PAUSED:
            inside.set()
            leave.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)
    compile_graph(SPEC).run().to_dict()  # in and out, here, while the holder is inside
    assert not gc.isenabled()
    leave.set()
    holder.join(10)
    assert gc.isenabled()


def test_concurrent_calls_never_leave_it_disabled() -> None:
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            start.wait(10)
            for i in range(200):
                if (i + k) % 5 == 0:
                    with contextlib.suppress(GraphError):
                        compile_graph({"nodes": [{"id": "x", "op": "nope"}]})
                else:
                    compile_graph(MATRIX_SPEC if (i + k) % 3 == 0 else SPEC).run().to_dict()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert gc.isenabled()
