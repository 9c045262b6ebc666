"""Backprop Explorer's core: the book's layers in NumPy and a graph engine over them.

Pure NumPy: ``import core`` in a notebook needs nothing else.
"""

from core.errors import GraphError
from core.graph import GraphResult, Plan, compile_graph, run_graph
from core.spec import DEFAULT_LIMITS, Limits

__all__ = [
    "DEFAULT_LIMITS",
    "GraphError",
    "GraphResult",
    "Limits",
    "Plan",
    "compile_graph",
    "run_graph",
]
