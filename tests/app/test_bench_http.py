"""bench.bench_http's bookkeeping: wrk's output read right, only its own docs section written."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_http import HEADING, Load, _wrk_ms, report, write_section

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/healthz
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.31ms    2.10ms  40.00ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    5.50ms
     90%    7.00ms
     99%    1.20s
Requests/sec:   2647.12
"""


def test_wrk_latencies_are_read_in_milliseconds() -> None:
    assert _wrk_ms(WRK_OUTPUT, "50%") == pytest.approx(0.85)
    assert _wrk_ms(WRK_OUTPUT, "75%") == pytest.approx(5.5)
    assert _wrk_ms(WRK_OUTPUT, "99%") == pytest.approx(1200)


def test_report_gives_the_ratio_against_the_goal() -> None:
    text = report(
        "wrk", Load("GET /healthz", 3000, 5, 20), Load("POST /api/run", 2700, 6, 25), 10, 16, 3
    )
    assert text.startswith(HEADING + "\n")
    assert "**0.900** (meets the goal" in text
    text = report(
        "wrk", Load("GET /healthz", 3000, 5, 20), Load("POST /api/run", 1500, 6, 25), 10, 16, 3
    )
    assert "**0.500** (misses the goal" in text


def test_write_section_replaces_only_its_own(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n## Training\n\nkeep me\n\n"
        "## HTTP API\n\nold figures\n\n## Engine\n\nme too\n"
    )
    write_section("## HTTP API\n\nnew figures\n", doc)
    text = doc.read_text()
    assert "old figures" not in text
    assert "new figures" in text
    assert "keep me" in text and "me too" in text
    assert text.index("## Training") < text.index("## HTTP API") < text.index("## Engine")


def test_write_section_appends_when_absent(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Training\n\nkeep me\n")
    write_section("## HTTP API\n\nfigures\n", doc)
    assert doc.read_text() == "# Benchmarks\n\n## Training\n\nkeep me\n\n## HTTP API\n\nfigures\n"


def test_the_expression_graph_has_1000_nodes_and_runs_on_floats() -> None:
    from bench.bench_http import expression_graph
    from core import compile_graph

    spec = expression_graph()
    assert len(spec["nodes"]) == 1_000
    plan = compile_graph(spec)
    assert plan.floats is not None
    assert plan.output_id == spec["output"] == "a247"


def test_report_gives_the_big_graphs_ratio() -> None:
    text = report(
        "wrk",
        Load("GET /healthz", 3000, 5, 20),
        Load("POST /api/run", 2700, 6, 25),
        10,
        16,
        3,
        big=Load("POST /api/run, 1,000 nodes", 300, 50, 80),
    )
    assert "| `POST /api/run, 1,000 nodes` | 300 | 50.00 ms | 80.00 ms |" in text
    assert "= **0.100** (reported)" in text
