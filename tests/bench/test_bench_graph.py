"""bench.bench_graph's bookkeeping on small chains: the same arithmetic as micrograd, and a
report with every ratio (no timing is checked: the machine's speed is not the code's)."""

from __future__ import annotations

import math

from bench.bench_graph import micrograd_run, reference_run, report, scalar_spec, whole


def test_the_engine_micrograd_and_the_in_bench_reference_compute_the_same_chain() -> None:
    for n in (3, 4, 5, 60):
        value = whole(scalar_spec(n))["value"]
        assert math.isclose(value, micrograd_run(n), rel_tol=1e-12)
        assert math.isclose(value, reference_run(n), rel_tol=1e-12)


def test_the_chain_cycles_mul_add_and_relu() -> None:
    ops = [node["op"] for node in scalar_spec(8)["nodes"]]
    assert ops == ["input", "input", "add", "relu", "mul", "add", "relu", "mul"]


def test_report_gives_each_ratio_and_the_scaling() -> None:
    figures = {
        30: {"micrograd": 6e-5, "cold": 3e-5, "warm": 2.4e-5, "run": 1.5e-5, "reference": 4.5e-5},
        300: {"micrograd": 9e-4, "cold": 3.6e-4, "warm": 3e-4, "run": 1.8e-4, "reference": 6e-4},
    }
    text = "\n".join(report(figures))
    assert "| 30 | 2.00 µs/node | 1.00 | 0.50 | 0.80 | 0.40 | 0.50 | 0.25 | 1.50 |" in text
    assert (
        "time(300) / time(30), whole path: 12.0 cold, 12.5 warm (target at most 11; "
        "micrograd's: 15.0)"
    ) in text
