"""Forward and backward of scalar graphs through the engine.

Prints microseconds per node for 3,000 and 30,000 nodes, their time ratio (linear
scaling: at most 11 for ten times the nodes), and, as a reference measured in the same
run, a minimal micrograd-style scalar engine (Python floats, a topological sort, closures
for the local derivatives) doing the same arithmetic.

    .venv/bin/python -m bench.bench_graph
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from core import Limits, compile_graph

OPS = ("mul", "add", "tanh")
LIMITS = Limits(max_nodes=100_000, max_total_elements=1_000_000)


def scalar_spec(n_nodes: int) -> dict[str, Any]:
    """A chain x_i = op(x_{i-1}, c) cycling through mul, add and tanh."""
    nodes: list[dict[str, Any]] = [
        {"id": "x0", "op": "input", "value": 0.5},
        {"id": "c", "op": "input", "value": 1.01},
    ]
    for i in range(1, n_nodes - 1):
        op = OPS[i % 3]
        inputs = [f"x{i - 1}"] if op == "tanh" else [f"x{i - 1}", "c"]
        nodes.append({"id": f"x{i}", "op": op, "inputs": inputs})
    return {"nodes": nodes}


class Scalar:
    """The reference: a micrograd-like value, iterative topological sort (no recursion)."""

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

    def tanh(self) -> Scalar:
        t = math.tanh(self.data)
        out = Scalar(t, (self,))

        def back() -> None:
            self.grad += (1 - t * t) * out.grad

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


def reference_run(n_nodes: int) -> float:
    x, c = Scalar(0.5), Scalar(1.01)
    for i in range(1, n_nodes - 1):
        op = OPS[i % 3]
        x = x * c if op == "mul" else x + c if op == "add" else x.tanh()
    x.backward()
    return x.data


def run_spec(spec: dict[str, Any]) -> None:
    compile_graph(spec, LIMITS).run()


def best_of(fn: Callable[[], object], repeats: int, collector: bool = True) -> float:
    """Best wall time of ``repeats`` calls; ``collector=False`` pauses Python's cyclic GC."""
    times = []
    for _ in range(repeats):
        gc.collect()
        if not collector:
            gc.disable()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def main() -> None:
    print("Scalar graphs: forward and backward through the engine (best of 5)")
    whole: dict[tuple[int, bool], float] = {}
    for n in (3_000, 30_000):
        spec = scalar_spec(n)
        plan = compile_graph(spec, LIMITS)
        for collector in (True, False):
            whole[n, collector] = best_of(partial(run_spec, spec), 5, collector)
        run_only = best_of(plan.run, 5)
        reference = best_of(partial(reference_run, n), 5)
        print(
            f"  {n:>6} nodes: {whole[n, True] / n * 1e6:6.2f} us/node checked, sorted and run "
            f"({whole[n, False] / n * 1e6:.2f} with the GC paused), {run_only / n * 1e6:5.2f} "
            f"us/node run only; reference scalar engine {reference / n * 1e6:5.2f} us/node; "
            f"engine / reference {whole[n, True] / reference:4.1f}"
        )
    for collector in (True, False):
        ratio = whole[30_000, collector] / whole[3_000, collector]
        label = "as is" if collector else "GC paused"
        print(f"  time(30,000) / time(3,000) = {ratio:5.2f} {label}  (linear: at most 11)")


if __name__ == "__main__":
    main()
