"""``run``, ``export``, ``train`` and ``serve`` through the installed script: what they
print, the files they write, their exit codes and messages; ``--server`` through a live
service."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core import run_graph
from core.examples import EXAMPLES
from tests.cli.conftest import SCRIPT, Cli
from tests.drawing import png
from tests.live import free_port

CYCLE = {
    "nodes": [
        {"id": "x", "op": "input", "value": 1.0},
        {"id": "y", "op": "add", "inputs": ["x", "z"]},
        {"id": "z", "op": "neg", "inputs": ["y"]},
    ]
}


def table(stdout: str) -> dict[str, list[str]]:
    """The rows of a printed table by their first cell."""
    rows = {}
    for line in stdout.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows[cells[0]] = cells[1:]
    return rows


# --- run ------------------------------------------------------------------------------------


def test_run_prints_every_node_with_short_numbers(cli: Cli) -> None:
    done = cli("run", "apple_orange")
    assert done.code == 0, done.output
    rows = table(done.stdout)
    assert list(rows) == [n["id"] for n in EXAMPLES["apple_orange"].spec["nodes"]]
    assert rows["price"] == ["mul", "()", "715", "1"]  # not 715.0000000000001
    assert rows["apple"] == ["input", "()", "100", "2.2"]
    assert rows["tax"] == ["input", "()", "1.1", "650"]
    assert done.stdout.rstrip().endswith("output price = 715")


def test_run_shows_arrays_small_whole_and_large_by_range(cli: Cli) -> None:
    rows = table(cli("run", "two_layer_net").stdout)
    assert rows["b2"][:3] == ["param", "(3,)", "[0, 0, 0]"]
    assert rows["t"][3] == "none (labels)"
    assert re.fullmatch(r"\[-?[\d.e-]+ … -?[\d.e-]+\]", rows["x"][2]), rows["x"]


def test_run_json_is_the_whole_result(cli: Cli) -> None:
    done = cli("run", "apple", "--json")
    assert done.code == 0
    assert json.loads(done.stdout) == run_graph(EXAMPLES["apple"].spec).to_dict()


def test_run_a_file(cli: Cli) -> None:
    (cli.folder / "mine.json").write_text(
        json.dumps(
            {
                "nodes": [
                    {"id": "a", "op": "input", "value": 3},
                    {"id": "b", "op": "exp", "inputs": ["a"]},
                ]
            }
        )
    )
    done = cli("run", "mine.json")
    assert done.code == 0
    assert table(done.stdout)["b"] == ["exp", "()", "20.09", "1"]


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (json.dumps(CYCLE), 1, "error: the graph has a cycle: y -> z -> y"),
        ("{nodes: []}", 2, "error: bad.json is not JSON: Expecting property name"),
        ("[1, 2]", 2, "error: bad.json holds a list; a graph spec is an object"),
    ],
)
def test_a_bad_file_is_a_message(cli: Cli, content: str, code: int, message: str) -> None:
    (cli.folder / "bad.json").write_text(content)
    done = cli("run", "bad.json")
    assert done.code == code, done.output
    assert done.stderr.startswith(message), done.stderr
    assert done.stdout == ""


def test_an_unknown_example_suggests_the_close_one(cli: Cli) -> None:
    done = cli("run", "aple")
    assert done.code == 2
    assert done.stderr.splitlines() == [
        "error: no example and no file named 'aple'",
        "hint: did you mean apple?",
    ]
    assert cli("run", "missing.json").stderr.startswith("error: there is no file 'missing.json'")


# --- export ---------------------------------------------------------------------------------


def test_export_svg_is_the_annotated_figure(cli: Cli) -> None:
    done = cli("export", "apple_orange")
    assert done.code == 0 and done.stdout.strip() == "wrote apple_orange.svg"
    svg = (cli.folder / "apple_orange.svg").read_text()
    assert svg.startswith("<svg") and "<style>" in svg
    assert ">715<" in svg and ">2.2<" in svg


def test_export_png(cli: Cli) -> None:
    done = cli("export", "affine", "--format", "png", "-o", "out/affine.png")
    assert done.code == 0, done.output
    data = (cli.folder / "out" / "affine.png").read_bytes()
    width, height = png.size(data)
    assert width > 200 and height > 100


def test_export_json_is_the_spec_that_runs_again(cli: Cli) -> None:
    assert cli("export", "sigmoid", "-f", "json").code == 0
    spec = json.loads((cli.folder / "sigmoid.json").read_text())
    assert spec == EXAMPLES["sigmoid"].spec
    assert cli("run", "sigmoid.json").code == 0


def test_export_refuses_an_unknown_format(cli: Cli) -> None:
    done = cli("export", "apple", "--format", "gif")
    assert done.code == 2
    assert done.stderr.strip() == "error: --format is one of svg, png, json; got 'gif'"
    assert not list(cli.folder.iterdir())


# --- train ----------------------------------------------------------------------------------


def test_train_writes_the_loss_curve_and_the_boundary(cli: Cli) -> None:
    done = cli(
        "train", "--dataset", "moons", "--max-epoch", "8", "--optimizer", "adam", "--lr", "0.05"
    )
    assert done.code == 0, done.output
    assert re.search(r"epoch 8: loss [\d.]+, accuracy [\d.]+", done.stdout)
    assert "wrote moons-loss.svg, moons-boundary.svg" in done.stdout
    assert "training" in done.stderr and "8/8" in done.stderr  # the progress bar
    curve = (cli.folder / "moons-loss.svg").read_text()
    assert 'data-epochs="8"' in curve
    boundary = (cli.folder / "moons-boundary.svg").read_text()
    # the 50 x 50 cells, a rect per run of one class in a row
    widths = [
        int(w)
        for w in re.findall(r'<rect class="cell c\d" x="\d+" y="\d+" width="(\d+)"', boundary)
    ]
    assert sum(widths) == 50 * 50 and len(widths) < 50 * 50 / 5


def test_train_takes_the_data_sets_own_optimizer_and_learning_rate(cli: Cli) -> None:
    # circles with the book's SGD 1.0 stays at 50%; its own defaults (Adam) learn it
    done = cli("train", "--dataset", "circles")
    assert done.code == 0, done.output
    found = re.search(r"epoch 300: loss [\d.]+, accuracy ([\d.]+)", done.stdout)
    assert found, done.stdout
    assert float(found.group(1)) >= 0.9, done.stdout


def test_train_png(cli: Cli) -> None:
    done = cli("train", "--max-epoch", "2", "--format", "png", "--out", "figures")
    assert done.code == 0, done.output
    for kind in ("loss", "boundary"):
        assert png.size((cli.folder / "figures" / f"spiral-{kind}.png").read_bytes())[0] > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--dataset", "moon"],
            "error: --dataset is one of spiral, xor, circles, moons; got 'moon'\n"
            "hint: did you mean moons?",
        ),
        (["--batch-size", "400", "--max-epoch", "1"], "error: batch_size 400 is larger than"),
        (["--lr", "0", "--max-epoch", "1"], "error: sgd: lr must be positive, got 0.0"),
        (["--format", "jpg"], "error: --format is one of svg, png; got 'jpg'"),
    ],
)
def test_train_refuses_bad_settings(cli: Cli, args: list[str], message: str) -> None:
    done = cli("train", *args)
    assert done.code == 2, done.output
    assert done.stderr.startswith(message), done.stderr  # and no progress bar before it
    assert not list(cli.folder.iterdir())


# --- --server: the same through a live service ------------------------------------------


def test_run_export_and_train_through_a_service(cli: Cli, live_server: str) -> None:
    here = cli("run", "apple_orange")
    there = cli("run", "apple_orange", "--server", live_server)
    assert there.code == 0 and there.stdout == here.stdout
    assert cli("export", "apple", "--server", live_server).code == 0
    assert ">220<" in (cli.folder / "apple.svg").read_text()
    done = cli("train", "--max-epoch", "3", "--server", live_server)
    assert done.code == 0, done.output
    assert (cli.folder / "spiral-loss.svg").exists()


def test_a_service_error_keeps_its_code_and_node(cli: Cli, live_server: str) -> None:
    (cli.folder / "cycle.json").write_text(json.dumps(CYCLE))
    done = cli("run", "cycle.json", "--server", live_server)
    assert done.code == 1
    assert done.stderr.startswith("error: the service refused: the graph has a cycle")
    assert "(cycle, node 'y')" in done.stderr


def test_no_service_is_a_message(cli: Cli) -> None:
    done = cli("run", "apple", "--server", f"http://127.0.0.1:{free_port()}")
    assert done.code == 1
    assert "is it running?" in done.stderr


# --- serve ----------------------------------------------------------------------------------


def test_serve_answers_on_its_port(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--host", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert json.load(r) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "serve did not answer in 30 s"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/examples/apple", timeout=5) as r:
            assert json.load(r)["output"] == "price"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_help_lists_every_command(cli: Cli) -> None:
    done = cli("--help")
    assert done.code == 0
    for command in ("run", "export", "check", "train", "serve"):
        assert re.search(rf"^\s+{command}\s", done.stdout, re.M), command


# --- the command line stays off the web framework ------------------------------------------

WEB = ("fastapi", "starlette", "uvicorn", "jinja2")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "apple", "--format", "png"],  # loads, runs, draws and rasters a graph
        ["check", "layers.py:Neg", "--input", "3"],
    ],
)
def test_no_command_but_serve_loads_the_web_app(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "layers.py").write_text("from core.layers import Neg\n")
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('loaded:', sorted({m.split('.')[0] for m in sys.modules}"
        f" & set({WEB!r})), file=sys.stderr))\n"
        "from app.cli.main import main\n"
        f"main({args!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stderr, done.stderr
