"""The course pages and the quiz's check (POST /learn/check): right, a hint, the answer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.quiz import close, parse_shape
from core.course import LESSONS
from core.examples import EXAMPLES


def ask(client: TestClient, example: str, lang: str = "en", **question: Any) -> dict[str, Any]:
    body = {"graph": EXAMPLES[example].spec, **question}
    response = client.post("/learn/check", json=body, headers={"Accept-Language": lang})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


APPLE: dict[str, Any] = {"source": "apple", "target": "apple_price", "index": 0}


def test_the_tolerance_accepts_the_books_number_for_the_float() -> None:
    assert close(2.2, 2.2000000000000002)
    assert close(715, 715.0000000000001)
    assert not close(2.3, 2.2000000000000002)
    assert not close([1.0, 2.0], [1.0])  # the shape counts


def test_a_right_answer_is_accepted_and_revealed(client: TestClient) -> None:
    answer = ask(client, "apple", **APPLE, answer="2.2", tries=0)
    assert answer["correct"] and answer["revealed"]
    assert answer["message"].endswith("= 2.2")
    assert "dout × apple_num = 1.1 × 2" in answer["message"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_wrong_answer_gets_the_local_rule_with_numbers_but_not_the_answer(
    client: TestClient, lang: str
) -> None:
    answer = ask(client, "apple", lang, **APPLE, answer="3", tries=0)
    assert not answer["correct"] and not answer["revealed"] and answer["counted"]
    assert "dout × apple_num = 1.1 × 2" in answer["message"], "the rule with its numbers"
    assert "2.2" not in answer["message"], f"the hint gives the answer away: {answer['message']}"
    if lang == "ko":
        assert "국소적 계산" in answer["message"]


def test_the_third_wrong_try_reveals_with_the_full_rule(client: TestClient) -> None:
    second = ask(client, "apple", **APPLE, answer="3", tries=1)
    assert not second["revealed"]
    third = ask(client, "apple", **APPLE, answer="3", tries=2)
    assert third["revealed"] and not third["correct"]
    assert "∂L/∂apple = dout × apple_num = 1.1 × 2 = 2.2" in third["message"]


def test_not_a_number_uses_up_no_try(client: TestClient) -> None:
    answer = ask(client, "apple", **APPLE, answer="two", tries=2)
    assert not answer["counted"] and not answer["revealed"]


def test_an_array_is_asked_shape_first_then_values_or_one_entry(client: TestClient) -> None:
    dW: dict[str, Any] = {"source": "W", "target": "y", "index": 1}
    wrong = ask(client, "matmul", **dW, part="shape", answer="(2, 3)", tries=0)
    assert not wrong["correct"] and "(3, 2)" not in wrong["message"]
    assert ask(client, "matmul", **dW, part="shape", answer="3, 2")["correct"]
    # dW = xᵀ dout with x = [[1, 2, 3], [-1, .5, 2]], dout = [[1, 0], [.5, -1]]
    values = "[[0.5, 1], [2.25, -0.5], [4, -2]]"
    assert ask(client, "matmul", **dW, part="values", answer=values)["correct"]
    assert ask(client, "matmul", **dW, part="entry", entry=[2, 1], answer="-2")["correct"]
    off = ask(client, "matmul", **dW, part="entry", entry=[5, 0], answer="1")
    assert not off["counted"]


def test_parse_shape_reads_what_learners_type() -> None:
    assert parse_shape("(2, 3)") == (2, 3) == parse_shape("2x3") == parse_shape("2,3")
    assert parse_shape("(3,)") == (3,)
    assert parse_shape("two") is None


def test_an_arrow_that_is_not_in_the_graph_is_a_422(client: TestClient) -> None:
    body = {
        "graph": EXAMPLES["apple"].spec,
        "source": "x",
        "target": "y",
        "index": 0,
        "answer": "1",
    }
    response = client.post("/learn/check", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "no_such_arrow"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_lesson_page_opens(client: TestClient, lang: str) -> None:
    index = client.get("/learn", headers={"Accept-Language": lang})
    assert index.status_code == 200
    for lesson in LESSONS:
        assert f'href="/learn/{lesson.slug}"' in index.text
        for graph in range(len(lesson.graphs)):
            page = client.get(
                f"/learn/{lesson.slug}?graph={graph}", headers={"Accept-Language": lang}
            )
            assert page.status_code == 200, (lesson.slug, graph)
            assert lesson.title[lang] in page.text
            assert 'id="code"' in page.text and 'id="quiz-panel"' in page.text
    assert client.get("/learn/nope").status_code == 404
