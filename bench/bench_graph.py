"""Forward and backward of scalar graphs through the engine, against micrograd.

A chain x_i = op(x_{i-1}, c) cycling through mul, add and ReLU, the arithmetic micrograd
is built for, at 3,000 and 30,000 nodes. The reference is the micrograd package (0.1.0,
``pip install micrograd``) building the same chain and calling ``backward()``; a second
reference is a micrograd-style engine written here (iterative topological sort). Every
figure is a ratio of times measured in the same run, the contenders interleaved, the
minimum of several repeats each, with Python's cyclic garbage collector on, as a user
runs them (each timed call ends with the young collection that the caller's next
allocation would run, the answer still held: the engine pauses the collector during its
own phases, and pays here):

- whole: ``compile_graph(spec).run().to_dict()``, the API's path: spec checked, sorted,
  shape-inferred, forward, backward with every edge's share, the JSON form; "cold" with
  the cache of compiled plans emptied before each call (a graph seen for the first time),
  "warm" with this structure in it (the explorer re-running a graph with new values);
- run: ``plan.run()`` of a compiled plan alone;
- time(30,000) / time(3,000) of the whole path (linear: at most 11).

    .venv/bin/python -m bench.bench_graph
"""

from __future__ import annotations

import gc
import math
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from micrograd.engine import Value

from core import Limits, compile_graph
from core.graph import PLAN_CACHE

OPS = ("mul", "add", "relu")
SIZES = (3_000, 30_000)
LIMITS = Limits(max_nodes=100_000, max_total_elements=1_000_000)
REPEATS = {3_000: 15, 30_000: 5}
TARGETS = {"whole": 1.0, "run": 0.5, "scaling": 11.0}


def scalar_spec(n_nodes: int) -> dict[str, Any]:
    """A chain x_i = op(x_{i-1}, c) cycling through mul, add and relu."""
    nodes: list[dict[str, Any]] = [
        {"id": "x0", "op": "input", "value": 0.5},
        {"id": "c", "op": "input", "value": 1.01},
    ]
    for i in range(1, n_nodes - 1):
        op = OPS[i % 3]
        inputs = [f"x{i - 1}"] if op == "relu" else [f"x{i - 1}", "c"]
        nodes.append({"id": f"x{i}", "op": op, "inputs": inputs})
    return {"nodes": nodes}


def micrograd_run(n_nodes: int) -> Value:
    """The same chain built with micrograd's Value, then its backward(): its answer, the
    graph with every value and gradient."""
    x, c = Value(0.5), Value(1.01)
    for i in range(1, n_nodes - 1):
        op = OPS[i % 3]
        x = x * c if op == "mul" else x + c if op == "add" else x.relu()
    x.backward()
    return x


class Scalar:
    """The second reference: a micrograd-like value, iterative topological sort."""

    __slots__ = ("_back", "_parents", "data", "grad")

    def __init__(self, data: float, parents: tuple[Scalar, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._parents = parents
        self._back: Callable[[], None] = lambda: None

    def __mul__(self, other: Scalar) -> Scalar:
        out = Scalar(self.data * other.data, (self, other))

        def back() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._back = back
        return out

    def __add__(self, other: Scalar) -> Scalar:
        out = Scalar(self.data + other.data, (self, other))

        def back() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._back = back
        return out

    def relu(self) -> Scalar:
        out = Scalar(0.0 if self.data <= 0 else self.data, (self,))

        def back() -> None:
            self.grad += (out.data > 0) * out.grad

        out._back = back
        return out

    def backward(self) -> None:
        order: list[Scalar] = []
        seen: set[int] = set()
        stack: list[tuple[Scalar, bool]] = [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents)
        self.grad = 1.0
        for node in reversed(order):
            node._back()


def reference_run(n_nodes: int) -> Scalar:
    x, c = Scalar(0.5), Scalar(1.01)
    for i in range(1, n_nodes - 1):
        op = OPS[i % 3]
        x = x * c if op == "mul" else x + c if op == "add" else x.relu()
    x.backward()
    return x


def whole(spec: dict[str, Any]) -> dict[str, Any]:
    return compile_graph(spec, LIMITS).run().to_dict()


def interleaved_best(
    contenders: dict[str, Callable[[], object]], repeats: int, cold: frozenset[str] = frozenset()
) -> dict[str, float]:
    """The best wall time of each contender, run in turn ``repeats`` times (drift hits all
    alike), each call after a full collection (and, for those in ``cold``, with the plan
    cache emptied), with the collector on while it runs.

    Each contender returns its answer (the engine's JSON form, micrograd's graph with its
    values and gradients), held until the clock has stopped and dropped after: no one pays
    here for freeing an answer. The timed region ends with a young collection
    (``gc.collect(0)``) while the answer is still held: what the collector charges at the
    caller's next allocation for the objects made during the call. The engine pauses the
    collector during its own phases (``core.graph.COLLECTOR_PAUSED``) and this is where it
    pays for that: every contender pays it alike (micrograd's is a few hundred objects,
    its collections having run while it built its graph)."""
    best = dict.fromkeys(contenders, math.inf)
    for _ in range(repeats):
        for name, fn in contenders.items():
            if name in cold:
                PLAN_CACHE.clear()
            gc.collect()
            start = time.perf_counter()
            answer = fn()
            gc.collect(0)
            best[name] = min(best[name], time.perf_counter() - start)
            del answer
    return best


def page_faults(fn: Callable[[], object], repeats: int = 3) -> int:
    """The fewest minor page faults of one call (memory the system had to hand over)."""
    fewest = sys.maxsize
    for _ in range(repeats):
        gc.collect()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        answer = fn()
        fewest = min(fewest, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
        del answer
    return fewest


def measure_page_faults(sizes: tuple[int, ...] = SIZES) -> dict[int, dict[str, int]]:
    """Minor page faults per call of the whole path (warm) and of micrograd, per length."""
    faults: dict[int, dict[str, int]] = {}
    for n in sizes:
        spec = scalar_spec(n)
        whole(spec)  # the plan cached: warm
        faults[n] = {
            "warm": page_faults(partial(whole, spec)),
            "micrograd": page_faults(partial(micrograd_run, n)),
        }
        PLAN_CACHE.clear()
    return faults


def measure(sizes: tuple[int, ...] = SIZES) -> dict[int, dict[str, float]]:
    """Seconds per call of each contender, per chain length."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * max(sizes) + 1_000))  # micrograd
    figures: dict[int, dict[str, float]] = {}
    for n in sizes:
        spec = scalar_spec(n)
        assert math.isclose(whole(spec)["value"], micrograd_run(n).data), "not the same arithmetic"
        plan = compile_graph(spec, LIMITS)
        figures[n] = interleaved_best(
            {
                "micrograd": partial(micrograd_run, n),
                "cold": partial(whole, spec),
                "warm": partial(whole, spec),
                "run": plan.run,
                "reference": partial(reference_run, n),
            },
            REPEATS.get(n, 5),
            cold=frozenset({"cold"}),
        )
        del plan
        PLAN_CACHE.clear()
    return figures


def report(
    figures: dict[int, dict[str, float]], faults: dict[int, dict[str, int]] | None = None
) -> list[str]:
    lines = [
        "| nodes | micrograd | whole, cold | / micrograd | whole, warm | / micrograd "
        "| run only | / micrograd | in-bench reference |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, f in figures.items():
        us = {name: seconds / n * 1e6 for name, seconds in f.items()}
        lines.append(
            f"| {n:,} | {us['micrograd']:.2f} µs/node | {us['cold']:.2f} | "
            f"{f['cold'] / f['micrograd']:.2f} | {us['warm']:.2f} | "
            f"{f['warm'] / f['micrograd']:.2f} | {us['run']:.2f} | "
            f"{f['run'] / f['micrograd']:.2f} | {us['reference']:.2f} |"
        )
    small, large = min(figures), max(figures)
    micrograd_scaling = figures[large]["micrograd"] / figures[small]["micrograd"]
    lines += [
        "",
        f"time({large:,}) / time({small:,}), whole path: "
        f"{figures[large]['cold'] / figures[small]['cold']:.1f} cold, "
        f"{figures[large]['warm'] / figures[small]['warm']:.1f} warm "
        f"(target at most {TARGETS['scaling']:g}; micrograd's: {micrograd_scaling:.1f})",
    ]
    if faults:
        lines += [
            "",
            "Fresh memory the system hands over, minor page faults per call (whole path, "
            "warm / micrograd): "
            + ", ".join(
                f"{f['warm']:,} / {f['micrograd']:,} at {n:,} nodes" for n, f in faults.items()
            ),
        ]
    return lines


def main() -> None:
    print("Scalar chains (mul, add, relu): the engine against micrograd, GC on, best of runs")
    for line in report(measure(), measure_page_faults()):
        print(line)


if __name__ == "__main__":
    main()
