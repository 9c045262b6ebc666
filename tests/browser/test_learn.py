"""The course in a real Chromium: lessons in both languages, the quiz, the code panel,
presentation mode and step links, progress kept over a reload. One live server and one
browser for all of them (the session fixtures of conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.course import LESSONS

pytestmark = pytest.mark.browser

READY = "() => document.documentElement.dataset.ready === '1'"


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY)


def grad(page: Page, source: str, target: str) -> Locator:
    return page.locator(
        f'svg.bpx-graph g.edge[data-source="{source}"][data-target="{target}"] > .grad'
    )


def answer(page: Page, text: str) -> Locator:
    message = page.locator("#quiz-message")
    before = int(message.get_attribute("data-replies") or 0)
    page.fill("#quiz-answer", text)
    page.click("#quiz-check")
    expect(message).to_have_attribute("data-replies", str(before + 1))
    return message


@pytest.mark.parametrize(
    ("lang", "viewport"), [("en", (1400, 900)), ("ko", (390, 844))], ids=["en-wide", "ko-phone"]
)
def test_every_lesson_opens_in_both_languages(
    browser: Browser, live_server: str, artifacts: Path, lang: str, viewport: tuple[int, int]
) -> None:
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        locale="ko-KR" if lang == "ko" else "en-US",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_page(page, f"{live_server}/learn")
    expect(page.locator("li.lesson-card")).to_have_count(len(LESSONS))
    for lesson in LESSONS:
        open_page(page, f"{live_server}/learn/{lesson.slug}")
        expect(page.locator("h1#graph-title")).to_have_text(lesson.title[lang])
        expect(page.locator("#canvas svg.bpx-graph")).to_be_visible()
        expect(page.locator("a.to-explorer").first).to_have_attribute(
            "href", f"/explore/{lesson.graphs[0]}"
        )
        if lesson.lab:
            expect(page.locator("#to-lab")).to_have_attribute("href", "/lab")
    page.screenshot(path=str(artifacts / f"learn-spiral-{lang}.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_a_right_answer_is_accepted_a_wrong_one_gets_a_hint_the_third_reveals(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_page(page, f"{live_server}/learn/chain")
    expect(page.locator("#quiz-switch")).to_have_attribute("aria-pressed", "true")
    page.click('[data-action="forward"]')
    expect(page.locator("#quiz-prompt")).to_contain_text("∂L/∂t")
    expect(page.locator('g.edge[data-source="t"].quiz-target')).to_have_count(1)
    page.click('[data-action="backward"]')  # stepping past the question reveals nothing
    expect(grad(page, "t", "z")).to_have_text("?")
    expect(grad(page, "x", "t")).to_have_text("?")

    wrong = answer(page, "5")
    expect(wrong).to_have_attribute("data-outcome", "wrong")
    expect(wrong).to_contain_text("1 × 2 × 3")  # the square node's rule, with its numbers
    assert "= 6" not in (wrong.text_content() or ""), "the hint gave the answer away"
    expect(grad(page, "t", "z")).to_have_text("?")

    right = answer(page, "6.0000000001")
    expect(right).to_have_attribute("data-outcome", "right")
    expect(grad(page, "t", "z")).to_have_text("6")
    expect(page.locator("#quiz-prompt")).to_contain_text("∂L/∂x")

    for _ in range(2):
        expect(answer(page, "1")).to_have_attribute("data-outcome", "wrong")
    third = answer(page, "1")
    expect(third).to_have_attribute("data-outcome", "revealed")
    expect(third).to_contain_text("= 6")
    expect(grad(page, "x", "t")).to_have_text("6")
    expect(page.locator("#quiz-score")).to_contain_text("1 / 3")
    page.screenshot(path=str(artifacts / "learn-quiz.png"), full_page=True)


def test_the_code_panel_highlights_the_backward_lines_at_a_backward_step(
    page: Page, live_server: str
) -> None:
    open_page(page, f"{live_server}/learn/layers")
    page.click("#quiz-switch")  # off: every number shown
    expect(page.locator("#quiz-switch")).to_have_attribute("aria-pressed", "false")
    page.click('[data-action="forward"]')
    expect(page.locator("#code")).to_have_attribute("data-phase", "forward")
    page.click('[data-action="step"]')  # the seed
    page.click('[data-action="step"]')  # backward through price = all_price × tax
    code = page.locator("#code")
    expect(code).to_have_attribute("data-phase", "backward")
    expect(code.locator(".line.run").first).to_contain_text("def backward(self, dout")
    expect(code.locator(".line.run .note").first).to_contain_text("dout = 1")
    expect(code.locator(".line:not(.run)", has_text="def forward")).to_have_count(1)
    expect(page.locator("#code-phase")).to_contain_text("MulLayer.backward")
    expect(page.locator("#code-vars")).to_contain_text("dx = 1.1")
    expect(page.locator("#code-vars")).to_contain_text("dy = 650")
    page.click("#quiz-switch")  # on again: the gradients not yet answered are hidden
    expect(page.locator("#code-vars")).to_contain_text("dx = ?")


def test_presentation_mode_and_step_links_round_trip(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/explore/apple?present=1&s=2&speed=300")
    root = page.locator("html")
    expect(root).to_have_class(re.compile(r"\bpresent\b"))
    expect(page.locator("#state")).to_have_attribute("data-state", "forward-done")
    expect(page.locator("#play-speed")).to_have_value("300")
    expect(page.locator("header.top")).to_be_hidden()
    page.click('[data-action="step"]')
    expect(page).to_have_url(re.compile(r"[?&]s=3\b"))
    link = page.url
    open_page(page, link)  # the link opens at the same step, still presenting
    expect(root).to_have_class(re.compile(r"\bpresent\b"))
    expect(page.locator("#state")).to_have_attribute("data-state", "backward")
    svg_width = page.locator("#canvas svg").bounding_box()
    viewport = page.viewport_size
    assert svg_width and viewport and svg_width["width"] > 0.8 * viewport["width"], "fit to screen"
    page.click("#present-switch")
    expect(root).not_to_have_class(re.compile(r"\bpresent\b"))
    expect(page).not_to_have_url(re.compile(r"present=1"))
    # a lesson keeps its step in its address, always
    open_page(page, f"{live_server}/learn/add-mul?s=4")
    expect(page.locator("svg.bpx-graph g.node.current")).to_have_attribute("data-node", "price")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/learn/add-mul\?s=5$"))


def test_progress_and_scores_survive_a_reload(page: Page, live_server: str) -> None:
    open_page(page, f"{live_server}/learn/chain")
    page.click('[data-action="forward"]')
    expect(answer(page, "6")).to_have_attribute("data-outcome", "right")
    page.reload()
    page.wait_for_function(READY)
    page.click('[data-action="forward"]')
    expect(page.locator("#quiz-score")).to_contain_text("1 / 3")
    expect(page.locator("#quiz-prompt")).to_contain_text("∂L/∂x")  # t's is answered
    page.click('[data-action="backward"]')
    expect(grad(page, "t", "z")).to_have_text("6")
    expect(grad(page, "x", "t")).to_have_text("?")
    open_page(page, f"{live_server}/learn")
    expect(page.locator('li[data-lesson="chain"] .progress')).to_contain_text("1 / 3")
    page.click("#learn-reset")
    expect(page.locator('li[data-lesson="chain"] .progress')).to_have_text("")


def test_the_quiz_switch_works_on_any_explorer_graph(page: Page, live_server: str) -> None:
    # at the end of the step-through (the explorer opens at the start: ?s= names a stage)
    open_page(page, f"{live_server}/explore/apple?s=5")
    expect(grad(page, "tax", "price")).to_have_text("200")
    expect(page.locator("#quiz-panel")).to_be_hidden()
    page.click("#quiz-switch")
    expect(page.locator("#quiz-panel")).to_be_visible()
    expect(grad(page, "tax", "price")).to_have_text("?")
    expect(page.locator("#quiz-prompt")).to_contain_text("∂L/∂apple_price")
    expect(answer(page, "1.1")).to_have_attribute("data-outcome", "right")
    expect(grad(page, "apple_price", "price")).to_have_text("1.1")
    page.click("#quiz-switch")
    page.click('[data-action="backward"]')  # all the way: every gradient shown again
    expect(grad(page, "tax", "price")).to_have_text("200")
