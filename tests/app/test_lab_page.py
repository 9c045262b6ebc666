"""The training lab's routes without a browser: GET /lab and POST /lab/figures draw through
one function, refuse bad settings through app/errors.py, and speak the page's language."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.api.train import TrainRequest
from app.errors import validation_error_body
from app.i18n import LAB_FIELDS, texts
from app.schemas import ErrorBody
from app.share import decode_graph
from core.datasets import DATASET_DEFAULTS, DATASET_TITLES, DATASETS
from core.optimizers import OPTIMIZERS

MOONS = {"dataset": "moons", "optimizer": "adam", "lr": 0.05, "max_epoch": 20, "seed": 7}
CHARTS = {
    "loss_svg": "loss-chart",
    "accuracy_svg": "accuracy-chart",
    "boundary_svg": "boundary-chart",
}


def chart(html: str, chart_id: str) -> str:
    """The markup inside ``<div class="chart" id=chart_id>``: the SVG the page shows."""
    match = re.search(rf'<div class="chart" id="{chart_id}">(.*?)</div>', html, re.S)
    assert match, f"no #{chart_id} on the page"
    return match.group(1)


def output(html: str, output_id: str) -> str:
    match = re.search(rf'<output id="{output_id}">(.*?)</output>', html)
    assert match, f"no #{output_id} on the page"
    return match.group(1)


def page_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="lab-data">(.*?)</script>', html, re.S)
    assert match, "no #lab-data on the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lab_figures_are_the_svg_the_page_draws_for_the_same_settings(
    client: TestClient, lang: str
) -> None:
    headers = {"accept-language": lang}
    page = client.get("/lab", params=MOONS, headers=headers)
    assert page.status_code == 200, page.text
    answer = client.post("/lab/figures", json=MOONS, headers=headers)
    assert answer.status_code == 200, answer.text
    drawn = answer.json()
    for key, chart_id in CHARTS.items():
        assert drawn[key].startswith("<svg"), f"{key} is not an SVG"
        assert chart(page.text, chart_id) == drawn[key], f"#{chart_id} differs from {key}"
    assert output(page.text, "final-loss") == drawn["final_loss"]
    assert output(page.text, "final-accuracy") == drawn["final_accuracy"]
    assert f">{drawn['status']}</p>" in page.text
    assert drawn["epochs"] == 20


def test_lab_figures_differ_with_the_settings(client: TestClient) -> None:
    first = client.post("/lab/figures", json=MOONS).json()
    other = client.post("/lab/figures", json={**MOONS, "dataset": "circles"}).json()
    assert first["boundary_svg"] != other["boundary_svg"]
    assert first["loss_svg"] != other["loss_svg"]


def test_lab_figures_write_the_summary_in_the_pages_language(client: TestClient) -> None:
    settings = {"max_epoch": 5}
    english = client.post("/lab/figures", json=settings, headers={"accept-language": "en"}).json()
    # the cookie wins over Accept-Language, as on every page
    client.cookies.set("lang", "ko")
    korean = client.post("/lab/figures", json=settings, headers={"accept-language": "en"}).json()
    assert english["status"] == "Trained for 5 epochs."
    assert korean["status"] == "5 에폭 학습을 마쳤습니다."
    assert 'aria-label="에폭별 손실"' in korean["loss_svg"]
    assert 'aria-label="Loss per epoch"' in english["loss_svg"]
    # numbers are written once, the same in both languages
    assert korean["final_loss"] == english["final_loss"]
    assert re.fullmatch(r"\d\.\d{4}", english["final_loss"]), english["final_loss"]
    assert re.fullmatch(r"\d{1,3}\.\d%", english["final_accuracy"]), english["final_accuracy"]


@pytest.mark.parametrize(
    ("body", "field", "english", "korean"),
    [
        (
            {"max_epoch": "20"},
            "max_epoch",
            "Epochs: must be a whole number",
            "에폭 수: 정수여야 합니다",
        ),
        ({"dataset": "iris"}, "dataset", "Data set: must be one of", "데이터셋: 다음 중 하나여야"),
        ({"lr": 0}, "lr", "Learning rate: must be greater than 0", "학습률: 0보다 커야 합니다"),
        (
            {"batch_size": 0},
            "batch_size",
            "Batch size: must be at least 1",
            "배치 크기: 1 이상이어야",
        ),
        ({"epochs": 3}, "epochs", "epochs: is not a field here", "epochs: 여기에 없는 항목입니다"),
    ],
)
def test_lab_figures_refuse_a_bad_body_naming_the_forms_label_in_the_pages_language(
    client: TestClient, body: dict[str, Any], field: str, english: str, korean: str
) -> None:
    api = client.post("/api/train", json=body, headers={"accept-language": "ko"}).json()
    assert api["detail"].startswith(f"{field}: "), "the API names its fields, in English"
    for lang, expected in (("en", english), ("ko", korean)):
        answer = client.post("/lab/figures", json=body, headers={"accept-language": lang})
        assert answer.status_code == 422, answer.text
        error = ErrorBody.model_validate(answer.json())
        assert error.code == "invalid_request"
        assert error.detail.startswith(expected), error.detail
        assert field not in error.detail or field == "epochs", f"an API name: {error.detail}"
        assert error.errors and [e.loc for e in error.errors] == [e["loc"] for e in api["errors"]]


def test_lab_figures_refuse_too_much_work_and_malformed_json(client: TestClient) -> None:
    too_much = client.post("/lab/figures", json={"max_epoch": 1000, "batch_size": 1})
    assert too_much.status_code == 422
    assert "300000 updates" in too_much.json()["detail"]
    malformed = client.post(
        "/lab/figures", content=b'{"max_epoch": 3', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    "query",
    [
        {"max_epoch": "1000", "batch_size": "1"},
        {"max_epoch": "abc"},
        {"dataset": "iris", "lr": "-1"},
        {"batch_size": "0"},
    ],
)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lab_page_names_the_problem_as_the_figures_route_would(
    client: TestClient, query: dict[str, str], lang: str
) -> None:
    page = client.get("/lab", params=query, headers={"accept-language": lang})
    assert page.status_code == 422
    problem = re.search(r'<span id="lab-error-text">(.*?)</span>', page.text, re.S)
    assert problem is not None
    try:
        TrainRequest.model_validate(query, strict=False)
    except ValidationError as exc:
        labels = {field: texts(lang)[key] for field, key in LAB_FIELDS.items()}
        expected = validation_error_body(exc, query, lang, labels).detail
    else:
        pytest.fail(f"{query} should not validate")
    assert html.unescape(problem.group(1)) == expected, problem.group(1)
    for field in query:
        assert field not in expected, f"the page names the API field {field}: {expected}"
    assert output(page.text, "final-loss") == "–", "no figures for refused settings"


def test_too_much_work_names_the_forms_labels_in_korean(client: TestClient) -> None:
    page = client.get(
        "/lab", params={"max_epoch": "1000", "batch_size": "1"}, headers={"accept-language": "ko"}
    )
    problem = re.search(r'<span id="lab-error-text">(.*?)</span>', page.text, re.S)
    assert problem is not None
    text = html.unescape(problem.group(1))
    assert text.startswith("에폭 수 1000, 배치 크기 1: 갱신이 300000회입니다"), text


def test_validation_error_body_is_the_apis_422_body(client: TestClient) -> None:
    body = {"hidden_size": 0, "optimizer": "lbfgs"}
    with pytest.raises(ValidationError) as caught:
        TrainRequest.model_validate(body)
    ours = validation_error_body(caught.value, body)
    api = client.post("/api/train", json=body).json()
    assert ours.model_dump(exclude_none=True) == api
    assert ours.detail.endswith("(and 1 more problem)")


def test_lab_form_lists_the_registries_with_the_cores_titles(client: TestClient) -> None:
    for lang in ("en", "ko"):
        html = client.get("/lab", params={"max_epoch": "2"}, headers={"accept-language": lang}).text
        for name in DATASETS:
            title = DATASET_TITLES[name][lang]
            assert re.search(
                rf'<option value="{name}"( selected)?>{re.escape(title)}</option>', html
            )
        for name in OPTIMIZERS:
            assert re.search(rf'<option value="{name}"( selected)?>{name}</option>', html)


def test_lab_page_data_carries_the_urls_from_the_router(client: TestClient) -> None:
    data = page_data(client.get("/lab", params={"max_epoch": "2"}).text)
    assert data["urls"] == {
        "figures": client.app.url_path_for("lab_figures"),  # type: ignore[attr-defined]
        "stream": client.app.url_path_for("lab_stream"),  # type: ignore[attr-defined]
    }
    assert set(data["texts"]) == {"training", "error_network", "no_value", "pause", "resume"}


def selected(page: str, select_id: str) -> str:
    select = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    assert select, f"no #{select_id} on the page"
    option = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    assert option, f"nothing selected in #{select_id}"
    return option.group(1)


def box(page: str, input_id: str) -> str:
    match = re.search(rf'<input id="{input_id}"[^>]* value="([^"]*)"', page)
    assert match, f"no #{input_id} on the page"
    return html.unescape(match.group(1))


def hint(page: str) -> tuple[bool, str]:
    """Whether #lab-hint is shown, and its text."""
    match = re.search(r'<p class="note lab-hint" id="lab-hint"( hidden)?>(.*?)</p>', page, re.S)
    assert match, "no #lab-hint on the page"
    return not match.group(1), html.unescape(match.group(2))


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_lab_page_with_only_a_dataset_starts_from_its_defaults_and_learns(
    client: TestClient, dataset: str
) -> None:
    page = client.get("/lab", params={"dataset": dataset}).text
    defaults = DATASET_DEFAULTS[dataset]
    assert selected(page, "lab-dataset") == dataset
    assert selected(page, "lab-optimizer") == defaults.optimizer
    assert box(page, "lab-lr") == str(defaults.lr)
    accuracy = output(page, "final-accuracy")
    assert float(accuracy.removesuffix("%")) >= 90, f"{dataset}: {accuracy} with its defaults"
    assert hint(page) == (False, "")


def test_lab_page_data_carries_each_datasets_defaults_as_the_form_writes_them(
    client: TestClient,
) -> None:
    data = page_data(client.get("/lab", params={"max_epoch": "2"}).text)
    assert data["defaults"] == {
        name: {"optimizer": d.optimizer, "lr": str(d.lr)} for name, d in DATASET_DEFAULTS.items()
    }


def test_lab_page_links_each_datasets_defaults_for_a_browser_without_script(
    client: TestClient,
) -> None:
    page = client.get("/lab").text
    noscript = re.search(r'<p class="hint" id="lab-dataset-links">(.*?)</p>', page, re.S)
    assert noscript, "no links to the data sets' defaults"
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', noscript.group(1))
    assert links == [(f"/lab?dataset={name}", DATASET_TITLES[name]["en"]) for name in DATASETS]


STUCK = {"dataset": "circles", "optimizer": "sgd", "lr": 1.0, "seed": 1984}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["has not learned", "50.0%", "Adam", "learning rate"]),
        ("ko", ["학습되지 않았습니다", "50.0%", "Adam", "학습률"]),
    ],
)
def test_a_run_near_chance_says_so_with_a_hint(
    client: TestClient, lang: str, words: list[str]
) -> None:
    headers = {"accept-language": lang}
    drawn = client.post("/lab/figures", json=STUCK, headers=headers).json()
    assert drawn["final_accuracy"] == "50.0%"
    for word in words:
        assert word in drawn["hint"], drawn["hint"]
    page = client.get("/lab", params=STUCK, headers=headers).text
    assert hint(page) == (True, drawn["hint"])
    learned = client.post("/lab/figures", json={"max_epoch": 300}, headers=headers).json()
    assert learned["hint"] == ""


def test_refused_settings_show_no_run_and_keep_the_datasets_defaults(client: TestClient) -> None:
    page = client.get("/lab", params={"dataset": "circles", "batch_size": "0"})
    assert page.status_code == 422
    text = page.text
    assert "batch_size" in text
    assert output(text, "final-loss") == output(text, "final-accuracy") == "–"
    assert re.search(r'<div class="lab-figures" id="lab-figures" hidden>', text)
    for chart_id in CHARTS.values():
        assert "<svg" not in chart(text, chart_id), f"#{chart_id} shows a figure"
    assert hint(text) == (False, "")
    assert re.search(r'<p class="lab-status" id="lab-status"[^>]*></p>', text), "a status"
    # the form keeps what was given, the rest is circles' own
    assert box(text, "lab-batch") == "0"
    assert selected(text, "lab-optimizer") == DATASET_DEFAULTS["circles"].optimizer
    assert box(text, "lab-lr") == str(DATASET_DEFAULTS["circles"].lr)


def test_the_lab_compares_the_optimizers_in_the_pages_language(client: TestClient) -> None:
    html = client.get("/lab", params={"max_epoch": "2"}, headers={"accept-language": "ko"}).text
    assert "옵티마이저 비교" in html
    assert html.count('class="panel-path"') == 4
    assert html.count('class="curve series') == 4
    assert "옵티마이저별 스파이럴 에폭별 손실" in html


def test_open_in_the_explorer_carries_the_trained_net(client: TestClient) -> None:
    html = client.get("/lab", params={"max_epoch": "20"}).text
    link = re.search(r'<a class="button" id="lab-explore" href="([^"]+)"', html)
    assert link, "no link to the explorer"
    href = link.group(1).replace("&amp;", "&")
    assert href.startswith(client.app.url_path_for("explore") + "?z=")  # type: ignore[attr-defined]
    spec = decode_graph(href.split("?z=", 1)[1], None)
    trained = client.post("/api/train", json={"max_epoch": 20}).json()
    by_name = {p["name"]: p["value"] for p in trained["params"]}
    nodes = {n["id"]: n for n in spec["nodes"]}
    assert nodes["W2"]["value"] == by_name["W2"]
    page = client.get(href)
    assert page.status_code == 200 and "affine2" in page.text
