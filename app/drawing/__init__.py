"""Layout and SVG of computational graphs, in pure Python (no web framework).

In a notebook::

    from app.drawing import Picture, render_svg
    from core import run_graph
    from core.examples import EXAMPLES
    Picture(EXAMPLES["apple_orange"].spec)      # shows itself, values and gradients
    run_graph(EXAMPLES["apple"].spec)           # so does a result, once this is imported
    svg_text = render_svg(EXAMPLES["apple"].spec)

``raster.svg_to_png`` turns any of the drawings into PNG (resvg, offline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.drawing import notebook
from app.drawing.layout import Layout, layout_graph
from app.drawing.svg import render_layout, render_svg, shapes_for


class Picture:
    """A graph and (optionally) its result, shown as SVG by Jupyter."""

    def __init__(self, spec: Mapping[str, Any], result: Any = None) -> None:
        self.spec = spec
        self.result = result

    def _repr_svg_(self) -> str:
        return render_svg(self.spec, self.result)


# Inside IPython, core graph results draw themselves from now on (nothing happens elsewhere).
notebook.register()
load_ipython_extension = notebook.load_ipython_extension

__all__ = [
    "Layout",
    "Picture",
    "layout_graph",
    "load_ipython_extension",
    "render_layout",
    "render_svg",
    "shapes_for",
]
