"""The explorer in headless Chromium against a live uvicorn on 127.0.0.1.

    .venv/bin/python -m bench.bench_browser

Two figures per graph (apple_orange, and a 200-node scalar graph carried in the URL):
- navigation -> annotated graph on screen: from the navigation's time origin to the first
  animation frame whose DOM shows the output's value on its arrow (measured in the page,
  so the figure holds no Playwright round trip);
- input edit -> updated picture: from the ``change`` of an input field to the frame after
  the page's script has repainted the picture with the API's new numbers.

Medians (and 90th percentiles) of repeated runs go to stdout and to the ``## Browser``
section of docs/benchmarks.md. Targets for apple_orange: under 200 ms and under 100 ms.
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from app.share import encode_graph
from core import run_graph
from core.examples import EXAMPLES
from core.format import short
from tests.live import chromium_launch_options, live_server

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
REPEATS = 25
WARMUP = 3

# In the page: the time (since navigation) of the first frame showing `text` on the arrow.
ANNOTATED_AT = """([source, text]) => {
  const el = document.querySelector(
    `svg.bpx-graph g.edge[data-source="${source}"][data-target=""] > .val`);
  return el && el.textContent === text ? performance.now() : false;
}"""

# In the page: change one input, wait for the repaint, then for the next frame.
EDIT = """async ([node, value]) => {
  const field = document.querySelector(`#inputs [data-node="${node}"]`);
  const before = document.documentElement.dataset.painted;
  const start = performance.now();
  field.value = value;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  await new Promise((resolve) => {
    const check = () => document.documentElement.dataset.painted !== before
      ? requestAnimationFrame(resolve) : requestAnimationFrame(check);
    requestAnimationFrame(check);
  });
  return performance.now() - start;
}"""


def scalar_graph(n_nodes: int, seed: int = 200) -> dict[str, Any]:
    """A connected scalar graph: every op takes the previous node and an earlier one, so
    the output depends on every input."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = [
        {"id": f"x{i}", "op": "input", "value": round(rng.uniform(0.5, 1.5), 3)} for i in range(40)
    ]
    previous = "x0"
    for i in range(n_nodes - len(nodes)):
        op = rng.choice(["add", "mul", "sigmoid", "tanh", "add"])
        # Each input is used once in turn, then recent nodes: one connected graph.
        earlier = f"x{i + 1}" if i + 1 < 40 else rng.choice([n["id"] for n in nodes[-12:]])
        if op in ("sigmoid", "tanh") and i + 1 < 40:
            op = "add"
        inputs = [previous] if op in ("sigmoid", "tanh") else [previous, earlier]
        nodes.append({"id": f"n{i}", "op": op, "inputs": inputs})
        previous = f"n{i}"
    return {"nodes": nodes, "output": previous}


def measure_navigation(page: Page, url: str, output: str, text: str) -> float:
    page.goto("about:blank")
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(ANNOTATED_AT, arg=[output, text], polling="raf")
    value: float = handle.json_value()
    return value


def measure_edit(page: Page, node: str, value: str) -> float:
    elapsed: float = page.evaluate(EDIT, [node, value])
    return elapsed


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]


def run_case(page: Page, url: str, spec: dict[str, Any], edit_node: str) -> dict[str, Any]:
    result = run_graph(spec)
    output = result.output
    text = short(float(result.value))
    page.goto(url)  # warm the server's caches and the browser's module cache
    nav = [measure_navigation(page, url, output, text) for _ in range(WARMUP + REPEATS)][WARMUP:]
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    original = next(n["value"] for n in spec["nodes"] if n["id"] == edit_node)
    edits = []
    for k in range(WARMUP + REPEATS):
        value = str(original + (0.5 if k % 2 == 0 else 0))
        edits.append(measure_edit(page, edit_node, value))
    return {
        "nodes": len(spec["nodes"]),
        "navigation": summary(nav),
        "edit": summary(edits[WARMUP:]),
    }


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Browser\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    big = scalar_graph(200)
    results: dict[str, dict[str, Any]] = {}
    with live_server(stdout=None, stderr=None) as base:
        cases = {
            "apple_orange": (
                f"{base}/explore/apple_orange",
                EXAMPLES["apple_orange"].spec,
                "apple",
            ),
            "200 nodes": (f"{base}/explore?z={encode_graph(big)}", big, "x0"),
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(**chromium_launch_options())
            version = browser.version
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, (url, spec, node) in cases.items():
                results[name] = run_case(page, url, spec, node)
            browser.close()

    rows = []
    for name, r in results.items():
        (nav_p50, nav_p90), (edit_p50, edit_p90) = r["navigation"], r["edit"]
        line = (
            f"| {name:<12} | {r['nodes']:>5} | {nav_p50:7.1f} ms | {nav_p90:7.1f} ms "
            f"| {edit_p50:7.1f} ms | {edit_p90:7.1f} ms |"
        )
        rows.append(line)
        print(line)
    ao = results["apple_orange"]
    verdict = (
        f"apple_orange: navigation {ao['navigation'][0]:.1f} ms (target < 200 ms: "
        f"{'met' if ao['navigation'][0] < 200 else 'MISSED'}), edit {ao['edit'][0]:.1f} ms "
        f"(target < 100 ms: {'met' if ao['edit'][0] < 100 else 'MISSED'})."
    )
    print(verdict)
    section = "\n".join(
        [
            "## Browser",
            "",
            "```",
            ".venv/bin/python -m bench.bench_browser",
            "```",
            "",
            f"Headless Chromium {version} (`--disable-gpu`) against one uvicorn worker on "
            f"127.0.0.1; {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}. Medians and 90th percentiles of {REPEATS} runs after "
            f"{WARMUP} warm-up runs, measured inside the page (`performance.now()`):",
            "",
            "- *navigation*: from the navigation's time origin to the first animation frame",
            "  whose DOM shows the output's value on its arrow (the picture is drawn by the",
            "  server, so this includes the request, the layout, the engine run and parsing);",
            "- *edit*: from an input field's `change` to the frame after the page has posted",
            "  the graph to `/explore/view` and repainted every label.",
            "",
            "| graph        | nodes | navigation p50 | navigation p90 | edit p50 | edit p90 |",
            "|--------------|-------|----------------|----------------|----------|----------|",
            *rows,
            "",
            verdict,
            "",
        ]
    )
    write_docs(section)


if __name__ == "__main__":
    main()
