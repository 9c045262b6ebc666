"""The training lab in a real browser: drawn before any click, retrained by the form,
in Korean, and without JavaScript; each data set's defaults learn it, a run that does not
learn says so, and a refused run leaves nothing of the last one. Screenshots land in
test-results/browser/."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from core.datasets import DATASET_DEFAULTS, DATASET_TITLES, DATASETS

pytestmark = pytest.mark.browser

VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
}
LOCALES = {"en": "en-US", "ko": "ko-KR"}
TRAINED = {"en": "Trained for 300 epochs.", "ko": "300 에폭 학습을 마쳤습니다."}
#: A run of 300 epochs takes about a second alone, far longer while the machine is busy,
#: and the page plays it in about five seconds.
TRAIN_TIMEOUT = 60_000  # ms


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """The page plays a run in about five seconds: every expectation here may wait a run."""
    expect.set_options(timeout=TRAIN_TIMEOUT)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default


CHARTS = {
    "loss_svg": "loss-chart",
    "accuracy_svg": "accuracy-chart",
    "boundary_svg": "boundary-chart",
}


def open_lab(page: Page, base: str) -> None:
    page.goto(f"{base}/lab")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def canonical(svg: str) -> str:
    """C14N of an SVG text: attribute order and quoting no longer matter, all else does."""
    return ET.canonicalize(xml_data=svg)


def shown_svgs(page: Page) -> dict[str, str]:
    """The SVG each chart shows now, serialized from the live DOM."""
    return {
        key: canonical(
            page.eval_on_selector(
                f"#{chart_id} > svg", "el => new XMLSerializer().serializeToString(el)"
            )
        )
        for key, chart_id in CHARTS.items()
    }


def server_figures(page: Page, body: dict[str, Any]) -> dict[str, Any]:
    """POST /lab/figures from the page (its cookies, its Accept-Language), not through lab.js."""
    url = page.evaluate(
        "() => JSON.parse(document.getElementById('lab-data').textContent).urls.figures"
    )
    answer: dict[str, Any] = page.evaluate(
        """async ([url, body]) => {
            const headers = {"Content-Type": "application/json"};
            const r = await fetch(url, {method: "POST", headers, body: JSON.stringify(body)});
            return {status: r.status, json: await r.json()};
        }""",
        [url, body],
    )
    assert answer["status"] == 200, answer
    figures: dict[str, Any] = answer["json"]
    return figures


def test_the_lab_shows_the_books_run_before_any_click(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lab(page, live_server)
    expect(page.locator("h1")).to_have_text("Training lab")
    expect(page.locator("#final-loss")).to_have_text("0.1085")
    expect(page.locator("#final-accuracy")).to_have_text("97.0%")
    expect(page.locator("#loss-chart svg[data-epochs='300'] path.curve-loss")).to_have_count(1)
    expect(page.locator("#accuracy-chart path.curve-accuracy")).to_have_count(1)
    expect(page.locator("#accuracy-chart path.curve-test")).to_have_count(1)
    # the 50 x 50 cells, a rect per run of one class in a row
    widths = page.eval_on_selector_all(
        "#boundary-chart rect.cell", "rects => rects.map(r => Number(r.getAttribute('width')))"
    )
    assert sum(widths) == 50 * 50 and len(widths) < 50 * 50 / 5
    points = page.locator("#boundary-chart g.points > *")
    expect(points).to_have_count(300)
    for marker in ("o", "x", "^"):
        markers = page.locator(f'#boundary-chart g.points [data-marker="{marker}"]')
        expect(markers).to_have_count(100)
    shot(page, artifacts, "lab-en-light")


def test_retraining_shows_exactly_the_servers_drawing(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lab(page, live_server)
    defaults = {
        "dataset": "spiral",
        "hidden_size": 10,
        "optimizer": "sgd",
        "lr": 1.0,
        "max_epoch": 300,
        "batch_size": 30,
        "seed": 1984,
    }
    before = shown_svgs(page)
    drawn = server_figures(page, defaults)
    assert before == {key: canonical(drawn[key]) for key in CHARTS}, "the page's first figures"
    page.get_by_label("Data set").select_option("circles")
    page.get_by_label("Hidden layer size").fill("6")
    page.get_by_label("Optimizer", exact=True).select_option("rmsprop")
    page.get_by_label("Learning rate").fill("0.02")
    page.get_by_label("Epochs").fill("40")
    page.get_by_label("Batch size").fill("20")
    page.get_by_label("Seed").fill("11")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-status")).to_have_text("Trained for 40 epochs.")
    settings = {
        "dataset": "circles",
        "hidden_size": 6,
        "optimizer": "rmsprop",
        "lr": 0.02,
        "max_epoch": 40,
        "batch_size": 20,
        "seed": 11,
    }
    drawn = server_figures(page, settings)
    after = shown_svgs(page)
    for key in CHARTS:
        assert after[key] == canonical(drawn[key]), f"{key}: the page is not the server's drawing"
        assert after[key] != before[key], f"{key}: the figure did not change"
    expect(page.locator("#final-loss")).to_have_text(drawn["final_loss"])
    expect(page.locator("#final-accuracy")).to_have_text(drawn["final_accuracy"])
    expect(page.locator("#lab-status")).to_have_text(drawn["status"])
    shot(page, artifacts, "lab-en-circles-rmsprop")


def test_lab_js_draws_nothing_and_writes_no_address(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    src = page.locator("script[src$='lab.js']").get_attribute("src")
    assert src is not None
    source = page.request.get(live_server + src).text()
    for drawing in ("createElementNS", "<svg", "viewBox", "toFixed", "toPrecision", "Math."):
        assert drawing not in source, f"lab.js draws or formats numbers itself: {drawing!r}"
    assert not re.search(r"[\"'`]/(api|lab)\b", source), (
        "lab.js writes a URL: it comes from url_for"
    )


def test_the_gallery_and_the_header_link_to_the_lab(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("#main").get_by_role("link", name="Training lab").click()
    expect(page).to_have_url(live_server + "/lab")
    page.goto(live_server + "/explore/apple")
    page.get_by_role("navigation").get_by_role("link", name="Training lab").click()
    expect(page).to_have_url(live_server + "/lab")


def test_training_50_epochs_updates_the_figures(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lab(page, live_server)
    page.get_by_label("Epochs").fill("50")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-status")).to_have_text("Trained for 50 epochs.")
    expect(page.locator("#loss-chart svg")).to_have_attribute("data-epochs", "50")
    final = page.locator("#final-loss").text_content()
    assert final is not None and final != "0.1085"
    assert 0.5 < float(final) < 1.2, f"after 50 epochs the book's loss is about 0.7, got {final}"
    # the address now carries the settings: a reload shows the same run, drawn by the server
    page.reload()
    expect(page.locator("#final-loss")).to_have_text(final)
    expect(page.get_by_label("Epochs")).to_have_value("50")
    shot(page, artifacts, "lab-en-light-50-epochs")


def test_the_keyboard_trains_another_data_set(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    page.get_by_label("Data set").select_option("moons")
    page.get_by_label("Optimizer", exact=True).select_option("adam")
    lr = page.get_by_label("Learning rate")
    lr.fill("0.05")
    lr.press("Enter")  # submits the form
    expect(page.locator("#lab-status")).to_have_text("Trained for 300 epochs.")
    expect(page.locator('#boundary-chart g.points [data-marker="^"]')).to_have_count(0)
    expect(page.locator('#boundary-chart g.points [data-marker="o"]')).to_have_count(150)


def test_an_api_error_is_shown_as_text(page: Page, live_server: str, artifacts: Path) -> None:
    open_lab(page, live_server)
    page.get_by_label("Epochs").fill("9000")
    page.get_by_role("button", name="Train").click()
    banner = page.locator("#lab-error")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Epochs: must be at most 5000")
    expect(page.locator("#final-loss")).to_have_text("–")  # no run beside the error
    expect(page.get_by_role("button", name="Train")).to_be_enabled()
    shot(page, artifacts, "lab-en-error")


def test_the_lab_in_korean_and_dark(page: Page, live_server: str, artifacts: Path) -> None:
    open_lab(page, live_server)
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    expect(page.locator("h1")).to_have_text("학습 실험실")
    expect(page.get_by_label("학습률")).to_have_value("1.0")
    expect(page.get_by_label("은닉층 크기")).to_have_value("10")
    expect(page.locator("figcaption").first).to_have_text("에폭별 손실")
    expect(page.locator("#boundary-chart > svg")).to_have_attribute("aria-label", "결정 경계")
    expect(page.get_by_role("button", name="학습 시작")).to_be_visible()
    page.click("#theme-switch")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    # retrained, the figures and the summary come back in Korean
    page.get_by_label("에폭 수").fill("30")
    page.get_by_role("button", name="학습 시작").click()
    expect(page.locator("#lab-status")).to_have_text("30 에폭 학습을 마쳤습니다.")
    expect(page.locator("#loss-chart > svg")).to_have_attribute("aria-label", "에폭별 손실")
    expect(page.locator("#loss-chart > svg")).to_have_attribute("data-epochs", "30")
    expect(page.locator("#boundary-chart g.legend")).to_contain_text("클래스 2 (^)")
    shot(page, artifacts, "lab-ko-dark")
    page.goto(live_server + "/")
    expect(page.locator("#main").get_by_role("link", name="학습 실험실")).to_be_visible()
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_the_lab_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/lab")
    expect(page.locator("#final-loss")).to_have_text("0.1085")
    expect(page.locator("#loss-chart path.curve-loss")).to_have_count(1)
    page.get_by_label("Epochs").fill("50")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#loss-chart svg")).to_have_attribute("data-epochs", "50")
    assert "max_epoch=50" in page.url
    context.close()


def new_page(
    browser: Browser, viewport: str, lang: str, *, javascript: bool = True
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale=LOCALES[lang], java_script_enabled=javascript
    )
    return context, context.new_page()


def train(page: Page) -> None:
    """Press Train and wait until the run has played to its end, or an error is shown."""
    page.locator("#lab-train").click()
    wait_for_the_end(page)


def wait_for_the_end(page: Page) -> None:
    page.wait_for_function(
        """() => document.getElementById("lab-status").dataset.state === "done"
            || !document.getElementById("lab-error").hidden""",
        timeout=TRAIN_TIMEOUT,
    )


def accuracy_shown(page: Page) -> float:
    text = page.locator("#final-accuracy").text_content() or ""
    assert text.endswith("%"), f"final accuracy {text!r}"
    return float(text.removesuffix("%")) / 100


def expect_no_run(page: Page) -> None:
    """Nothing of a run is on the page: no numbers, no figures, no hint, no status."""
    expect(page.locator("#final-loss")).to_have_text("–")
    expect(page.locator("#final-accuracy")).to_have_text("–")
    for chart_id in CHARTS.values():
        expect(page.locator(f"#{chart_id} svg")).to_have_count(0)
    expect(page.locator("#lab-figures")).to_be_hidden()
    expect(page.locator("#lab-hint")).to_be_hidden()
    expect(page.locator("#lab-status")).to_have_text("")


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_refused_run_leaves_no_old_numbers_or_figures(
    browser: Browser, live_server: str, artifacts: Path, viewport: str, lang: str
) -> None:
    context, page = new_page(browser, viewport, lang)
    open_lab(page, live_server)
    expect(page.locator("#final-loss")).to_have_text("0.1085")
    expect(page.locator("#loss-chart svg")).to_have_count(1)
    page.locator("#lab-batch").fill("0")
    train(page)
    expect(page.locator("#lab-error")).to_be_visible()
    expect(page.locator("#lab-error-text")).not_to_be_empty()
    expect_no_run(page)
    for old in ("0.1085", "97.0%"):
        expect(page.get_by_text(old, exact=True)).to_have_count(0)
    page.locator("#lab-error").scroll_into_view_if_needed()
    shot(page, artifacts, f"lab-{lang}-{viewport}-refused")
    # put right, it trains again: the numbers and figures come back, the error goes
    page.locator("#lab-batch").fill("30")
    train(page)
    expect(page.locator("#lab-status")).to_have_text(TRAINED[lang])
    expect(page.locator("#lab-error")).to_be_hidden()
    expect(page.locator("#lab-figures")).to_be_visible()
    expect(page.locator("#final-loss")).to_have_text("0.1085")
    for chart_id in CHARTS.values():
        expect(page.locator(f"#{chart_id} > svg")).to_have_count(1)
    context.close()


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_choosing_a_data_set_fills_in_its_defaults_and_they_learn_it(
    page: Page, live_server: str, artifacts: Path, dataset: str
) -> None:
    open_lab(page, live_server)
    # from another data set and settings of the learner's own
    other = next(name for name in DATASETS if name != dataset)
    page.get_by_label("Data set").select_option(other)
    page.get_by_label("Optimizer", exact=True).select_option("momentum")
    page.get_by_label("Learning rate").fill("0.3")
    page.get_by_label("Data set").select_option(dataset)
    defaults = DATASET_DEFAULTS[dataset]
    expect(page.get_by_label("Optimizer", exact=True)).to_have_value(defaults.optimizer)
    expect(page.get_by_label("Learning rate")).to_have_value(str(defaults.lr))
    expect(page.get_by_label("Epochs")).to_have_value("300")  # the learner's other settings stay
    train(page)
    expect(page.locator("#lab-status")).to_have_text(TRAINED["en"])
    assert accuracy_shown(page) >= 0.9, f"{dataset}: its defaults do not learn it"
    test_accuracy = page.locator("#final-test-accuracy").text_content() or ""
    assert float(test_accuracy.removesuffix("%")) >= 90, f"{dataset}: held out {test_accuracy}"
    expect(page.locator("#lab-hint")).to_be_hidden()
    shot(page, artifacts, f"lab-en-defaults-{dataset}")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["has not learned", "50.0%", "Adam"]),
        ("ko", ["학습되지 않았습니다", "50.0%", "Adam"]),
    ],
)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_run_that_does_not_learn_says_so_with_a_hint(
    browser: Browser, live_server: str, artifacts: Path, viewport: str, lang: str, words: list[str]
) -> None:
    context, page = new_page(browser, viewport, lang)
    open_lab(page, live_server)
    # circles with the book's SGD 1.0 at seed 1984: the loss stays at ln 2
    page.locator("#lab-dataset").select_option("circles")
    page.locator("#lab-optimizer").select_option("sgd")
    page.locator("#lab-lr").fill("1.0")
    train(page)
    expect(page.locator("#lab-status")).to_have_text(TRAINED[lang])
    expect(page.locator("#final-accuracy")).to_have_text("50.0%")
    hint = page.locator("#lab-hint")
    expect(hint).to_be_visible()
    for word in words:
        expect(hint).to_contain_text(word)
    hint.scroll_into_view_if_needed()
    shot(page, artifacts, f"lab-{lang}-{viewport}-not-learned")
    # Adam, as the hint says: it learns, and the hint goes
    page.locator("#lab-optimizer").select_option("adam")
    page.locator("#lab-lr").fill("0.05")
    train(page)
    expect(page.locator("#final-accuracy")).not_to_have_text("50.0%")
    assert accuracy_shown(page) >= 0.9
    expect(hint).to_be_hidden()
    # and a refused run takes an old hint away too
    page.locator("#lab-optimizer").select_option("sgd")
    page.locator("#lab-lr").fill("1.0")
    train(page)
    expect(hint).to_be_visible()
    page.locator("#lab-batch").fill("0")
    train(page)
    expect(page.locator("#lab-error")).to_be_visible()
    expect_no_run(page)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_without_javascript_a_refused_run_shows_none_and_links_give_each_data_sets_defaults(
    browser: Browser, live_server: str, artifacts: Path, viewport: str
) -> None:
    context, page = new_page(browser, viewport, "en", javascript=False)
    page.goto(live_server + "/lab")
    page.get_by_label("Batch size").fill("0")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-error")).to_be_visible()
    expect_no_run(page)
    shot(page, artifacts, f"lab-en-{viewport}-nojs-refused")
    page.get_by_role("link", name=DATASET_TITLES["circles"]["en"]).click()
    expect(page).to_have_url(live_server + "/lab?dataset=circles", timeout=TRAIN_TIMEOUT)
    page.wait_for_load_state(timeout=TRAIN_TIMEOUT)
    expect(page.get_by_label("Optimizer", exact=True)).to_have_value(
        DATASET_DEFAULTS["circles"].optimizer
    )
    expect(page.get_by_label("Learning rate")).to_have_value(str(DATASET_DEFAULTS["circles"].lr))
    assert accuracy_shown(page) >= 0.9
    expect(page.locator("#lab-hint")).to_be_hidden()
    context.close()
