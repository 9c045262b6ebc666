"""The ``backprop-explorer`` commands. Each is thin: read the options, call the core (or
the service, with ``--server``), print through :mod:`app.cli.show`.

Exit codes: 0 when all is well (for ``check``: every gradient right); 1 when the answer
is "no" (``check``: a gradient is wrong; otherwise the graph, the settings or the
service refused); 2 when it could not get that far (``check``: the learner's code
failed; otherwise an unknown example, a missing file, a bad option). No traceback is
ever printed: errors are short messages on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from app.cli import show
from core.errors import GraphError, LayerCheckError, NonFiniteError
from core.gradcheck import DEFAULT_EPS, LAYER_TOLERANCE
from core.slips import close_name

OK, FAILED, BROKEN = 0, 1, 2
GRAPH_FORMATS = ("svg", "png", "json")
FIGURE_FORMATS = ("svg", "png")

app = typer.Typer(
    name="backprop-explorer",
    help="Values flow forward, gradients flow backward: computational graphs in the "
    "terminal, a learner's own layers checked, the training lab, the web explorer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class CliError(Exception):
    """A message for the user, and the exit code it ends with."""

    def __init__(self, message: str, code: int = BROKEN, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


def fail(exc: CliError) -> NoReturn:
    show.print_error(exc.message, exc.hint)
    raise typer.Exit(exc.code)


@contextmanager
def reported() -> Iterator[None]:
    """Turn the errors a command expects into a message and an exit code."""
    try:
        yield
    except CliError as exc:
        fail(exc)
    except Exception as exc:
        fail(_expected(exc))


def _expected(exc: Exception) -> CliError:
    """The message for an error the core or the service raised; anything else re-raised."""
    # The client is imported only by --server: a local run does not load httpx.
    client = sys.modules.get("app.client")
    if client is not None and isinstance(exc, client.ServiceError):
        node = f", node {exc.node!r}" if exc.node else ""
        return CliError(f"the service refused: {exc.detail} ({exc.code}{node})", FAILED)
    if client is not None and isinstance(exc, client.ClientError):
        return CliError(str(exc), FAILED)
    if isinstance(exc, GraphError):
        where = f" (node {exc.node!r})" if exc.node and exc.node not in exc.message else ""
        return CliError(f"{exc.message}{where}", FAILED)
    raise exc


# --- graphs: EXAMPLE or FILE.json --------------------------------------------------------


def load_graph(source: str) -> tuple[str, dict[str, Any]]:
    """An example's spec by name, or a spec from a JSON file: (a name for files, spec)."""
    path = Path(source)
    if source.endswith(".json") or path.is_file():
        if not path.is_file():
            raise CliError(f"there is no file {source!r}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CliError(f"{source} is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise CliError(f"{source} holds a {type(data).__name__}; a graph spec is an object")
        return path.stem, data
    from core.examples import EXAMPLES

    if source in EXAMPLES:
        return source, EXAMPLES[source].fresh_spec()
    match = close_name(source, EXAMPLES)
    hint = f"did you mean {match}?" if match else f"examples: {', '.join(EXAMPLES)}"
    raise CliError(f"no example and no file named {source!r}", hint=hint)


def run_spec(spec: Mapping[str, Any], server: str | None) -> dict[str, Any]:
    """The result as the API's JSON data: computed here, or by the service at ``server``."""
    if server:
        from app.client import Client

        with Client(server) as api:
            return api.run(spec).model_dump()
    from core import run_graph

    return run_graph(spec).to_dict()


ServerOption = Annotated[
    str | None,
    typer.Option("--server", metavar="URL", help="use the service at URL instead of this machine"),
]


@app.command()
def run(
    source: Annotated[str, typer.Argument(metavar="EXAMPLE|FILE.json", help="what to run")],
    server: ServerOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the whole result as JSON, for programs")
    ] = False,
) -> None:
    """Run a graph forward and backward: every node's value and gradient, as a table."""
    with reported():
        name, spec = load_graph(source)
        data = run_spec(spec, server)
        if as_json:
            sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        else:
            show.print_result(data, title=name)


@app.command()
def export(
    source: Annotated[str, typer.Argument(metavar="EXAMPLE|FILE.json", help="what to draw")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="svg, png (the picture) or json (the spec)")
    ] = "svg",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="the file (default: NAME.FORMAT)")
    ] = None,
    server: ServerOption = None,
) -> None:
    """Write a graph's picture, values above the arrows and gradients below, to a file."""
    with reported():
        if fmt not in GRAPH_FORMATS:
            raise CliError(f"--format is one of {', '.join(GRAPH_FORMATS)}; got {fmt!r}")
        name, spec = load_graph(source)
        target = output or Path(f"{name}.{fmt}")
        if fmt == "json":
            data = (json.dumps(spec, indent=2, ensure_ascii=False) + "\n").encode()
        else:
            from app.drawing import render_svg

            svg = render_svg(spec, run_spec(spec, server))
            if fmt == "svg":
                data = svg.encode()
            else:
                from app.drawing.raster import svg_to_png

                data = svg_to_png(svg)
        _write(target, data)
        show.out.print(f"wrote {target}", markup=False)


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from exc


# --- check: a learner's layer ----------------------------------------------------------


@app.command()
def check(
    target: Annotated[
        str,
        typer.Argument(
            metavar="FILE.py:NAME",
            help="a layer in your file, or a function or class that makes one",
        ),
    ],
    inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="SHAPE",
            help="the shape of one input of forward, e.g. 5,3; once per input, in order",
        ),
    ] = None,
    labels: Annotated[
        int | None,
        typer.Option(
            metavar="CLASSES",
            help="add labels as the last input: a class index in 0..CLASSES-1 for each row "
            "of the first input (the t of SoftmaxWithLoss)",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="draws the random inputs and dout")] = 0,
    eps: Annotated[float, typer.Option(help="the step of the central differences")] = DEFAULT_EPS,
    tolerance: Annotated[
        float, typer.Option(help="the largest relative error that passes")
    ] = LAYER_TOLERANCE,
) -> None:
    """Check your layer's backward against numerical gradients: dx and every grads entry.

    Exit code 0 when every gradient is right, 1 when one is wrong, 2 when your code failed.
    """
    from app.cli import learner
    from core.gradcheck import check_layer
    from core.slips import input_names

    try:
        where = learner.parse_target(target)
        shapes = [learner.parse_shape(s) for s in inputs or []]
        if not shapes:
            raise ValueError("give the shape of each input of forward: --input 5,3")
        if not 0 < eps <= 1 or not tolerance > 0:
            raise ValueError(
                f"--eps must be in (0, 1] and --tolerance above 0; got {eps}, {tolerance}"
            )
        arrays = learner.make_inputs(shapes, labels, seed)
    except ValueError as exc:
        fail(CliError(str(exc)))
    try:
        layer = learner.build_layer(where)
        kind = type(layer).__name__
        described = learner.describe_inputs(input_names(layer), arrays)
        show.out.print(
            f"Checking {kind} from {show.display_path(str(where.path))}: "
            f"forward({described}), then backward with a random dout",
            markup=False,
        )
        report = check_layer(layer, *arrays, eps=eps, tolerance=tolerance, seed=seed)
    except LayerCheckError as exc:
        show.print_layer_error(exc)
        raise typer.Exit(BROKEN) from None
    except SystemExit:  # the learner's code called exit()
        fail(CliError("your code called exit() while it was checked"))
    show.print_report(report)
    raise typer.Exit(OK if report.passed else FAILED)


# --- train: the lab ----------------------------------------------------------------------


@app.command()
def train(
    dataset: Annotated[str, typer.Option(help="spiral, xor, circles or moons")] = "spiral",
    hidden_size: Annotated[int, typer.Option(min=1, help="hidden units")] = 10,
    optimizer: Annotated[
        str | None,
        typer.Option(
            help="sgd, momentum, nesterov, adagrad, rmsprop or adam (default: the data set's own)"
        ),
    ] = None,
    lr: Annotated[
        float | None, typer.Option(min=0, help="the learning rate (default: the data set's own)")
    ] = None,
    max_epoch: Annotated[int, typer.Option(min=1, help="passes over the data")] = 300,
    batch_size: Annotated[int, typer.Option(min=1, help="points per update")] = 30,
    seed: Annotated[int, typer.Option(min=0, help="draws the data, weights, shuffles")] = 1984,
    out_dir: Annotated[Path, typer.Option("--out", help="the folder for the figures")] = Path("."),
    fmt: Annotated[str, typer.Option("--format", "-f", help="svg or png")] = "svg",
    server: ServerOption = None,
) -> None:
    """Train TwoLayerNet as the lab does; write the loss curve and decision boundary."""
    from core.datasets import DATASETS
    from core.lab import TrainSettings
    from core.optimizers import OPTIMIZERS

    with reported():
        for option, value, known in (
            ("--dataset", dataset, DATASETS),
            ("--optimizer", optimizer, OPTIMIZERS),
        ):
            if value is not None and value not in known:
                match = close_name(value, known)
                raise CliError(
                    f"{option} is one of {', '.join(known)}; got {value!r}",
                    hint=f"did you mean {match}?" if match else None,
                )
        if fmt not in FIGURE_FORMATS:
            raise CliError(f"--format is one of {', '.join(FIGURE_FORMATS)}; got {fmt!r}")
        # As in the lab: the data set's own optimizer and learning rate unless given.
        own = TrainSettings.for_dataset(dataset)
        settings = TrainSettings(
            dataset,
            hidden_size,
            own.optimizer if optimizer is None else optimizer,
            own.lr if lr is None else lr,
            max_epoch,
            batch_size,
            seed,
        )
        data = _train_remote(settings, server) if server else _train_here(settings)
        loss, accuracy = data["final_loss"], data["final_accuracy"]
        written = _write_figures(data, dataset, out_dir, fmt)
        show.out.print(
            f"epoch {len(data['loss'])}: loss {show.brief(loss)}, accuracy {show.brief(accuracy)}",
            markup=False,
        )
        show.out.print(f"wrote {', '.join(str(p) for p in written)}", markup=False)


def _train_here(settings: Any) -> dict[str, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from core.format import short
    from core.lab import run_to_dict
    from core.lab import train as train_lab

    progress = Progress(
        TextColumn("training"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[loss]}"),
        console=show.err,
    )
    task = progress.add_task("epochs", total=settings.max_epoch, loss="")

    def on_epoch(epoch: int, loss: float, accuracy: float) -> None:
        if not progress.live.is_started:  # from the first epoch on: refused settings show none
            progress.start()
        progress.update(task, completed=epoch, loss=f"loss {short(loss)}")

    try:
        run = train_lab(settings, callback=on_epoch)
    except NonFiniteError:  # it ran, and the loss ran off: exit 1 with the core's message
        raise
    except ValueError as exc:  # settings the core refuses (a batch larger than the data)
        raise CliError(str(exc)) from exc
    finally:
        if progress.live.is_started:
            progress.stop()
    return run_to_dict(run)


def _train_remote(settings: Any, server: str) -> dict[str, Any]:
    from dataclasses import asdict

    from app.client import Client

    with show.err.status("training on the service..."), Client(server, timeout=120) as api:
        return api.train(**asdict(settings)).model_dump()


def _write_figures(data: Mapping[str, Any], name: str, folder: Path, fmt: str) -> list[Path]:
    from app.drawing.training import boundary_svg, curve_svg

    figures = {
        "loss": curve_svg(data["loss"], "loss", standalone=True),
        "boundary": boundary_svg(
            data["boundary"], data["points"]["x"], data["points"]["labels"], standalone=True
        ),
    }
    written = []
    for kind, svg in figures.items():
        target = folder / f"{name}-{kind}.{fmt}"
        if fmt == "png":
            from app.drawing.raster import svg_to_png

            _write(target, svg_to_png(svg))
        else:
            _write(target, svg.encode())
        written.append(target)
    return written


# --- serve ---------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default: BPX_HOST, else 127.0.0.1")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65_535, help="default: BPX_PORT, else 8000")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="processes serving requests")] = 1,
    reload: Annotated[bool, typer.Option(help="restart when the code changes")] = False,
) -> None:
    """Serve the web explorer, the lab and the REST API (uvicorn)."""
    import uvicorn

    from app.settings import get_settings

    settings = get_settings()
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else workers,
        reload=reload,
        log_level=settings.log_level,
        access_log=False,  # app.request_log writes one line per request
    )


def main(argv: list[str] | None = None) -> None:
    """The console script. An error of ours is one line too, never a traceback."""
    try:
        app(args=argv, prog_name="backprop-explorer")
    except Exception as exc:  # a bug: say so in one line; the exit code says it failed
        show.print_error(
            f"backprop-explorer failed ({type(exc).__name__}: {exc}); this is a bug, "
            "please report it"
        )
        sys.exit(BROKEN)
