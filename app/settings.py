"""The server's settings, read once from the environment (prefix ``BPX_``).

BPX_HOST=0.0.0.0 BPX_PORT=8080 BPX_MAX_NODES=200 python -m app.main
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import Limits

LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BPX_", frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65_535)
    log_level: LogLevel = "info"
    # one line per request (app.request_log); uvicorn's own access log stays off
    access_log: bool = True
    # bodies over this are refused with 413 while they are read
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1)
    # every request's work ends after this long with a 422 "took longer than" (core.deadline);
    # it also bounds how long SIGTERM waits for the requests in flight
    request_seconds: float = Field(default=5.0, gt=0, le=3600)
    # threads that compute at once in one process (the routes, their dependencies, file
    # reads); the other requests wait their turn without holding Python's GIL, so that
    # /healthz (on the event loop) still answers at once while heavy requests run
    compute_threads: int = Field(default=1, ge=1, le=100)
    # the core's limits, checked before anything is allocated
    max_nodes: int = Field(default=Limits.max_nodes, ge=1)
    max_array_elements: int = Field(default=Limits.max_array_elements, ge=1)
    max_total_elements: int = Field(default=Limits.max_total_elements, ge=1)
    max_check_elements: int = Field(default=Limits.max_check_elements, ge=1)
    # a gradient check's work in element evaluations (0.2 to 0.4 s of CPU at 200 million
    # on an idle core, about 1 s on a busy one)
    max_check_work: int = Field(default=Limits.max_check_work, ge=1)

    # the training lab's stream: a run still going after this many seconds is ended with a
    # final event that says so (POST /api/train/stream, the lab page)
    max_train_seconds: float = Field(default=20.0, gt=0, le=3600)

    def limits(self) -> Limits:
        return Limits(
            max_nodes=self.max_nodes,
            max_array_elements=self.max_array_elements,
            max_total_elements=self.max_total_elements,
            max_check_elements=self.max_check_elements,
            max_check_work=self.max_check_work,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
