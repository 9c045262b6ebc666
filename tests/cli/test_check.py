"""``backprop-explorer check FILE.py:NAME --input SHAPE``: a learner's own layers, checked.

The learner's folder has the book's ``common/functions.py`` and their ``layers.py``;
right layers pass (exit 0), each slip of the seed notes fails with a message that names
it: a wrong gradient exits 1, their code failing exits 2 and points at their line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Outcome

FUNCTIONS = """
import numpy as np


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    x = np.exp(x)
    return x / x.sum(axis=1, keepdims=True)


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
"""

LAYERS = """
import numpy as np

from common.functions import cross_entropy_error, softmax


class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        out = np.matmul(x, W) + b
        self.x = x
        return out

    def backward(self, dout):
        W, b = self.params
        dx = np.matmul(dout, W.T)
        dW = np.matmul(self.x.T, dout)
        db = np.sum(dout, axis=0)
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dx


class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1.0 - self.out) * self.out
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        if self.t.size == self.y.size:
            self.t = self.t.argmax(axis=1)
        loss = cross_entropy_error(self.y, self.t)
        return loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx *= dout
        dx = dx / batch_size
        return dx


def affine():
    return Affine(np.random.randn(3, 4), np.random.randn(4))


sigmoid = Sigmoid()
"""

# Each slip of the seed notes, as a subclass of the right layer in its own file.
SLIPS = {
    "matmult": """
class Slip(Affine):
    def backward(self, dout):
        W, b = self.params
        dx = np.matmult(dout, W.T)
        return dx
""",
    "self_w": """
class Slip(Affine):
    def backward(self, dout):
        W, b = self.params
        dx = np.matmul(dout, self.W.T)
        return dx
""",
    "reshpae": """
class Slip(Affine):
    def forward(self, x):
        W, b = self.params
        self.x = x.reshpae(x.shape[0], -1)
        return np.matmul(self.x, W) + b
""",
    "shpae": """
class Slip(Affine):
    def backward(self, dout):
        W, b = self.params
        N, D = self.x.shpae
        return np.matmul(dout, W.T)
""",
    "forgets_grads": """
class Slip(Affine):
    def backward(self, dout):
        W, b = self.params
        dx = np.matmul(dout, W.T)
        dW = np.matmul(self.x.T, dout)
        db = np.sum(dout, axis=0)
        return dx
""",
}


@pytest.fixture
def folder(cli: Cli) -> Path:
    (cli.folder / "common").mkdir()
    (cli.folder / "common" / "functions.py").write_text(FUNCTIONS)
    (cli.folder / "layers.py").write_text(LAYERS)
    return cli.folder


def write_slip(folder: Path, name: str, body: str) -> tuple[str, str]:
    """``slip_NAME.py``: the right layers, then the slip; its name and its text."""
    header = "from layers import *\nimport numpy as np\n\n"
    text = header + textwrap.dedent(body).lstrip("\n")
    text += "\n\ndef make():\n    return Slip(np.random.randn(3, 4), np.random.randn(4))\n"
    file = f"slip_{name}.py"
    (folder / file).write_text(text)
    return file, text


def line_of(text: str, fragment: str) -> int:
    return next(k for k, line in enumerate(text.splitlines(), 1) if fragment in line)


# --- right layers pass --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "args", "gradients", "header"),
    [
        ("layers.py:affine", ["--input", "5,3"], ["dx", "dW", "db"], "forward(x (5, 3))"),
        ("layers.py:Sigmoid", ["--input", "4,3"], ["dx"], "forward(x (4, 3))"),
        ("layers.py:sigmoid", ["-i", "2,3,2"], ["dx"], "forward(x (2, 3, 2))"),
        (
            "layers.py:SoftmaxWithLoss",
            ["--input", "4,3", "--labels", "3"],
            ["dx"],
            "forward(x (4, 3), t (4,) labels)",
        ),
    ],
)
def test_right_layers_pass(
    cli: Cli, folder: Path, target: str, args: list[str], gradients: list[str], header: str
) -> None:
    done = cli("check", target, *args)
    assert done.code == 0, done.output
    kind = (
        "Affine"
        if target.endswith("affine")
        else target.split(":")[1].replace("sigmoid", "Sigmoid")
    )
    assert done.stdout.startswith(f"Checking {kind} from layers.py: {header}, then backward")
    assert "passed:" in done.stdout and "WRONG" not in done.stdout
    rows = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("│")]
    assert rows == gradients
    assert done.stderr == ""


# --- slips in the learner's code: exit 2, their line, a hint ------------------------------


@pytest.mark.parametrize(
    ("slip", "fragment", "message", "hint"),
    [
        (
            "matmult",
            "np.matmult",
            "Slip.backward raised AttributeError: module 'numpy' has no attribute 'matmult'",
            "hint: NumPy has no 'matmult': did you mean np.matmul?",
        ),
        (
            "self_w",
            "self.W.T",
            "Slip.backward raised AttributeError: 'Slip' object has no attribute 'W'",
            "hint: self.W is never set: W lives in self.params, and this method has unpacked "
            "it (W, b = self.params): write W, not self.W",
        ),
        (
            "reshpae",
            "reshpae",
            "Slip.forward raised AttributeError: 'numpy.ndarray' object has no attribute 'reshpae'",
            "hint: arrays have no attribute 'reshpae': did you mean .reshape?",
        ),
        (
            "shpae",
            "shpae",
            "Slip.backward raised AttributeError: 'numpy.ndarray' object has no attribute 'shpae'",
            "hint: arrays have no attribute 'shpae': did you mean .shape?",
        ),
    ],
)
def test_a_slip_in_the_code_points_at_the_line_with_a_hint(
    cli: Cli, folder: Path, slip: str, fragment: str, message: str, hint: str
) -> None:
    file, text = write_slip(folder, slip, SLIPS[slip])
    done = cli("check", f"{file}:make", "--input", "5,3")
    assert done.code == 2, done.output
    lines = done.stderr.splitlines()
    assert lines[0] == f"error: {message}"
    function = "forward" if slip == "reshpae" else "backward"
    assert lines[1] == f"  at {file}, line {line_of(text, fragment)}, in {function}"
    assert lines[2].strip() == next(line for line in text.splitlines() if fragment in line).strip()
    assert lines[3] == hint


def test_layer_parms_while_building_points_at_the_factory(cli: Cli, folder: Path) -> None:
    text = (
        "from layers import Affine\nimport numpy as np\n\n\ndef make():\n"
        "    layer = Affine(np.random.randn(3, 4), np.zeros(4))\n"
        "    print(len(layer.parms))\n    return layer\n"
    )
    (folder / "factory.py").write_text(text)
    done = cli("check", "factory.py:make", "--input", "5,3")
    assert done.code == 2
    assert done.stderr.splitlines() == [
        "error: make() raised AttributeError: 'Affine' object has no attribute 'parms'",
        "  at factory.py, line 7, in make",
        "      print(len(layer.parms))",
        "hint: Affine has no attribute 'parms': did you mean .params?",
    ]


def test_self_parms_in_the_class_is_named(cli: Cli, folder: Path) -> None:
    text = (
        "import numpy as np\n\n\nclass MatMul:\n    def __init__(self):\n"
        "        self.parms = [np.random.randn(3, 2)]\n        self.grads = [np.zeros((3, 2))]\n"
        "\n    def forward(self, x):\n        W, = self.parms\n        return x @ W\n"
        "\n    def backward(self, dout):\n        W, = self.parms\n        return dout @ W.T\n"
    )
    (folder / "parms.py").write_text(text)
    done = cli("check", "parms.py:MatMul", "--input", "4,3")
    assert done.code == 2
    assert "error: MatMul needs list attributes 'params' and 'grads'" in done.stderr
    assert "hint: MatMul has 'parms': the book's name is 'params'" in done.stderr


def test_for_without_a_name_is_a_syntax_error_at_its_line(cli: Cli, folder: Path) -> None:
    (folder / "loop.py").write_text("import numpy as np\n\nfor in range(3):\n    pass\n")
    done = cli("check", "loop.py:Relu", "--input", "3")
    assert done.code == 2
    assert done.stderr.splitlines() == [
        "error: loop.py is not valid Python: invalid syntax",
        "  at loop.py, line 3",
        "      for in range(3):",
        "hint: a for loop names its variable before 'in': for i in range(...)",
    ]


def test_an_error_at_import_points_at_the_line(cli: Cli, folder: Path) -> None:
    (folder / "broken.py").write_text("import numpy as np\n\nW = np.zeros((3, 4))\nx = 1 / 0\n")
    done = cli("check", "broken.py:x", "--input", "3")
    assert done.code == 2
    assert done.stderr.splitlines() == [
        "error: loading broken.py raised ZeroDivisionError: division by zero",
        "  at broken.py, line 4",
        "      x = 1 / 0",
    ]


# --- slips that leave no exception: exit 1, named ---------------------------------------


def test_forgetting_to_write_grads_fails_naming_grads_in_place(cli: Cli, folder: Path) -> None:
    file, _ = write_slip(folder, "forgets_grads", SLIPS["forgets_grads"])
    done = cli("check", f"{file}:make", "--input", "5,3")
    assert done.code == 1, done.output
    assert "dW (params[0], shape (3, 4)) is wrong: off by up to" in done.stdout
    assert "db (params[1], shape (4,)) is wrong" in done.stdout
    assert (
        "problem: grads[0] is all zeros: does backward write it in place (grads[0][...] = ...)?"
        in done.stdout
    )
    assert "failed: 2 of 3 wrong (dW, db)" in done.stdout


def test_a_relu_that_changes_dout_in_place_fails(cli: Cli, folder: Path) -> None:
    (folder / "relu.py").write_text(
        textwrap.dedent(
            """
            class Relu:
                def __init__(self):
                    self.params, self.grads = [], []
                    self.mask = None

                def forward(self, x):
                    self.mask = (x <= 0)
                    out = x.copy()
                    out[self.mask] = 0
                    return out

                def backward(self, dout):
                    dout[self.mask] = 0
                    dx = dout
                    return dx
            """
        )
    )
    done = cli("check", "relu.py:Relu", "--input", "4,3")
    assert done.code == 1, done.output
    assert "problem: backward changed the caller's dout in place" in done.stdout
    assert "failed: the gradients match, but see the problem above" in done.stdout


def test_a_wrong_local_derivative_says_by_how_much(cli: Cli, folder: Path) -> None:
    (folder / "sig.py").write_text(
        "from layers import Sigmoid\n\n\nclass Twice(Sigmoid):\n    def backward(self, dout):\n"
        "        return 2 * dout * (1.0 - self.out) * self.out\n"
    )
    done = cli("check", "sig.py:Twice", "--input", "3,2")
    assert done.code == 1
    assert "dx (inputs[0], shape (3, 2)) is wrong: off by up to" in done.stdout
    assert "it is 2 times the right one" in done.stdout


# --- what the learner typed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["layers.py", "--input", "3"], "error: expected FILE.py:NAME"),
        (["layers.py:Sigmoid"], "error: give the shape of each input of forward: --input 5,3"),
        (["layers.py:Sigmoid", "-i", "5x3"], "error: a shape is whole numbers separated by"),
        (["nowhere.py:Sigmoid", "-i", "3"], "error: there is no file 'nowhere.py'"),
        (["layers.py:Sigmod", "-i", "3"], "error: layers.py has no 'Sigmod'\nhint: did you"),
        (["layers.py:Affine", "-i", "3"], "error: the class Affine needs W, b to make a layer"),
    ],
)
def test_what_cannot_be_checked_is_exit_2_with_a_message(
    cli: Cli, folder: Path, args: list[str], message: str
) -> None:
    done: Outcome = cli("check", *args)
    assert done.code == 2, done.output
    assert done.stderr.startswith(message), done.stderr
