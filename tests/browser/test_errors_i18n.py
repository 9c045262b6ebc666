"""What a learner sees when something is wrong, in a real browser, at a desktop's and a
phone's size, in English and Korean: a missing page is a page of the site with links on,
an error is in the page's language and names what the page shows, and /docs sits in the
site's frame. Screenshots land in test-results/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, ViewportSize, expect

from core.examples import EXAMPLES

pytestmark = pytest.mark.browser

VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def open_context(
    browser: Browser, base: str, viewport: str, lang: str, theme: str = "light"
) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-US")
    context.add_cookies(
        [
            {"name": "lang", "value": lang, "url": base},
            {"name": "theme", "value": theme, "url": base},
        ]
    )
    return context


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_page(
    contexts: list[BrowserContext],
    browser: Browser,
    base: str,
    viewport: str,
    lang: str,
    theme: str = "light",
) -> Page:
    context = open_context(browser, base, viewport, lang, theme)
    contexts.append(context)
    return context.new_page()


def fits_the_width(page: Page, viewport: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"the page is {width} px wide"


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


# --- 404 -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_missing_page_is_a_page_of_the_site_with_links_on(
    browser: Browser,
    contexts: list[BrowserContext],
    live_server: str,
    artifacts: Path,
    viewport: str,
    lang: str,
) -> None:
    page = new_page(contexts, browser, live_server, viewport, lang)
    response = page.goto(live_server + "/nope")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", lang)
    heading = {"en": "Page not found", "ko": "페이지를 찾을 수 없습니다"}[lang]
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("header.top .brand")).to_be_visible()
    expect(page.locator("#lang-switch")).to_be_visible()
    fits_the_width(page, viewport)
    shot(page, artifacts, f"404-{viewport}-{lang}")
    gallery = {"en": "Gallery", "ko": "예제 모음"}[lang]
    page.locator("nav.go-on").get_by_role("link", name=gallery).click()
    expect(page.locator("li.card")).to_have_count(len(EXAMPLES))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_unknown_example_says_so_and_links_every_example(
    browser: Browser,
    contexts: list[BrowserContext],
    live_server: str,
    artifacts: Path,
    viewport: str,
    lang: str,
) -> None:
    page = new_page(contexts, browser, live_server, viewport, lang, theme="dark")
    response = page.goto(live_server + "/explore/nope")
    assert response is not None and response.status == 404
    heading = {"en": "No such example", "ko": "그런 예제는 없습니다"}[lang]
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("#known a")).to_have_count(len(EXAMPLES))
    fits_the_width(page, viewport)
    shot(page, artifacts, f"404-example-{viewport}-{lang}-dark")
    title = EXAMPLES["two_layer_net"].title[lang]
    page.locator("#known").get_by_role("link", name=title).click()
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    expect(page.locator("#graph-title")).to_have_text(title)


# --- the page's language ---------------------------------------------------------------


def test_a_korean_explorer_shows_a_korean_shape_error(
    browser: Browser,
    contexts: list[BrowserContext],
    live_server: str,
    artifacts: Path,
    viewport: str,
) -> None:
    page = new_page(contexts, browser, live_server, viewport, "ko")
    page.goto(live_server + "/explore/matmul")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    field = page.locator('#inputs [data-node="W"]')
    field.fill("[[1, 2], [3, 4]]")  # 2 rows where x has 3 columns
    field.press("Control+Enter")
    banner = page.locator("#error-banner")
    expect(banner).to_be_visible()
    expect(page.locator("#error-text")).to_have_text(
        "노드 'y' (matmul): 형상 (2, 3), (2, 2): 맞지 않습니다: x의 열은 3개인데 W의 행은 2개입니다"
    )
    expect(page.locator(".callout")).to_contain_text("맞지 않습니다")
    expect(page.locator("#state")).to_have_text("실행할 수 없음")
    shot(page, artifacts, f"explorer-ko-shape-error-{viewport}")


@pytest.mark.parametrize(
    ("lang", "label", "message", "api_name"),
    [
        ("ko", "배치 크기", "배치 크기: 1 이상이어야 합니다", "batch_size"),
        ("en", "Batch size", "Batch size: must be at least 1", "batch_size"),
    ],
)
def test_a_lab_error_names_the_forms_label_in_the_pages_language(
    browser: Browser,
    contexts: list[BrowserContext],
    live_server: str,
    artifacts: Path,
    viewport: str,
    lang: str,
    label: str,
    message: str,
    api_name: str,
) -> None:
    page = new_page(contexts, browser, live_server, viewport, lang)
    page.goto(live_server + "/lab")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    page.get_by_label(label).fill("0")
    page.locator("#lab-train").click()
    banner = page.locator("#lab-error")
    expect(banner).to_be_visible()
    expect(page.locator("#lab-error-text")).to_have_text(message)
    assert api_name not in page.locator("#lab-error-text").inner_text()
    shot(page, artifacts, f"lab-{lang}-error-{viewport}")


# --- /docs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "theme"), [("en", "light"), ("ko", "dark")])
def test_the_api_docs_sit_in_the_sites_frame_under_its_policy(
    browser: Browser,
    contexts: list[BrowserContext],
    live_server: str,
    artifacts: Path,
    viewport: str,
    lang: str,
    theme: str,
) -> None:
    page = new_page(contexts, browser, live_server, viewport, lang, theme)
    problems: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", listen)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(live_server + "/docs")
    assert response is not None and response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("data-theme", theme)
    nav = {"en": "Gallery", "ko": "예제 모음"}[lang]
    expect(page.locator("header.top nav").get_by_role("link", name=nav)).to_be_visible()
    expect(page.locator("#theme-switch")).to_be_visible()
    # Swagger UI itself, started by static/js/docs.js
    operation = page.locator("#operations-health-healthz_healthz_get")
    expect(operation).to_be_visible()
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.docs-swagger')).backgroundColor"
    )
    assert background == "rgb(255, 255, 255)", "Swagger's light styles keep a light box"
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(operation.locator(".responses-wrapper .live-responses-table")).to_contain_text('"ok"')
    fits_the_width(page, viewport)
    shot(page, artifacts, f"docs-{viewport}-{lang}-{theme}")
    assert problems == [], f"the console reported {problems}"
    other = {"en": "ko", "ko": "en"}[lang]
    page.click("#lang-switch")
    page.wait_for_function(f"() => document.documentElement.lang === '{other}'")
    expect(page.locator("#operations-health-healthz_healthz_get")).to_be_visible()
