"""What every request passes through, whatever its route: its time bound, its headers.

RequestTimeLimit   the request's work must end within BPX_REQUEST_SECONDS: the core's
                   long loops check it (core.deadline) and stop with a 422 that says so
SecurityHeaders    every HTML response (pages, the 404 page, /docs, any HTML file)
                   carries the site's Content-Security-Policy, nosniff and
                   Referrer-Policy (app.pages.SECURITY_HEADERS); every other
                   response nosniff
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.pages import SECURITY_HEADERS
from app.settings import get_settings
from core.deadline import time_limit


class RequestTimeLimit:
    """Set the request's time bound; the thread pool that runs its route inherits it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with time_limit(get_settings().request_seconds):
            await self.app(scope, receive, send)


class SecurityHeaders:
    """The same security headers on every HTML response, set in this one place."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.update(SECURITY_HEADERS)
                else:
                    headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self.app(scope, receive, send_with_headers)
