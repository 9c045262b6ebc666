"""A page that does not exist, asked for by a browser, is an HTML 404 in the site's frame;
programs, and every /api/ path, keep the JSON body. And /docs is one of the site's pages:
its header, language and theme, its Content-Security-Policy without inline script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.schemas import ErrorBody
from core.examples import EXAMPLES

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def check_frame(page: str, lang: str) -> None:
    """The site's frame: the viewport, the language, the header with its nav and switches."""
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert f'<html lang="{lang}"' in page
    assert 'class="top"' in page and 'id="lang-switch"' in page and 'id="theme-switch"' in page
    for href in ('href="/"', 'href="/explore"', 'href="/lab"', 'href="/docs"'):
        assert href in page, href


def scripts(page: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", page)


@pytest.mark.parametrize("path", ["/nope", "/explore/nope/more", "/static/nope.css", "/lab/nope"])
def test_a_browser_gets_an_html_404_page_with_links(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    check_frame(page, "en")
    assert "<h1>Page not found</h1>" in page
    assert f"There is no page at {path}." in page


def test_the_404_page_speaks_korean_and_keeps_the_theme(client: TestClient) -> None:
    client.cookies.set("lang", "ko")
    client.cookies.set("theme", "dark")
    page = client.get("/nope", headers={"accept": BROWSER}).text
    check_frame(page, "ko")
    assert 'data-theme="dark"' in page
    assert "<h1>페이지를 찾을 수 없습니다</h1>" in page
    assert "여기에서 갈 수 있는 곳" in page


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_unknown_example_is_no_such_example_with_every_example_as_a_link(
    client: TestClient, lang: str
) -> None:
    response = client.get("/explore/pear", headers={"accept": BROWSER, "accept-language": lang})
    assert response.status_code == 404
    page = response.text
    check_frame(page, lang)
    heading = {"en": "No such example", "ko": "그런 예제는 없습니다"}[lang]
    assert f"<h1>{heading}</h1>" in page
    assert "Your graph" not in page and "나의 그래프" not in page
    assert "pear" in page
    for name, example in EXAMPLES.items():
        assert f'<a href="/explore/{name}">{example.title[lang]}</a>' in page, name


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/json, text/html;q=0.5"]
)
def test_programs_keep_the_json_404(client: TestClient, accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    for path in ("/nope", "/explore/pear"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        body = ErrorBody.model_validate(response.json())
        assert body.code == "not_found"
    pear = client.get("/explore/pear", headers=headers).json()
    assert pear["known"] == list(EXAMPLES)
    assert pear["detail"].startswith("no example named 'pear'; known: apple")


@pytest.mark.parametrize("path", ["/api/nope", "/api/examples/pear", "/api"])
def test_every_api_path_answers_json_even_to_a_browser(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_docs_have_the_sites_header_and_a_strict_policy(client: TestClient, lang: str) -> None:
    response = client.get("/docs", headers={"accept-language": lang})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    page = response.text
    check_frame(page, lang)
    assert {"en": "The REST API", "ko": "REST API"}[lang] in page
    for tag in scripts(page):
        assert "src=" in tag or 'type="application/json"' in tag, f"an inline script: {tag}"
    assert '<script type="module" src="/static/js/docs.js"></script>' in page
    assert 'src="/docs/assets/swagger-ui-bundle.js"' in page
    assert 'data-openapi="/openapi.json"' in page
    init = client.get("/static/js/docs.js")
    assert init.status_code == 200 and "SwaggerUIBundle" in init.text


def test_docs_keep_the_theme(client: TestClient) -> None:
    client.cookies.set("theme", "dark")
    assert '<html lang="en" data-theme="dark"' in client.get("/docs").text
