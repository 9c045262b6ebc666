"""Load test: every endpoint and page at once, every answer checked against the core.

    .venv/bin/python -m bench.load                     # 64 clients, 60 s, then the probe
    .venv/bin/python -m bench.load --clients 4 --seconds 3 --warmup 1 --heavy-seconds 2
    .venv/bin/python -m bench.load --url http://127.0.0.1:8000 --pid 1234   # a running one

Without ``--url`` it starts the server as ``make run`` does (uvicorn app.main:app, the
app's access log on, ``--workers`` as WORKERS) on 127.0.0.1 and a free port, and stops it.

1. **Mix**: ``--clients`` clients, each on its own keep-alive connection, send the
   requests of :data:`ENDPOINTS` (each client in its own shuffled order) for ``--warmup``
   seconds, then for ``--seconds``. Each answer is checked as a learner would: its status,
   and its content against the core's own answer computed here (``/api/run`` of
   apple_orange is 715 with grad apple 2.2, the explorer page draws the graph with those
   numbers, a share link shows the graph it carries, ...). Each request carries its own
   ``X-Request-ID``, which must come back, and (for a server started here) appear exactly
   once in its access log. Reported: requests per second, p50 and p99 per endpoint and in
   all, errors (must be 0), the server's memory (VmRSS of the server and its workers)
   after the warm-up and at the end (growth under 5%).
2. **Probe**: while 8 clients send the heaviest requests the limits allow
   (:data:`HEAVY`: the largest graph run, the largest gradient check, the longest
   training), a separate process asks ``GET /healthz`` every 50 ms on a new connection, as
   a kubelet does: its p50 and p99 (target: p99 at most 100 ms).

Exit status 0 when every answer was right and every target met; 1 when an answer was
wrong (or not logged once); 2 when only a target of time or memory was missed. To add an
endpoint, add one :class:`Endpoint` (name, method, path, body, check) to
:func:`mix_endpoints`: a check gets the :class:`Answer` and returns what is wrong, or None.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import orjson

from app.share import encode_graph
from app.train_schemas import TrainRequest
from core import Limits, run_graph
from core.errors import LimitError
from core.examples import EXAMPLES
from core.expression import expression_to_spec
from core.format import short
from core.gradcheck import check_graph
from core.lab import run_to_dict, train
from core.step import step_graph
from tests.live import serving

ROOT = Path(__file__).resolve().parents[1]
MEMORY_GROWTH_LIMIT = 0.05  # RSS at the end over RSS after the warm-up, at most +5%
HEALTHZ_P99_LIMIT_MS = 100.0
HEAVY_CLIENTS = 8
PROBE_INTERVAL = 0.05
REQUEST_TIMEOUT = 60.0


# --- what is sent and how an answer is checked --------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return orjson.loads(self.content)


#: An answer -> what is wrong with it, or None when it is right.
Check = Callable[[Answer], str | None]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # with its query
    body: bytes | None  # JSON
    check: Check
    headers: Mapping[str, str] = field(default_factory=dict)
    weight: int = 1  # how often it comes in a client's round


def as_json(data: Any) -> bytes:
    return orjson.dumps(data)


def differences(got: Any, want: Any, where: str = "$", rel: float = 1e-9) -> str | None:
    """The first place where two JSON values differ (numbers within ``rel``), or None."""
    if isinstance(want, bool) or want is None or isinstance(want, str):
        same = type(got) is type(want) and got == want  # True is not 1
        return None if same else f"{where}: {got!r:.80} instead of {want!r:.80}"
    if isinstance(want, int | float):
        if isinstance(got, bool) or not isinstance(got, int | float):
            return f"{where}: {got!r:.80} instead of the number {want!r}"
        ok = math.isclose(got, want, rel_tol=rel, abs_tol=1e-12)
        return None if ok else f"{where}: {got!r} instead of {want!r}"
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{where}: not a list of {len(want)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            if (found := differences(g, w, f"{where}[{i}]", rel)) is not None:
                return found
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            return f"{where}: keys {keys} instead of {sorted(want)}"
        for key in want:
            if (found := differences(got[key], want[key], f"{where}.{key}", rel)) is not None:
                return found
        return None
    raise TypeError(f"not JSON data: {want!r:.80}")


def json_is(want: Any, status: int = 200, also: Check | None = None) -> Check:
    """The answer is ``want``: byte for byte as the core's dict dumps here, else (another
    machine's last bits) equal within 1e-9."""
    expected = as_json(want)
    plain = orjson.loads(expected)

    def check(answer: Answer) -> str | None:
        if answer.status != status:
            return f"status {answer.status} instead of {status}: {answer.text[:200]}"
        if answer.content != expected:
            try:
                got = answer.json()
            except orjson.JSONDecodeError as exc:
                return f"not JSON: {exc}"
            if (found := differences(got, plain)) is not None:
                return found
        return also(answer) if also else None

    return check


def error_is(status: int, code: str) -> Check:
    def check(answer: Answer) -> str | None:
        if answer.status != status:
            return f"status {answer.status} instead of {status}"
        body = answer.json()
        if body.get("code") != code or not body.get("detail"):
            return f"error body {body} instead of code {code!r} with a detail"
        return None

    return check


def page_has(*needles: str, status: int = 200, content_type: str = "text/html") -> Check:
    def check(answer: Answer) -> str | None:
        if answer.status != status:
            return f"status {answer.status} instead of {status}"
        if not answer.headers.get("content-type", "").startswith(content_type):
            return f"content-type {answer.headers.get('content-type')} instead of {content_type}"
        text = answer.text
        missing = [n for n in needles if n not in text]
        return f"the page lacks {missing}" if missing else None

    return check


def bytes_are(expected: bytes) -> Check:
    def check(answer: Answer) -> str | None:
        if answer.status != 200:
            return f"status {answer.status}"
        return None if answer.content == expected else "other bytes than the file's"

    return check


def graph_drawn(spec: Mapping[str, Any]) -> tuple[str, ...]:
    """What a page that draws ``spec`` after running it must contain: the graph's SVG, the
    output's value, and (when it is scalar) the first input's gradient."""
    result = run_graph(spec)
    needles = ['<svg xmlns="http://www.w3.org/2000/svg" class="bpx-graph"']
    needles.append(f">{short(float(np.sum(result.value)))}<")
    first = next(n["id"] for n in spec["nodes"] if n["op"] == "input")
    grad = result.grad(first)
    if np.ndim(grad) == 0:
        needles.append(f">{short(float(grad))}<")
    return tuple(needles)


def view_draws(spec: Mapping[str, Any]) -> Check:
    """POST /explore/view's answer: the run's view, and its SVG drawing ``spec``'s numbers."""
    needles = graph_drawn(spec)

    def check(answer: Answer) -> str | None:
        if answer.status != 200:
            return f"status {answer.status}"
        data = answer.json()
        missing = [n for n in needles if n not in data.get("svg", "")]
        if missing:
            return f"the SVG lacks {missing}"
        return None if data["view"]["ran"] else "the view did not run"

    return check


def api_run_apple_orange(answer: Answer) -> str | None:
    """Spelled out, the book's figure 5-17: 715 and d price / d apple = 2.2."""
    data = answer.json()
    output = data.get("output")
    value = next((n["value"] for n in data["nodes"] if n["id"] == output), None)
    grad = next((n["grad"] for n in data["nodes"] if n["id"] == "apple"), None)
    if value is None or not math.isclose(value, 715, rel_tol=1e-9):
        return f"value {value} instead of 715"
    if grad is None or not math.isclose(grad, 2.2, rel_tol=1e-9):
        return f"grad apple {grad} instead of 2.2"
    return None


def step_moves(answer: Answer) -> str | None:
    data = answer.json()
    if data["after"]["nodes"] == data["before"]["nodes"]:
        return "the step moved nothing"
    return None


def stream_trains_as(trained: Mapping[str, Any]) -> Check:
    """POST /api/train/stream's answer: server-sent events, an epoch event per epoch with
    the plain run's loss and accuracy, and a last ``end`` event of a run that is done."""

    def check(answer: Answer) -> str | None:
        if answer.status != 200:
            return f"status {answer.status}"
        if not answer.headers.get("content-type", "").startswith("text/event-stream"):
            return f"content-type {answer.headers.get('content-type')}"
        blocks = answer.text.split("\n\n")
        if blocks[-1] != "" or not all(b.startswith("data: ") for b in blocks[:-1]):
            return "not one data: line per event"
        events = [orjson.loads(b.removeprefix("data: ")) for b in blocks[:-1]]
        epochs = [e for e in events if e["type"] == "epoch"]
        for key in ("loss", "accuracy"):
            got = [e[key] for e in epochs]
            if len(got) != len(trained[key]) or not all(
                math.isclose(a, b, rel_tol=1e-9) for a, b in zip(got, trained[key], strict=True)
            ):
                return f"the streamed {key} is not the plain run's"
        end = events[-1]
        if end["type"] != "end" or end.get("reason") != "done":
            return f"the last event is {end.get('type')} {end.get('reason')}, not a run done"
        return None

    return check


# --- the mix --------------------------------------------------------------------------------


def mix_endpoints() -> list[Endpoint]:
    """Every endpoint and page, each with the core's answer computed here."""
    apple = EXAMPLES["apple_orange"].fresh_spec()
    net = EXAMPLES["two_layer_net"].fresh_spec()
    affine = EXAMPLES["affine"].fresh_spec()

    formula, values = "(x + y) * z", {"x": 1.5, "y": -2, "z": 3}
    expr_spec = expression_to_spec(formula, values)

    step = {"graph": net, "optimizer": "adam", "hyper": {"lr": 0.01}}
    stepped = step_graph(net, "adam", {"lr": 0.01})

    training = {"dataset": "moons", "max_epoch": 20, "hidden_size": 10, "seed": 7}
    trained = run_to_dict(train(TrainRequest.model_validate(training).settings()))

    shared = EXAMPLES["apple_orange"].fresh_spec()  # a learner's edit, carried by a link
    for node in shared["nodes"]:
        if node["id"] == "apple":
            node["value"] = 150
    link = "/explore?" + urllib.parse.urlencode({"z": encode_graph(shared)})

    cycle = {
        "nodes": [
            {"id": "x", "op": "input", "value": 1.0},
            {"id": "y", "op": "add", "inputs": ["x", "z"]},
            {"id": "z", "op": "mul", "inputs": ["y", "x"]},
        ]
    }
    script = (ROOT / "static" / "js" / "explorer.js").read_bytes()
    ko = {"Accept-Language": "ko"}

    return [
        Endpoint("GET /healthz", "GET", "/healthz", None, json_is({"status": "ok"})),
        Endpoint(
            "GET /api/examples",
            "GET",
            "/api/examples",
            None,
            json_is(
                [
                    {"name": e.name, "title": e.title, "description": e.description}
                    for e in EXAMPLES.values()
                ]
            ),
        ),
        Endpoint(
            "GET /api/examples/{name}",
            "GET",
            "/api/examples/two_layer_net",
            None,
            json_is(net),
        ),
        Endpoint(
            "POST /api/run",
            "POST",
            "/api/run",
            as_json(apple),
            json_is(run_graph(apple).to_dict(), also=api_run_apple_orange),
            weight=3,
        ),
        Endpoint(
            "POST /api/run (net)",
            "POST",
            "/api/run",
            as_json(net),
            json_is(run_graph(net).to_dict()),
        ),
        Endpoint(
            "POST /api/run (cycle)",
            "POST",
            "/api/run",
            as_json(cycle),
            error_is(422, "cycle"),
        ),
        Endpoint(
            "POST /api/run (bad JSON)",
            "POST",
            "/api/run",
            b'{"nodes": [',
            error_is(400, "malformed_json"),
        ),
        Endpoint(
            "POST /api/expression",
            "POST",
            "/api/expression",
            as_json({"expression": formula, "values": values}),
            json_is({"graph": expr_spec, "result": run_graph(expr_spec).to_dict()}),
        ),
        Endpoint(
            "POST /api/gradcheck",
            "POST",
            "/api/gradcheck",
            as_json({"graph": affine}),
            json_is(
                check_graph(affine).to_dict(),
                also=lambda a: None if a.json()["passed"] else "the check did not pass",
            ),
        ),
        Endpoint(
            "POST /api/step",
            "POST",
            "/api/step",
            as_json(step),
            json_is(stepped.to_dict(), also=step_moves),
        ),
        Endpoint(
            "POST /api/train",
            "POST",
            "/api/train",
            as_json(training),
            json_is(trained),
        ),
        Endpoint(
            "POST /api/train/stream",
            "POST",
            "/api/train/stream",
            as_json(training),
            stream_trains_as(trained),
        ),
        Endpoint(
            "GET /explore/{name}",
            "GET",
            "/explore/apple_orange",
            None,
            page_has(*graph_drawn(apple), '<html lang="en"'),
            weight=2,
        ),
        Endpoint(
            "GET /explore/{name} (ko)",
            "GET",
            "/explore/two_layer_net",
            None,
            page_has(*graph_drawn(net), '<html lang="ko"'),
            headers=ko,
        ),
        Endpoint("GET /explore?z= (share link)", "GET", link, None, page_has(*graph_drawn(shared))),
        Endpoint(
            "POST /explore/view",
            "POST",
            "/explore/view",
            as_json({"graph": shared}),
            view_draws(shared),
        ),
        Endpoint("GET / (gallery)", "GET", "/", None, page_has('href="/explore/apple_orange"')),
        Endpoint("GET /learn", "GET", "/learn", None, page_has('<html lang="en"'), headers={}),
        Endpoint(
            "GET /lab (ko)", "GET", "/lab", None, page_has("<svg", '<html lang="ko"'), headers=ko
        ),
        Endpoint(
            "GET /static/js/explorer.js", "GET", "/static/js/explorer.js", None, bytes_are(script)
        ),
    ]


# --- the heaviest requests the limits allow ---------------------------------------------


def largest_run_spec(limits: Limits | None = None) -> dict[str, Any]:
    """The most elements a graph may hold: arrays of max_array_elements through elementwise
    ops, as many as max_total_elements allows (its answer is about 65 MB of JSON)."""
    limits = limits or Limits()
    rows = 200
    cols = limits.max_array_elements // rows
    rng = np.random.default_rng(0)
    x = np.round(rng.uniform(-1, 1, (rows, cols)), 3).tolist()
    nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": x}]
    ops = ("sigmoid", "tanh", "relu")
    count = limits.max_total_elements // (rows * cols) - 2  # x, and the sum's one element
    for i in range(count):
        nodes.append({"id": f"h{i}", "op": ops[i % 3], "inputs": [nodes[-1]["id"]]})
    nodes.append({"id": "total", "op": "sum", "inputs": [nodes[-1]["id"]]})
    return {"nodes": nodes}


def largest_gradcheck() -> tuple[dict[str, Any], dict[str, Any]]:
    """The gradient check with the most work max_check_work allows (about 0.3 s of CPU)
    and its report: an elementwise chain of a few nodes on the most inputs the core takes
    (the core's cost model, core.gradcheck, decides: each refusal comes before any work)."""
    limits = Limits()
    rng = np.random.default_rng(1)
    for depth in (4, 3, 2, 1):
        for size in range(limits.max_check_elements, 0, -50):
            x = np.round(rng.uniform(-1, 1, size), 3).tolist()
            nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": x}]
            for i in range(depth):
                nodes.append(
                    {"id": f"h{i}", "op": ("tanh", "sigmoid")[i % 2], "inputs": [nodes[-1]["id"]]}
                )
            nodes.append({"id": "total", "op": "sum", "inputs": [nodes[-1]["id"]]})
            spec = {"nodes": nodes}
            try:
                return spec, check_graph(spec, limits=limits).to_dict()
            except LimitError:
                continue
    raise RuntimeError("no gradient check fits the limits")


def heavy_endpoints() -> list[Endpoint]:
    run_spec = largest_run_spec()
    check_spec, report = largest_gradcheck()
    training = {
        "dataset": "spiral",
        "hidden_size": 100,
        "max_epoch": 1000,
        "batch_size": 30,  # 1000 x (300 // 30) = 10,000 updates: MAX_ITERATIONS
    }
    trained = run_to_dict(train(TrainRequest.model_validate(training).settings()))
    return [
        Endpoint(
            "POST /api/run (1M elements)",
            "POST",
            "/api/run",
            as_json(run_spec),
            json_is(run_graph(run_spec).to_dict()),
        ),
        Endpoint(
            "POST /api/gradcheck (max work)",
            "POST",
            "/api/gradcheck",
            as_json({"graph": check_spec}),
            json_is(report),
        ),
        Endpoint(
            "POST /api/train (10,000 updates)",
            "POST",
            "/api/train",
            as_json(training),
            json_is(trained),
        ),
    ]


# --- the clients ------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: list[str] = field(default_factory=list)


@dataclass
class Run:
    seconds: float
    tallies: dict[str, Tally]
    sent_ids: list[str]

    @property
    def requests(self) -> int:
        return sum(len(t.latencies) + len(t.errors) for t in self.tallies.values())

    @property
    def errors(self) -> list[str]:
        return [f"{name}: {e}" for name, t in self.tallies.items() for e in t.errors]


async def one_client(
    number: int,
    base: str,
    endpoints: list[Endpoint],
    stop_at: float,
    tallies: dict[str, Tally],
    sent_ids: list[str],
    label: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    schedule = [e for e in endpoints for _ in range(e.weight)]
    random.Random(number).shuffle(schedule)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=base, timeout=REQUEST_TIMEOUT, limits=limits, transport=transport
    ) as http:
        sent = 0
        while time.monotonic() < stop_at:
            endpoint = schedule[sent % len(schedule)]
            request_id = f"{label}-{number}-{sent}"
            sent += 1
            headers = {"X-Request-ID": request_id, **endpoint.headers}
            if endpoint.body is not None:
                headers["Content-Type"] = "application/json"
            tally = tallies[endpoint.name]
            started = time.perf_counter()
            try:
                response = await http.request(
                    endpoint.method, endpoint.path, content=endpoint.body, headers=headers
                )
            except httpx.HTTPError as exc:
                tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            sent_ids.append(request_id)
            answer = Answer(response.status_code, response.headers, response.content)
            problem = endpoint.check(answer)
            if problem is None and response.headers.get("x-request-id") != request_id:
                problem = (
                    f"X-Request-ID {response.headers.get('x-request-id')!r}, not {request_id!r}"
                )
            if problem is None:
                tally.latencies.append(elapsed)
            else:
                tally.errors.append(problem)


async def load(
    base: str,
    endpoints: list[Endpoint],
    clients: int,
    seconds: float,
    label: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Run:
    """``clients`` clients sending ``endpoints`` for ``seconds``; each answer checked."""
    tallies = {e.name: Tally() for e in endpoints}
    sent_ids: list[str] = []
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(
        *(
            one_client(n, base, endpoints, stop_at, tallies, sent_ids, label, transport)
            for n in range(clients)
        )
    )
    return Run(time.monotonic() - started, tallies, sent_ids)


# --- the probe, in its own process so that the clients' work cannot delay it ----------------


def probe_healthz(base: str, seconds: float, interval: float, out: Any) -> None:
    """GET /healthz every ``interval`` on a new connection; sends (latencies, failures)."""
    import http.client

    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    latencies: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host or "127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200 and orjson.loads(body) == {"status": "ok"}:
                latencies.append(time.perf_counter() - started)
            else:
                failures.append(f"status {response.status}")
        except OSError as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        time.sleep(max(0.0, interval - (time.perf_counter() - started)))
    out.send((latencies, failures))
    out.close()


def probe_under_heavy_load(base: str, seconds: float) -> tuple[Run, list[float], list[str]]:
    endpoints = heavy_endpoints()
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    prober = context.Process(
        target=probe_healthz, args=(base, seconds, PROBE_INTERVAL, sender), daemon=True
    )
    # the heavy clients start first, so that the probe meets a busy server from its start
    heavy = asyncio.run(_heavy_then_probe(base, endpoints, seconds, prober))
    latencies, failures = receiver.recv() if receiver.poll(seconds + 30) else ([], ["no answer"])
    prober.join(timeout=10)
    return heavy, latencies, failures


async def _heavy_then_probe(
    base: str, endpoints: list[Endpoint], seconds: float, prober: Any
) -> Run:
    task = asyncio.create_task(load(base, endpoints, HEAVY_CLIENTS, seconds + 2, "heavy"))
    await asyncio.sleep(1.5)
    prober.start()
    return await task


# --- the server and its memory ---------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    """VmRSS of ``pid`` and of every process below it (uvicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


@contextmanager
def server(
    url: str | None, pid: int | None, workers: int
) -> Iterator[tuple[str, int | None, Path | None]]:
    """(base URL, the pid whose tree is measured, the access log) of the server under test."""
    if url is not None:
        yield url.rstrip("/"), pid, None
        return
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with (
            log.open("wb") as out,
            serving(
                access_log=True, workers=workers, stdout=out, stderr=subprocess.STDOUT
            ) as served,
        ):
            yield served.base, served.process.pid, log


def unlogged_ids(log: Path, ids: list[str]) -> list[str]:
    """The request ids not in the access log exactly once."""
    seen: dict[str, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        _, found, request_id = line.rpartition(" request_id=")
        if found:
            seen[request_id] = seen.get(request_id, 0) + 1
    return [i for i in ids if seen.get(i) != 1]


# --- the report ----------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def table(run: Run) -> str:
    lines = [
        "| endpoint | requests | requests/s | p50 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    every: list[float] = []
    for name, tally in run.tallies.items():
        every += tally.latencies
        n = len(tally.latencies) + len(tally.errors)
        lines.append(
            f"| `{name}` | {n:,} | {n / run.seconds:,.1f} | "
            f"{percentile(tally.latencies, 0.5) * 1e3:.1f} ms | "
            f"{percentile(tally.latencies, 0.99) * 1e3:.1f} ms | {len(tally.errors)} |"
        )
    lines.append(
        f"| **all** | {run.requests:,} | {run.requests / run.seconds:,.1f} | "
        f"{percentile(every, 0.5) * 1e3:.1f} ms | {percentile(every, 0.99) * 1e3:.1f} ms | "
        f"{len(run.errors)} |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one as make run does)")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for its memory")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of the mix first")
    parser.add_argument(
        "--heavy-seconds", type=float, default=30.0, help="the probe's run; 0: none"
    )
    args = parser.parse_args(argv)

    print("computing the expected answers with the core ...", flush=True)
    endpoints = mix_endpoints()
    wrong: list[str] = []  # exit status 1
    missed: list[str] = []  # a target of time or memory: exit status 2
    with server(args.url, args.pid, args.workers) as (base, pid, log):
        print(f"server {base} (workers: {args.workers if args.url is None else '?'})", flush=True)
        warm = asyncio.run(load(base, endpoints, args.clients, args.warmup, "warmup"))
        rss_warm = rss_bytes(pid) if pid else None
        print(f"warm-up: {warm.requests:,} requests, {len(warm.errors)} errors", flush=True)
        run = asyncio.run(load(base, endpoints, args.clients, args.seconds, "load"))
        rss_end = rss_bytes(pid) if pid else None

        print(f"\n{args.clients} clients, {args.seconds:g} s, every answer checked:\n")
        print(table(run))
        for problem in (warm.errors + run.errors)[:20]:
            print(f"  wrong: {problem}")
        if warm.errors or run.errors:
            wrong.append(f"{len(warm.errors) + len(run.errors)} wrong answers")
        if rss_warm and rss_end:
            growth = rss_end / rss_warm - 1
            print(
                f"\nserver memory (VmRSS, server and workers): {rss_warm / 2**20:.1f} MiB after "
                f"the warm-up, {rss_end / 2**20:.1f} MiB at the end: {growth:+.1%} "
                f"(limit +{MEMORY_GROWTH_LIMIT:.0%})"
            )
            if growth >= MEMORY_GROWTH_LIMIT:
                missed.append(f"memory grew by {growth:.1%}")
        else:
            print("\nserver memory: not measured (give --pid with --url)")
        if log is not None:
            missing = unlogged_ids(log, warm.sent_ids + run.sent_ids)
            print(
                f"access log: {len(warm.sent_ids) + len(run.sent_ids) - len(missing):,} of "
                f"{len(warm.sent_ids) + len(run.sent_ids):,} answered requests logged once"
            )
            if missing:
                wrong.append(f"{len(missing)} requests not logged exactly once ({missing[:3]})")

        if args.heavy_seconds > 0:
            print("\ncomputing the heaviest requests' answers ...", flush=True)
            heavy, probes, probe_failures = probe_under_heavy_load(base, args.heavy_seconds)
            print(f"\n{HEAVY_CLIENTS} clients sending the heaviest requests:\n")
            print(table(heavy))
            for problem in heavy.errors[:10]:
                print(f"  wrong: {problem}")
            p50, p99 = percentile(probes, 0.5) * 1e3, percentile(probes, 0.99) * 1e3
            print(
                f"\nGET /healthz meanwhile, every {PROBE_INTERVAL * 1e3:.0f} ms on a new "
                f"connection: {len(probes)} answers, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max "
                f"{max(probes, default=math.nan) * 1e3:.1f} ms, {len(probe_failures)} failures "
                f"(target: p99 at most {HEALTHZ_P99_LIMIT_MS:.0f} ms)"
            )
            if heavy.errors:
                wrong.append(f"{len(heavy.errors)} wrong heavy answers")
            if probe_failures or not probes:
                wrong.append(f"/healthz failed: {probe_failures[:3]}")
            elif p99 > HEALTHZ_P99_LIMIT_MS:
                missed.append(f"/healthz p99 {p99:.1f} ms")

    if wrong or missed:
        print("\nFAILED: " + "; ".join(wrong + missed))
        return 1 if wrong else 2
    print("\nall answers right, targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
