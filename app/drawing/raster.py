"""PNG from the SVG drawings, offline, with what pip installs: resvg (``resvg-py``).

    png = svg_to_png(render_svg(spec))          # twice the SVG's size, on white

resvg is a renderer written in Rust; the ``resvg-py`` wheel carries it whole, so no
system library is needed (cairosvg would need the system's cairo, which a slim Docker
image lacks). resvg reads an SVG's ``<style>`` but not CSS custom properties
(``var(--g-fg)``), which the graph's stylesheet uses for its light and dark themes:
:func:`flat_css` first writes each ``var()`` out as its light-theme value and drops the
dark-theme rules, so the PNG looks like the light SVG in a browser.
"""

from __future__ import annotations

import re
from typing import Final

DEFAULT_SCALE: Final = 2.0
BACKGROUND: Final = "#ffffff"

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+);?")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)")


def _rules(css: str) -> list[str]:
    """The top-level rules and at-rules of a stylesheet, each with its braces."""
    rules: list[str] = []
    depth = 0
    start = 0
    for pos, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append(css[start : pos + 1].strip())
                start = pos + 1
    return rules


def flat_css(css: str) -> str:
    """``css`` without custom properties: every ``var(--x)`` replaced by the value the
    light theme gives ``--x``; at-rules (the dark ``@media`` block) and the rules for a
    chosen dark theme dropped. An unknown property takes its fallback, else ``inherit``."""
    kept = [
        rule
        for rule in _rules(_COMMENT.sub("", css))
        if not rule.startswith("@") and 'data-theme="dark"' not in rule
    ]
    values: dict[str, str] = {}
    for rule in kept:
        for name, value in _CUSTOM_PROPERTY.findall(rule):
            values.setdefault(name, value.strip())
    text = "\n".join(kept)
    text = _CUSTOM_PROPERTY.sub("", text)

    def resolve(match: re.Match[str]) -> str:
        return values.get(match.group(1), (match.group(2) or "inherit").strip())

    return _VAR.sub(resolve, text)


def flat_svg(svg: str) -> str:
    """The same SVG with each embedded stylesheet flattened by :func:`flat_css`."""
    return _STYLE.sub(lambda m: m.group(1) + flat_css(m.group(2)) + m.group(3), svg)


def svg_to_png(svg: str, scale: float = DEFAULT_SCALE, background: str = BACKGROUND) -> bytes:
    """The PNG of ``svg`` at ``scale`` times its size, on ``background``."""
    import resvg_py  # a compiled renderer: loaded only when a PNG is asked for

    data = resvg_py.svg_to_bytes(svg_string=flat_svg(svg), background=background, zoom=scale)
    return bytes(data)
