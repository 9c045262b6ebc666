"""The training lab, live, in a real browser: the curves grow while the run plays, pause
stops it and resume goes on, one epoch plays one, the scrubber shows an earlier boundary
(the one the server drew for that epoch), reset clears the run, and the activation is sent.
Screenshots of a run half played land in test-results/browser/."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # ms: a run plays in about five seconds, far longer on a busy machine
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1400, "height": 900},
    "phone": {"width": 390, "height": 844},
}
LOCALES = {"en": "en-US", "ko": "ko-KR"}


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


def open_lab(page: Page, base: str, query: str = "") -> None:
    page.goto(f"{base}/lab{query}")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")


def epoch_shown(page: Page) -> int:
    return int(page.eval_on_selector("#lab-figures", "e => e.dataset.epoch || '0'"))


def wait_for_epoch(page: Page, at_least: int) -> None:
    page.wait_for_function(
        f"() => Number(document.getElementById('lab-figures').dataset.epoch || 0) >= {at_least}",
        timeout=TIMEOUT,
    )


def points_in(page: Page, selector: str) -> int:
    """How many points a curve's path has: M then one L per next point."""
    d = page.eval_on_selector(selector, "p => p.getAttribute('d') || ''")
    return 0 if not d else d.count("L") + 1


def state(page: Page) -> str:
    return page.eval_on_selector("#lab-status", "e => e.dataset.state || ''")


def canonical(svg: str) -> str:
    return ET.canonicalize(xml_data=svg)


def test_the_curves_grow_while_the_run_plays(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    page.get_by_role("button", name="Train").click()
    wait_for_epoch(page, 5)
    assert state(page) == "training"
    # read at once: the run plays on between two reads
    counts = page.evaluate(
        """() => ["#loss-chart path.curve-loss", "#accuracy-chart path.curve-accuracy",
                  "#accuracy-chart path.curve-test"].map(s => {
            const d = document.querySelector(s).getAttribute("d") || "";
            return d ? d.split("L").length : 0;
        })"""
    )
    early = counts[0]
    assert early >= 5 and counts == [early, early, early], counts
    wait_for_epoch(page, early + 40)
    later = points_in(page, "#loss-chart path.curve-loss")
    assert later >= early + 40, (early, later)
    expect(page.locator("#lab-status")).to_have_text("Trained for 300 epochs.")
    assert points_in(page, "#loss-chart path.curve-loss") == 300
    expect(page.locator("#final-loss")).to_have_text("0.1085")
    expect(page.locator("#final-accuracy")).to_have_text("97.0%")
    expect(page.locator("#final-test-accuracy")).to_have_text("96.7%")


def test_pause_stops_the_run_one_epoch_plays_one_and_resume_goes_on(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lab(page, live_server)
    page.get_by_label("Epochs").fill("1500")  # five epochs a frame, about five seconds
    page.get_by_role("button", name="Train").click()
    wait_for_epoch(page, 10)
    page.get_by_role("button", name="Pause").click()
    assert state(page) == "paused"
    paused_at = epoch_shown(page)
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    time.sleep(1.0)  # a generous wait: nothing plays while paused
    assert epoch_shown(page) == paused_at
    assert points_in(page, "#loss-chart path.curve-loss") == paused_at
    page.get_by_role("button", name="One epoch").click()
    page.wait_for_function(
        f"() => Number(document.getElementById('lab-figures').dataset.epoch) === {paused_at + 1}"
    )
    page.get_by_role("button", name="One epoch").click()
    page.wait_for_function(
        f"() => Number(document.getElementById('lab-figures').dataset.epoch) === {paused_at + 2}"
    )
    expect(page.locator("#lab-status")).to_have_text(f"Epoch {paused_at + 2} of 1500")
    page.screenshot(path=str(artifacts / "lab-live-paused.png"), full_page=True)
    page.get_by_role("button", name="Resume").click()
    wait_for_epoch(page, paused_at + 50)
    expect(page.locator("#lab-status")).to_have_text("Trained for 1500 epochs.")
    expect(page.get_by_role("button", name="Pause")).to_be_disabled()


def stream_events(page: Page, body: dict[str, Any]) -> list[dict[str, Any]]:
    """POST /lab/stream from the page itself (its language), read to the end."""
    events: list[dict[str, Any]] = page.evaluate(
        """async (body) => {
            const url = JSON.parse(document.getElementById('lab-data').textContent).urls.stream;
            const response = await fetch(url, {method: 'POST',
                headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
            const text = await response.text();
            return text.split('\\n\\n').filter(Boolean).map(b => JSON.parse(b.slice(6)));
        }""",
        body,
    )
    return events


def shown_cells(page: Page) -> str:
    return canonical(
        page.eval_on_selector(
            "#boundary-chart svg.lab-boundary > svg.cells",
            "el => new XMLSerializer().serializeToString(el)",
        )
    )


def test_the_scrubber_shows_an_earlier_boundary(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lab(page, live_server)
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-status")).to_have_text("Trained for 300 epochs.")
    final = shown_cells(page)
    scrub = page.locator("#lab-scrub")
    expect(scrub).to_be_enabled()
    events = stream_events(page, {})
    snapshots = [e for e in events if e["type"] == "snapshot"]
    assert scrub.get_attribute("max") == str(len(snapshots) - 1)
    index = 10
    scrub.fill(str(index))
    epoch = snapshots[index]["epoch"]
    # the boundary the server drew for that epoch, and that epoch's numbers
    assert shown_cells(page) == canonical(snapshots[index]["cells"]) != final
    at = next(e for e in events if e["type"] == "epoch" and e["epoch"] == epoch)
    expect(page.locator("#final-loss")).to_have_text(at["loss"])
    expect(page.locator("#final-accuracy")).to_have_text(at["accuracy"])
    expect(page.locator("#lab-scrub-epoch")).to_have_text(f"Epoch {epoch} of 300")
    cursor = page.locator("#loss-chart line.cursor")
    expect(cursor).to_have_attribute("visibility", "visible")
    expect(cursor).to_have_attribute("x1", at["x"])
    page.screenshot(path=str(artifacts / "lab-live-scrubbed.png"), full_page=True)
    # back at the end: the last boundary again, the cursor gone
    scrub.fill(str(len(snapshots) - 1))
    assert shown_cells(page) == final
    expect(cursor).to_have_attribute("visibility", "hidden")


def test_reset_clears_the_run_and_stops_it(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    page.get_by_label("Epochs").fill("3000")
    page.get_by_role("button", name="Train").click()
    wait_for_epoch(page, 5)
    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#lab-figures")).to_be_hidden()
    expect(page.locator("#final-loss")).to_have_text("–")
    expect(page.locator("#lab-status")).to_have_text("")
    expect(page.get_by_role("button", name="Reset")).to_be_disabled()
    time.sleep(0.5)  # nothing of the old run comes back
    expect(page.locator("#lab-figures")).to_be_hidden()


def test_the_activation_is_sent_and_kept_in_the_address(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    page.get_by_label("Activation").select_option("tanh")
    page.get_by_label("Epochs").fill("60")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-status")).to_have_text("Trained for 60 epochs.")
    assert "activation=tanh" in page.url
    tanh_loss = page.locator("#final-loss").text_content()
    page.get_by_label("Activation").select_option("sigmoid")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#lab-status")).to_have_text("Trained for 60 epochs.")
    assert page.locator("#final-loss").text_content() != tanh_loss
    # a reload draws the same run on the server, without a click
    page.goto(page.url.replace("activation=sigmoid", "activation=tanh"))
    expect(page.locator("#final-loss")).to_have_text(tanh_loss or "")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots_of_a_run_half_played(
    browser: Browser, live_server: str, artifacts: Path, viewport: str, lang: str, theme: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=LOCALES[lang])
    context.add_cookies([{"name": "theme", "value": theme, "url": live_server}])
    page = context.new_page()
    open_lab(page, live_server)
    page.locator("#lab-epochs").fill("1000")
    page.locator("#lab-train").click()
    wait_for_epoch(page, 300)
    page.locator("#lab-pause").click()
    pause = {"en": "Resume", "ko": "계속"}[lang]
    expect(page.locator("#lab-pause")).to_have_text(pause)
    expect(page.locator("#lab-status")).to_contain_text({"en": "of 1000", "ko": "/1000"}[lang])
    page.screenshot(path=str(artifacts / f"lab-live-{viewport}-{lang}-{theme}.png"), full_page=True)
    context.close()


def test_open_in_the_explorer_takes_the_trained_net(page: Page, live_server: str) -> None:
    open_lab(page, live_server)
    page.get_by_label("Epochs").fill("40")
    page.get_by_role("button", name="Train").click()
    link = page.get_by_role("link", name="Open in the explorer")
    expect(page.locator("#lab-status")).to_have_text("Trained for 40 epochs.")
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    assert href.startswith("/explore?z=")
    link.click()
    page.wait_for_url("**/explore?z=*")
    expect(page.locator(".stage svg").first).to_contain_text("affine2")
    expect(page.locator("#problem")).to_have_count(0)
