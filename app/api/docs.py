"""GET /docs: Swagger UI from files in the repo, so the docs work in an offline classroom.

The assets are swagger-ui-dist 5.35.0 (npm), vendored in static/vendor/swagger-ui/.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "swagger-ui"
ASSETS_PATH = "/docs/assets"

router = APIRouter(include_in_schema=False)


def swagger_assets() -> StaticFiles:
    return StaticFiles(directory=SWAGGER_DIR)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - API",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
        # the default validator badge would call out to the internet
        swagger_ui_parameters={"validatorUrl": None},
    )
