"""Graphs to lay out: the book's examples and a few seeded random DAGs."""

from __future__ import annotations

import random
from typing import Any


def random_dag(n_nodes: int, seed: int) -> dict[str, Any]:
    """A valid scalar graph: sources, then binary and unary ops over earlier nodes."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    n_sources = max(2, n_nodes // 4)
    for i in range(n_sources):
        nodes.append({"id": f"s{i}", "op": "input", "value": rng.uniform(0.5, 2.0)})
    for i in range(n_nodes - n_sources):
        earlier = [n["id"] for n in nodes]
        op = rng.choice(["add", "mul", "sigmoid", "tanh", "mul"])
        arity = 1 if op in ("sigmoid", "tanh") else 2
        # Mostly the recent nodes, so the graph is deep rather than flat.
        inputs = [rng.choice(earlier[-8:] if rng.random() < 0.8 else earlier) for _ in range(arity)]
        nodes.append({"id": f"n{i}", "op": op, "inputs": inputs})
    return {"nodes": nodes, "output": nodes[-1]["id"]}
