"""The element-wise ops on Python floats, for graphs whose every value is a scalar.

Each entry of the op table (``core/ops/table.py``) names its rule here beside its layer,
as it names its shape rule in ``shapes.py``. A rule is the layer's formula written on
floats, operation for operation in the layer's order, so that:

- add, sub, mul, div, neg, square, abs, relu and sum give the layer's result to the last
  bit (IEEE arithmetic is the same in NumPy and in Python);
- exp, log, tanh, sigmoid and pow call ``math`` where the layer calls NumPy, which may
  round the last bit differently (``tests/core/test_float_rules.py`` checks both).

A rule never has to produce inf or nan: where NumPy would, ``math`` and Python raise
(ZeroDivisionError, OverflowError, ValueError) or the engine sees a non-finite result,
and the engine then runs the graph through the layers, whose checks name the node.

    forward(x) -> out                      forward(x, y) -> out
    backward(dout, out, x) -> dx           backward(dout, out, x, y) -> (dx, dy)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple


class FloatRule(NamedTuple):
    forward: Callable[..., float]
    backward: Callable[..., Any]


#: attrs -> the rule for a node with those attrs
FloatRuleFor = Callable[[Mapping[str, Any]], FloatRule]


def _fixed(forward: Callable[..., float], backward: Callable[..., Any]) -> FloatRuleFor:
    """The rule of an op whose attrs do not change its formula."""
    rule = FloatRule(forward, backward)
    return lambda attrs: rule


# --- two inputs ----------------------------------------------------------------------


def _add(x: float, y: float) -> float:
    return x + y


def _add_back(dout: float, out: float, x: float, y: float) -> tuple[float, float]:
    return dout, dout


def _sub(x: float, y: float) -> float:
    return x - y


def _sub_back(dout: float, out: float, x: float, y: float) -> tuple[float, float]:
    return dout, -dout


def _mul(x: float, y: float) -> float:
    return x * y


def _mul_back(dout: float, out: float, x: float, y: float) -> tuple[float, float]:
    return dout * y, dout * x


def _div(x: float, y: float) -> float:
    return x / y


def _div_back(dout: float, out: float, x: float, y: float) -> tuple[float, float]:
    return dout / y, -dout * out / y


ADD = _fixed(_add, _add_back)
SUB = _fixed(_sub, _sub_back)
MUL = _fixed(_mul, _mul_back)
DIV = _fixed(_div, _div_back)


# --- one input ---------------------------------------------------------------------------


def _neg(x: float) -> float:
    return -x


def _neg_back(dout: float, out: float, x: float) -> float:
    return -dout


def _exp_back(dout: float, out: float, x: float) -> float:
    return dout * out


def _log_back(dout: float, out: float, x: float) -> float:
    return dout / x


def _square(x: float) -> float:
    return x * x  # np.square: one rounding, as x * x


def _square_back(dout: float, out: float, x: float) -> float:
    return dout * 2.0 * x


def _abs_back(dout: float, out: float, x: float) -> float:
    return dout * (1.0 if x > 0 else -1.0 if x < 0 else 0.0)  # np.sign(x)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(min(-x, 709.0)))  # core.functions.sigmoid, step by step


def _sigmoid_back(dout: float, out: float, x: float) -> float:
    return dout * (1.0 - out) * out


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # the mask is x <= 0


def _relu_back(dout: float, out: float, x: float) -> float:
    return 0.0 if x <= 0 else dout


def _tanh_back(dout: float, out: float, x: float) -> float:
    return dout * (1.0 - out * out)  # out**2 on an array is np.square


def _sum(x: float) -> float:
    return 0.0 + x  # np.sum starts from 0.0: -0.0 sums to 0.0


def _sum_back(dout: float, out: float, x: float) -> float:
    return dout


NEG = _fixed(_neg, _neg_back)
EXP = _fixed(math.exp, _exp_back)
LOG = _fixed(math.log, _log_back)
SQUARE = _fixed(_square, _square_back)
ABS = _fixed(abs, _abs_back)
SIGMOID = _fixed(_sigmoid, _sigmoid_back)
RELU = _fixed(_relu, _relu_back)
TANH = _fixed(math.tanh, _tanh_back)
#: the sum of a scalar (the only sum whose shape is a scalar's: axis None) is the scalar
SUM = _fixed(_sum, _sum_back)


def _pow(attrs: Mapping[str, Any]) -> FloatRule:
    """x ** p for the node's exponent p; math.pow raises where np.power gives inf or nan."""
    p = float(attrs["exponent"])
    q = p - 1

    def forward(x: float) -> float:
        return math.pow(x, p)

    def backward(dout: float, out: float, x: float) -> float:
        return dout * p * math.pow(x, q)

    return FloatRule(forward, backward)


POW = _pow
