"""The seed notes' slips, recognised: a learner's layer fails with where and what to change.

Each layer below carries one slip from REFERENCE.md ("Learner mistakes"). The check must
name it: an exception in the learner's code becomes a LearnerCodeError pointing at this
file and the slip's line, with a hint; a slip that leaves the numbers right is a problem.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from core import layers
from core.errors import LayerCheckError, LearnerCodeError
from core.functions import softmax
from core.gradcheck import ArrayCheck, GradCheckReport, check_layer, report_html
from core.slips import hint_for, input_names, learner_location, param_names

rng = np.random.default_rng(11)
Array = NDArray[Any]


class Affine:
    """The book's Affine, as a learner writes it."""

    def __init__(self, W: Array, b: Array) -> None:
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x: Array | None = None

    def forward(self, x: Array) -> Array:
        W, b = self.params
        self.x = x
        return np.matmul(x, W) + b

    def backward(self, dout: Array) -> Array:
        W, _ = self.params
        assert self.x is not None
        self.grads[0][...] = np.matmul(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.matmul(dout, W.T)


class MatMult(Affine):
    def backward(self, dout: Array) -> Array:
        W, _ = self.params
        return np.matmult(dout, W.T)  # type: ignore[attr-defined]  # the slip


class SelfW(Affine):
    def backward(self, dout: Array) -> Array:
        W, _ = self.params  # noqa: RUF059  # unpacked, then not used: the slip below
        return np.matmul(dout, self.W.T)  # type: ignore[attr-defined]  # the slip


class SelfWNeverUnpacked(Affine):
    def backward(self, dout: Array) -> Array:
        return np.matmul(dout, self.W.T)  # type: ignore[attr-defined]  # the slip


class Reshpae(Affine):
    def forward(self, x: Array) -> Array:
        W, b = self.params
        self.x = x.reshpae(len(x), -1)  # type: ignore[attr-defined]  # the slip
        return np.matmul(self.x, W) + b


class Shpae(Affine):
    def backward(self, dout: Array) -> Array:
        W, _ = self.params
        assert self.x is not None
        return np.matmul(dout, W.T).reshape(self.x.shpae)  # type: ignore[attr-defined]


class Parms:
    def __init__(self, W: Array) -> None:
        self.parms = [W]  # the slip: the book's name is params
        self.grads = [np.zeros_like(W)]


class RebindsGrads(Affine):
    def backward(self, dout: Array) -> Array:
        W, _ = self.params
        assert self.x is not None
        self.grads[0] = np.matmul(self.x.T, dout)  # the slip: not grads[0][...]
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.matmul(dout, W.T)


class NewGradsList(Affine):
    def backward(self, dout: Array) -> Array:
        W, _ = self.params
        assert self.x is not None
        self.grads = [np.matmul(self.x.T, dout), np.sum(dout, axis=0)]  # the slip
        return np.matmul(dout, W.T)


class BatchMean(Affine):
    def backward(self, dout: Array) -> Array:
        dx = super().backward(dout)
        self.grads[1][...] /= len(dout)  # the slip: db is a sum, not a mean
        return dx


class ForwardChangesInput:
    def __init__(self) -> None:
        self.params: list[Array] = []
        self.grads: list[Array] = []

    def forward(self, x: Array) -> Array:
        self.mask = x <= 0
        x[self.mask] = 0  # the slip: the caller's x
        return x

    def backward(self, dout: Array) -> Array:
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class ForgetsReturn(layers.Sigmoid):
    def forward(self, x: Array) -> Array:
        self.out = 1 / (1 + np.exp(-x))
        return None  # type: ignore[return-value]  # the slip: forgot "return out"


class BookSoftmaxWithLoss:
    """Book 2's SoftmaxWithLoss, with its cross_entropy_error's log(y + 1e-7)."""

    def __init__(self) -> None:
        self.params: list[Array] = []
        self.grads: list[Array] = []

    def forward(self, x: Array, t: Array) -> float:
        self.t = t
        self.y = softmax(x)
        batch_size = self.y.shape[0]
        return float(-np.sum(np.log(self.y[np.arange(batch_size), t] + 1e-7)) / batch_size)

    def backward(self, dout: Array | float = 1) -> Array:
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx * dout / batch_size


def _affine(cls: type[Affine] = Affine) -> Affine:
    return cls(rng.standard_normal((3, 4)), rng.standard_normal(4))


def _line_of(cls: type, text: str) -> int:
    """The line of this file that holds ``text`` inside ``cls``."""
    lines, start = inspect.getsourcelines(cls)
    return start + next(k for k, line in enumerate(lines) if text in line)


def _code_error(layer: Any, *inputs: Any) -> LearnerCodeError:
    with pytest.raises(LearnerCodeError) as caught:
        check_layer(layer, *inputs)
    return caught.value


def test_a_right_affine_passes_and_names_its_gradients_as_the_book_does() -> None:
    report = check_layer(_affine(), rng.standard_normal((5, 3)))
    assert report.passed, report.to_dict()
    assert [a.gradient for a in report.arrays] == ["dx", "dW", "db"]
    assert [a.name for a in report.arrays] == ["inputs[0]", "params[0]", "params[1]"]


@pytest.mark.parametrize("seed", range(8))
def test_the_books_softmax_with_loss_passes_despite_its_log_epsilon(seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal((4, 3))
    t = np.random.default_rng(seed + 100).integers(0, 3, size=4)
    report = check_layer(BookSoftmaxWithLoss(), x, t, seed=seed)
    assert report.passed, report["inputs[0]"].max_rel_error


def test_np_matmult_points_at_the_line_and_says_matmul() -> None:
    error = _code_error(_affine(MatMult), rng.standard_normal((5, 3)))
    assert error.hint == "NumPy has no 'matmult': did you mean np.matmul?"
    assert isinstance(error.exception, AttributeError)
    assert error.location is not None
    assert error.location.file == __file__
    assert error.location.line == _line_of(MatMult, "np.matmult")
    assert error.location.function == "backward"
    assert (
        error.location.source
        == "return np.matmult(dout, W.T)  # type: ignore[attr-defined]  # the slip"
    )
    assert str(error).startswith("MatMult.backward raised AttributeError")


def test_self_w_after_unpacking_says_to_use_the_unpacked_w() -> None:
    error = _code_error(_affine(SelfW), rng.standard_normal((5, 3)))
    assert error.hint is not None
    assert "self.W is never set" in error.hint and "write W, not self.W" in error.hint
    assert "this method has unpacked it (W, _ = self.params)" in error.hint
    assert error.location is not None and error.location.line == _line_of(SelfW, "self.W.T")


def test_self_w_without_unpacking_says_to_unpack_params_first() -> None:
    error = _code_error(_affine(SelfWNeverUnpacked), rng.standard_normal((5, 3)))
    assert error.hint is not None
    assert "Unpack it in this method too" in error.hint or "unpack them first" in error.hint
    assert "self.params" in error.hint


@pytest.mark.parametrize(
    ("cls", "typo", "meant"), [(Reshpae, "reshpae", ".reshape"), (Shpae, "shpae", ".shape")]
)
def test_array_attribute_typos_name_the_right_attribute(
    cls: type[Affine], typo: str, meant: str
) -> None:
    error = _code_error(_affine(cls), rng.standard_normal((5, 3)))
    assert error.hint == f"arrays have no attribute {typo!r}: did you mean {meant}?"
    assert error.location is not None and error.location.line == _line_of(cls, f".{typo}")


def test_parms_for_params_is_named() -> None:
    with pytest.raises(LayerCheckError, match="needs list attributes 'params'") as caught:
        check_layer(Parms(rng.standard_normal((3, 2))), rng.standard_normal((4, 3)))
    assert caught.value.hint == "Parms has 'parms': the book's name is 'params'"


def test_layer_parms_on_an_object_suggests_params() -> None:
    layer = _affine()
    try:
        layer.parms  # type: ignore[attr-defined]  # noqa: B018  # the slip
    except AttributeError as exc:
        assert hint_for(exc) == "Affine has no attribute 'parms': did you mean .params?"
    else:
        pytest.fail("no AttributeError")


def test_for_without_a_name_is_a_syntax_slip() -> None:
    try:
        compile("for in range(3):\n    pass\n", "layers.py", "exec")
    except SyntaxError as exc:
        assert hint_for(exc) == "a for loop names its variable before 'in': for i in range(...)"
        location = learner_location(exc)
        assert location is not None
        assert (location.file, location.line, location.source) == (
            "layers.py",
            1,
            "for in range(3):",
        )
    else:
        pytest.fail("no SyntaxError")


def test_a_misspelt_name_is_suggested() -> None:
    def forward(x: Array) -> Array:
        return sofmax(x)  # type: ignore[name-defined]  # noqa: F821  # the slip

    try:
        forward(np.ones(3))
    except NameError as exc:
        assert hint_for(exc) == "did you mean softmax?"
    else:
        pytest.fail("no NameError")


def test_a_shape_error_names_the_params_shapes() -> None:
    error = _code_error(_affine(), rng.standard_normal((5, 2)))  # W is (3, 4)
    assert error.hint is not None and "W (3, 4), b (4,)" in error.hint


def test_grads_replaced_instead_of_written_in_place_is_a_problem() -> None:
    report = check_layer(_affine(RebindsGrads), rng.standard_normal((5, 3)))
    assert not report.passed
    assert all(a.passed for a in report.arrays)  # the numbers are right...
    assert report.problems == [  # ...but a model holding grads[0] never sees them
        "backward replaced grads[0] by a new array (grads[0] = ...) instead of writing "
        "into it (grads[0][...] = ...): a model or optimizer holding the old array never "
        "sees the gradient"
    ]


def test_a_new_grads_list_is_a_problem() -> None:
    report = check_layer(_affine(NewGradsList), rng.standard_normal((5, 3)))
    assert not report.passed
    assert any("backward gave self.grads a new list" in p for p in report.problems)


def test_a_gradient_off_by_a_factor_says_so() -> None:
    report = check_layer(_affine(BatchMean), rng.standard_normal((5, 3)))
    db = report["params[1]"]
    assert not db.passed and db.gradient == "db"
    assert db.note == "it is 1/5 of the right one"  # a mean over the batch of 5


def test_a_forward_that_changes_its_input_is_a_problem() -> None:
    x = rng.standard_normal((3, 4))
    report = check_layer(ForwardChangesInput(), x)
    assert not report.passed
    assert report.problems[0].startswith("forward changed its input x in place")


def test_a_forward_that_returns_nothing_says_return() -> None:
    with pytest.raises(LayerCheckError, match=r"ForgetsReturn.forward returned None") as caught:
        check_layer(ForgetsReturn(), rng.standard_normal((2, 3)))
    assert caught.value.hint == "end forward with the result: return out"


def test_integer_params_are_refused_with_a_hint() -> None:
    layer = Affine(np.arange(12).reshape(3, 4), np.zeros(4))
    with pytest.raises(LayerCheckError, match="params\\[0\\] of Affine is int64") as caught:
        check_layer(layer, rng.standard_normal((5, 3)))
    assert caught.value.hint is not None and "float" in caught.value.hint


def test_names_come_from_the_learners_code() -> None:
    assert param_names(Affine) == ["W", "b"]
    assert param_names(layers.Sigmoid) is None
    assert input_names(BookSoftmaxWithLoss()) == ["x", "t"]


def test_the_report_is_an_html_table_with_every_text_escaped() -> None:
    report = check_layer(_affine(BatchMean), rng.standard_normal((5, 3)))
    html = report._repr_html_()
    assert html == report_html(report)
    assert "<strong" in html and "failed" in html
    assert html.count("<tr>") == 1 + 3  # the head and one row per gradient
    assert "<code>db</code>" in html and "1/5 of the right one" in html
    ok = check_layer(_affine(), rng.standard_normal((5, 3)))._repr_html_()
    assert "passed" in ok and "failed" not in ok
    zeros = np.zeros(2)
    made_up = GradCheckReport(
        [ArrayCheck("<b>x</b>", zeros, zeros, 0.0, 0.0, True)], 1e-5, 1e-4, ["<script>"]
    )
    html = report_html(made_up)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


class ReturnsText(layers.Sigmoid):
    def forward(self, x: Array) -> Array:
        return "out"  # type: ignore[return-value]  # the slip: a string, not the array


class ReturnsAList(layers.Sigmoid):
    def backward(self, dout: Array) -> Array:
        return "dx"  # type: ignore[return-value]


def test_a_result_that_is_not_numbers_is_a_message() -> None:
    with pytest.raises(LayerCheckError, match=r"ReturnsText\.forward is a str, not numbers"):
        check_layer(ReturnsText(), rng.standard_normal(3))
    with pytest.raises(LayerCheckError, match="backward's gradient for x is a str"):
        check_layer(ReturnsAList(), rng.standard_normal(3))
