"""The training lab's figures: one rect per grid cell, the book's three markers, and a
loss path with one point per epoch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from app.drawing.training import (
    CURVE_WIDTH,
    LiveCurve,
    TrainingFigures,
    boundary_svg,
    cells_svg,
    curve_svg,
    format_accuracy,
    format_loss,
    network_svg,
    nice_step,
)
from core.format import short
from core.lab import TrainSettings, run_to_dict, train

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def result() -> dict[str, object]:
    return run_to_dict(train(TrainSettings(max_epoch=12)))


def path_points(d: str) -> list[tuple[float, float]]:
    assert d.startswith("M"), d
    return [tuple(map(float, p.split(","))) for p in d[1:].split("L")]  # type: ignore[misc]


@pytest.mark.parametrize("epochs", [1, 2, 12, 300])
def test_loss_path_has_one_point_per_epoch(epochs: int) -> None:
    values = [1.0 / (k + 1) for k in range(epochs)]
    root = ET.fromstring(curve_svg(values, "loss"))
    assert root.get("data-epochs") == str(epochs)
    (curve,) = [p for p in root.iter(f"{NS}path") if "curve-loss" in (p.get("class") or "")]
    points = path_points(curve.get("d", ""))
    assert len(points) == epochs
    xs = [x for x, _ in points]
    assert xs == sorted(xs) and len(set(xs)) == epochs, "epochs must go left to right"
    ys = [y for _, y in points]
    assert ys == sorted(ys), "a falling loss is drawn going down the page (y grows)"


def test_accuracy_curve_runs_from_0_to_1() -> None:
    svg = curve_svg([0.0, 0.5, 1.0], "accuracy")
    root = ET.fromstring(svg)
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "tick"]
    assert ticks[:5] == ["0", "0.25", "0.5", "0.75", "1"]
    curve = next(p for p in root.iter(f"{NS}path") if "curve-accuracy" in (p.get("class") or ""))
    (_, y0), _, (_, y1) = path_points(curve.get("d", ""))
    assert y0 > y1


def test_curve_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        curve_svg([1.0], "speed")


def test_boundary_covers_each_grid_cell_once_in_runs(result: dict[str, object]) -> None:
    boundary = result["boundary"]
    points = result["points"]
    assert isinstance(boundary, dict) and isinstance(points, dict)
    root = ET.fromstring(boundary_svg(boundary, points["x"], points["labels"]))
    rects = [r for r in root.iter(f"{NS}rect") if "cell" in (r.get("class") or "").split()]
    # one rect per run of one class in a row: far fewer than the 2,500 cells
    assert len(rects) < boundary["nx"] * boundary["ny"] / 5
    drawn: dict[tuple[int, int], str] = {}
    for rect in rects:
        x, y, width = int(rect.get("x", -1)), int(rect.get("y", -1)), int(rect.get("width", 0))
        assert rect.get("height") == "1" and width >= 1
        for i in range(x, x + width):
            assert (i, y) not in drawn, "two rects on one cell"
            drawn[(i, y)] = (rect.get("class") or "").split()[1]
    # every cell, with its class; row 0 of classes is y_min: drawn at the bottom (y = ny - 1)
    ny = boundary["ny"]
    assert drawn == {
        (i, ny - 1 - j): f"c{cls}"
        for j, row in enumerate(boundary["classes"])
        for i, cls in enumerate(row)
    }


def test_cells_svg_is_the_boundary_figures_cells(result: dict[str, object]) -> None:
    boundary, points = result["boundary"], result["points"]
    assert isinstance(boundary, dict) and isinstance(points, dict)
    assert cells_svg(boundary) in boundary_svg(boundary, points["x"], points["labels"])


def test_a_live_curve_gives_the_points_the_whole_figure_draws(result: dict[str, object]) -> None:
    loss = result["loss"]
    assert isinstance(loss, list)
    live = LiveCurve("loss", x_end=300, words=None)
    first = live.add(loss[0])
    assert first is None  # 1.13 is above the empty figure's top (1): drawn again
    live.svg()
    added = [live.add(value) for value in loss[1:]]
    assert None not in added
    whole = ET.fromstring(curve_svg(loss, "loss", x_end=300))
    path = next(p for p in whole.iter(f"{NS}path") if "curve-loss" in (p.get("class") or ""))
    assert path.get("d", "").split("L")[1:] == added
    assert live.cursor(300) == str(CURVE_WIDTH - 14)


def test_boundary_points_carry_the_books_three_markers(result: dict[str, object]) -> None:
    boundary, points = result["boundary"], result["points"]
    assert isinstance(boundary, dict) and isinstance(points, dict)
    root = ET.fromstring(boundary_svg(boundary, points["x"], points["labels"]))
    group = next(g for g in root.iter(f"{NS}g") if g.get("class") == "points")
    marks = list(group)
    assert len(marks) == len(points["labels"]) == 300
    shapes = {(m.get("data-marker"), m.tag.removeprefix(NS)) for m in marks}
    assert shapes == {("o", "circle"), ("x", "path"), ("^", "polygon")}
    for mark, label in zip(marks, points["labels"], strict=True):
        assert mark.get("data-class") == str(label)
    legend = next(g for g in root.iter(f"{NS}g") if g.get("class") == "legend")
    texts = [t.text for t in legend.iter(f"{NS}text")]
    assert texts == ["class 0 (o)", "class 1 (x)", "class 2 (^)"]


def test_boundary_words_are_translated_and_escaped(result: dict[str, object]) -> None:
    boundary, points = result["boundary"], result["points"]
    assert isinstance(boundary, dict) and isinstance(points, dict)
    words = {"boundary_title": "결정 <경계>", "class": "클래스 {k}"}
    svg = boundary_svg(boundary, points["x"], points["labels"], words=words)
    assert "결정 &lt;경계&gt;" in svg and "<경계>" not in svg
    assert "클래스 2 (^)" in svg


def test_boundary_refuses_a_ragged_grid(result: dict[str, object]) -> None:
    boundary, points = result["boundary"], result["points"]
    assert isinstance(boundary, dict) and isinstance(points, dict)
    broken = {**boundary, "classes": boundary["classes"][:-1]}
    with pytest.raises(ValueError, match="rows"):
        boundary_svg(broken, points["x"], points["labels"])


def test_page_svgs_carry_no_style_but_standalone_ones_do(result: dict[str, object]) -> None:
    loss = result["loss"]
    assert isinstance(loss, list)
    # the pages send a CSP without inline style: their figures are styled by site.css
    assert "<style>" not in curve_svg(loss, "loss")
    assert "<style>" in curve_svg(loss, "loss", standalone=True)
    html = TrainingFigures(result)._repr_html_()
    assert html.count("<svg") == 4  # two curves, and the boundary with its nested cell grid
    assert re.search(r'class="curve curve-loss"', html)


@pytest.mark.parametrize(
    ("span", "step"), [(1.13, 0.5), (300, 100.0), (12, 5.0), (1, 0.5), (1000, 200.0)]
)
def test_nice_steps(span: float, step: float) -> None:
    parts = 5 if span >= 12 else 4
    assert nice_step(span, parts) == pytest.approx(step)


@pytest.mark.parametrize(
    ("value", "text"), [(0.10854, "0.1085"), (1.12561, "1.1256"), (2.0, "2.0000"), (0.0, "0.0000")]
)
def test_format_loss_has_four_decimals(value: float, text: str) -> None:
    assert format_loss(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0.97, "97.0%"), (1 / 3, "33.3%"), (1.0, "100.0%"), (0.0, "0.0%")]
)
def test_format_accuracy_is_a_percentage_with_one_decimal(value: float, text: str) -> None:
    assert format_accuracy(value) == text


def test_the_network_draws_each_weight_with_its_sign_size_and_gradient() -> None:
    from core.lab import TrainSettings, train

    params = train(TrainSettings(max_epoch=30)).params
    root = ET.fromstring(network_svg(params))
    by_name = {p["name"]: p for p in params}
    W1, G1 = np.asarray(by_name["W1"]["value"]), np.asarray(by_name["W1"]["grad"])
    W2 = np.asarray(by_name["W2"]["value"])
    lines = [p for p in root.iter(f"{NS}path") if (p.get("class") or "").startswith("w ")]
    bands = [p for p in root.iter(f"{NS}path") if p.get("class") == "grad"]
    assert len(lines) == len(bands) == W1.size + W2.size == 2 * 10 + 10 * 3
    assert len([c for c in root.iter(f"{NS}circle")]) == 2 + 10 + 3
    first = {p.get("data-w"): p for p in lines}
    for i in range(2):
        for j in range(10):
            line = first[f"W1[{i},{j}]"]
            sign = "pos" if W1[i, j] >= 0 else "neg"
            assert line.get("class") == f"w {sign}"
            title = line.find(f"{NS}title")
            assert title is not None and title.text == (
                f"W1[{i + 1},{j + 1}] = {short(W1[i, j])}, gradient {short(G1[i, j])}"
            )
    # the widest line is the largest weight; the widest band the largest gradient
    widest = max(lines, key=lambda p: float(p.get("stroke-width", 0)))
    name, index = (widest.get("data-w") or "").split("[")
    i, j = (int(k) for k in index.rstrip("]").split(","))
    largest = max(float(np.abs(W1).max()), float(np.abs(W2).max()))
    assert abs({"W1": W1, "W2": W2}[name][i, j]) == largest
    band_widths = [float(b.get("stroke-width", 0)) for b in bands]
    assert max(band_widths) == 12 and min(band_widths) >= 1


def test_the_network_draws_at_most_its_first_hidden_units_and_says_so() -> None:
    from core.lab import TrainSettings, train

    params = train(TrainSettings(hidden_size=40, max_epoch=2)).params
    svg = network_svg(params, words={"hidden_shown": "처음 {shown}/{count}"})
    root = ET.fromstring(svg)
    assert root.get("data-hidden") == "40" and root.get("data-shown") == "24"
    lines = [p for p in root.iter(f"{NS}path") if (p.get("class") or "").startswith("w ")]
    assert len(lines) == 2 * 24 + 24 * 3
    assert "처음 24/40" in svg
