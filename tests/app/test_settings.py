"""Settings from BPX_ environment variables, and the limits the endpoints get from them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.api.deps import current_limits
from app.settings import Settings, get_settings
from core import Limits


def test_settings_defaults_match_the_issue() -> None:
    settings = Settings()
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.limits() == Limits(
        max_nodes=1_000, max_array_elements=100_000, max_total_elements=1_000_000
    )
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8000, "info")


def test_settings_read_the_bpx_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPX_MAX_NODES", "50")
    monkeypatch.setenv("BPX_MAX_BODY_BYTES", "1000")
    monkeypatch.setenv("BPX_PORT", "9000")
    monkeypatch.setenv("BPX_LOG_LEVEL", "debug")
    monkeypatch.setenv("MAX_NODES", "7")  # without the prefix: not ours
    settings = Settings()
    assert settings.limits().max_nodes == 50
    assert settings.max_body_bytes == 1000
    assert (settings.port, settings.log_level) == (9000, "debug")


@pytest.mark.parametrize(
    ("name", "value"),
    [("BPX_MAX_NODES", "0"), ("BPX_PORT", "70000"), ("BPX_LOG_LEVEL", "loud")],
)
def test_settings_refuse_nonsense(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_settings_are_frozen() -> None:
    with pytest.raises(ValidationError):
        Settings().max_nodes = 5  # type: ignore[misc]


def test_endpoint_limits_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPX_MAX_ARRAY_ELEMENTS", "12")
    monkeypatch.setenv("BPX_MAX_CHECK_WORK", "34")
    get_settings.cache_clear()
    try:
        assert current_limits().max_array_elements == 12
        assert current_limits().max_check_work == 34
    finally:
        get_settings.cache_clear()
