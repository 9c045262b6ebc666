"""``check FILE.py:NAME``: load a learner's file, build their layer, make its inputs.

NAME is a layer object in the file (``affine = Affine(W, b)``), or something that returns
one when called with no arguments: a function (``def make_affine(): ...``) or a class
whose ``__init__`` needs nothing (``Sigmoid``). The file runs as a module, not as
``__main__`` (so its ``if __name__ == "__main__":`` block does not run), with its own
folder first on ``sys.path`` so that its imports (``from common.layers import ...``) work
as in the learner's notebook.

Whatever goes wrong in the learner's code is a ``core.errors.LearnerCodeError`` that says
where in their file and, for a known slip, what to change (``core.slips``).
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.errors import LayerCheckError, LearnerCodeError
from core.format import format_shape
from core.slips import close_name, hint_for, learner_location

APP_DIR = Path(__file__).resolve().parents[1]
_SHAPE = re.compile(r"^\(?\s*(\d+\s*(,\s*\d+\s*)*)?,?\s*\)?$")
MAX_ELEMENTS = 10_000  # each element costs two forward passes


@dataclass(frozen=True)
class Target:
    path: Path
    name: str


def parse_target(text: str) -> Target:
    """``my_layers.py:Affine`` -> the file and the name (the last colon splits them)."""
    path_text, colon, name = text.rpartition(":")
    if not colon or not path_text or not name:
        raise ValueError(f"expected FILE.py:NAME, e.g. my_layers.py:Affine; got {text!r}")
    if not name.isidentifier():
        raise ValueError(f"{name!r} is not a Python name (after the colon in {text!r})")
    return Target(Path(path_text), name)


def parse_shape(text: str) -> tuple[int, ...]:
    """A shape as the learner writes it: ``5,3`` -> (5, 3); ``4`` -> (4,); ``()`` -> ()."""
    if not _SHAPE.match(text.strip()):
        raise ValueError(f"a shape is whole numbers separated by commas, e.g. 5,3; got {text!r}")
    shape = tuple(int(n) for n in re.findall(r"\d+", text))
    if any(n == 0 for n in shape):
        raise ValueError(f"every dimension must be at least 1; got {text!r}")
    return shape


def _location_error(what: str, exc: BaseException, layer: Any = None) -> LearnerCodeError:
    return LearnerCodeError(
        f"{what} raised {type(exc).__name__}: {exc}",
        exc,
        learner_location(exc, exclude=(APP_DIR,)),
        hint_for(exc, layer),
    )


def load_module(path: Path) -> Any:
    """Run the learner's file as a module of its own."""
    if not path.is_file():
        raise LayerCheckError(f"there is no file {str(path)!r}")
    if path.suffix != ".py":
        raise LayerCheckError(f"{str(path)!r} is not a Python file (.py)")
    module_name = "_bpx_learner_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path.resolve())
    if spec is None or spec.loader is None:
        raise LayerCheckError(f"cannot load {str(path)!r} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise LearnerCodeError(
            f"{path.name} is not valid Python: {exc.msg}",
            exc,
            learner_location(exc),
            hint_for(exc),
        ) from exc
    except (Exception, SystemExit) as exc:  # the learner's module can raise anything
        raise _location_error(f"loading {path.name}", exc) from exc
    return module


def _is_layer(obj: Any) -> bool:
    return not inspect.isclass(obj) and callable(getattr(obj, "forward", None))


def build_layer(target: Target) -> Any:
    """The layer NAME names in the file: the object itself, or what calling it returns."""
    module = load_module(target.path)
    file = target.path.name
    if not hasattr(module, target.name):
        defined = [
            n
            for n, v in vars(module).items()
            if not n.startswith("_")
            and (inspect.isclass(v) or inspect.isfunction(v) or _is_layer(v))
            and getattr(v, "__module__", module.__name__) == module.__name__
        ]
        match = close_name(target.name, defined)
        hint = f"did you mean {match}?" if match else None
        if hint is None and defined:
            hint = f"{file} defines {', '.join(defined)}"
        raise LayerCheckError(f"{file} has no {target.name!r}", hint)
    obj = getattr(module, target.name)
    if _is_layer(obj):
        return obj
    if not callable(obj):
        raise LayerCheckError(
            f"{target.name} in {file} is a {type(obj).__name__}, not a layer",
            "name a layer object, a class, or a function that returns a layer",
        )
    missing = _required_parameters(obj)
    if missing:
        kind = "class" if inspect.isclass(obj) else "function"
        raise LayerCheckError(
            f"the {kind} {target.name} needs {', '.join(missing)} to make a layer, and check "
            "can only call it with nothing",
            f"add a function that builds one, e.g. def make_layer(): return {target.name}"
            f"(np.random.randn(3, 4), np.zeros(4)), and check {file}:make_layer",
        )
    try:
        layer = obj()
    except Exception as exc:  # the learner's code can raise anything
        raise _location_error(f"{target.name}()", exc) from exc
    if not _is_layer(layer):
        raise LayerCheckError(
            f"{target.name}() returned a {type(layer).__name__}, not a layer with forward "
            "and backward"
        )
    return layer


def _required_parameters(fn: Any) -> list[str]:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in signature.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]


def make_inputs(shapes: list[tuple[int, ...]], labels: int | None, seed: int) -> list[NDArray[Any]]:
    """Random inputs of ``shapes`` (standard normal); with ``labels``, one more input: a
    class index in 0..labels-1 for each row of the first input (the t of a loss layer)."""
    total = sum(int(np.prod(s)) for s in shapes)
    if total > MAX_ELEMENTS:
        raise ValueError(
            f"the inputs have {total} numbers and each costs two forward passes: "
            f"use smaller shapes (at most {MAX_ELEMENTS} numbers)"
        )
    rng = np.random.default_rng(seed)
    inputs: list[NDArray[Any]] = [rng.standard_normal(s) for s in shapes]
    if labels is not None:
        if labels < 1:
            raise ValueError(f"--labels is the number of classes, at least 1; got {labels}")
        rows = shapes[0][:-1] if shapes else ()
        inputs.append(rng.integers(0, labels, size=rows))
    return inputs


def describe_inputs(names: list[str] | None, inputs: list[NDArray[Any]]) -> str:
    """``x (5, 3), t (5,) labels`` for the line above the report."""
    parts = []
    for i, x in enumerate(inputs):
        name = names[i] if names and i < len(names) else f"inputs[{i}]"
        kind = " labels" if np.issubdtype(x.dtype, np.integer) else ""
        parts.append(f"{name} {format_shape(x.shape)}{kind}")
    return ", ".join(parts)
