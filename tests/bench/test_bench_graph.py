"""bench.bench_graph's bookkeeping on small chains: the same arithmetic as micrograd, and a
report with every ratio (no timing is checked: the machine's speed is not the code's)."""

from __future__ import annotations

import math
import resource

from bench.bench_graph import (
    micrograd_run,
    page_faults,
    reference_run,
    report,
    scalar_spec,
    whole,
)


def test_the_engine_micrograd_and_the_in_bench_reference_compute_the_same_chain() -> None:
    for n in (3, 4, 5, 60):
        value = whole(scalar_spec(n))["value"]
        assert math.isclose(value, micrograd_run(n).data, rel_tol=1e-12)
        assert math.isclose(value, reference_run(n).data, rel_tol=1e-12)


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


def test_report_gives_the_page_faults_of_each_size() -> None:
    figures = {
        n: dict.fromkeys(("micrograd", "cold", "warm", "run", "reference"), 1e-3) for n in (30, 300)
    }
    faults = {30: {"warm": 12, "micrograd": 3}, 300: {"warm": 1_500, "micrograd": 900}}
    text = "\n".join(report(figures, faults))
    assert "12 / 3 at 30 nodes, 1,500 / 900 at 300 nodes" in text


def test_page_faults_are_counted_for_fresh_memory() -> None:
    assert page_faults(lambda: bytearray(64 * 2**20)) >= 64 * 2**20 // resource.getpagesize() // 2
