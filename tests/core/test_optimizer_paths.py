"""Book 1, chapter 6's comparison: each optimizer's path on x²/20 + y² from (-7, 2) with the
book's settings, and the same four on the spiral; and their drawing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from app.drawing.training import optimizer_losses_svg, optimizer_paths_svg
from core.optimizer_paths import BOOK_SETTINGS, SPIRAL_SETTINGS, START, STEPS, f, paths

NS = "{http://www.w3.org/2000/svg}"


def test_the_first_steps_are_the_books_update_rules() -> None:
    found = paths()
    assert list(found) == ["sgd", "momentum", "adagrad", "adam"]
    assert all(len(p) == STEPS + 1 and p[0] == START for p in found.values())
    # grad f = (x/10, 2y) = (-0.7, 4) at the start
    assert found["sgd"][1] == pytest.approx((-7 + 0.95 * 0.7, 2 - 0.95 * 4))
    assert found["momentum"][1] == pytest.approx((-7 + 0.1 * 0.7, 2 - 0.1 * 4))
    # AdaGrad's first step is lr in each direction: g / sqrt(g²)
    assert found["adagrad"][1] == pytest.approx((-7 + 1.5, 2 - 1.5), abs=1e-6)
    # Adam's first step is lr in each direction too (bias-corrected m / sqrt(v))
    assert found["adam"][1] == pytest.approx((-7 + 0.3, 2 - 0.3), abs=1e-5)


def test_sgd_zigzags_across_the_valley_and_every_optimizer_gets_close() -> None:
    found = paths()
    ys = [y for _, y in found["sgd"][:6]]
    assert all(a * b < 0 for a, b in pairwise(ys)), ys  # y flips sign
    for name, p in found.items():
        assert f(*p[-1]) < f(*START) / 50, name


def test_the_figure_draws_a_panel_per_optimizer_with_each_step() -> None:
    found = paths()
    root = ET.fromstring(optimizer_paths_svg(found, BOOK_SETTINGS))
    panels = [g for g in root.iter(f"{NS}g") if g.get("class") == "panel-path"]
    assert [g.get("data-optimizer") for g in panels] == list(found)
    for g in panels:
        curve = next(p for p in g.iter(f"{NS}path") if "curve-path" in (p.get("class") or ""))
        assert curve.get("data-steps") == str(STEPS)
        assert len(curve.get("d", "").split("L")) == STEPS + 1
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "sgd, lr = 0.95" in texts and "adam, lr = 0.3" in texts


def test_the_loss_chart_draws_a_curve_per_optimizer() -> None:
    losses = {"sgd": [1.1, 1.09, 1.08], "adam": [1.1, 0.9, 0.7]}
    root = ET.fromstring(optimizer_losses_svg(losses, {"sgd": {"lr": 0.01}, "adam": {"lr": 0.001}}))
    series = [p for p in root.iter(f"{NS}path") if "series" in (p.get("class") or "").split()]
    curves = [p for p in series if p.get("data-optimizer")]
    assert [p.get("data-optimizer") for p in curves] == ["sgd", "adam"]
    assert all(len(p.get("d", "").split("L")) == 3 for p in curves)
    assert len(series) == 4  # and a legend key each
    assert root.get("data-epochs") == "3"
    assert set(SPIRAL_SETTINGS) == set(BOOK_SETTINGS)
