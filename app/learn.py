"""The course (:mod:`core.course`): the lesson pages and the quiz's check.

    GET  /learn                      the lessons, in the book's order
    GET  /learn/{slug}?graph=k&s=n   a lesson: its words, the explorer on its k-th graph
                                     (opened at stage n), the code and quiz panels
    POST /learn/check                one answer at one arrow -> right, a hint, or the answer

A lesson page is the explorer page (:mod:`app.explorer`) in its own template: the same
drawing, the same scripts. The check runs here, where the numbers are (:mod:`app.quiz`).
Progress and scores stay in the learner's browser: the service keeps no state.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from app.api.deps import current_limits, json_response
from app.errors import NotFoundError, error_response_with
from app.explorer import _explorer
from app.i18n import svg_words
from app.pages import Frame, picture, render_page, route_path
from app.quiz import Question, QuizError, check
from app.schemas import ErrorBody, StrictModel
from core import run_graph
from core.course import LESSONS, lesson_by_slug
from core.examples import EXAMPLES

router = APIRouter(tags=["pages"], include_in_schema=False)


def _explore_path(request: Request, example: str) -> str:
    return str(request.url_for("explore_example", name=example).path)


def _example_title(name: str, lang: str) -> str:
    example = EXAMPLES[name]
    return example.title.get(lang) or example.title["en"]


@router.get("/learn", response_class=HTMLResponse)
def learn(request: Request, frame: Frame) -> Response:
    lessons = [
        {"n": i + 1, "slug": lesson.slug, **lesson.text(frame.lang)}
        for i, lesson in enumerate(LESSONS)
    ]
    return render_page(request, "learn.html", {**frame.context(), "lessons": lessons})


@router.get("/learn/{slug}", response_class=HTMLResponse)
def learn_lesson(
    request: Request,
    slug: str,
    frame: Frame,
    graph: Annotated[int, Query(ge=0, le=20)] = 0,
) -> Response:
    lang = frame.lang
    lesson = lesson_by_slug(slug)
    if lesson is None:
        known = [lesson.slug for lesson in LESSONS]
        raise NotFoundError(f"no lesson named {slug!r}; known: {', '.join(known)}", known)
    index = min(graph, len(lesson.graphs) - 1)
    name = lesson.graphs[index]
    position = LESSONS.index(lesson)
    words = lesson.text(lang)
    beside = None
    if lesson.beside and lesson.beside != name:
        spec = EXAMPLES[lesson.beside].fresh_spec()
        beside = {
            "title": _example_title(lesson.beside, lang),
            "svg": picture(spec, run_graph(spec, current_limits()), lang, prefix="bpx-beside"),
            "href": _explore_path(request, lesson.beside),
        }
    neighbours = {
        "prev": LESSONS[position - 1].slug if position > 0 else None,
        "next": LESSONS[position + 1].slug if position + 1 < len(LESSONS) else None,
    }
    graphs = [
        {
            "title": _example_title(g, lang),
            "here": i == index,
            "href": f"{route_path(request, 'learn_lesson', slug=slug)}?graph={i}",
            "explore": _explore_path(request, g),
        }
        for i, g in enumerate(lesson.graphs)
    ]
    example = EXAMPLES[name]
    extra: dict[str, Any] = {
        "lesson": {"n": position + 1, "slug": slug, **words},
        "lesson_graphs": graphs,
        "beside": beside,
        "neighbours": neighbours,
        "lab": lesson.lab,
        "data": {"lesson": {"key": f"{slug}/{index}", "slug": slug, "quiz": True}},
    }
    return _explorer(
        request,
        frame,
        example.fresh_spec(),
        example=name,
        title=str(words["title"]),
        description=example.description.get(lang) or example.description["en"],
        template="learn_lesson.html",
        extra=extra,
    )


class CheckRequest(StrictModel):
    graph: dict[str, Any] = Field(description="a graph spec, checked by the core")
    source: str = Field(max_length=64)
    target: str = Field(max_length=64)
    index: int = Field(ge=0, le=64)
    part: str = Field(default="values", pattern="^(shape|values|entry)$")
    answer: str = Field(max_length=100_000)
    entry: list[int] | None = Field(default=None, max_length=8)
    tries: int = Field(default=0, ge=0, le=100, description="wrong tries so far at this part")


@router.post("/learn/check")
def learn_check(body: CheckRequest, frame: Frame) -> Response:
    try:
        answer = check(
            body.graph,
            Question(body.source, body.target, body.index),
            body.answer,
            part=body.part,
            tries=body.tries,
            entry=body.entry,
            texts=frame.t,
            words=svg_words(frame.lang),
            lang=frame.lang,
            limits=current_limits(),
        )
    except QuizError as exc:
        return error_response_with(422, ErrorBody(detail=str(exc), code="no_such_arrow"), {})
    return json_response(answer)
