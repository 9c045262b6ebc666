"""SVG of a training run: the loss and accuracy curves and the decision boundary (book 2,
chapter 1, figures 1-30 and 1-31), in pure Python.

    curve_svg(loss, kind="loss")                      x: epochs, y: loss, one point per epoch
    curve_svg(losses, first=0, fit=True, words=...)   the explorer's loss after each optimizer
                                                      step: x from step 0, y fit to the values
    curve_svg(loss, x_end=5000)                        the axis drawn to epoch 5000: the lab's
                                                      live figure, which grows (LiveCurve)
    boundary_svg(boundary, x, labels)                 the grid's cells (a rect per run of one
                                                      class in a row), the points on top
    cells_svg(boundary)                               the cells alone: what a live snapshot
                                                      changes in the boundary figure
    TrainingFigures(run_to_dict(train(...)))          the three, shown by Jupyter

    format_loss(0.10854), format_accuracy(0.97)        "0.1085", "97.0%": the lab's summary

The points carry the book's markers, o, x and ^ for classes 0, 1 and 2, so a class is
told by its shape and not by its colour alone. Colours come from classes (``c0``, ``c1``,
``c2``, ``curve``, ``axis``): the pages style them with the site's light and dark themes;
``standalone=True`` embeds a default style for use outside the site.
This is the only drawing of these figures: the lab page's script swaps in what the
server drew here (POST /lab/figures), it does not draw. While a run streams (POST
/lab/stream), ``LiveCurve`` gives each new epoch's point in the figure's own coordinates,
from the same scale ``curve_svg`` draws with, and the whole figure again when a value
leaves the scale; the script appends the points it is given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from core.format import short

# The curves' size and margins, in px.
CURVE_WIDTH: Final = 420
CURVE_HEIGHT: Final = 220
CURVE_MARGIN: Final = {"left": 48, "right": 14, "top": 12, "bottom": 38}
# The boundary's plot box and the legend strip below it.
PLOT_SIZE: Final = 360
PLOT_MARGIN: Final = 8
LEGEND_HEIGHT: Final = 30
MARKER: Final = 3.4  # half the size of a point's marker
MARKERS: Final = ("o", "x", "^")

DEFAULT_WORDS: Final = {
    "epoch": "epoch",
    "loss": "loss",
    "accuracy": "accuracy",
    "loss_title": "Loss per epoch",
    "accuracy_title": "Accuracy per epoch",
    "train": "training",
    "test": "held out",
    "boundary_title": "Decision boundary",
    "class": "class {k}",
    "network_title": "The network and its gradients",
    "edge": "{name}[{i},{j}] = {value}, gradient {grad}",
    "hidden_units": "{count} hidden units",
    "hidden_shown": "the first {shown} of {count} hidden units",
    "paths_title": "Paths on f(x, y) = x²/20 + y² from (−7, 2)",
    "losses_title": "The spiral's loss per epoch, by optimizer",
}

STANDALONE_STYLE: Final = (
    "<style>"
    ".axis{stroke:#5f6670;fill:none}.tick{fill:#5f6670;font:11px sans-serif}"
    ".label{fill:#1f2328;font:12px sans-serif}.curve{fill:none;stroke-width:2}"
    ".curve-loss{stroke:#1a5fb4}.curve-accuracy{stroke:#c0392b}"
    ".curve-test,.key-test{stroke:#7a4fb4;stroke-dasharray:5 3}.grid{stroke:#d9dde3}"
    ".key{fill:none;stroke-width:2}.key-accuracy{stroke:#c0392b}"
    ".cell.c0{fill:#cfe3f1}.cell.c1{fill:#f6d5c0}.cell.c2{fill:#c6e9dd}"
    ".pt{fill:none;stroke-width:1.5}.pt.c0{stroke:#0072b2}.pt.c1{stroke:#d55e00}"
    ".pt.c2{stroke:#007a5a}.w{fill:none}.w.pos{stroke:#1a5fb4}.w.neg{stroke:#d55e00}"
    ".grad{fill:none;stroke:#c0392b;stroke-opacity:.25;stroke-linecap:round}"
    ".unit{fill:#fff;stroke:#5f6670}.curve-path{stroke:#c0392b;stroke-width:1.5}"
    ".series{fill:none;stroke-width:2}.s0{stroke:#1a5fb4}.s1{stroke:#c0392b}"
    ".s2{stroke:#007a5a;stroke-dasharray:6 3}.s3{stroke:#7a4fb4;stroke-dasharray:2 2}"
    "</style>"
)


def _n(x: float) -> str:
    """A coordinate with one decimal: enough for a screen, short in the file."""
    text = f"{x:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def nice_step(span: float, parts: int = 4) -> float:
    """A step of 1, 2 or 5 times a power of ten that cuts ``span`` into about ``parts``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / parts
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


def tick_label(value: float) -> str:
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def format_loss(value: float) -> str:
    """A loss as the lab shows it: four decimals."""
    return f"{value:.4f}"


def format_accuracy(value: float) -> str:
    """An accuracy in [0, 1] as a percentage with one decimal."""
    return f"{100 * value:.1f}%"


def _words(words: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_WORDS, **(words or {})}


@dataclass(frozen=True)
class CurveScale:
    """Where a curve's values go: epochs 0..``x_end`` across, ``y_low``..``y_top`` up."""

    kind: str
    x_end: float
    x_step: float
    y_low: float
    y_top: float
    y_step: float

    def x(self, epoch: float) -> float:
        left, right = CURVE_MARGIN["left"], CURVE_WIDTH - CURVE_MARGIN["right"]
        return left + (right - left) * epoch / self.x_end

    def y(self, value: float) -> float:
        top, bottom = CURVE_MARGIN["top"], CURVE_HEIGHT - CURVE_MARGIN["bottom"]
        clamped = min(max(value, self.y_low), self.y_top)
        return bottom - (bottom - top) * (clamped - self.y_low) / (self.y_top - self.y_low)

    def point(self, epoch: float, value: float) -> str:
        """ "x,y" of a value, as the curve's path writes it (NaN sits on the top edge)."""
        return f"{_n(self.x(epoch))},{_n(self.y(value if math.isfinite(value) else math.inf))}"

    def holds(self, value: float) -> bool:
        """False when ``value`` is above the top: the figure must be drawn again."""
        return not math.isfinite(value) or value <= self.y_top


def curve_scale(
    values: Sequence[float],
    kind: str = "loss",
    *,
    first: int = 1,
    fit: bool = False,
    x_end: int | None = None,
) -> CurveScale:
    """The scale ``curve_svg`` draws ``values`` with (see there)."""
    if kind not in ("loss", "accuracy"):
        raise ValueError(f"curve_svg: kind must be 'loss' or 'accuracy', got {kind!r}")
    finite = [v for v in values if math.isfinite(v)]
    y_low = 0.0
    if kind == "accuracy":
        y_top, y_step = 1.0, 0.25
    elif fit and finite:
        low, high = min(finite), max(finite)
        span = high - low or abs(high) / 10 or 1.0
        y_step = nice_step(span, 3)
        y_low = math.floor(low / y_step) * y_step
        y_top = max(y_low + y_step, math.ceil(high / y_step) * y_step)
    else:
        y_step = nice_step(max(finite, default=1.0))
        y_top = max(y_step, math.ceil(max(finite, default=1.0) / y_step) * y_step)
    end = max(len(values) + first - 1 if x_end is None else x_end, 1)
    x_step = max(1.0, nice_step(end, 5)) if fit else nice_step(end, 5)
    return CurveScale(kind, end, x_step, y_low, y_top, y_step)


def curve_svg(
    values: Sequence[float],
    kind: str = "loss",
    *,
    words: Mapping[str, str] | None = None,
    standalone: bool = False,
    first: int = 1,
    fit: bool = False,
    x_end: int | None = None,
    second: Sequence[float] | None = None,
) -> str:
    """A line chart of one value per epoch.  kind: "loss" (y from 0 up) or "accuracy" (0..1).

    The path has one point per epoch (``M`` then ``L`` for each next one), with epoch k at
    x(k) on an axis from 0 to the last epoch (to ``x_end`` when given: a run still going).
    ``first`` is the x of the first value (0 when it is the value before any update);
    ``fit`` spans the y axis over the values instead of from 0, so that a few small steps
    show, and marks each point. ``second``: the held-out accuracy, a second path
    (``curve-test``) with a legend naming both.
    """
    scale = curve_scale(values, kind, first=first, fit=fit, x_end=x_end)
    w = _words(words)
    epochs = len(values)
    left, right = CURVE_MARGIN["left"], CURVE_WIDTH - CURVE_MARGIN["right"]
    top, bottom = CURVE_MARGIN["top"], CURVE_HEIGHT - CURVE_MARGIN["bottom"]
    y_low, y_top, y_step = scale.y_low, scale.y_top, scale.y_step
    x_end_, x_step = scale.x_end, scale.x_step
    sx, sy = scale.x, scale.y

    title = w[f"{kind}_title"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-svg lab-curve" data-kind="{kind}" '
        f'data-epochs="{epochs}" viewBox="0 0 {CURVE_WIDTH} {CURVE_HEIGHT}" '
        f'width="{CURVE_WIDTH}" height="{CURVE_HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if standalone:
        parts.append(STANDALONE_STYLE)
    # y grid and ticks
    k = 0
    while y_low + k * y_step <= y_top + 1e-9 * max(1.0, abs(y_top)):
        value = y_low + k * y_step
        y = _n(sy(value))
        parts.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>')
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{tick_label(value)}</text>'
        )
        k += 1
    # x ticks
    k = 0
    while k * x_step <= x_end_ + 1e-9:
        x = _n(sx(k * x_step))
        parts.append(f'<line class="axis" x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 4}"/>')
        parts.append(
            f'<text class="tick" x="{x}" y="{bottom + 16}" text-anchor="middle">'
            f"{tick_label(k * x_step)}</text>"
        )
        k += 1
    parts.append(f'<path class="axis" d="M{left},{top}V{bottom}H{right}"/>')
    parts.append(
        f'<text class="label" x="{(left + right) / 2:.0f}" y="{CURVE_HEIGHT - 4}" '
        f'text-anchor="middle">{escape(w["epoch"])}</text>'
    )
    parts.append(
        f'<text class="label" transform="translate(12 {(top + bottom) / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle">{escape(w[kind])}</text>'
    )
    # the marker of the epoch a scrubber looks at: hidden until the page places it
    parts.append(
        f'<line class="cursor" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" '
        'visibility="hidden"/>'
    )
    # The paths are always there, empty while there is no epoch: a live figure grows them.
    points = [scale.point(e, v) for e, v in enumerate(values, first)]
    d = "M" + "L".join(points) if points else ""
    parts.append(f'<path class="curve curve-{kind}" d="{d}"/>')
    if second is not None:
        d2 = "L".join(scale.point(e, v) for e, v in enumerate(second, first))
        parts.append(f'<path class="curve curve-test" d="{"M" + d2 if d2 else ""}"/>')
        legend_y = bottom - 14
        for position, (name, css) in enumerate(((w["train"], kind), (w["test"], "test"))):
            lx = right - 150 + position * 78
            parts.append(
                f'<path class="key key-{css}" d="M{lx},{legend_y}h18"/>'
                f'<text class="tick" x="{lx + 22}" y="{legend_y}" '
                f'dominant-baseline="middle">{escape(name)}</text>'
            )
    if fit:
        parts += [
            f'<circle class="dot" cx="{x}" cy="{y}" r="3"/>'
            for x, y in (p.split(",") for p in points)
        ]
    parts.append("</svg>")
    return "".join(parts)


class LiveCurve:
    """A curve that grows one epoch at a time, for a run that streams.

    ``add(value)`` returns the new point's "x,y" in the figure drawn last, or None when the
    value left its scale: then ``svg()`` is the whole figure again, on a new scale.
    """

    def __init__(
        self, kind: str, x_end: int, words: Mapping[str, str] | None, with_test: bool = False
    ) -> None:
        self.kind, self.x_end, self.words = kind, x_end, words
        self.values: list[float] = []
        self.test: list[float] | None = [] if with_test else None
        self.scale = curve_scale([], kind, x_end=x_end)

    def svg(self) -> str:
        self.scale = curve_scale(self.values, self.kind, x_end=self.x_end)
        return curve_svg(
            self.values, self.kind, words=self.words, x_end=self.x_end, second=self.test
        )

    def add(self, value: float, test: float | None = None) -> str | None:
        self.values.append(value)
        if self.test is not None and test is not None:
            self.test.append(test)
        if not self.scale.holds(value):
            return None
        return self.scale.point(len(self.values), value)

    def point(self, epoch: int, value: float) -> str:
        return self.scale.point(epoch, value)

    def cursor(self, epoch: int) -> str:
        """The x of an epoch in the figure drawn last, as the cursor line takes it."""
        return _n(self.scale.x(epoch))


def marker_svg(cls: int, cx: float, cy: float, size: float = MARKER) -> str:
    """The book's marker for class ``cls``: o (circle), x (cross), ^ (triangle)."""
    k = cls % len(MARKERS)
    attrs = f'class="pt c{k}" data-class="{cls}" data-marker="{MARKERS[k]}"'
    x, y, s = cx, cy, size
    if k == 0:
        return f'<circle {attrs} cx="{_n(x)}" cy="{_n(y)}" r="{_n(s)}"/>'
    if k == 1:
        return (
            f'<path {attrs} d="M{_n(x - s)},{_n(y - s)}L{_n(x + s)},{_n(y + s)}'
            f'M{_n(x - s)},{_n(y + s)}L{_n(x + s)},{_n(y - s)}"/>'
        )
    return (
        f'<polygon {attrs} points="{_n(x)},{_n(y - 1.2 * s)} {_n(x + s)},{_n(y + 0.8 * s)} '
        f'{_n(x - s)},{_n(y + 0.8 * s)}"/>'
    )


def boundary_svg(
    boundary: Mapping[str, Any],
    x: ArrayLike,
    labels: Sequence[int],
    *,
    words: Mapping[str, str] | None = None,
    standalone: bool = False,
) -> str:
    """The predicted class of every grid cell as a coloured rect, the data on top.

    boundary: x_min, x_max, y_min, y_max, nx, ny and classes[j][i] (row j from y_min up),
    as ``core.lab.run_to_dict`` gives it. x: (N, 2) points, labels: (N,) classes.
    """
    w = _words(words)
    x_min, x_max = float(boundary["x_min"]), float(boundary["x_max"])
    y_min, y_max = float(boundary["y_min"]), float(boundary["y_max"])
    points = np.asarray(x, dtype=np.float64).reshape(-1, 2)
    if len(points) != len(labels):
        raise ValueError(f"boundary_svg: {len(points)} points but {len(labels)} labels")
    left = top = PLOT_MARGIN
    size = PLOT_SIZE
    width = size + 2 * PLOT_MARGIN
    height = size + 2 * PLOT_MARGIN + LEGEND_HEIGHT
    title = w["boundary_title"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-svg lab-boundary" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if standalone:
        parts.append(STANDALONE_STYLE)
    parts.append(cells_svg(boundary))
    parts.append(f'<rect class="axis" x="{left}" y="{top}" width="{size}" height="{size}"/>')
    # The points, in the same box.
    x_span = (x_max - x_min) or 1.0
    y_span = (y_max - y_min) or 1.0
    parts.append('<g class="points">')
    for (px, py), cls in zip(points, labels, strict=True):
        cx = left + (float(px) - x_min) / x_span * size
        cy = top + (y_max - float(py)) / y_span * size
        parts.append(marker_svg(int(cls), cx, cy))
    parts.append("</g>")
    # The legend: each class's marker and name.
    parts.append('<g class="legend">')
    legend_y = top + size + PLOT_MARGIN + LEGEND_HEIGHT / 2
    present = sorted({int(c) for c in labels})
    for position, cls in enumerate(present):
        lx = left + 10 + position * 110
        parts.append(marker_svg(cls, lx, legend_y, size=4.5))
        parts.append(
            f'<text class="label" x="{lx + 10}" y="{legend_y:.0f}" dominant-baseline="middle">'
            f"{escape(w['class'].format(k=cls))} ({MARKERS[cls % len(MARKERS)]})</text>"
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def cells_svg(boundary: Mapping[str, Any]) -> str:
    """The boundary's cells in grid units, a nested svg stretched over the plot box: one
    rect per run of cells of one class in a row (``data-run`` cells wide), so a snapshot of
    a live run stays small. Row 0 of ``classes`` (y_min) is drawn at the bottom."""
    nx, ny = int(boundary["nx"]), int(boundary["ny"])
    classes = boundary["classes"]
    if len(classes) != ny or any(len(row) != nx for row in classes):
        raise ValueError(f"boundary_svg: classes must be {ny} rows of {nx} cells")
    left = top = PLOT_MARGIN
    size = PLOT_SIZE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cells" aria-hidden="true" x="{left}" '
        f'y="{top}" width="{size}" height="{size}" viewBox="0 0 {nx} {ny}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
    ]
    for j, row in enumerate(classes):
        y = ny - 1 - j  # row 0 is y_min, at the bottom
        i = 0
        while i < nx:
            cls = int(row[i])
            run = 1
            while i + run < nx and int(row[i + run]) == cls:
                run += 1
            parts.append(
                f'<rect class="cell c{cls % len(MARKERS)}" x="{i}" y="{y}" '
                f'width="{run}" height="1"/>'
            )
            i += run
    parts.append("</svg>")
    return "".join(parts)


#: The network figure's size, and the hidden units it draws at most.
NET_WIDTH: Final = 420
NET_HEIGHT: Final = 300
NET_MARGIN: Final = 24
NET_MAX_HIDDEN: Final = 24


def network_svg(
    params: Sequence[Mapping[str, Any]], *, words: Mapping[str, str] | None = None
) -> str:
    """TwoLayerNet as a graph: inputs, hidden units, classes; an edge per weight of W1 and
    W2. An edge's width is its weight's size (against the largest weight of the net now),
    its class ``pos`` or ``neg`` its sign; under it a pale band (``grad``) as wide as its
    gradient's size (against the largest gradient now): where learning pushes hardest.
    Each edge's title gives both numbers (``core.format.short``). Over ``NET_MAX_HIDDEN``
    hidden units, the first ones are drawn and the figure says how many of how many.

    params: ``core.lab``'s snapshot entries: name, value, grad ("W1", "b1", "W2", "b2").
    """
    w = _words(words)
    by_name = {p["name"]: p for p in params}
    W1, G1 = np.asarray(by_name["W1"]["value"]), np.asarray(by_name["W1"]["grad"])
    W2, G2 = np.asarray(by_name["W2"]["value"]), np.asarray(by_name["W2"]["grad"])
    D, H = W1.shape
    C = W2.shape[1]
    shown = min(H, NET_MAX_HIDDEN)
    W1, G1, W2, G2 = W1[:, :shown], G1[:, :shown], W2[:shown], G2[:shown]
    w_max = max(float(np.abs(W1).max()), float(np.abs(W2).max())) or 1.0
    g_max = max(float(np.abs(G1).max()), float(np.abs(G2).max())) or 1.0
    top, bottom = NET_MARGIN, NET_HEIGHT - NET_MARGIN - 14
    columns = (NET_MARGIN + 26, NET_WIDTH / 2, NET_WIDTH - NET_MARGIN - 40)

    def ys(n: int) -> list[float]:
        if n == 1:
            return [(top + bottom) / 2]
        return [top + (bottom - top) * k / (n - 1) for k in range(n)]

    y_in, y_hidden, y_out = ys(D), ys(shown), ys(C)
    title = w["network_title"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-svg lab-network" '
        f'data-hidden="{H}" data-shown="{shown}" viewBox="0 0 {NET_WIDTH} {NET_HEIGHT}" '
        f'width="{NET_WIDTH}" height="{NET_HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    layers = (
        ("W1", W1, G1, columns[0], y_in, columns[1], y_hidden),
        ("W2", W2, G2, columns[1], y_hidden, columns[2], y_out),
    )
    for name, weights, grads, x0, from_y, x1, to_y in layers:
        bands, lines = [], []
        for i, y0 in enumerate(from_y):
            for j, y1 in enumerate(to_y):
                value, grad = float(weights[i, j]), float(grads[i, j])
                d = f"M{_n(x0)},{_n(y0)}L{_n(x1)},{_n(y1)}"
                bands.append(
                    f'<path class="grad" d="{d}" stroke-width="{_n(1 + 11 * abs(grad) / g_max)}"/>'
                )
                sign = "pos" if value >= 0 else "neg"
                label = w["edge"].format(
                    name=name, i=i + 1, j=j + 1, value=short(value), grad=short(grad)
                )
                lines.append(
                    f'<path class="w {sign}" data-w="{name}[{i},{j}]" d="{d}" '
                    f'stroke-width="{0.4 + 4 * abs(value) / w_max:.2f}">'
                    f"<title>{escape(label)}</title></path>"
                )
        parts.append(f'<g class="edges" data-layer="{name}">{"".join(bands)}{"".join(lines)}</g>')
    for column, (x, ys_, prefix) in enumerate(
        ((columns[0], y_in, "x"), (columns[1], y_hidden, "h"), (columns[2], y_out, ""))
    ):
        radius = 6 if column != 1 or shown <= 12 else 4
        parts.append(f'<g class="nodes" data-column="{column}">')
        for k, y in enumerate(ys_):
            parts.append(f'<circle class="unit" cx="{_n(x)}" cy="{_n(y)}" r="{radius}"/>')
            if column != 1:
                text = f"{prefix}{k + 1}" if prefix else w["class"].format(k=k)
                anchor, dx = ("end", -10) if column == 0 else ("start", 10)
                parts.append(
                    f'<text class="tick" x="{_n(x + dx)}" y="{_n(y)}" text-anchor="{anchor}" '
                    f'dominant-baseline="middle">{escape(text)}</text>'
                )
        parts.append("</g>")
    note = w["hidden_units"].format(count=H)
    if shown < H:
        note = w["hidden_shown"].format(shown=shown, count=H)
    parts.append(
        f'<text class="label" x="{NET_WIDTH / 2:.0f}" y="{NET_HEIGHT - 8}" '
        f'text-anchor="middle">{escape(note)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


#: The optimizer figure: a panel per optimizer, over x in [-10, 10] and y in [-5, 5].
PATH_PANEL: Final = (200, 110)
PATH_RANGE: Final = (10.0, 5.0)
PATH_LEVELS: Final = (0.5, 2.0, 4.5, 8.0, 12.5, 18.0)


def optimizer_paths_svg(
    paths: Mapping[str, Sequence[tuple[float, float]]],
    settings: Mapping[str, Mapping[str, float]],
    *,
    words: Mapping[str, str] | None = None,
) -> str:
    """Book 1's figure 6-8: each optimizer's path on f(x, y) = x²/20 + y², a panel each,
    the contours of f (ellipses: x²/20 + y² = c) under it, the minimum marked with +.

    paths: ``core.optimizer_paths.paths()``; settings: each one's hyperparameters, named
    in its panel's title ("sgd, lr = 0.95").
    """
    w = _words(words)
    pw, ph = PATH_PANEL
    gap, head = 12, 18
    cols = 2
    rows = math.ceil(len(paths) / cols)
    width = cols * pw + (cols - 1) * gap
    height = rows * (ph + head) + (rows - 1) * gap
    xr, yr = PATH_RANGE
    title = w["paths_title"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-svg lab-paths" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for k, (name, points) in enumerate(paths.items()):
        left = (k % cols) * (pw + gap)
        top = (k // cols) * (ph + head + gap) + head

        def sx(x: float, left: float = left) -> float:
            return left + (min(max(x, -xr), xr) + xr) / (2 * xr) * pw

        def sy(y: float, top: float = top) -> float:
            return top + (yr - min(max(y, -yr), yr)) / (2 * yr) * ph

        hyper = ", ".join(f"{key} = {short(value)}" for key, value in settings[name].items())
        parts.append(f'<g class="panel-path" data-optimizer="{escape(name)}">')
        parts.append(
            f'<text class="label" x="{left}" y="{top - 5}">{escape(name)}, {escape(hyper)}</text>'
        )
        parts.append(f'<rect class="axis" x="{left}" y="{top}" width="{pw}" height="{ph}"/>')
        parts.append(f'<svg x="{left}" y="{top}" width="{pw}" height="{ph}" overflow="hidden">')
        for level in PATH_LEVELS:
            rx = math.sqrt(20 * level) / (2 * xr) * pw
            ry = math.sqrt(level) / (2 * yr) * ph
            parts.append(
                f'<ellipse class="grid" cx="{pw / 2:.0f}" cy="{ph / 2:.0f}" rx="{_n(rx)}" '
                f'ry="{_n(ry)}" fill="none"/>'
            )
        parts.append("</svg>")
        cx, cy = sx(0.0), sy(0.0)
        parts.append(f'<path class="axis" d="M{_n(cx - 4)},{_n(cy)}h8M{_n(cx)},{_n(cy - 4)}v8"/>')
        d = "M" + "L".join(f"{_n(sx(x))},{_n(sy(y))}" for x, y in points)
        parts.append(f'<path class="curve curve-path" data-steps="{len(points) - 1}" d="{d}"/>')
        parts += [
            f'<circle class="dot" cx="{_n(sx(x))}" cy="{_n(sy(y))}" r="2"/>' for x, y in points
        ]
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def optimizer_losses_svg(
    losses: Mapping[str, Sequence[float]],
    settings: Mapping[str, Mapping[str, float]],
    *,
    words: Mapping[str, str] | None = None,
) -> str:
    """The loss per epoch of each optimizer on one chart (``curve_svg``'s axes), a dashed
    style and a legend entry each."""
    w = _words(words)
    everything = [v for values in losses.values() for v in values]
    epochs = max(len(values) for values in losses.values())
    scale = curve_scale(everything, "loss", x_end=epochs)
    frame = curve_svg(
        [max(everything, default=1.0)],
        "loss",
        words={**w, "loss_title": w["losses_title"]},
        x_end=epochs,
    )
    # the frame has one point at the top: its path is replaced by one per optimizer
    head, _, _ = frame.partition('<path class="curve curve-loss"')
    parts = [head.replace('data-epochs="1"', f'data-epochs="{epochs}"')]
    right = CURVE_WIDTH - CURVE_MARGIN["right"]
    for k, (name, values) in enumerate(losses.items()):
        d = "M" + "L".join(scale.point(e, v) for e, v in enumerate(values, 1))
        parts.append(f'<path class="curve series s{k}" data-optimizer="{escape(name)}" d="{d}"/>')
        hyper = ", ".join(f"{key} = {short(value)}" for key, value in settings[name].items())
        ly = CURVE_MARGIN["top"] + 10 + 14 * k
        parts.append(
            f'<path class="key series s{k}" d="M{right - 150},{ly}h18"/>'
            f'<text class="tick" x="{right - 128}" y="{ly}" dominant-baseline="middle">'
            f"{escape(name)}, {escape(hyper)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


class TrainingFigures:
    """A run's three figures side by side, for Jupyter: ``TrainingFigures(run_to_dict(run))``."""

    def __init__(self, result: Mapping[str, Any], words: Mapping[str, str] | None = None) -> None:
        self.result = result
        self.words = words

    def _repr_html_(self) -> str:
        r = self.result
        figures = (
            curve_svg(r["loss"], "loss", words=self.words, standalone=True),
            curve_svg(
                r["accuracy"],
                "accuracy",
                words=self.words,
                standalone=True,
                second=r.get("test_accuracy"),
            ),
            boundary_svg(
                r["boundary"],
                r["points"]["x"],
                r["points"]["labels"],
                words=self.words,
                standalone=True,
            ),
        )
        return '<div style="display:flex;flex-wrap:wrap;gap:12px">' + "".join(figures) + "</div>"
