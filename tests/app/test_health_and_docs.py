"""GET /healthz, the OpenAPI schema and /docs served from local files."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.main import app


def test_healthz_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_lists_every_endpoint_with_an_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    expected = {
        ("/healthz", "get"),
        ("/api/examples", "get"),
        ("/api/examples/{name}", "get"),
        ("/api/run", "post"),
        ("/api/expression", "post"),
        ("/api/gradcheck", "post"),
        ("/api/step", "post"),
    }
    found = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert expected <= found
    components = schema["components"]["schemas"]
    for path, method in expected:
        operation = schema["paths"][path][method]
        ok = operation["responses"]["200"]["content"]["application/json"]
        assert "example" in ok, f"{method.upper()} {path} has no response example"
        if "requestBody" in operation:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            model = components[ref.rsplit("/", 1)[1]]
            assert model.get("examples"), f"{method.upper()} {path} has no request example"


def test_docs_load_swagger_from_this_server(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert "/openapi.json" in html
    external = [u for u in re.findall(r"https?://[^\"' )]+", html)]
    assert external == [], f"/docs must work offline, but it loads {external}"


def test_docs_assets_are_served(client: TestClient) -> None:
    for name, kind in [
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "css"),
        ("favicon-32x32.png", "png"),
    ]:
        response = client.get(f"/docs/assets/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["content-type"], name
        assert len(response.content) > 500, name


def test_redoc_is_off_since_it_needs_a_cdn(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
    assert app.redoc_url is None
