"""The image's command as the Dockerfile writes it, run by a shell here with a stand-in
``uvicorn`` that prints its arguments, which uvicorn's own command line then reads: WORKERS
sets the workers, uvicorn's access log is off. (No image is built: none can be pulled.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from uvicorn.main import main as uvicorn_command

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, its arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", rest)))
    return env


def uvicorn_params(tmp_path: Path, extra_env: dict[str, str]) -> dict[str, Any]:
    """Run the CMD as Docker does (shell form: ``/bin/sh -c``) and parse what uvicorn gets."""
    (cmd,) = [rest for word, rest in instructions() if word == "CMD"]
    assert not cmd.startswith("["), "an exec-form CMD cannot read WORKERS"
    stand_in = tmp_path / "uvicorn"
    stand_in.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    stand_in.chmod(0o755)
    env = {"PATH": f"{tmp_path}{os.pathsep}/usr/bin:/bin", **image_env(), **extra_env}
    done = subprocess.run(
        ["/bin/sh", "-c", cmd], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    args = json.loads(done.stdout)
    context = uvicorn_command.make_context("uvicorn", list(args))
    return dict(context.params)


def test_the_image_serves_two_workers_by_default(tmp_path: Path) -> None:
    assert image_env()["WORKERS"] == "2"
    params = uvicorn_params(tmp_path, {})
    assert params["app"] == "app.main:app"
    assert (params["host"], params["port"], params["workers"]) == ("0.0.0.0", 8000, 2)
    assert params["access_log"] is False  # the app's own line per request instead


@pytest.mark.parametrize("workers", [1, 4, 9])
def test_workers_sets_uvicorns_workers(tmp_path: Path, workers: int) -> None:
    assert uvicorn_params(tmp_path, {"WORKERS": str(workers)})["workers"] == workers


def test_the_image_runs_as_a_numeric_non_root_user_and_checks_its_health() -> None:
    users = [rest for word, rest in instructions() if word == "USER"]
    assert users and users[-1].isdigit() and int(users[-1]) != 0
    assert image_env()["PYTHONDONTWRITEBYTECODE"] == "1"  # a read-only root fs stays quiet
    (health,) = [rest for word, rest in instructions() if word == "HEALTHCHECK"]
    assert "/healthz" in health


def test_make_run_honours_workers_and_leaves_uvicorns_access_log_off() -> None:
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "WORKERS=3", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "uvicorn " in line]
    args = line.split()[1:]  # after .venv/bin/uvicorn
    params = uvicorn_command.make_context("uvicorn", args).params
    assert (params["app"], params["port"], params["workers"]) == ("app.main:app", 8123, 3)
    assert params["access_log"] is False
