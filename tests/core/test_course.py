"""The course's lessons: their numbers are the book's (REFERENCE.md), through the engine."""

from __future__ import annotations

import numpy as np
import pytest

from core import run_graph
from core.course import LESSONS, SPIRAL_LOSS, Fact, Lesson, lesson_by_slug
from core.examples import EXAMPLES
from core.step import step_graph
from core.trainer import train_spiral

# REFERENCE.md, book 1 chapter 5 and the course section: every number a lesson teaches.
BOOK = {
    ("apple", "price", "value"): 220,
    ("apple", "apple", "grad"): 2.2,
    ("apple", "apple_num", "grad"): 110,
    ("apple", "tax", "grad"): 200,
    ("apple_orange", "price", "value"): 715,
    ("apple_orange", "apple", "grad"): 2.2,
    ("apple_orange", "apple_num", "grad"): 110,
    ("apple_orange", "orange", "grad"): 3.3,
    ("apple_orange", "orange_num", "grad"): 165,
    ("apple_orange", "tax", "grad"): 650,
    ("chain", "z", "value"): 9,
    ("chain", "x", "grad"): 6,
    ("chain", "y", "grad"): 6,
    ("sigmoid_parts", "y", "value"): 0.5,
    ("sigmoid_parts", "x", "grad"): 0.25,
    ("sigmoid_node", "y", "value"): 0.5,
    ("sigmoid_node", "x", "grad"): 0.25,
}


def number(example: str, node: str, kind: str) -> float:
    result = run_graph(EXAMPLES[example].spec)
    found = result.node(node)
    value = found.value if kind == "value" else found.grad
    assert value is not None
    return float(value)


def test_there_are_ten_lessons_in_the_books_order() -> None:
    slugs = [lesson.slug for lesson in LESSONS]
    assert slugs == [
        "graph", "chain", "add-mul", "layers", "activations",
        "repeat-sum", "matmul", "affine-softmax", "two-layer-net", "spiral",
    ]  # fmt: skip
    assert lesson_by_slug("chain") is LESSONS[1]
    assert lesson_by_slug("nope") is None


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_lesson_is_in_both_languages_and_runs(lesson: Lesson) -> None:
    for lang in ("en", "ko"):
        assert lesson.title[lang], f"{lesson.slug}: no {lang} title"
        assert 1 <= len(lesson.paragraphs[lang]) <= 4, f"{lesson.slug}: a few short paragraphs"
        assert len(lesson.exercises[lang]) == len(lesson.exercises["en"])
    assert len(lesson.paragraphs["ko"]) == len(lesson.paragraphs["en"])
    for name in (*lesson.graphs, *([lesson.beside] if lesson.beside else [])):
        assert name in EXAMPLES, f"{lesson.slug}: no example {name!r}"
        run_graph(EXAMPLES[name].spec)


@pytest.mark.parametrize(
    "fact",
    [f for lesson in LESSONS for f in lesson.facts],
    ids=lambda f: f"{f.example}.{f.node}.{f.kind}",
)
def test_every_lesson_number_is_the_engines(fact: Fact) -> None:
    got = number(fact.example, fact.node, fact.kind)
    assert got == pytest.approx(fact.expected, rel=1e-12), (
        f"{fact.example}: {fact.node}'s {fact.kind} is {got}, the lesson says {fact.expected}"
    )


@pytest.mark.parametrize("key", list(BOOK), ids=lambda k: ".".join(k))
def test_the_books_numbers_through_the_engine(key: tuple[str, str, str]) -> None:
    assert number(*key) == pytest.approx(BOOK[key], rel=1e-12)


def test_the_lessons_teach_every_book_number() -> None:
    taught = {(f.example, f.node, f.kind) for lesson in LESSONS for f in lesson.facts}
    missing = set(BOOK) - taught
    assert not missing, f"no lesson states {sorted(missing)}"


def test_the_primitive_sigmoid_has_the_one_node_gradient_everywhere() -> None:
    """×−1, exp, +1, / gives dout · y(1 − y), the Sigmoid node's, at any x."""
    for x in (-2.0, 0.0, 0.7, 3.0):
        parts = EXAMPLES["sigmoid_parts"].fresh_spec()
        node = EXAMPLES["sigmoid_node"].fresh_spec()
        parts["nodes"][0]["value"] = node["nodes"][0]["value"] = x
        a, b = run_graph(parts), run_graph(node)
        y = 1 / (1 + np.exp(-x))
        assert a.value == pytest.approx(b.value) == pytest.approx(y)
        assert a.grad("x") == pytest.approx(b.grad("x")) == pytest.approx(y * (1 - y))
    ops = [n["op"] for n in EXAMPLES["sigmoid_parts"].spec["nodes"] if n["op"] != "input"]
    assert ops == ["mul", "exp", "add", "div"]


def test_lesson_nine_one_sgd_step_lowers_the_loss() -> None:
    lesson = lesson_by_slug("two-layer-net")
    assert lesson is not None
    (name,) = lesson.graphs
    stepped = step_graph(EXAMPLES[name].spec, "sgd", {"lr": 1.0})
    assert stepped.after.value < stepped.before.value


def test_lesson_ten_the_spiral_loss_falls_as_the_lesson_says() -> None:
    lesson = lesson_by_slug("spiral")
    assert lesson is not None and lesson.lab
    first, last = SPIRAL_LOSS
    assert all(f"{first}" in p and f"{last}" in p for p in [lesson.paragraphs["en"][1]])
    loss = train_spiral().history.loss
    assert loss[0] == pytest.approx(first, abs=0.005)
    assert loss[-1] == pytest.approx(last, abs=0.005)
