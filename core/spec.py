"""The graph spec: parsing and checking the JSON form the API and the pages share.

A spec is ``{"nodes": [...], "output": id?, "dout": number | nested lists?}``; each node is
``{"id", "op", "inputs"?, "value"?, "attrs"?}``. :func:`parse_spec` turns a dict (or an
already typed :class:`GraphSpec`) into checked, immutable objects; it checks the
structure only. Shapes, cycles and values are the engine's business.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from core.errors import InvalidValueError, LimitError, NonFiniteError, SpecError
from core.messages import Message, msg

Array = NDArray[np.float64]

# Letters of any script (Korean ids such as 사과 work), digits, "_", "-", ".".
ID_PATTERN = re.compile(r"^[\w.\-]{1,64}$")
MAX_NDIM = 8
# How deep a spec's JSON may nest: a value is at most MAX_NDIM lists inside a node inside
# the node list inside the graph. Anything deeper is refused before anyone walks it.
MAX_JSON_DEPTH = 16


@dataclass(frozen=True)
class Limits:
    """Size limits, checked before any memory is allocated."""

    max_nodes: int = 1_000
    max_array_elements: int = 100_000
    max_total_elements: int = 1_000_000
    # the gradient check reruns the graph twice per element it perturbs: its work is
    # 2 x (elements perturbed) x (the graph's elements + CHECK_NODE_COST per node),
    # 0.2 to 0.4 s of CPU at 200 million on an idle core, about 1 s on a busy one
    max_check_elements: int = 5_000
    max_check_work: int = 200_000_000


DEFAULT_LIMITS = Limits()


NO_ATTRS: Mapping[str, Any] = MappingProxyType({})  # shared by every node without attrs


class NodeSpec(NamedTuple):
    """One node, checked. A NamedTuple: immutable and cheap to build for every request."""

    id: str
    op: str
    inputs: tuple[str, ...] = ()
    value: Any = None
    attrs: Mapping[str, Any] = NO_ATTRS


class GraphSpec(NamedTuple):
    nodes: tuple[NodeSpec, ...]
    output: str | None = None
    dout: Any = None


_NODE_KEYS = frozenset({"id", "op", "inputs", "value", "attrs"})
_GRAPH_KEYS = frozenset({"nodes", "output", "dout"})


def _as_dict(obj: Any, keys: frozenset[str], where: Callable[[], str | Message]) -> dict[str, Any]:
    """A mapping as it is (unknown keys refused), a typed object by its attributes.

    ``where`` names the object for a message; it is called only when there is one.
    """
    if type(obj) is dict and obj.keys() <= keys:  # the common case, first
        return obj
    if type(obj) is not dict:
        if isinstance(obj, Mapping):
            obj = dict(obj)
        elif all(hasattr(obj, k) for k in ("id", "op")) or hasattr(obj, "nodes"):
            return {k: getattr(obj, k, None) for k in keys}
        else:
            raise SpecError.of("spec_not_object", None, where=where())
    if not obj.keys() <= keys:
        extra = sorted(str(k) for k in obj if k not in keys)
        raise SpecError.of("spec_unknown_fields", None, where=where(), fields=", ".join(extra))
    return obj


def parse_node(raw: Any, position: int) -> NodeSpec:
    if isinstance(raw, NodeSpec):
        node = {"id": raw.id, "op": raw.op, "inputs": list(raw.inputs), "attrs": raw.attrs}
        node["value"] = raw.value
    else:
        node = _as_dict(raw, _NODE_KEYS, lambda: f"nodes[{position}]")
    node_id = node.get("id")
    if type(node_id) is not str or not ID_PATTERN.match(node_id):
        raise SpecError.of("spec_bad_id", None, position=position, id=repr(node_id))
    op = node.get("op")
    if type(op) is not str:
        raise SpecError.of("spec_op_not_string", node_id, node=node_id)
    inputs = node.get("inputs")
    if inputs is None:
        inputs = ()
    elif type(inputs) is not list and (isinstance(inputs, str) or not isinstance(inputs, Sequence)):
        raise SpecError.of("spec_inputs_not_list", node_id, node=node_id)
    if inputs and not set(map(type, inputs)) <= {str}:
        raise SpecError.of("spec_input_not_string", node_id, node=node_id)
    attrs = node.get("attrs")
    if attrs is None:
        attrs = NO_ATTRS
    elif not isinstance(attrs, Mapping):
        raise SpecError.of("spec_attrs_not_object", node_id, node=node_id)
    return NodeSpec(node_id, op, tuple(inputs), node.get("value"), attrs)


class SpecLists(NamedTuple):
    """A checked spec as parallel lists, one entry per node as listed: what the engine
    reads (no object per node). ``parse_spec`` gives the same as NodeSpec objects."""

    ids: list[str]
    ops: list[str]
    inputs: list[tuple[str, ...]]
    values: list[Any]
    attrs: list[Mapping[str, Any]]
    output: str | None
    dout: Any
    ids_checked: bool = True  # see read_spec


def parse_spec(
    raw: Mapping[str, Any] | GraphSpec | Any, limits: Limits = DEFAULT_LIMITS
) -> GraphSpec:
    """Check the structure of a spec (a dict or typed object) and return a :class:`GraphSpec`."""
    return spec_of(read_spec(raw, limits))


def spec_of(lists: SpecLists) -> GraphSpec:
    """The :class:`GraphSpec` of checked lists."""
    nodes = tuple(
        map(
            NodeSpec._make,
            zip(lists.ids, lists.ops, lists.inputs, lists.values, lists.attrs, strict=True),
        )
    )
    return GraphSpec(nodes=nodes, output=lists.output, dout=lists.dout)


def read_spec(
    raw: Mapping[str, Any] | GraphSpec | Any,
    limits: Limits = DEFAULT_LIMITS,
    *,
    check_ids: bool = True,
) -> SpecLists:
    """Check the structure of a spec (a dict or typed object) and return it as lists.

    ``check_ids=False`` leaves the ids' pattern unchecked when the spec is plain JSON
    (``ids_checked`` says so): the engine checks them with ``ids_valid`` unless a plan
    it compiled from these very ids is at hand. Every other check is made."""
    if isinstance(raw, GraphSpec):
        graph: dict[str, Any] = {"nodes": raw.nodes, "output": raw.output, "dout": raw.dout}
    else:
        graph = _as_dict(raw, _GRAPH_KEYS, lambda: msg("a_graph_spec"))
    nodes_raw = graph.get("nodes")
    if isinstance(nodes_raw, str | bytes) or not isinstance(nodes_raw, Sequence):
        raise SpecError.of("spec_nodes_not_list")
    if not nodes_raw:
        raise SpecError.of("spec_nodes_empty")
    if len(nodes_raw) > limits.max_nodes:
        raise LimitError.of("limit_nodes", None, count=len(nodes_raw), limit=limits.max_nodes)
    output = graph.get("output")
    output_ok = output is None or isinstance(output, str)
    lists = _read_plain_nodes(nodes_raw)
    ids_checked = True
    if lists is not None and (check_ids or not output_ok) and not ids_valid(lists[0]):
        lists = None  # parse_node says which id is wrong (or reads one ending in "\n")
    elif lists is not None and not check_ids:
        ids_checked = False
    if lists is None:  # not all plain JSON, or something to say: node by node
        nodes = [parse_node(n, i) for i, n in enumerate(nodes_raw)]
        lists = (
            [n.id for n in nodes],
            [n.op for n in nodes],
            [n.inputs for n in nodes],
            [n.value for n in nodes],
            [n.attrs for n in nodes],
        )
    if not output_ok:
        raise SpecError.of("spec_output_not_string")
    return SpecLists(*lists, output=output, dout=graph.get("dout"), ids_checked=ids_checked)


def ids_valid(ids: list[str]) -> bool:
    """Whether every id (a str) matches ID_PATTERN without its trailing-newline leniency:
    one regex match for all ids together."""
    joined = "\x00".join(ids)
    return not (
        not _ID_CHARACTERS.fullmatch(joined)
        or joined.count("\x00") != len(ids) - 1  # no id holds the separator
        or "\x00\x00" in joined  # an empty id
        or joined.startswith("\x00")
        or joined.endswith("\x00")
        or not joined  # one node, whose id is empty
        or max(map(len, ids)) > 64
    )


_GET_ID, _GET_OP = itemgetter("id"), itemgetter("op")
_ID_CHARACTERS = re.compile(r"[\w.\-\x00]*")  # ID_PATTERN's, and the separator


def _read_plain_nodes(
    nodes_raw: Sequence[Any],
) -> tuple[list[str], list[str], list[tuple[str, ...]], list[Any], list[Mapping[str, Any]]] | None:
    """The nodes as lists when every node is a plain dict whose fields have the types that
    ``parse_node`` accepts as they are (the common case, read field by field for all nodes
    at once, without an object per node); None otherwise, and ``parse_node`` then reads
    the nodes one by one and says what is wrong. The ids' pattern: ``ids_valid``."""
    if set(map(type, nodes_raw)) != {dict} or not set().union(*nodes_raw) <= _NODE_KEYS:
        return None
    try:  # every node has an id and an op, or parse_node says which does not
        ids: list[Any] = list(map(_GET_ID, nodes_raw))
        ops: list[Any] = list(map(_GET_OP, nodes_raw))
    except KeyError:
        return None
    raw_inputs = [node.get("inputs") for node in nodes_raw]
    values = [node.get("value") for node in nodes_raw]
    raw_attrs = [node.get("attrs") for node in nodes_raw]
    if (
        set(map(type, ids)) != {str}
        or set(map(type, ops)) != {str}
        or not set(map(type, raw_inputs)) <= {list, type(None)}
        or not set(map(type, chain.from_iterable(filter(None, raw_inputs)))) <= {str}
        or not set(map(type, raw_attrs)) <= {dict, type(None)}
    ):
        return None
    inputs = [() if names is None else tuple(names) for names in raw_inputs]
    attrs = [NO_ATTRS if node_attrs is None else node_attrs for node_attrs in raw_attrs]
    return ids, ops, inputs, values, attrs


def _is_number(x: Any) -> bool:
    # bool is an int in Python, but `true` is not a number in a graph.
    return type(x) in (float, int) or (
        isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool | np.bool_)
    )


def _kind(item: Any) -> Message:
    """What a value's item is, in JSON's words and Python's: messages reach both."""
    if isinstance(item, bool | np.bool_):
        return msg("kind_bool")
    if _is_number(item):
        return msg("kind_number")
    if item is None:
        return msg("kind_null")
    if isinstance(item, str):
        return msg("kind_string", text=f"{item!r:.40}")
    if isinstance(item, list | tuple):
        return msg("kind_list")
    if isinstance(item, Mapping):
        return msg("kind_object")
    return msg("kind_other", type=type(item).__name__)


def _what(what: str) -> Message | str:
    """What ``parse_array`` reads, as a word of the messages: "value", "dout", "state v"."""
    if what == "value":
        return msg("what_value")
    if what == "dout":
        return msg("what_dout")
    if what.startswith("state "):
        return msg("what_state", slot=what.removeprefix("state "))
    return what


def parse_array(value: Any, node_id: str, what: str, limits: Limits) -> Array:
    """A number or rectangular nested lists of finite numbers, as a float64 array.

    The element count is known from the lengths alone, so it is checked against the
    limit before the flat list is built. ``what`` is "value", "dout" or "state <slot>".
    """
    if type(value) is float or type(value) is int:  # the common scalar case, kept cheap
        try:
            number = float(value)
        except OverflowError:
            raise InvalidValueError.of(
                "value_too_large", node_id, node=node_id, what=_what(what)
            ) from None
        if not math.isfinite(number):
            raise NonFiniteError.of("value_not_finite", node_id, node=node_id, what=_what(what))
        return np.array(number)
    if isinstance(value, np.ndarray):
        if value.dtype == np.bool_ or not np.issubdtype(value.dtype, np.number):
            raise InvalidValueError.of("value_not_numbers", node_id, node=node_id, what=_what(what))
        if value.size > limits.max_array_elements:
            raise LimitError.of(
                "limit_array",
                node_id,
                node=node_id,
                what=_what(what),
                size=value.size,
                limit=limits.max_array_elements,
            )
        arr = np.array(value, dtype=np.float64)
    elif _is_number(value):  # NumPy scalars from a notebook
        arr = np.array(float(value))
    elif isinstance(value, list | tuple):
        arr = _nested_to_array(value, node_id, what, limits)
    elif value is None:
        raise InvalidValueError.of("value_missing", node_id, node=node_id, what=_what(what))
    else:
        raise InvalidValueError.of(
            "value_kind", node_id, node=node_id, what=_what(what), kind=_kind(value)
        )
    if arr.ndim > MAX_NDIM:
        raise InvalidValueError.of(
            "value_ndim", node_id, node=node_id, what=_what(what), ndim=arr.ndim, max=MAX_NDIM
        )
    if arr.size == 0:
        raise InvalidValueError.of("value_empty", node_id, node=node_id, what=_what(what))
    if not np.isfinite(arr).all():
        raise NonFiniteError.of("value_contains_nonfinite", node_id, node=node_id, what=_what(what))
    return arr


def _nested_to_array(value: Sequence[Any], node_id: str, what: str, limits: Limits) -> Array:
    shape: list[int] = []
    probe: Any = value
    while isinstance(probe, list | tuple):
        shape.append(len(probe))
        if len(shape) > MAX_NDIM:
            raise InvalidValueError.of(
                "value_too_deep", node_id, node=node_id, what=_what(what), max=MAX_NDIM
            )
        if not probe:
            break
        probe = probe[0]
    size = math.prod(shape)
    if size > limits.max_array_elements:
        raise LimitError.of(
            "limit_array",
            node_id,
            node=node_id,
            what=_what(what),
            size=size,
            limit=limits.max_array_elements,
        )
    level: list[Any] = [value]
    for depth, length in enumerate(shape):
        nested: list[Any] = []
        for item in level:
            if not isinstance(item, list | tuple) or len(item) != length:
                found = (
                    msg("entries", count=len(item))
                    if isinstance(item, list | tuple)
                    else _kind(item)
                )
                raise InvalidValueError.of(
                    "value_ragged",
                    node_id,
                    node=node_id,
                    what=_what(what),
                    depth=depth,
                    length=length,
                    found=found,
                )
            nested.extend(item)
        level = nested
    for item in level:
        if type(item) is not float and type(item) is not int and not _is_number(item):
            if isinstance(item, list | tuple):
                raise InvalidValueError.of(
                    "value_ragged_list", node_id, node=node_id, what=_what(what)
                )
            raise InvalidValueError.of(
                "value_holds", node_id, node=node_id, what=_what(what), kind=_kind(item)
            )
    try:
        return np.array(level, dtype=np.float64).reshape(shape)
    except OverflowError:  # an int beyond float range, such as 10**400
        raise InvalidValueError.of(
            "value_int_too_large", node_id, node=node_id, what=_what(what)
        ) from None


def check_json_tree(raw: Any) -> None:
    """Refuse, naming the node, a spec whose JSON nests deeper than ``MAX_JSON_DEPTH`` or
    holds text that is not valid Unicode (a lone surrogate such as ``"\\ud800"``, which
    JSON can spell but no UTF-8 reply can carry).

    For a spec that no schema checked (the pages' graphs): walked once, without
    recursion, before it is run, drawn or written back.
    """
    if not isinstance(raw, Mapping):
        return
    nodes = raw.get("nodes")
    parts: list[tuple[Any, str | None]] = [({k: v for k, v in raw.items() if k != "nodes"}, None)]
    if isinstance(nodes, list):
        for node in nodes:
            node_id = node.get("id") if isinstance(node, Mapping) else None
            named = node_id if isinstance(node_id, str) and is_unicode(node_id) else None
            parts.append((node, named))
    else:
        parts.append((nodes, None))
    for part, node_id in parts:
        where = msg("where_node", node=node_id) if node_id is not None else msg("a_graph_spec")
        stack: list[tuple[Any, int]] = [(part, 1 if node_id is None else 3)]  # graph: 1
        while stack:
            item, depth = stack.pop()
            if isinstance(item, str):
                if not is_unicode(item):
                    raise SpecError.of("json_not_unicode", node_id, where=where, text=repr(item))
            elif isinstance(item, list | dict):
                if depth > MAX_JSON_DEPTH:
                    raise SpecError.of("json_too_deep", node_id, where=where, max=MAX_JSON_DEPTH)
                if isinstance(item, dict):
                    stack.extend((key, depth) for key in item)
                    stack.extend((value, depth + 1) for value in item.values())
                else:
                    stack.extend(
                        (value, depth + 1) for value in item if type(value) not in (float, int)
                    )


def is_unicode(text: str) -> bool:
    """Whether UTF-8 can carry ``text`` (no lone surrogate in it)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
