"""Graphs in share links, and the values of a typed expression: plain Python, no web framework.

    encode_graph(spec)              -> the ``z`` of /explore?z=... (raw deflate, base64url)
    decode_graph(z, None)           -> the spec again; ``decode_graph(None, g)`` reads plain JSON
    parse_values("x=1, W=[[1, 2]]") -> {"x": 1, "W": [[1, 2]]}

``static/js/share.js`` makes the same links in the browser. Each function raises
ValueError with a readable message on anything it cannot read; for a link, a
:class:`LinkError`, which a page says in its language.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from typing import Any

from app.i18n import TEXTS

MAX_URL_GRAPH_BYTES = 2_000_000  # a decompressed graph from a URL, at most


class LinkError(ValueError):
    """A share link that holds no readable graph: ``key`` is its text in ``app.i18n``."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(self.localized("en"))

    def localized(self, lang: str) -> str:
        texts = TEXTS[self.key]
        return (texts.get(lang) or texts["en"]).format(**self.params)


def decode_graph(z: str | None, g: str | None) -> dict[str, Any]:
    """The spec a share link carries: ``z`` is raw-deflated JSON, ``g`` plain JSON, both
    base64url without padding. Raises LinkError (a ValueError) with a readable message."""
    token = z if z is not None else g
    if token is None:
        raise LinkError("link_no_graph")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise LinkError("link_not_base64") from None
    if z is not None:
        inflater = zlib.decompressobj(-15)
        try:
            raw = inflater.decompress(raw, MAX_URL_GRAPH_BYTES)
        except zlib.error:
            raise LinkError("link_not_deflate") from None
        if inflater.unconsumed_tail:
            raise LinkError("link_too_big", limit=MAX_URL_GRAPH_BYTES)
    try:
        spec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LinkError("link_not_json", reason=str(exc)) from None  # Python's own words
    except RecursionError:  # JSON nested past Python's recursion limit
        raise LinkError("link_too_deep") from None
    if not isinstance(spec, dict):
        raise LinkError("link_not_object")
    return spec


def encode_graph(spec: Mapping[str, Any]) -> str:
    """The ``z`` parameter for ``spec`` (what the page's script makes, too)."""
    data = json.dumps(spec, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(data) + deflater.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


_VALUE_ITEM = re.compile(r"\s*([\w.\-]+)\s*=\s*(\[[^=]*\]|[^,\s]+)\s*(?:,|;|$)")


def parse_values(text: str) -> dict[str, Any]:
    """``apple=100, x=[[1, 2]]`` -> {"apple": 100, "x": [[1, 2]]}; ValueError on anything else."""
    values: dict[str, Any] = {}
    position = 0
    text = text.strip()
    while position < len(text):
        match = _VALUE_ITEM.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(text[position : position + 20])
        name, raw = match.group(1), match.group(2)
        try:
            values[name] = json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError(raw) from None
        position = match.end()
    return values
