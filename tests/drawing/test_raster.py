"""PNG export: offline (resvg in its wheel), and the picture looks like the light SVG."""

from __future__ import annotations

import numpy as np

from app.drawing import render_svg
from app.drawing.raster import flat_css, flat_svg, svg_to_png
from app.drawing.training import boundary_svg
from core.examples import EXAMPLES
from tests.drawing import png

CSS = """
/* a comment { with braces } */
.bpx-graph { --g-fg: #1f2328; --g-grad: #c0392b; color: var(--g-fg); }
:root[data-theme="dark"] .bpx-graph { --g-fg: #e6e8eb; }
@media (prefers-color-scheme: dark) { :root .bpx-graph { --g-fg: #e6e8eb; } }
.bpx-graph .grad { fill: var(--g-grad); stroke: var(--g-missing, #123456); }
.bpx-graph .x { fill: var(--g-nowhere); }
"""


def test_flat_css_writes_out_the_light_themes_values() -> None:
    flat = flat_css(CSS)
    assert "var(" not in flat and "--g-" not in flat
    assert "color: #1f2328" in flat and "fill: #c0392b" in flat
    assert "stroke: #123456" in flat  # the fallback
    assert "fill: inherit" in flat  # unknown, no fallback
    assert "#e6e8eb" not in flat and "@media" not in flat and "comment" not in flat


def test_flat_svg_changes_only_the_style() -> None:
    svg = render_svg(EXAMPLES["apple"].spec)
    flat = flat_svg(svg)
    assert "var(--" in svg and "var(--" not in flat
    assert flat.split("</style>")[1] == svg.split("</style>")[1]


def _share(mask: np.ndarray) -> float:
    return float(mask.mean())


def test_a_graph_png_is_twice_the_svgs_size_and_drawn_in_the_light_colours() -> None:
    svg = render_svg(EXAMPLES["apple"].spec)
    width = float(svg.split('width="')[1].split('"')[0])
    data = svg_to_png(svg)
    assert abs(png.size(data)[0] - 2 * width) <= 1
    rgb = png.pixels(svg_to_png(svg, scale=1))[..., :3].astype(int)
    assert _share(rgb.min(axis=2) > 245) > 0.8, "mostly the white background"
    # Without the flattening every node would be filled black.
    assert _share(rgb.sum(axis=2) < 150) < 0.05
    gradient_red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    assert gradient_red.any(), "the gradients below the arrows are red"
    source_fill = (np.abs(rgb - [0xEE, 0xF4, 0xFB]).max(axis=2) <= 2).any()
    assert source_fill, "an input node's light blue fill"


def test_a_training_figure_becomes_a_png() -> None:
    boundary = {"x_min": 0, "x_max": 1, "y_min": 0, "y_max": 1, "nx": 2, "ny": 1}
    svg = boundary_svg({**boundary, "classes": [[0, 1]]}, [[0.2, 0.5]], [0], standalone=True)
    rgb = png.pixels(svg_to_png(svg, scale=1))[..., :3].astype(int)
    class_0 = (np.abs(rgb - [0xCF, 0xE3, 0xF1]).max(axis=2) <= 2).mean()
    class_1 = (np.abs(rgb - [0xF6, 0xD5, 0xC0]).max(axis=2) <= 2).mean()
    assert class_0 > 0.2 and class_1 > 0.2, (class_0, class_1)
