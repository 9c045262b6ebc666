"""The explorer in a real browser: the book's numbers, editing, stepping, sharing,
languages, themes and a hostile node name. Screenshots land in test-results/browser/."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, expect

from core import run_graph
from core.examples import EXAMPLES
from core.format import short
from core.ops import OPS, SOURCE_OPS

pytestmark = pytest.mark.browser

# (source, target) -> (value, gradient): book 1, chapter 5; "" is the output arrow.
APPLE_ORANGE = {
    ("apple", "apple_price"): ("100", "2.2"),
    ("apple_num", "apple_price"): ("2", "110"),
    ("orange", "orange_price"): ("150", "3.3"),
    ("orange_num", "orange_price"): ("3", "165"),
    ("tax", "price"): ("1.1", "650"),
    ("apple_price", "all_price"): ("200", "1.1"),
    ("orange_price", "all_price"): ("450", "1.1"),
    ("all_price", "price"): ("650", "1.1"),
    ("price", ""): ("715", "1"),
}


def label(page: Page, source: str, target: str, kind: str) -> Locator:
    return page.locator(
        f'svg.bpx-graph g.edge[data-source="{source}"][data-target="{target}"] > .{kind}'
    )


def open_example(page: Page, base: str, name: str, *, done: bool = False) -> None:
    """The explorer on ``name``, at its start (``done``: after the backward pass)."""
    page.goto(f"{base}/explore/{name}")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    if done:
        page.keyboard.press("End")


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def test_the_gallery_loads_with_every_example(
    page: Page, live_server: str, artifacts: Path
) -> None:
    response = page.goto(live_server + "/")
    assert response is not None and response.status == 200
    cards = page.locator("li.card")
    expect(cards).to_have_count(len(EXAMPLES))
    expect(page.locator('li.card[data-example="apple_orange"] svg.bpx-graph')).to_be_visible()
    expect(page.locator('a[href="/docs"]').first).to_be_visible()
    shot(page, artifacts, "gallery-en-light")


def test_apple_orange_shows_715_and_every_gradient_on_its_arrow(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_example(page, live_server, "apple_orange", done=True)
    for (source, target), (value, grad) in APPLE_ORANGE.items():
        expect(label(page, source, target, "val")).to_have_text(value)
        expect(label(page, source, target, "grad")).to_have_text(grad)
    expect(page.locator("#state")).to_have_text("Backward pass done")
    shot(page, artifacts, "apple_orange-en-light")


def test_the_picture_reads_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/explore/apple_orange")
    expect(label(page, "price", "", "val")).to_have_text("715")
    expect(label(page, "apple", "apple_price", "grad")).to_have_text("2.2")
    context.close()


def test_editing_an_input_updates_the_numbers(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_example(page, live_server, "apple_orange")
    field = page.locator('#inputs input[data-node="apple"]')
    field.fill("200")
    field.press("Enter")
    # (200*2 + 150*3) * 1.1 = 935; d(apple_num) = 1.1 * 200 = 220
    expect(label(page, "apple_price", "all_price", "val")).to_have_text("400")
    expect(label(page, "price", "", "val")).to_have_text("935")
    expect(label(page, "apple_num", "apple_price", "grad")).to_have_text("220")
    expect(label(page, "apple", "apple_price", "grad")).to_have_text("2.2")


def test_editing_in_place_on_the_picture(page: Page, live_server: str) -> None:
    open_example(page, live_server, "apple_orange")
    page.locator('svg.bpx-graph g.node[data-node="tax"]').click()
    editor = page.locator(".editor input")
    editor.fill("1")
    editor.press("Enter")
    expect(label(page, "price", "", "val")).to_have_text("650")
    expect(label(page, "tax", "price", "grad")).to_have_text("650")


def test_stepping_reveals_values_forward_then_gradients_in_reverse(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_example(page, live_server, "apple_orange")
    order = run_graph(EXAMPLES["apple_orange"].spec).order
    edges = [k for k in APPLE_ORANGE if k[1]]
    expect(page.locator("#state")).to_have_text("Not run yet")  # the page opens at the start
    for source, target in edges:
        expect(label(page, source, target, "grad")).to_have_text("?")
    expect(label(page, "price", "", "val")).to_have_text("?")
    shot(page, artifacts, "apple_orange-not-run")

    page.click("[data-action=forward]")
    expect(page.locator("#state")).to_have_text("Forward pass done")
    expect(label(page, "price", "", "val")).to_have_text("715")
    expect(label(page, "price", "", "grad")).to_have_text("?")

    revealed_at: dict[tuple[str, str], int] = {}
    for step in range(1, 20):
        page.keyboard.press("ArrowRight")
        for key in edges:
            if key not in revealed_at and label(page, *key, "grad").text_content() != "?":
                revealed_at[key] = step
        if page.locator("#state").text_content() == "Backward pass done":
            break
        if step == 2:
            shot(page, artifacts, "apple_orange-backward-step")
    assert set(revealed_at) == set(edges), f"gradients never shown: {set(edges) - set(revealed_at)}"
    # An edge into a later node gets its gradient earlier: the backward pass runs in reverse.
    for a in edges:
        for b in edges:
            if order.index(a[1]) > order.index(b[1]):
                assert revealed_at[a] < revealed_at[b], f"{a} should show before {b}: {revealed_at}"
    for (source, target), (_, grad) in APPLE_ORANGE.items():
        expect(label(page, source, target, "grad")).to_have_text(grad)


def test_a_shared_url_restores_the_graph(
    page: Page, live_server: str, context: BrowserContext
) -> None:
    open_example(page, live_server, "apple_orange")
    field = page.locator('#inputs input[data-node="orange_num"]')
    field.fill("5")
    field.press("Enter")
    # (200 + 150*5) * 1.1 = 1045
    expect(label(page, "price", "", "val")).to_have_text("1045")
    page.locator("#share-panel summary").click()
    page.click("#share-link")
    expect(page.locator("#share-url")).to_have_value(re.compile(r"/explore\?z="))
    url = page.locator("#share-url").input_value()
    fresh = context.new_page()
    fresh.goto(url)
    expect(label(fresh, "price", "", "val")).to_have_text("1045")
    expect(label(fresh, "orange", "orange_price", "grad")).to_have_text("5.5")
    expect(fresh.locator('#inputs input[data-node="orange_num"]')).to_have_value("5")


def test_the_korean_switch_changes_the_texts_and_is_remembered(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_example(page, live_server, "apple_orange", done=True)
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    expect(page.locator("#state")).to_have_text("역전파 완료")  # the address keeps the stage
    expect(page.locator("[data-action=backward]")).to_contain_text("역전파")
    expect(page.locator("[data-action=forward]")).to_contain_text("순전파")
    expect(page.locator("#local-h")).to_have_text("국소적 계산")
    expect(label(page, "price", "", "val")).to_have_text("715")
    shot(page, artifacts, "apple_orange-ko-light")
    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_text("살아 움직이는 계산 그래프")
    shot(page, artifacts, "gallery-ko-light")
    page.click("#lang-switch")
    expect(page.locator("h1")).to_have_text("Computational graphs, alive")


def test_accept_language_picks_korean(browser: Browser, live_server: str) -> None:
    context = browser.new_context(extra_http_headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    page = context.new_page()
    page.goto(live_server + "/explore/apple")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    context.close()


def test_the_dark_theme(page: Page, live_server: str, artifacts: Path) -> None:
    open_example(page, live_server, "apple_orange")
    page.click("#theme-switch")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body.parentElement).backgroundColor")
    assert background == "rgb(18, 20, 23)", background
    shot(page, artifacts, "apple_orange-en-dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    shot(page, artifacts, "apple_orange-ko-dark")
    page.goto(live_server + "/explore/two_layer_net")
    shot(page, artifacts, "two_layer_net-ko-dark")


def test_a_hostile_node_name_runs_nothing_and_shows_as_text(
    page: Page, live_server: str, artifacts: Path
) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    spec = {
        "nodes": [
            {"id": hostile, "op": "input", "value": 1},
            {"id": "y", "op": "neg", "inputs": [hostile]},
        ]
    }
    token = base64.urlsafe_b64encode(json.dumps(spec).encode()).decode().rstrip("=")
    dialogs: list[Dialog] = []
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/explore?g={token}")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    expect(page.locator("svg.bpx-graph g.node text.name").first).to_have_text(hostile)
    expect(page.locator("#error-banner")).to_contain_text(hostile)
    assert page.locator("main img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == [] and errors == []
    shot(page, artifacts, "hostile-name")


def test_pages_send_a_content_security_policy_without_inline_script(
    page: Page, live_server: str
) -> None:
    response = page.goto(live_server + "/explore/apple")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    inline = page.evaluate(
        "[...document.scripts].filter(s => !s.src && s.type !== 'application/json').length"
    )
    assert inline == 0


def test_an_invalid_graph_shows_the_message_next_to_its_node(
    page: Page, live_server: str, artifacts: Path
) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
            {"id": "y", "op": "input", "value": [1, 2]},
            {"id": "z", "op": "add", "inputs": ["x", "y"]},
        ]
    }
    token = base64.urlsafe_b64encode(json.dumps(spec).encode()).decode().rstrip("=")
    page.goto(f"{live_server}/explore?g={token}")
    callout = page.locator(".callout")
    expect(callout).to_contain_text("'z'")
    expect(page.locator("#state")).to_have_text("Cannot run")
    node = page.locator('svg.bpx-graph g.node[data-node="z"]').bounding_box()
    box = callout.bounding_box()
    assert node is not None and box is not None
    assert abs(box["x"] - (node["x"] + node["width"])) < 40 and abs(box["y"] - node["y"]) < 40
    # Fixing the input in place makes it run.
    field = page.locator('#inputs [data-node="y"]')
    field.fill("[10, 20, 30]")
    field.press("Control+Enter")
    expect(page.locator("#state")).to_have_text("Backward pass done")
    expect(callout).to_have_count(0)
    expect(label(page, "z", "", "val")).to_be_visible()


def test_build_your_own_adds_connects_and_deletes(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server + "/explore")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    page.keyboard.press("End")
    expect(label(page, "z", "", "val")).to_have_text("6")
    page.select_option("#build-op", "sigmoid")
    page.fill("#build-id", "s")
    page.select_option("#build-in-0", "z")
    page.click("#build-form button[type=submit]")
    expect(page.locator('svg.bpx-graph g.node[data-node="s"]')).to_be_visible()
    expect(label(page, "s", "", "val")).to_have_text("0.9975")
    shot(page, artifacts, "build-your-own")
    page.get_by_role("button", name="Delete s").click()
    expect(page.locator('svg.bpx-graph g.node[data-node="s"]')).to_have_count(0)
    expect(label(page, "z", "", "val")).to_have_text("6")


def test_gradient_check_and_one_sgd_step(page: Page, live_server: str, artifacts: Path) -> None:
    open_example(page, live_server, "two_layer_net", done=True)
    page.locator("#gradcheck-panel summary").click()
    page.click("#gradcheck-run")
    for node in ("x", "W1", "b1", "W2", "b2"):  # t holds labels: no gradient to check
        expect(page.locator(f'#gradcheck-out tr[data-node="{node}"] td.ok')).to_be_visible()
    assert page.locator("#gradcheck-out td.bad").count() == 0
    page.locator("#step-panel summary").click()
    page.fill("#lr", "1")
    loss_before = float(label(page, "loss", "", "val").text_content() or "nan")
    page.click("#step-run")
    expect(page.locator("#step-out table")).to_be_visible()
    expect(label(page, "loss", "", "val")).not_to_have_text(str(loss_before))
    assert float(label(page, "loss", "", "val").text_content() or "nan") < loss_before
    shot(page, artifacts, "two_layer_net-step")


def test_keyboard_reaches_the_controls_and_the_numbers(page: Page, live_server: str) -> None:
    open_example(page, live_server, "apple", done=True)
    page.locator('svg.bpx-graph g.edge[data-source="tax"]').focus()
    expect(page.locator("#details")).to_contain_text("200")
    page.keyboard.press("Home")
    expect(page.locator("#state")).to_have_text("Not run yet")
    page.keyboard.press("End")
    expect(page.locator("#state")).to_have_text("Backward pass done")


def test_the_gallery_expression_box_draws_the_graph(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.fill("#expr-gallery", "(a*b + c)*d")
    page.fill("#values-gallery", "a=2, b=3, c=4, d=0.5")
    page.click(".expr-form button[type=submit]")
    page.wait_for_url("**/explore?expr=*")
    page.keyboard.press("End")
    outputs = page.locator('svg.bpx-graph g.edge[data-target=""] > .val')
    expect(outputs).to_have_text("5")
    expect(page.locator('svg.bpx-graph g.edge[data-source="d"] > .grad')).to_have_text("10")


def test_exports_svg_png_and_json(page: Page, live_server: str, artifacts: Path) -> None:
    open_example(page, live_server, "apple", done=True)
    page.locator("#share-panel summary").click()
    for button, suffix in (
        ("#export-svg", ".svg"),
        ("#export-png", ".png"),
        ("#export-json", ".json"),
    ):
        with page.expect_download() as info:
            page.click(button)
        download = info.value
        assert download.suggested_filename == f"apple{suffix}"
        path = artifacts / f"export-apple{suffix}"
        download.save_as(path)
        content = path.read_bytes()
        if suffix == ".svg":
            assert b"<style>" in content and b"220" in content
        elif suffix == ".png":
            assert content.startswith(b"\x89PNG") and len(content) > 2000
        else:
            assert json.loads(content)["nodes"][0]["id"] == "apple"


def test_an_unknown_example_answers_404_with_the_known_names(page: Page, live_server: str) -> None:
    response = page.goto(live_server + "/explore/pear")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("No such example")
    page.locator("#known").get_by_role("link", name=EXAMPLES["apple_orange"].title["en"]).click()
    expect(label(page, "price", "", "val")).to_have_text("715")


def go_to_stage(page: Page, stage: int) -> None:
    page.keyboard.press("Home")
    for _ in range(stage):
        page.keyboard.press("ArrowRight")


def test_every_stage_shows_the_engines_numbers_written_short_or_a_question_mark(
    page: Page, live_server: str
) -> None:
    result = run_graph(EXAMPLES["apple_orange"].spec)
    nodes = {n.id: n for n in result.nodes}
    ops = [i for i in result.order if nodes[i].op not in SOURCE_OPS]
    backward = list(reversed(ops))  # every op leads to the output here
    f = len(ops)

    def expected(stage: int, source: str, target: str) -> tuple[str, str]:
        """What the book's step-through shows on an arrow after ``stage`` steps."""
        value_known = source not in ops or ops.index(source) < stage
        if target == "":
            value, grad, grad_known = result.value, nodes[source].grad, stage >= f + 1
        else:
            edge = next(e for e in result.edges if (e.source, e.target) == (source, target))
            value, grad = edge.value, edge.grad
            grad_known = stage >= f + 2 + backward.index(target)
        assert grad is not None
        return (
            short(float(value)) if value_known else "?",
            short(float(grad)) if grad_known else "?",
        )

    open_example(page, live_server, "apple_orange")
    for stage in (0, 2, f, f + 1, f + 2, f + 3, 2 * f + 1):
        go_to_stage(page, stage)
        for source, target in APPLE_ORANGE:
            value, grad = expected(stage, source, target)
            expect(label(page, source, target, "val")).to_have_text(value)
            expect(label(page, source, target, "grad")).to_have_text(grad)
    # The book's figures, at the stages a reader checks them.
    assert expected(f, "price", "") == ("715", "?")
    assert expected(f + 2, "tax", "price") == ("1.1", "650")
    assert expected(2 * f + 1, "apple", "apple_price") == ("100", "2.2")
    assert expected(2 * f + 1, "apple_num", "apple_price") == ("2", "110")
    assert expected(2 * f, "orange_num", "orange_price") == ("3", "165")


def test_the_local_rule_at_a_backward_step_of_mul_shows_the_servers_numbers(
    page: Page, live_server: str
) -> None:
    result = run_graph(EXAMPLES["apple_orange"].spec)
    nodes = {n.id: n for n in result.nodes}
    f = sum(1 for i in result.order if nodes[i].op not in SOURCE_OPS)
    rule = OPS["mul"].rule
    assert rule is not None
    dx, dy = (str(t) for t in rule.backward)
    price = result.node("price")  # all_price × tax, the first node the backward pass reaches
    assert price.op == "mul" and price.inputs == ("all_price", "tax")
    numbers = {
        "dout": short(float(result.grad("price"))),
        "x": short(float(nodes["all_price"].value)),
        "y": short(float(nodes["tax"].value)),
    }
    names = {"dout": "dout", "x": "all_price", "y": "tax"}

    def filled(template: str, tokens: dict[str, str]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: tokens[m.group(1)], template)

    grads = {
        e.source: short(float(np.asarray(e.grad))) for e in result.edges if e.target == "price"
    }
    lines = [
        f"∂L/∂all_price = {filled(dx, names)} = {filled(dx, numbers)} = {grads['all_price']}",
        f"∂L/∂tax = {filled(dy, names)} = {filled(dy, numbers)} = {grads['tax']}",
    ]
    assert lines[0] == "∂L/∂all_price = dout × tax = 1 × 1.1 = 1.1"
    open_example(page, live_server, "apple_orange")
    go_to_stage(page, f + 2)  # the seed, then the backward step at price
    local = page.locator("#local")
    expect(local.locator(".step-title")).to_have_text("Backward at price")
    expect(local.locator("p.rule.grad")).to_have_text(
        ["dout = the gradient arriving from the right = 1", *lines]
    )
    expect(page.locator('svg.bpx-graph g.node[data-node="price"]')).to_have_class(
        re.compile(r"\bcurrent\b")
    )


def test_the_numbers_panel_shows_every_digit_the_server_wrote(page: Page, live_server: str) -> None:
    value = run_graph(EXAMPLES["apple_orange"].spec).value
    open_example(page, live_server, "apple_orange", done=True)
    page.locator('svg.bpx-graph g.edge[data-source="price"][data-target=""]').focus()
    details = page.locator("#details pre")
    expect(details).to_have_text(["715", "1"])  # as a person writes them
    page.check("#details-exact")
    expect(details).to_have_text([repr(float(value)), "1"])
    page.locator('svg.bpx-graph g.edge[data-source="price"][data-target=""]').focus()
    page.keyboard.press("Home")  # the panel follows the stage: nothing is computed yet
    expect(details).to_have_text(["not computed yet", "not computed yet"])
