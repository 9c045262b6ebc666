"""The slips learners make in their own layer code, recognised from what went wrong.

The seed notes show the same slips again and again (REFERENCE.md, "Learner mistakes"):
``np.matmult``, ``self.W.T`` where W was only unpacked from ``params``, ``reshpae`` and
``shpae``, ``layer.parms``, ``for in range(...)``. Each ends in an exception whose
message is right but does not say what to do. This module finds where in the learner's
code it happened and, for a slip it knows, a hint:

    where = learner_location(exc)     # their file, line, function and source line
    hint = hint_for(exc, layer)       # "NumPy has no 'matmult': did you mean np.matmul?"

It also names what the learner named: ``input_names(layer)`` gives ``forward``'s
parameter names (``x``, ``t``), ``param_names(type(layer))`` the names the class unpacks
from ``self.params`` (``W, b = self.params``), so that a report can say "dW", not
"params[0]". Pure Python (``ast``, ``inspect``, ``difflib``): no web framework.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import inspect
import linecache
import re
import sysconfig
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import numpy as np

from core.format import format_shape

_CORE_DIR = Path(__file__).resolve().parent
_NUMPY_DIR = Path(np.__file__).resolve().parent
_NOTEBOOK_CELL = re.compile(r"ipykernel_\d+[/\\]\d+\.py$|^<ipython-input-")
_LIBRARY_DIRS = tuple(
    {
        Path(p).resolve()
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_paths().get(key))
    }
)


@dataclass(frozen=True)
class Location:
    """A line of the learner's code: where their exception happened."""

    file: str
    line: int
    function: str | None = None
    source: str | None = None  # the line's text, stripped

    @property
    def in_notebook(self) -> bool:
        """IPython keeps each cell's code in a file of its own, named by a number."""
        return bool(_NOTEBOOK_CELL.search(self.file))

    def __str__(self) -> str:
        where = "a notebook cell" if self.in_notebook else self.file
        where = f"{where}, line {self.line}"
        return f"{where}, in {self.function}" if self.function else where


def _is_library(filename: str, exclude: tuple[Path, ...]) -> bool:
    if filename.startswith("<frozen") or filename.startswith("<string"):
        return True
    path = Path(filename).resolve()
    return any(path.is_relative_to(d) for d in (_CORE_DIR, _NUMPY_DIR, *_LIBRARY_DIRS, *exclude))


def _frames(tb: TracebackType | None) -> list[TracebackType]:
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    return frames


def _learner_tb(exc: BaseException, exclude: tuple[Path, ...] = ()) -> TracebackType | None:
    """The innermost traceback entry in the learner's code: not in NumPy, the standard
    library, installed packages or this project's ``core`` (nor ``exclude``)."""
    for tb in reversed(_frames(exc.__traceback__)):
        if not _is_library(tb.tb_frame.f_code.co_filename, exclude):
            return tb
    return None


def learner_location(exc: BaseException, exclude: tuple[Path, ...] = ()) -> Location | None:
    """Where in the learner's code ``exc`` happened; for a SyntaxError, its own line."""
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        text = (exc.text or "").strip() or None
        return Location(exc.filename, exc.lineno, None, text)
    tb = _learner_tb(exc, exclude)
    if tb is None:
        return None
    code = tb.tb_frame.f_code
    # linecache has the file's lines, and a notebook cell's (IPython puts them there)
    source = linecache.getline(code.co_filename, tb.tb_lineno, tb.tb_frame.f_globals).strip()
    return Location(code.co_filename, tb.tb_lineno, code.co_name, source or None)


# --- names the learner gave ------------------------------------------------------------


def _method_trees(cls: type) -> list[ast.AST]:
    """The parsed source of each method of ``cls`` and its bases, one by one: a class's own
    source is not found when it was defined in a notebook cell, its functions' is."""
    trees: list[ast.AST] = []
    for klass in cls.__mro__[:-1]:  # not object
        for member in vars(klass).values():
            if not inspect.isfunction(member):
                continue
            try:
                trees.append(ast.parse(textwrap.dedent(inspect.getsource(member))))
            except (OSError, TypeError, SyntaxError):  # built in, or no source kept
                continue
    return trees


def _is_self_params(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "params"
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def param_names(cls: type) -> list[str] | None:
    """The names the class gives its params where it unpacks them: ``W, b = self.params``
    gives ``["W", "b"]``. None when it never unpacks them (or its source is not found)."""
    for tree in _method_trees(cls):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _is_self_params(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Tuple | ast.List) and all(
                        isinstance(e, ast.Name) for e in target.elts
                    ):
                        return [e.id for e in target.elts if isinstance(e, ast.Name)]
    return None


def input_names(layer: Any) -> list[str] | None:
    """The names of ``forward``'s positional parameters: ``["x", "t"]``."""
    try:
        signature = inspect.signature(layer.forward)
    except (AttributeError, TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in signature.parameters.values() if p.kind in kinds]


def close_name(name: str, candidates: Any) -> str | None:
    """The candidate that ``name`` is most likely a typo of, if one is close enough."""
    names = [c for c in candidates if isinstance(c, str) and not c.startswith("__")]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    return found[0] if found else None


# --- hints -----------------------------------------------------------------------------

_FOR_WITHOUT_NAME = re.compile(r"\bfor\s+in\b")


def hint_for(exc: BaseException, layer: Any = None) -> str | None:
    """A hint for a slip the seed notes show, or None when the message says enough.

    ``layer`` is the object being checked, if there is one: it names the params a shape
    error is about.
    """
    if isinstance(exc, SyntaxError):
        return _syntax_hint(exc)
    if isinstance(exc, AttributeError):
        return _attribute_hint(exc)
    if isinstance(exc, NameError):
        return _name_hint(exc)
    if isinstance(exc, ValueError | TypeError):
        return _shape_hint(exc, layer)
    return None


def _syntax_hint(exc: SyntaxError) -> str | None:
    if _FOR_WITHOUT_NAME.search(exc.text or ""):
        return "a for loop names its variable before 'in': for i in range(...)"
    return None


def _module_name(module: ModuleType) -> str:
    return "np" if module.__name__ == "numpy" else module.__name__


def _attribute_hint(exc: AttributeError) -> str | None:
    name, obj = exc.name, exc.obj
    if not name:
        return None
    if isinstance(obj, ModuleType):
        public = [n for n in dir(obj) if not n.startswith("_")]
        match = close_name(name, public)
        alias = _module_name(obj)
        title = "NumPy" if obj.__name__ == "numpy" else obj.__name__
        if match:
            return f"{title} has no {name!r}: did you mean {alias}.{match}?"
        return f"{title} has no {name!r}"
    if isinstance(obj, np.ndarray | np.generic):
        match = close_name(name, dir(np.ndarray))
        if match:
            return f"arrays have no attribute {name!r}: did you mean .{match}?"
        return None
    attributes = [a for a in dir(obj) if not a.startswith("_")]
    match = close_name(name, attributes)
    kind = type(obj).__name__
    if match:
        return f"{kind} has no attribute {name!r}: did you mean .{match}?"
    params = getattr(obj, "params", None)
    if not isinstance(params, list) or not params:
        return None
    names = param_names(type(obj)) or []
    unpack = f"{', '.join(names or ['W'])}{',' if len(names) == 1 else ''} = self.params"
    tb = _learner_tb(exc)
    if tb is not None and name in tb.tb_frame.f_locals:
        return (
            f"self.{name} is never set: {name} lives in self.params, and this method has "
            f"unpacked it ({unpack}): write {name}, not self.{name}"
        )
    if name in names:
        return (
            f"self.{name} is never set: {name} is only unpacked from self.params. "
            f"Unpack it in this method too ({unpack}) and write {name}, not self.{name}"
        )
    return (
        f"self.{name} is never set: {kind} keeps its weights in self.params; unpack them "
        f"first ({unpack}) and use the unpacked name"
    )


def _name_hint(exc: NameError) -> str | None:
    name = getattr(exc, "name", None)
    if not name:
        return None
    if name == "np":
        return "import numpy as np at the top of the file"
    tb = _learner_tb(exc)
    known: set[str] = set(dir(builtins))
    if tb is not None:
        known |= set(tb.tb_frame.f_globals) | set(tb.tb_frame.f_locals)
    match = close_name(name, sorted(known))
    return f"did you mean {match}?" if match else None


def _shape_hint(exc: BaseException, layer: Any) -> str | None:
    text = str(exc)
    if not ("mismatch in its core dimension" in text or "could not be broadcast" in text):
        return None
    params = getattr(layer, "params", None)
    if not isinstance(params, list) or not params:
        return "the shapes do not fit: check the input shapes against what the layer expects"
    names = param_names(type(layer)) or [f"params[{j}]" for j in range(len(params))]
    shapes = ", ".join(
        f"{n} {format_shape(np.shape(p))}" for n, p in zip(names, params, strict=False)
    )
    return f"the shapes do not fit: check the input shapes against the layer's params ({shapes})"
