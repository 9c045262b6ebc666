"""Issue 8, items 8 and 12, in a real browser at a laptop's and a phone's size, in English
and Korean: on a phone the graph fits the width and zooms and pans, the sticky toolbar is
one short row, the keyboard hint leaves touch screens; the graph is a group of named
items that Tab visits in the order of the flow, no image holds focusable parts, every
text reads at WCAG AA contrast in both themes, and heatmaps write their key and, small,
their numbers. Screenshots land in test-results/browser/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from core import run_graph
from core.examples import EXAMPLES
from core.format import in_cell

pytestmark = pytest.mark.browser

VIEWPORTS: dict[str, ViewportSize] = {
    "laptop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
}
READY = "() => document.documentElement.dataset.ready === '1'"
CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
WORDS = {
    "en": {"reset": "Reset", "back": "Step back", "forward": "Forward", "backward": "Backward"},
    "ko": {"reset": "처음으로", "back": "한 단계 뒤로", "forward": "순전파", "backward": "역전파"},
}


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(
    contexts: list[BrowserContext],
    browser: Browser,
    base: str,
    path: str,
    *,
    viewport: str = "laptop",
    lang: str = "en",
    theme: str = "light",
) -> Page:
    """``path`` at ``viewport`` (the phone with touch, as a phone is)."""
    phone = viewport == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone, locale="en-US"
    )
    context.add_cookies(
        [
            {"name": "lang", "value": lang, "url": base},
            {"name": "theme", "value": theme, "url": base},
        ]
    )
    contexts.append(context)
    page = context.new_page()
    page.goto(base + path)
    if path.startswith(("/explore", "/learn/")):
        page.wait_for_function(READY)
    return page


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}


# --- item 8: phones ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", ["two_layer_net", "apple"])
def test_on_a_phone_the_whole_graph_fits_the_width(
    contexts: list[BrowserContext],
    browser: Browser,
    live_server: str,
    artifacts: Path,
    name: str,
    lang: str,
) -> None:
    page = open_page(
        contexts, browser, live_server, f"/explore/{name}", viewport="phone", lang=lang
    )
    page.keyboard.press("End")
    canvas = box(page, "#canvas")
    sizes = page.evaluate(
        "() => { const c = document.getElementById('canvas');"
        " return [c.scrollWidth, c.clientWidth]; }"
    )
    assert sizes[0] <= sizes[1] + 1, f"the graph is {sizes[0]} px wide in a {sizes[1]} px box"
    for selector in ("svg.bpx-graph", "svg.bpx-graph g.edge.out", "svg.bpx-graph g.node"):
        drawn = box(page, selector)
        assert (
            canvas["x"] <= drawn["x"]
            and drawn["x"] + drawn["width"] <= canvas["x"] + canvas["width"]
        ), f"{selector} is cut off: {drawn} in {canvas}"
    expect(page.locator(".graph-figure")).not_to_have_class(re.compile(r"\bzoomed\b"))
    expect(page.locator("#zoom-hint")).to_be_hidden()
    shot(page, artifacts, f"phone-fit-{name}-{lang}")


def test_on_a_laptop_the_graph_keeps_its_drawn_size(
    contexts: list[BrowserContext], browser: Browser, live_server: str
) -> None:
    page = open_page(contexts, browser, live_server, "/explore/apple_orange")
    svg = page.locator("svg.bpx-graph")
    drawn = float(svg.get_attribute("width") or 0)
    assert abs(box(page, "svg.bpx-graph")["width"] - drawn) < 1


def svg_width(page: Page) -> float:
    return box(page, "svg.bpx-graph")["width"]


def scroll(page: Page) -> list[float]:
    result: list[float] = page.evaluate(
        "() => { const c = document.getElementById('canvas'); return [c.scrollLeft, c.scrollTop]; }"
    )
    return result


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_a_phone_zoom_and_drag_change_the_view_and_fit_brings_it_back(
    contexts: list[BrowserContext], browser: Browser, live_server: str, artifacts: Path, lang: str
) -> None:
    page = open_page(
        contexts, browser, live_server, "/explore/two_layer_net", viewport="phone", lang=lang
    )
    fitted = svg_width(page)
    zoom_in = page.locator('[data-zoom="in"]')
    for _ in range(3):
        zoom_in.click()
    assert svg_width(page) == pytest.approx(fitted * 1.25**3, rel=0.01)
    expect(page.locator(".graph-figure")).to_have_class(re.compile(r"\bzoomed\b"))
    expect(page.locator("#zoom-hint")).to_be_visible()  # the sign that there is more to see
    expect(page.locator('[data-zoom="fit"]')).to_have_attribute("aria-pressed", "false")
    shot(page, artifacts, f"phone-zoomed-{lang}")

    # dragging pans, and the press that ends a drag over an input opens no editor
    before = scroll(page)
    canvas = box(page, "#canvas")
    x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 40, steps=6)
    page.mouse.up()
    after = scroll(page)
    assert after[0] > before[0], f"a drag to the left did not pan: {before} -> {after}"
    expect(page.locator(".editor")).to_have_count(0)

    page.locator('[data-zoom="fit"]').click()
    assert svg_width(page) == pytest.approx(fitted, rel=0.01)
    expect(page.locator(".graph-figure")).not_to_have_class(re.compile(r"\bzoomed\b"))
    expect(page.locator("#zoom-hint")).to_be_hidden()


def test_on_a_phone_two_fingers_pinch_the_graph_and_one_finger_moves_it(
    contexts: list[BrowserContext], browser: Browser, live_server: str
) -> None:
    page = open_page(contexts, browser, live_server, "/explore/two_layer_net", viewport="phone")
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, points: list[tuple[float, float]]) -> None:
        touches = [{"x": x, "y": y, "id": k} for k, (x, y) in enumerate(points)]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touches})

    canvas = box(page, "#canvas")
    x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    fitted = svg_width(page)
    touch("touchStart", [(x - 20, y), (x + 20, y)])
    for k in range(1, 11):  # the fingers move apart: 40 px to 200 px
        touch("touchMove", [(x - 20 - 8 * k, y), (x + 20 + 8 * k, y)])
    touch("touchEnd", [])
    assert svg_width(page) > 3 * fitted, "a pinch did not zoom the graph"
    assert page.evaluate("() => visualViewport.scale") == 1, "the pinch zoomed the page instead"
    expect(page.locator("#zoom-hint")).to_be_visible()

    before = scroll(page)
    touch("touchStart", [(x + 100, y)])
    for k in range(1, 11):
        touch("touchMove", [(x + 100 - 15 * k, y)])
    touch("touchEnd", [])
    page.wait_for_function(
        "left => document.getElementById('canvas').scrollLeft > left", arg=before[0]
    )


def test_on_a_laptop_ctrl_wheel_pinches_the_graph(
    contexts: list[BrowserContext], browser: Browser, live_server: str
) -> None:
    page = open_page(contexts, browser, live_server, "/explore/apple_orange")
    before = svg_width(page)
    canvas = box(page, "#canvas")
    page.mouse.move(canvas["x"] + 200, canvas["y"] + 100)
    page.keyboard.down("Control")  # a trackpad's pinch is a wheel with Ctrl held
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(
        "w => document.querySelector('svg.bpx-graph').getBoundingClientRect().width > w + 50",
        arg=before,
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_a_phone_the_sticky_toolbar_is_one_short_row(
    contexts: list[BrowserContext], browser: Browser, live_server: str, lang: str
) -> None:
    page = open_page(
        contexts, browser, live_server, "/explore/two_layer_net", viewport="phone", lang=lang
    )
    height = box(page, ".toolbar")["height"]
    assert height < 80, f"the sticky toolbar takes {height} of 844 px"
    tops = {round(b["y"]) for b in (box(page, f"[data-action={a}]") for a in WORDS[lang])}
    tops.add(round(box(page, "[data-action=step]")["y"]))
    assert len(tops) == 1, f"the buttons wrap onto {len(tops)} rows"
    for action, word in WORDS[lang].items():  # a button showing its sign keeps its name
        expect(page.locator(f"[data-action={action}]")).to_have_accessible_name(word)
    # scrolled down, the toolbar stays at the top
    page.mouse.wheel(0, 600)
    page.wait_for_function("() => window.scrollY > 100")
    assert box(page, ".toolbar")["y"] == pytest.approx(0, abs=1)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_keyboard_hint_shows_only_where_there_is_a_keyboard(
    contexts: list[BrowserContext], browser: Browser, live_server: str, viewport: str
) -> None:
    page = open_page(contexts, browser, live_server, "/explore/apple", viewport=viewport)
    hint = page.locator(".keys")
    if viewport == "phone":
        expect(hint).to_be_hidden()
    else:
        expect(hint).to_be_visible()
        expect(page.locator("[data-action=reset] .word")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("path", ["/", "/lab", "/learn", "/learn/chain", "/explore/two_layer_net"])
def test_no_page_is_wider_than_a_phone(
    contexts: list[BrowserContext],
    browser: Browser,
    live_server: str,
    artifacts: Path,
    path: str,
    lang: str,
) -> None:
    page = open_page(contexts, browser, live_server, path, viewport="phone", lang=lang)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
    shot(page, artifacts, f"phone{path.replace('/', '-') or '-gallery'}-{lang}")


# --- item 12: accessibility ----------------------------------------------------------------


def focused(page: Page) -> str:
    text: str = page.evaluate(
        """() => { const e = document.activeElement;
        if (e.dataset.node) return 'node ' + e.dataset.node;
        if (e.dataset.edge) return 'edge ' + e.dataset.source + '>' + e.dataset.target;
        return e.tagName; }"""
    )
    return text


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_tab_visits_the_graph_in_the_order_of_the_flow_with_each_items_numbers(
    contexts: list[BrowserContext], browser: Browser, live_server: str, lang: str, viewport: str
) -> None:
    page = open_page(
        contexts, browser, live_server, "/explore/apple_orange", viewport=viewport, lang=lang
    )
    page.keyboard.press("End")
    page.locator('[data-zoom="fit"]').focus()
    seen = []
    for _ in range(18):
        page.keyboard.press("Tab")
        seen.append(focused(page))
    assert seen[:6] == [
        "node apple",
        "edge apple>apple_price",
        "node apple_num",
        "edge apple_num>apple_price",
        "node apple_price",
        "edge apple_price>all_price",
    ]
    assert seen[-4:] == ["node tax", "edge tax>price", "node price", "edge price>"]
    # what a screen reader says of the focused output: its value and its gradient
    expect(page.locator(":focus")).to_have_role("img")
    expect(page.locator(":focus")).to_have_accessible_name(re.compile(r"715[\s\S]*\b1\b"))
    # the graph itself is a group, not an image whose focusable parts would be mute
    expect(page.locator("svg.bpx-graph")).to_have_role("group")


@pytest.mark.parametrize(
    "path", ["/explore/apple_orange", "/", "/learn/chain", "/explore/two_layer_net"]
)
def test_no_image_holds_a_focusable_part(
    contexts: list[BrowserContext], browser: Browser, live_server: str, path: str
) -> None:
    page = open_page(contexts, browser, live_server, path)
    holding = page.evaluate(
        """() => [...document.querySelectorAll('[role=img], img, svg:not([role])')]
        .filter((e) => e.querySelector('[tabindex], a[href], button, input, select, textarea'))
        .map((e) => e.outerHTML.slice(0, 120))"""
    )
    assert holding == []


def test_the_focus_ring_is_a_halo_and_leaves_the_arrowhead_alone(
    contexts: list[BrowserContext], browser: Browser, live_server: str
) -> None:
    page = open_page(contexts, browser, live_server, "/explore/apple_orange")
    edge = 'svg.bpx-graph g.edge[data-source="tax"]'
    style = (
        "s => { const g = document.querySelector(s); return ["
        "getComputedStyle(g.querySelector('.wire')).strokeWidth,"
        "getComputedStyle(g.querySelector('.halo')).stroke]; }"
    )
    width_before, halo_before = page.evaluate(style, edge)
    page.locator('[data-zoom="fit"]').focus()
    page.keyboard.press("Tab")
    while focused(page) != "edge tax>price":
        page.keyboard.press("Tab")
    width_after, halo_after = page.evaluate(style, edge)
    assert width_after == width_before, "a wider wire would draw a larger arrowhead"
    assert halo_before == "none" and halo_after != "none"


PAGES_FOR_CONTRAST = {
    "explorer-start": ("/explore/apple_orange", False),  # every "?" placeholder
    "explorer-done": ("/explore/apple_orange", True),
    "small-matrices": ("/explore/affine", True),  # numbers on heatmap cells
    "two-layer-net": ("/explore/two_layer_net", True),
    "gallery": ("/", False),
    "lab": ("/lab", False),
    "lesson": ("/learn/chain", False),
}


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("where", list(PAGES_FOR_CONTRAST))
def test_every_text_reads_at_wcag_aa_contrast(
    contexts: list[BrowserContext], browser: Browser, live_server: str, where: str, theme: str
) -> None:
    path, done = PAGES_FOR_CONTRAST[where]
    page = open_page(contexts, browser, live_server, path, theme=theme)
    if done:
        page.keyboard.press("End")
    report: dict[str, Any] = page.evaluate(CONTRAST_JS)
    assert report["checked"] > 20, "the check found almost no text: it checks nothing"
    assert report["failures"] == [], "\n".join(map(str, report["failures"]))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_heatmaps_show_their_key_and_small_ones_their_numbers(
    contexts: list[BrowserContext],
    browser: Browser,
    live_server: str,
    artifacts: Path,
    lang: str,
    viewport: str,
) -> None:
    page = open_page(
        contexts, browser, live_server, "/explore/affine", viewport=viewport, lang=lang
    )
    result = run_graph(EXAMPLES["affine"].spec)
    grad_w = [in_cell(float(v)) for v in result.grad("W").ravel()]
    w_edge = page.locator('svg.bpx-graph g.edge[data-source="W"]')
    w_grad = w_edge.locator(":scope > .grad")
    # at the start nothing is computed: no numbers in the gradient's cells, its key "?"
    expect(w_grad.locator("text.num").first).to_have_text("")
    expect(w_grad.locator(".key .scale")).to_have_text("?")
    page.keyboard.press("End")
    expect(w_grad.locator("text.num")).to_have_text(grad_w)
    expect(w_grad.locator(".key .scale")).to_have_text(re.compile(r"^±\S+$"))
    heats = page.locator("svg.bpx-graph g.heat")
    for k in range(heats.count()):
        expect(heats.nth(k).locator(".key .scale")).to_have_text(re.compile(r"^±\S+$"))
    shot(page, artifacts, f"heatmaps-affine-{viewport}-{lang}")
