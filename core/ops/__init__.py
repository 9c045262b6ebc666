"""The operations a graph node can be: one registry, read by everything else.

    OPS["mul"].forward(attrs, inputs)     the layer's forward (a fresh layer per run)
    OPS["mul"].rule.backward              the local rule a learner reads
    catalog("ko")                         what the pages get, as data
    attrs_json_schema()                   the API schema of ``attrs``

Each entry is in :mod:`core.ops.table`; :mod:`core.ops.base` has the op types (one per
calling convention of the book's layers) and the attr types.
"""

from __future__ import annotations

from typing import Any

from core.ops.base import Attr, Op, Rule, Sample, Source, Text
from core.ops.shapes import check_labels
from core.ops.table import OP_TABLE
from core.spec import NO_ATTRS

OPS: dict[str, Op] = {op.name: op for op in OP_TABLE}
SOURCE_OPS = frozenset(name for name, op in OPS.items() if isinstance(op, Source))
#: name(x) in a typed expression -> the op
FUNCTIONS: dict[str, Op] = {name: op for name, op in OPS.items() if op.function}


def catalog(lang: str) -> dict[str, dict[str, Any]]:
    """Every op as the pages need it: symbol, title, inputs, attr fields, rule, note."""
    return {name: op.catalog_entry(lang) for name, op in OPS.items()}


def attrs_json_schema() -> dict[str, Any]:
    """The JSON schema of a node's ``attrs``: every attr of every op, each saying which
    ops take it. Which attrs fit which op is the engine's to check (it names the node)."""
    users: dict[str, list[str]] = {}
    first: dict[str, Attr] = {}
    for op in OP_TABLE:
        for attr in op.attrs:
            users.setdefault(attr.name, []).append(op.name)
            first.setdefault(attr.name, attr)
    properties = {
        name: {**attr.json_schema(), "description": f"{', '.join(users[name])}: {attr.description}"}
        for name, attr in first.items()
    }
    return {"type": "object", "properties": properties, "additionalProperties": False}


__all__ = [
    "FUNCTIONS",
    "NO_ATTRS",
    "OPS",
    "SOURCE_OPS",
    "Attr",
    "Op",
    "Rule",
    "Sample",
    "Text",
    "attrs_json_schema",
    "catalog",
    "check_labels",
]
