"""The table of operations: one entry per op, naming its layer and its words.

A new element-wise op is one entry here plus its layer in ``core/layers.py``: the engine,
the API schema, the expression parser (``name(x)``), the build panel, the local-rule
panel, the drawing and the gradient tests all read it from this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core import layers
from core.messages import Message, msg
from core.ops import floats
from core.ops.base import (
    Array,
    Attr,
    Binary,
    Loss,
    Op,
    Rule,
    Sample,
    Source,
    Unary,
    WithParams,
    text,
)
from core.ops.shapes import (
    affine_shape,
    loss_shape,
    matmul_shape,
    repeat_shape,
    softmax_shape,
    sum_shape,
)


def pow_trouble(inputs: list[Array], attrs: Mapping[str, Any]) -> Message:
    """Which of pow's three ways to fail these inputs took."""
    x, p = inputs[0], attrs["exponent"]
    if p != round(p) and bool(np.any(x < 0)):
        return msg("cause_pow_negative_base")
    if p < 0 and bool(np.any(x == 0)):
        return msg("cause_pow_zero")
    return msg("cause_pow_overflow")


_AXIS = Attr(
    "axis",
    "optional_int",
    text("Axis (empty: all)", "축 (비우면 전체)"),
    "the axis (null for all, as in NumPy)",
    default=None,
)

OP_TABLE: tuple[Op, ...] = (
    Source(name="input", symbol="", title=text("input", "입력")),
    Source(name="param", symbol="", title=text("param", "매개변수"), trainable=True),
    Binary(
        name="add",
        symbol="+",
        title=text("add +", "덧셈 +"),
        layer=layers.AddLayer,
        floats=floats.ADD,
        rule=Rule(
            "{x} + {y}",
            ("{dout}", "{dout}"),
            text(
                "The add node passes dout on to both inputs unchanged (summed back over any "
                "axis that was broadcast).",
                "덧셈 노드는 상류에서 온 기울기(dout)를 그대로 양쪽 입력으로 흘려보냅니다 "
                "(브로드캐스트된 축은 다시 합칩니다).",
            ),
        ),
        non_finite_hint="cause_sum",
    ),
    Binary(
        name="sub",
        symbol="−",
        title=text("subtract −", "뺄셈 −"),
        layer=layers.SubLayer,
        floats=floats.SUB,
        rule=Rule(
            "{x} − {y}",
            ("{dout}", "−{dout}"),
            text(
                "The subtract node passes dout to x and −dout to y.",
                "뺄셈 노드는 x에 dout을, y에 −dout을 흘려보냅니다.",
            ),
        ),
        non_finite_hint="cause_difference",
    ),
    Binary(
        name="mul",
        symbol="×",
        title=text("multiply ×", "곱셈 ×"),
        layer=layers.MulLayer,
        floats=floats.MUL,
        rule=Rule(
            "{x} × {y}",
            ("{dout} × {y}", "{dout} × {x}"),
            text(
                "The multiply node swaps its inputs: x gets dout × y and y gets dout × x.",
                "곱셈 노드는 입력을 서로 바꿔 곱합니다: x에는 dout × y가, y에는 dout × x가 "
                "흐릅니다.",
            ),
        ),
        non_finite_hint="cause_product",
    ),
    Binary(
        name="div",
        symbol="÷",
        title=text("divide ÷", "나눗셈 ÷"),
        layer=layers.DivLayer,
        floats=floats.DIV,
        rule=Rule(
            "{x} ÷ {y}",
            ("{dout} ÷ {y}", "−{dout} × {x} ÷ {y}²"),
            text(
                "x gets dout ÷ y; y gets −dout × x ÷ y², which is −dout × out ÷ y.",
                "x에는 dout ÷ y가, y에는 −dout × x ÷ y² (= −dout × out ÷ y)가 흐릅니다.",
            ),
        ),
        non_finite_hint="cause_division",
        samples=(Sample(), Sample(0.5, 3.0, mirrored=True)),
    ),
    Unary(
        name="neg",
        symbol="−",
        title=text("negate −", "부호 반전 −"),
        layer=layers.Neg,
        floats=floats.NEG,
        rule=Rule(
            "−{x}",
            ("−{dout}",),
            text(
                "Negation flips the sign of the gradient too.",
                "부호 반전 노드는 기울기의 부호도 뒤집습니다.",
            ),
        ),
        in_expressions=False,  # written -x
    ),
    Unary(
        name="exp",
        symbol="exp",
        title=text("exp", "exp"),
        layer=layers.Exp,
        floats=floats.EXP,
        rule=Rule(
            "exp({x})",
            ("{dout} × {out}",),
            text(
                "The derivative of exp is exp itself, so backward multiplies dout by the "
                "output kept from forward.",
                "exp의 미분은 exp 자신이므로, 역전파는 순전파 때 기억해 둔 출력을 dout에 곱합니다.",
            ),
        ),
        non_finite_hint="cause_exp",
    ),
    Unary(
        name="log",
        symbol="log",
        title=text("log", "log"),
        layer=layers.Log,
        floats=floats.LOG,
        rule=Rule(
            "log({x})",
            ("{dout} ÷ {x}",),
            text(
                "The derivative of log x is 1/x, so backward divides dout by x.",
                "log x의 미분은 1/x이므로, 역전파는 dout을 x로 나눕니다.",
            ),
        ),
        non_finite_hint="cause_log",
        samples=(Sample(0.2, 5.0),),
    ),
    Unary(
        name="square",
        symbol="²",
        title=text("square x²", "제곱 x²"),
        layer=layers.Square,
        floats=floats.SQUARE,
        rule=Rule(
            "{x}²",
            ("{dout} × 2 × {x}",),
            text(
                "z = x² has the local derivative 2x, so backward multiplies dout by 2x: "
                "the chain rule of book 1, 5.2 (z = t², t = x + y).",
                "z = x²의 국소적 미분은 2x이므로, 역전파는 dout에 2x를 곱합니다: "
                "1권 5.2절의 연쇄법칙 (z = t², t = x + y).",
            ),
        ),
    ),
    Unary(
        name="abs",
        symbol="|x|",
        title=text("absolute value |x|", "절댓값 |x|"),
        layer=layers.Abs,
        floats=floats.ABS,
        rule=Rule(
            "|{x}|",
            ("{dout} × sign({x})",),
            text(
                "|x| slopes up by 1 where x > 0 and down by 1 where x < 0, so backward multiplies "
                "dout by the sign of x. At x = 0 there is a kink, with no derivative: 0 is "
                "passed back, as ReLU does.",
                "|x|의 기울기는 x > 0에서 1, x < 0에서 −1이므로, 역전파는 dout에 x의 부호를 "
                "곱합니다. x = 0은 꺾인 점이라 미분이 없으므로, ReLU처럼 0을 흘려보냅니다.",
            ),
        ),
        samples=(Sample(0.01, 3.0, mirrored=True),),
        kinks=(0.0,),
    ),
    Unary(
        name="pow",
        symbol="^",
        title=text("power", "거듭제곱"),
        layer=layers.Pow,
        floats=floats.POW,
        attrs=(
            Attr(
                "exponent",
                "number",
                text("Exponent", "지수"),
                "the constant exponent",
                suggested=2,
            ),
        ),
        rule=Rule(
            "{x}^{exponent}",
            ("{dout} × {exponent} × {x}^({exponent} − 1)",),
            text(
                "The power rule: the derivative of x^p is p·x^(p−1).",
                "거듭제곱의 미분 법칙: x^p의 미분은 p·x^(p−1)입니다.",
            ),
        ),
        non_finite_hint="cause_pow",
        explain_non_finite=pow_trouble,
        in_expressions=False,  # written x ** p
    ),
    Unary(
        name="sigmoid",
        symbol="σ",
        title=text("sigmoid σ", "시그모이드 σ"),
        layer=layers.Sigmoid,
        floats=floats.SIGMOID,
        rule=Rule(
            "1 / (1 + exp(−{x}))",
            ("{dout} × {out} × (1 − {out})",),
            text(
                "Sigmoid keeps its output y from forward, and backward needs only it: "
                "dout × y(1 − y).",
                "시그모이드는 순전파의 출력 y를 기억해 두고, 역전파에서는 그것만으로 "
                "dout × y(1 − y)를 계산합니다.",
            ),
        ),
        samples=(Sample(-6.0, 6.0),),
    ),
    Unary(
        name="relu",
        symbol="ReLU",
        title=text("ReLU", "ReLU"),
        layer=layers.ReLU,
        floats=floats.RELU,
        rule=Rule(
            "max(0, {x})",
            ("{dout} × [{x} > 0]",),
            text(
                "ReLU keeps a mask of where x ≤ 0; backward lets dout through where x > 0 and "
                "stops it (0) everywhere else.",
                "ReLU는 x ≤ 0인 곳의 마스크(mask)를 기억해 두고, 역전파에서 x > 0인 곳은 "
                "dout을 그대로 흘리고 나머지는 0으로 막습니다.",
            ),
        ),
        samples=(Sample(0.01, 3.0, mirrored=True),),
        kinks=(0.0,),
    ),
    Unary(
        name="tanh",
        symbol="tanh",
        title=text("tanh", "tanh"),
        layer=layers.Tanh,
        floats=floats.TANH,
        rule=Rule(
            "tanh({x})",
            ("{dout} × (1 − {out}²)",),
            text(
                "The derivative of tanh is 1 − tanh², computed from the output kept in forward.",
                "tanh의 미분은 1 − tanh²이며, 순전파 때 기억해 둔 출력으로 계산합니다.",
            ),
        ),
    ),
    WithParams(
        name="matmul",
        symbol="MatMul",
        title=text("MatMul", "행렬 곱 MatMul"),
        input_names=("x", "W"),
        layer=layers.MatMul,
        shape_rule=matmul_shape,
        rule=Rule(
            "{x} · {W}",
            ("{dout} · {W}ᵀ", "{x}ᵀ · {dout}"),
            text(
                "MatMul: dx = dout · Wᵀ and dW = xᵀ · dout; each gradient has the shape of "
                "its input.",
                "MatMul 노드: dx = dout · Wᵀ, dW = xᵀ · dout이며, 각 기울기는 그 입력과 "
                "형상이 같습니다.",
            ),
        ),
        non_finite_hint="cause_product",
    ),
    WithParams(
        name="affine",
        symbol="Affine",
        title=text("Affine", "Affine"),
        input_names=("x", "W", "b"),
        layer=layers.Affine,
        shape_rule=affine_shape,
        rule=Rule(
            "{x} · {W} + {b}",
            ("{dout} · {W}ᵀ", "{x}ᵀ · {dout}", "sum({dout}, axis=0)"),
            text(
                "Affine is MatMul plus a bias. b is repeated over the rows of the batch "
                "(a hidden Repeat), so db sums dout over the batch.",
                "Affine은 MatMul에 편향을 더한 것입니다. b는 배치의 행마다 반복되므로"
                "(숨은 Repeat 노드) db는 dout을 배치 방향으로 합한 것입니다.",
            ),
        ),
    ),
    Unary(
        name="repeat",
        symbol="Repeat",
        title=text("Repeat", "Repeat"),
        layer=layers.Repeat,
        form="pill",
        shape_rule=repeat_shape,
        attrs=(
            Attr(
                "repeats",
                "positive_int",
                text("Repeats", "반복 횟수"),
                "how many times, at least 1",
                suggested=2,
            ),
            _AXIS,
        ),
        rule=Rule(
            "repeat({x}, {repeats}, axis={axis})",
            ("sum({dout}, axis={axis})",),
            text(
                "Repeat copies x; backward sums the copies' gradients back: the backward of "
                "Repeat is a Sum.",
                "Repeat 노드는 x를 복제하고, 역전파에서는 복제본들의 기울기를 합칩니다: "
                "Repeat의 역전파는 Sum입니다.",
            ),
        ),
    ),
    Unary(
        name="sum",
        symbol="Σ",
        title=text("Sum Σ", "Sum Σ"),
        layer=layers.Sum,
        floats=floats.SUM,
        shape_rule=sum_shape,
        attrs=(
            _AXIS,
            Attr(
                "keepdims",
                "bool",
                text("Keep the axis", "축 유지"),
                "keep the summed axis as 1",
                default=False,
            ),
        ),
        rule=Rule(
            "sum({x}, axis={axis})",
            ("repeat({dout})",),
            text(
                "Sum adds entries up; backward copies dout back to every entry: the backward "
                "of Sum is a Repeat.",
                "Sum 노드는 원소를 더하고, 역전파에서는 dout을 모든 원소에 복제합니다: "
                "Sum의 역전파는 Repeat입니다.",
            ),
        ),
    ),
    Unary(
        name="softmax",
        symbol="Softmax",
        title=text("Softmax", "Softmax"),
        layer=layers.Softmax,
        form="pill",
        shape_rule=softmax_shape,
        rule=Rule(
            "softmax({x})",
            ("{out} × {dout} − {out} × sum({out} × {dout})",),
            text(
                "Softmax over the last axis; backward: y × dout − y × sum(y × dout).",
                "마지막 축에 대한 소프트맥스입니다. 역전파: y × dout − y × sum(y × dout).",
            ),
        ),
    ),
    Loss(
        name="softmax_with_loss",
        symbol="Loss",
        title=text("Softmax with Loss", "Softmax-with-Loss"),
        layer=layers.SoftmaxWithLoss,
        # exact: the graph's gradient check must agree with the backward to rounding error
        layer_kwargs=(("exact", True),),
        shape_rule=loss_shape,
        rule=Rule(
            "cross_entropy(softmax({scores}), {labels})",
            ("(softmax({scores}) − onehot({labels})) × {dout} ÷ N", None),
            text(
                "Softmax and the cross-entropy error in one layer: the gradient is simply "
                "(y − t) ÷ N, with t the one-hot labels and N the batch size. No gradient "
                "flows into the labels.",
                "소프트맥스와 교차 엔트로피 오차를 합친 계층: 기울기는 (y − t) ÷ N으로 "
                "간단해집니다 (t는 원-핫 정답, N은 배치 크기). 정답 레이블로는 기울기가 "
                "흐르지 않습니다.",
            ),
        ),
    ),
)
