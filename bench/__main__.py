"""Run every benchmark: ``.venv/bin/python -m bench`` (or ``make bench``).

Each prints ratios against a reference measured in the same run; the figures go into
docs/benchmarks.md by hand, with the machine they were measured on.
"""

from __future__ import annotations

import importlib

BENCHES = (
    "bench_graph",
    "bench_training",
    "bench_stream",
    "bench_http",
    "bench_browser",
    "bench_lab_page",
)


def main() -> None:
    for name in BENCHES:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    main()
