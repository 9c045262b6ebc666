"""The command line as a learner runs it: the installed ``backprop-explorer`` script in a
subprocess, in a folder of their own, and what it printed, wrote and exited with."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import live

SCRIPT = Path(sys.executable).with_name("backprop-explorer")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> Outcome:
    """Run the console script the way a shell would."""
    assert SCRIPT.exists(), f"{SCRIPT} is missing: pip install -e . installs it (make test does)"
    env = {**os.environ, "COLUMNS": "120", "PYTHONUNBUFFERED": "1"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    outcome = Outcome(done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in outcome.output, f"a raw traceback was printed:\n{outcome.output}"
    return outcome


class Cli:
    """``cli("run", "apple")``: the script, run in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str) -> Outcome:
        return run_cli(*args, cwd=self.folder)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The script in a fresh folder of the learner's."""
    return Cli(tmp_path)


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    with live.live_server() as base:
        yield base
