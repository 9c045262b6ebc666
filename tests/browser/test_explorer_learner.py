"""What a learner sees in the explorer is right (issue 8): every control acts or says it
cannot, numbers read as a person writes them, nothing stale stays, every message says
what is wrong. At a desk (1400x900) and on a phone (390x844), in English and Korean.
Screenshots land in test-results/browser/."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app.i18n import texts
from core import run_graph
from core.examples import EXAMPLES
from core.gradcheck import check_graph
from core.ops import catalog
from core.optimizers import OPTIMIZERS
from core.step import step_graph

pytestmark = pytest.mark.browser

VIEWPORTS = {"desk": (1400, 900), "phone": (390, 844)}
ACTIONS = ("reset", "back", "step", "forward", "backward", "play")


@pytest.fixture(params=[(v, lang) for v in VIEWPORTS for lang in ("en", "ko")], ids=str)
def learner(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    """A page at one viewport, in one language; fails the test on any script error."""
    viewport, lang = request.param
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="ko-KR" if lang == "ko" else "en-US",
        has_touch=viewport == "phone",
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.lang = lang  # type: ignore[attr-defined]
    page.viewport_name = viewport  # type: ignore[attr-defined]
    yield page
    context.close()
    assert errors == [], errors


def lang_of(page: Page) -> str:
    lang: str = page.lang  # type: ignore[attr-defined]
    return lang


def shot(page: Page, artifacts: Path, name: str) -> None:
    viewport = page.viewport_name  # type: ignore[attr-defined]
    page.screenshot(path=str(artifacts / f"{name}-{lang_of(page)}-{viewport}.png"), full_page=True)


def ready(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")


def label(page: Page, source: str, target: str, kind: str) -> Locator:
    return page.locator(
        f'svg.bpx-graph g.edge[data-source="{source}"][data-target="{target}"] > .{kind}'
    )


def button(page: Page, action: str) -> Locator:
    return page.locator(f".toolbar [data-action={action}]")


def controls(page: Page) -> dict[str, tuple[bool, bool]]:
    """Each action: (enabled, highlighted)."""
    found: dict[str, tuple[bool, bool]] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.toolbar [data-action]')]
            .map((b) => [b.dataset.action, [!b.disabled, b.classList.contains('primary')]]))"""
    )
    return {k: (bool(v[0]), bool(v[1])) for k, v in found.items()}


def state_text(page: Page) -> str:
    return page.locator("#state").text_content() or ""


def graph_link(spec: dict[str, Any]) -> str:
    token = base64.urlsafe_b64encode(json.dumps(spec).encode()).decode().rstrip("=")
    return f"/explore?g={token}"


# --- item 1: the first click teaches; a button that cannot act is disabled ---------------


def test_the_explorer_opens_at_the_start_and_the_first_step_computes_the_first_node(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    t = texts(lang_of(learner))
    ready(learner, live_server + "/explore/apple_orange")
    expect(learner.locator("#state")).to_have_text(t["state_none"])
    expect(label(learner, "price", "", "val")).to_have_text("?")
    expect(label(learner, "apple", "apple_price", "val")).to_have_text("100")  # given
    assert controls(learner) == {
        "reset": (False, False),
        "back": (False, False),
        "step": (True, True),
        "forward": (True, False),
        "backward": (True, False),
        "play": (True, False),
    }
    shot(learner, artifacts, "explorer-opens-at-the-start")
    button(learner, "step").click()
    expect(learner.locator("#state")).to_have_text(t["state_forward"].format(k=1, n=4))
    expect(label(learner, "apple_price", "all_price", "val")).to_have_text("200")
    expect(learner.locator("#local p.rule")).to_have_text(
        "apple_price = apple × apple_num = 100 × 2 = 200"
    )
    expect(button(learner, "back")).to_be_enabled()


def _stages(page: Page) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(page.locator("#bpx-data").text_content() or "{}")
    stages: list[dict[str, Any]] = data["view"]["stages"]
    return stages


def test_at_every_stage_the_highlighted_button_acts_and_the_disabled_ones_cannot(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    ready(learner, live_server + "/explore/apple")
    stages = _stages(learner)
    last = len(stages) - 1
    for s, stage in enumerate(stages):
        expect(learner.locator("#state")).to_have_text(stage["text"])
        can = controls(learner)
        primary = [a for a, (_, highlighted) in can.items() if highlighted]
        assert len(primary) == 1 and can[primary[0]][0], f"stage {s}: {can}"
        for action, (enabled, _) in can.items():
            if enabled:
                continue
            before = state_text(learner)
            button(learner, action).click(force=True)  # a disabled button does nothing
            assert state_text(learner) == before, f"stage {s}: {action} acted while disabled"
        assert can["step"][0] == (s < last) and can["backward"][0] == (s < last)
        assert can["reset"][0] == (s > 0) and can["back"][0] == (s > 0)
        if s < last:
            button(learner, "step").click()
    assert controls(learner)["reset"] == (True, True), "at the end, Reset is the way on"
    shot(learner, artifacts, "explorer-at-the-end")


def test_a_graph_that_cannot_run_disables_every_step_button(
    learner: Page, live_server: str
) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
            {"id": "y", "op": "input", "value": [1, 2]},
            {"id": "z", "op": "add", "inputs": ["x", "y"]},
        ]
    }
    ready(learner, live_server + graph_link(spec))
    expect(learner.locator("#state")).to_have_text(texts(lang_of(learner))["state_error"])
    assert all(c == (False, False) for c in controls(learner).values()), controls(learner)
    expect(learner.locator("#gradcheck-run")).to_be_disabled()
    expect(learner.locator("#step-run")).to_be_disabled()


def test_a_tool_that_cannot_act_is_disabled_and_says_why(learner: Page, live_server: str) -> None:
    t = texts(lang_of(learner))
    ready(learner, live_server + "/explore/apple")  # no param to move
    learner.locator("#step-panel summary").click()
    expect(learner.locator("#step-run")).to_be_disabled()
    expect(learner.locator("#step-why")).to_have_text(t["step_no_params"])
    expect(learner.locator("#gradcheck-run")).to_be_enabled()
    ready(learner, live_server + "/explore")
    learner.click("#build-new")  # one node: it cannot be deleted
    expect(learner.locator("#build-nodes li")).to_have_count(1)
    expect(learner.locator("#build-nodes button")).to_be_disabled()


# --- item 2: the optimizer keeps its state; the lr box shows its default and refuses junk --


def core_losses(optimizer: str, lr: float, steps: int) -> list[float]:
    graph: Any = EXAMPLES["two_layer_net"].spec
    state: dict[str, Any] | None = None
    losses: list[float] = []
    for _ in range(steps):
        stepped = step_graph(graph, optimizer, {"lr": lr}, state=state)
        graph, state = stepped.spec, stepped.state.to_dict()
        losses.append(float(stepped.after.value))
    return losses


def loss_label(page: Page) -> float:
    return float(label(page, "loss", "", "val").text_content() or "nan")


def test_momentum_steps_carry_the_velocity_and_draw_the_loss_after_each(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    t = texts(lang_of(learner))
    expected = core_losses("momentum", 1.0, 3)
    sgd = core_losses("sgd", 1.0, 3)
    assert abs(expected[2] - sgd[2]) > 1e-2, "momentum differs from SGD after its first step"
    ready(learner, live_server + "/explore/two_layer_net")
    learner.locator("#step-panel summary").click()
    learner.select_option("#opt", "momentum")
    learner.fill("#lr", "1")
    for k, loss in enumerate(expected, 1):
        learner.click("#step-run")
        expect(learner.locator(".step-carried")).to_contain_text(str(k))
        assert loss_label(learner) == pytest.approx(loss, rel=2e-3), f"step {k}"
    expect(learner.locator(".step-trajectory circle.dot")).to_have_count(4)
    expect(learner.locator(".step-trajectory figcaption")).to_have_text(
        t["step_trajectory"].replace("{node}", "loss")
    )
    learner.locator("#step-panel").scroll_into_view_if_needed()
    shot(learner, artifacts, "explorer-momentum-steps")
    # Another optimizer, or an edited graph: it starts afresh, and says so.
    learner.select_option("#opt", "adam")
    expect(learner.locator("#step-note")).to_have_text(t["step_fresh_optimizer"])
    learner.click("#step-run")
    expect(learner.locator(".step-trajectory circle.dot")).to_have_count(2)
    field = learner.locator('#inputs [data-node="b2"]')
    field.fill("[0.1, 0, 0]")
    field.press("Control+Enter")
    expect(learner.locator("#step-note")).to_have_text(t["step_fresh_graph"])
    expect(learner.locator("#step-out table")).to_have_count(0)


def test_the_learning_rate_box_shows_each_optimizers_default(
    learner: Page, live_server: str
) -> None:
    ready(learner, live_server + "/explore/two_layer_net")
    learner.locator("#step-panel summary").click()
    for name, cls in OPTIMIZERS.items():
        learner.select_option("#opt", name)
        # as Python writes the registry's default: 0.01, 0.001
        expect(learner.locator("#lr")).to_have_attribute("placeholder", repr(cls.DEFAULTS["lr"]))


@pytest.mark.parametrize("typed", ["abc", "-1", "1e400"])
def test_a_learning_rate_that_is_no_positive_number_is_refused_visibly(
    learner: Page, live_server: str, artifacts: Path, typed: str
) -> None:
    ready(learner, live_server + "/explore/two_layer_net")
    learner.keyboard.press("End")
    loss = label(learner, "loss", "", "val").text_content()
    learner.locator("#step-panel summary").click()
    learner.fill("#lr", typed)
    learner.click("#step-run")
    problem = learner.locator("#lr-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text(typed)
    expect(problem).to_contain_text("0.1")
    expect(learner.locator("#lr")).to_have_value(typed)
    expect(learner.locator("#step-out table")).to_have_count(0)
    assert label(learner, "loss", "", "val").text_content() == loss, "no step was taken"
    if typed == "abc":
        shot(learner, artifacts, "explorer-bad-lr")


# --- item 3: after a failed run nothing of the old one stays ------------------------------


def test_a_wrong_shaped_w_leaves_no_old_number_or_shape_anywhere(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    t = texts(lang_of(learner))
    ready(learner, live_server + "/explore/affine")
    learner.keyboard.press("End")
    learner.locator('svg.bpx-graph g.node[data-node="W"]').focus()
    expect(learner.locator("#details .step-title")).to_have_text("W · param · (3, 2)")
    learner.locator("#gradcheck-panel summary").click()
    learner.click("#gradcheck-run")
    expect(learner.locator("#gradcheck-out table")).to_be_visible()
    field = learner.locator('#inputs [data-node="W"]')
    field.fill("[[1, 2], [3, 4], [5, 6], [7, 8]]")
    field.press("Control+Enter")  # a matrix box: Enter commits too (item 13's test)
    expect(learner.locator("#state")).to_have_text(t["state_error"])
    details = learner.locator("#details")
    expect(details.locator(".step-title")).to_have_text("W · param · (4, 2)")
    expect(details.locator("pre")).to_have_text([t["details_cannot_run"]] * 2)
    expect(details).not_to_contain_text("0.1")
    w_title = learner.locator('svg.bpx-graph g.node[data-node="W"] > title').text_content() or ""
    assert "(3, 2)" not in w_title and "0.1" not in w_title
    captions = learner.locator('svg.bpx-graph g.edge[data-source="W"] text.cap').all_text_contents()
    assert captions and all("(4, 2)" in c for c in captions), captions
    expect(learner.locator('#inputs label[for="value-1"]')).to_contain_text("(4, 2)")
    expect(learner.locator("#gradcheck-out")).to_have_text(t["gradcheck_stale"])
    shot(learner, artifacts, "explorer-wrong-shaped-w")


# --- item 4: a number too large for a float is kept and named ----------------------------


def test_1e400_stays_in_its_box_and_is_called_too_large(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    t = texts(lang_of(learner))
    ready(learner, live_server + "/explore/apple")
    field = learner.locator('#inputs input[data-node="apple"]')
    field.fill("1e400")
    field.press("Enter")
    problem = learner.locator('#inputs .field:has(input[data-node="apple"]) .problem')
    expect(problem).to_have_text(t["value_too_large"])
    expect(field).to_have_value("1e400")
    # Another box's edit runs the graph again: the first box keeps what was typed.
    other = learner.locator('#inputs input[data-node="tax"]')
    other.fill("1")
    other.press("Enter")
    expect(label(learner, "price", "", "val")).to_have_text("200")
    expect(field).to_have_value("1e400")
    expect(problem).to_have_text(t["value_too_large"])
    expect(learner.locator("#error-banner")).to_be_hidden()
    shot(learner, artifacts, "explorer-1e400")
    # The in-place editor says the same.
    learner.locator('svg.bpx-graph g.node[data-node="tax"]').click()
    editor = learner.locator(".editor input")
    editor.fill("-1e400")
    editor.press("Enter")
    expect(learner.locator(".editor .problem")).to_have_text(t["value_too_large"])
    expect(editor).to_have_value("-1e400")


# --- item 5: the in-place editor stays while a side box's edit is committed ---------------


def test_the_in_place_editor_stays_when_a_side_box_holds_an_uncommitted_edit(
    learner: Page, live_server: str
) -> None:
    ready(learner, live_server + "/explore/apple_orange")
    for attempt, value in enumerate(("300", "400", "500")):
        learner.locator('#inputs input[data-node="apple"]').fill(value)
        learner.locator('svg.bpx-graph g.node[data-node="tax"]').click()
        # The side box's edit is committed (its blur) and runs: the editor stays open.
        expect(label(learner, "apple", "apple_price", "val")).to_have_text(value)
        learner.wait_for_timeout(300)
        editor = learner.locator(".editor input")
        expect(editor).to_be_visible()
        expect(editor).to_be_focused()
        editor.fill(f"1.{attempt + 2}")
        editor.press("Enter")
        expect(label(learner, "tax", "price", "val")).to_have_text(f"1.{attempt + 2}")


# --- item 9: numbers as a person writes them ----------------------------------------------


def test_numbers_read_as_the_book_prints_them_with_every_digit_one_tick_away(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    grad = run_graph(EXAMPLES["apple_orange"].spec).edges[1].grad
    assert grad is not None and repr(float(grad)) == "110.00000000000001"
    t = texts(lang_of(learner))
    ready(learner, live_server + "/explore/apple_orange")
    learner.keyboard.press("End")
    edge = learner.locator('svg.bpx-graph g.edge[data-source="apple_num"]')
    edge.focus()
    details = learner.locator("#details pre")
    expect(details).to_have_text(["2", "110"])
    title = edge.locator(":scope > title").text_content() or ""
    assert title.endswith(f"{t['w_gradient']}: 110"), title
    learner.check("#details-exact")
    expect(details).to_have_text(["2", "110.00000000000001"])
    apple = learner.locator('svg.bpx-graph g.node[data-node="apple"] > title')
    input_title = catalog(lang_of(learner))["input"]["title"]
    assert (apple.text_content() or "").splitlines()[0] == f"apple ({input_title})"
    shot(learner, artifacts, "explorer-every-digit")


def test_a_negative_gradient_goes_into_the_rule_in_parentheses(
    learner: Page, live_server: str
) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 2},
            {"id": "a", "op": "neg", "inputs": ["x"]},
            {"id": "b", "op": "neg", "inputs": ["a"]},
        ],
        "dout": 0.235,
    }
    ready(learner, live_server + graph_link(spec))
    learner.keyboard.press("End")
    expect(learner.locator("#local p.rule.grad").last).to_have_text(
        "∂L/∂x = −dout = −(−0.235) = 0.235"
    )


# --- item 11: a gradient check at a kink says it is one ------------------------------------


def test_a_gradient_check_at_relus_kink_explains_itself(
    learner: Page, live_server: str, artifacts: Path
) -> None:
    spec = {
        "nodes": [
            {"id": "x", "op": "input", "value": 0.0},
            {"id": "r", "op": "relu", "inputs": ["x"]},
        ]
    }
    kink = check_graph(spec)["x"].kink_at
    assert kink is not None
    t = texts(lang_of(learner))
    ready(learner, live_server + graph_link(spec))
    learner.locator("#gradcheck-panel summary").click()
    learner.click("#gradcheck-run")
    expect(learner.locator('#gradcheck-out tr[data-node="x"] td.kink')).to_have_text(
        t["gradcheck_kink"]
    )
    expect(learner.locator("#gradcheck-out tr.kink-note")).to_have_text(
        kink.message(lang_of(learner))
    )
    expect(learner.locator("#gradcheck-out td.bad")).to_have_count(0)
    learner.locator("#gradcheck-panel").scroll_into_view_if_needed()
    shot(learner, artifacts, "explorer-kink")


# --- item 13: share links keep the example and the stage; Enter commits -------------------


def test_a_share_link_keeps_the_examples_title_and_the_stage(
    learner: Page, live_server: str, browser: Browser
) -> None:
    example = EXAMPLES["apple_orange"]
    lang = lang_of(learner)
    ready(learner, live_server + "/explore/apple_orange")
    for _ in range(3):
        button(learner, "step").click()
    learner.locator("#share-panel summary").click()
    learner.click("#share-link")
    expect(learner.locator("#share-url")).to_have_value(re.compile(r"/explore/apple_orange\?s=3$"))
    field = learner.locator('#inputs input[data-node="orange_num"]')
    field.fill("5")
    field.press("Enter")
    expect(label(learner, "orange_price", "all_price", "val")).to_have_text("750")
    expect(label(learner, "price", "", "val")).to_have_text("?")  # still at stage 3
    learner.click("#share-link")
    expect(learner.locator("#share-url")).to_have_value(re.compile(r"from=apple_orange"))
    url = learner.locator("#share-url").input_value()
    fresh = learner.context.new_page()
    ready(fresh, url)
    expect(fresh.locator("#graph-title")).to_have_text(example.title[lang])
    expect(fresh.locator(".lead")).to_have_text(example.description[lang])
    expect(fresh.locator("#origin a")).to_have_attribute("href", "/explore/apple_orange")
    expect(fresh.locator("#state")).to_have_text(texts(lang)["state_forward"].format(k=3, n=4))
    expect(label(fresh, "orange_price", "all_price", "val")).to_have_text("750")
    fresh.close()


def test_enter_commits_a_matrix_and_shift_enter_starts_a_new_line(
    learner: Page, live_server: str
) -> None:
    ready(learner, live_server + "/explore/matmul")
    learner.keyboard.press("End")
    hint = learner.locator("#inputs-h + .hint")
    expect(hint).to_contain_text("Shift+Enter")
    box = learner.locator('#inputs textarea[data-node="x"]')
    box.fill("[[1, 0, 0],")
    box.press("Shift+Enter")
    box.press_sequentially(" [0, 1, 0]]")
    expect(box).to_have_value("[[1, 0, 0],\n [0, 1, 0]]")
    box.press("Enter")
    # x is now the first two rows of the identity: y = x · W is W's first two rows.
    learner.locator('svg.bpx-graph g.edge[data-source="y"]').focus()
    w = EXAMPLES["matmul"].spec["nodes"][1]["value"]
    assert w[1] == [0.3, -0.4]
    expect(learner.locator("#details pre").first).to_contain_text("[ 0.3, -0.4]")
    expect(box).to_have_value(re.compile(r"^\[\[1,0,0\],\[0,1,0\]\]$"))
