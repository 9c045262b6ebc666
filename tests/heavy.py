"""Graphs at and past the limits, shared by the drawing's, the engine's and the pages' tests.

chain(n)        x -> relu -> relu ... : n nodes, n layers, no long edge
skip(n)         every node adds x again: n long edges, about n**2 columns crossed
fan_in(count)   one node listing the same input ``count`` times (the engine refuses it)
scalar_chain(inputs, length)   ``inputs`` numbers summed, then ``length`` sigmoids
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


def scalar_chain(inputs: int, length: int) -> dict[str, Any]:
    """``inputs`` numbers summed, then ``length`` sigmoids: a check of many small nodes."""
    nodes: list[dict[str, Any]] = [
        {"id": f"x{i}", "op": "input", "value": 0.001 * i} for i in range(inputs)
    ]
    previous = "x0"
    for i in range(1, inputs):
        nodes.append({"id": f"s{i}", "op": "add", "inputs": [previous, f"x{i}"]})
        previous = f"s{i}"
    for i in range(length):
        nodes.append({"id": f"c{i}", "op": "sigmoid", "inputs": [previous]})
        previous = f"c{i}"
    return {"nodes": nodes}
