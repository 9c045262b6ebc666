"""Layout and SVG of computational graphs, in pure Python (no web framework).

In a notebook::

    from app.drawing import Picture, render_svg
    from core.examples import EXAMPLES
    Picture(EXAMPLES["apple_orange"].spec)      # shows itself, values and gradients
    svg_text = render_svg(EXAMPLES["apple"].spec)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.drawing.layout import Layout, layout_graph
from app.drawing.svg import render_layout, render_svg, shapes_for


class Picture:
    """A graph and (optionally) its result, shown as SVG by Jupyter."""

    def __init__(self, spec: Mapping[str, Any], result: Any = None) -> None:
        self.spec = spec
        self.result = result

    def _repr_svg_(self) -> str:
        return render_svg(self.spec, self.result)


__all__ = ["Layout", "Picture", "layout_graph", "render_layout", "render_svg", "shapes_for"]
