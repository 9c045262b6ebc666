"""The live lab in headless Chromium: how often the page updates while a run plays.

    .venv/bin/python -m bench.bench_lab_page

Trains the book's run (300 epochs) from the page and counts, in the page, the epochs shown
(each one an update of the curves, the numbers and the status; every tenth with a new
boundary and network) per second of playing. The target: at least 20 updates a second
when the data comes that fast (the server sends the book's run in about a fifth of a
second, so it always does here).
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from tests.live import chromium_launch_options, live_server

RUNS = 3
TARGET = 20.0

WATCH = """() => {
    window.__updates = [];
    new MutationObserver(() => window.__updates.push(performance.now())).observe(
        document.getElementById("lab-figures"),
        {attributes: true, attributeFilter: ["data-epoch"]},
    );
}"""


def main() -> None:
    rates = []
    with live_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(**chromium_launch_options())
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for _ in range(RUNS):
            page.goto(f"{base}/lab")
            page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
            page.evaluate(WATCH)
            page.click("#lab-train")
            page.wait_for_function(
                "() => document.getElementById('lab-status').dataset.state === 'done'",
                timeout=120_000,
            )
            times = page.evaluate("() => window.__updates")
            seconds = (times[-1] - times[0]) / 1000
            rates.append((len(times) - 1) / seconds)
            print(f"  {len(times)} epochs shown in {seconds:.2f} s: {rates[-1]:.1f} updates/s")
        browser.close()
    print(f"  slowest run: {min(rates):.1f} updates per second  (target >= {TARGET:.0f})")


if __name__ == "__main__":
    main()
