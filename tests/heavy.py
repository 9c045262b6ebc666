"""Graphs at and past the limits, shared by the drawing's, the engine's and the pages' tests.

chain(n)        x -> relu -> relu ... : n nodes, n layers, no long edge
skip(n)         every node adds x again: n long edges, about n**2 columns crossed
fan_in(count)   one node listing the same input ``count`` times (the engine refuses it)
"""

from __future__ import annotations

from typing import Any


def chain(n: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "x", "op": "input", "value": 1.0}]
    previous = "x"
    for i in range(n - 1):
        nodes.append({"id": f"n{i}", "op": "relu", "inputs": [previous]})
        previous = f"n{i}"
    return {"nodes": nodes}


def skip(n: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "x", "op": "input", "value": 1.0},
        {"id": "n0", "op": "relu", "inputs": ["x"]},
    ]
    for i in range(1, n - 1):
        nodes.append({"id": f"n{i}", "op": "add", "inputs": [f"n{i - 1}", "x"]})
    return {"nodes": nodes}


def fan_in(count: int) -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "x", "op": "input", "value": 1.0},
            {"id": "y", "op": "add", "inputs": ["x"] * count},
        ]
    }
