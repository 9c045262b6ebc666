"""GET /docs: Swagger UI from files in the repo, so the docs work in an offline classroom.

The assets are swagger-ui-dist 5.35.0 (npm), vendored in static/vendor/swagger-ui/. The
page is one of the site's (its header, language and theme switches, its
Content-Security-Policy); Swagger UI itself stays English. It is started by
``static/js/docs.js``, a file, so the policy needs no inline script.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from app.pages import Frame, render_page

SWAGGER_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "swagger-ui"
ASSETS_PATH = "/docs/assets"

router = APIRouter(include_in_schema=False)


def swagger_assets() -> StaticFiles:
    return StaticFiles(directory=SWAGGER_DIR)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, frame: Frame) -> Response:
    root = request.scope.get("root_path", "")
    context = {**frame.context(), "openapi_url": f"{root}{request.app.openapi_url}"}
    return render_page(request, "docs.html", context)
