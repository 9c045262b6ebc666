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
    # bodies over this are refused with 413 while they are read
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1)
    # the core's limits, checked before anything is allocated
    max_nodes: int = Field(default=Limits.max_nodes, ge=1)
    max_array_elements: int = Field(default=Limits.max_array_elements, ge=1)
    max_total_elements: int = Field(default=Limits.max_total_elements, ge=1)
    max_check_elements: int = Field(default=Limits.max_check_elements, ge=1)
    # a gradient check's work in element evaluations (about 1 s of CPU at 200 million)
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
