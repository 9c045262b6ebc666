"""HTTP benchmark: POST /api/run with apple_orange against GET /healthz, one uvicorn worker.

    .venv/bin/python -m bench.bench_http [--duration 10] [--connections 16] [--no-write]

The ratio of the two request rates, measured in the same run against the same server,
says how much the API's own work (validation, the engine, the JSON) costs next to the
framework's floor. The goal is at least 0.8. A third load posts a 1,000-node expression
graph (``expression_graph``), reported against the same floor. The load comes from
``wrk`` when it is installed (``apt-get install wrk``), otherwise from a Python load
generator in threads, which is slower than the server and so measures less precisely.
The figures are written to docs/benchmarks.md under "## HTTP API".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.examples import EXAMPLES
from tests.live import live_server

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## HTTP API"
TARGET_RATIO = 0.8
BIG_TERMS = 248  # 1,000 nodes


def expression_graph(terms: int = BIG_TERMS) -> dict[str, Any]:
    """The graph of tanh(x * 1.5 - y) + tanh(x * 2.5 - y) + ... (constants 1.5 to 7.5 in
    turn) with ``terms`` terms: x, y and the 7 constants as inputs, then mul, sub and tanh
    per term and the adds: 8 + 4 x terms nodes, 1,000 for 248 terms."""
    nodes: list[dict[str, Any]] = [
        {"id": "x", "op": "input", "value": 0.3},
        {"id": "y", "op": "input", "value": -0.2},
        *({"id": f"c{k}", "op": "input", "value": 1.5 + k} for k in range(7)),
    ]
    total = ""
    for i in range(terms):
        nodes += [
            {"id": f"m{i}", "op": "mul", "inputs": ["x", f"c{i % 7}"]},
            {"id": f"s{i}", "op": "sub", "inputs": [f"m{i}", "y"]},
            {"id": f"t{i}", "op": "tanh", "inputs": [f"s{i}"]},
        ]
        if total:
            nodes.append({"id": f"a{i}", "op": "add", "inputs": [total, f"t{i}"]})
            total = f"a{i}"
        else:
            total = f"t{i}"
    return {"nodes": nodes, "output": total}


@dataclass(frozen=True)
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float


# --- wrk -----------------------------------------------------------------------------


_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
"""


def wrk_load(name: str, url: str, body: bytes | None, duration: float, connections: int) -> Load:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency"]
    with tempfile.TemporaryDirectory() as tmp:
        if body is not None:
            script = Path(tmp) / "post.lua"
            script.write_text(_LUA.format(body=body.decode()))
            cmd += ["-s", str(script)]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{name}: wrk saw error responses:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Load(name, rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"))


def _wrk_ms(out: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if match is None:
        raise RuntimeError(f"no {percentile} latency in wrk's output:\n{out}")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


# --- the Python fallback ---------------------------------------------------------------


def python_load(name: str, url: str, body: bytes | None, duration: float, connections: int) -> Load:
    """Keep-alive connections in threads, each sending one request after the other."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    path = "/" + url.split("//", 1)[1].split("/", 1)[1]
    method = "GET" if body is None else "POST"
    headers = {} if body is None else {"Content-Type": "application/json"}
    latencies: list[list[float]] = [[] for _ in range(connections)]
    stop_at = time.perf_counter() + duration

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{name}: status {response.status}")
            latencies[slot].append(time.perf_counter() - start)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    every = sorted(x for slot in latencies for x in slot)
    p50 = every[len(every) // 2] * 1e3
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))] * 1e3
    return Load(name, len(every) / elapsed, p50, p99)


# --- where the time goes ---------------------------------------------------------------


def request_path_costs() -> dict[str, float]:
    """Microseconds per step of POST /api/run's own work, in process, best of 5."""
    import timeit

    import orjson
    from pydantic import TypeAdapter

    from app.schemas import Graph
    from core import compile_graph

    raw = json.dumps(EXAMPLES["apple_orange"].spec).encode()
    body = json.loads(raw)
    adapter = TypeAdapter(Graph)
    plan = compile_graph(body)
    result = plan.run()
    data = result.to_dict()
    steps = {
        "json.loads (FastAPI reads the body)": lambda: json.loads(raw),
        "strict validation (pydantic)": lambda: adapter.validate_python(body),
        "compile_graph (core)": lambda: compile_graph(body),
        "forward and backward (core)": plan.run,
        "result.to_dict() (core)": result.to_dict,
        "orjson.dumps": lambda: orjson.dumps(data),
    }
    n = 2_000
    return {
        name: min(timeit.repeat(fn, number=n, repeat=5)) / n * 1e6 for name, fn in steps.items()
    }


# --- the run ---------------------------------------------------------------------------


def measure(
    duration: float, connections: int, rounds: int, access_log: bool = False
) -> tuple[str, list[Load], list[Load], list[Load]]:
    tool = "wrk" if shutil.which("wrk") else "python"
    load = wrk_load if tool == "wrk" else python_load
    body = json.dumps(EXAMPLES["apple_orange"].spec, separators=(",", ":")).encode()
    big_body = json.dumps(expression_graph(), separators=(",", ":")).encode()
    health: list[Load] = []
    run: list[Load] = []
    big: list[Load] = []
    # Without the access log by default: it adds the same fixed cost to both endpoints,
    # which would flatter the ratio. ``make run`` serves with it on.
    with live_server(
        access_log,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if access_log else None,
    ) as base:
        # warm up both paths (imports, caches) before measuring
        load("warm-up", f"{base}/healthz", None, 1, connections)
        load("warm-up", f"{base}/api/run", body, 1, connections)
        load("warm-up", f"{base}/api/run", big_body, 1, connections)
        for _ in range(rounds):  # interleaved, so drift hits all alike
            health.append(load("GET /healthz", f"{base}/healthz", None, duration, connections))
            run.append(load("POST /api/run", f"{base}/api/run", body, duration, connections))
            big.append(
                load(
                    "POST /api/run, 1,000 nodes", f"{base}/api/run", big_body, duration, connections
                )
            )
    return tool, health, run, big


def summarize(loads: list[Load]) -> Load:
    return Load(
        loads[0].name,
        statistics.median(x.requests_per_second for x in loads),
        statistics.median(x.p50_ms for x in loads),
        statistics.median(x.p99_ms for x in loads),
    )


def report(
    tool: str,
    health: Load,
    run: Load,
    duration: float,
    connections: int,
    rounds: int,
    access_log: bool = False,
    costs: dict[str, float] | None = None,
    round_ratios: list[float] | None = None,
    big: Load | None = None,
) -> str:
    ratio = run.requests_per_second / health.requests_per_second
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    cpu = platform.processor() or platform.machine()
    lines = [
        HEADING,
        "",
        f"One uvicorn worker on 127.0.0.1 ({'with' if access_log else 'no'} access log), "
        f"load from `{tool}` with "
        f"{connections} keep-alive connections, {rounds} interleaved rounds of "
        f"{duration:g} s per endpoint (medians shown); {os.cpu_count()} cores, {cpu}, "
        f"Python {platform.python_version()}. `POST /api/run` sends the `apple_orange` example.",
        "",
        "| endpoint | requests/s | p50 latency | p99 latency |",
        "| --- | ---: | ---: | ---: |",
    ]
    for load in (health, run) if big is None else (health, run, big):
        lines.append(
            f"| `{load.name}` | {load.requests_per_second:,.0f} | "
            f"{load.p50_ms:.2f} ms | {load.p99_ms:.2f} ms |"
        )
    lines += [
        "",
        f"Ratio run / healthz: **{ratio:.3f}** ({verdict} the goal of at least {TARGET_RATIO})"
        + (
            f"; round by round: {', '.join(f'{r:.2f}' for r in round_ratios)}."
            if round_ratios
            else "."
        ),
        "",
    ]
    if big is not None:
        lines += [
            f"A 1,000-node expression graph ({BIG_TERMS} terms tanh(x * c - y), added up; "
            "`bench_http.expression_graph`): `POST /api/run` / `GET /healthz` = "
            f"**{big.requests_per_second / health.requests_per_second:.3f}** (reported).",
            "",
        ]
    floor_us = 1e6 / health.requests_per_second
    budget_us = floor_us * (1 / TARGET_RATIO - 1)
    lines += [
        f"At {health.requests_per_second:,.0f} requests/s a bare request costs the server about "
        f"{floor_us:.0f} µs; a ratio of {TARGET_RATIO} leaves {budget_us:.0f} µs for everything "
        "`POST /api/run` does beyond `GET /healthz`.",
        "",
    ]
    if costs:
        lines += [
            "Where `POST /api/run`'s own time goes (in process, one thread, best of 5):",
            "",
            "| step | µs per request |",
            "| --- | ---: |",
            *(f"| {name} | {us:.1f} |" for name, us in costs.items()),
            f"| total | {sum(costs.values()):.1f} |",
            "",
        ]
    lines += [
        "Reproduce: `.venv/bin/python -m bench.bench_http` (add `--no-write` to leave this file).",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the shared file, leaving the others as they are."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text.rstrip("\n") + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--access-log", action="store_true", help="serve as `make run` does")
    parser.add_argument("--no-write", action="store_true", help="print, don't touch docs/")
    args = parser.parse_args(argv)
    tool, health, run, big = measure(args.duration, args.connections, args.rounds, args.access_log)
    for load in (*health, *run, *big):
        print(
            f"{load.name:26} {load.requests_per_second:9,.0f} req/s   "
            f"p50 {load.p50_ms:6.2f} ms   p99 {load.p99_ms:6.2f} ms"
        )
    section = report(
        tool,
        summarize(health),
        summarize(run),
        args.duration,
        args.connections,
        args.rounds,
        args.access_log,
        request_path_costs(),
        [r.requests_per_second / h.requests_per_second for h, r in zip(health, run, strict=True)],
        summarize(big),
    )
    print()
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
