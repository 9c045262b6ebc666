"""Layers in the book's style: ``params``, ``grads``, ``forward``, ``backward(dout)``.

Every layer keeps what its backward needs from its forward, and writes parameter
gradients in place (``self.grads[0][...] = dW``) so that an optimizer holding the
list sees them. Backward never modifies the caller's ``dout``.

Binary element-wise layers (Add, Sub, Mul, Div) broadcast like NumPy; the gradient
of a broadcast operand is summed back to its own shape, the hidden Repeat node.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from core.functions import (
    cross_entropy_error,
    log_softmax,
    sigmoid,
    softmax,
    to_class_indices,
)

Array = NDArray[np.float64]


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` back to ``shape``: the backward of NumPy broadcasting (a Repeat)."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)


class Layer:
    """Base of every layer: no parameters unless a subclass sets them."""

    def __init__(self) -> None:
        self.params: list[Array] = []
        self.grads: list[Array] = []


# --- element-wise, two inputs -------------------------------------------------


class AddLayer(Layer):
    """out = x + y; backward passes dout to both sides unchanged (summed back if broadcast)."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x_shape, self.y_shape = np.shape(x), np.shape(y)
        return np.add(x, y)

    def backward(self, dout: Array) -> tuple[Array, Array]:
        return unbroadcast(dout, self.x_shape), unbroadcast(dout, self.y_shape)


class SubLayer(Layer):
    """out = x - y; dx = dout, dy = -dout."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x_shape, self.y_shape = np.shape(x), np.shape(y)
        return np.subtract(x, y)

    def backward(self, dout: Array) -> tuple[Array, Array]:
        return unbroadcast(dout, self.x_shape), unbroadcast(-dout, self.y_shape)


class MulLayer(Layer):
    """out = x * y; backward swaps the inputs: dx = dout * y, dy = dout * x."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        return np.multiply(x, y)

    def backward(self, dout: Array) -> tuple[Array, Array]:
        dx = unbroadcast(dout * self.y, np.shape(self.x))
        dy = unbroadcast(dout * self.x, np.shape(self.y))
        return dx, dy


class DivLayer(Layer):
    """out = x / y; dx = dout / y, dy = -dout * x / y**2 = -dout * out / y."""

    def forward(self, x: Array, y: Array) -> Array:
        self.x, self.y = x, y
        self.out = np.divide(x, y)
        return self.out

    def backward(self, dout: Array) -> tuple[Array, Array]:
        dx = unbroadcast(dout / self.y, np.shape(self.x))
        dy = unbroadcast(-dout * self.out / self.y, np.shape(self.y))
        return dx, dy


# --- element-wise, one input ----------------------------------------------------


class Neg(Layer):
    """out = -x; dx = -dout."""

    def forward(self, x: Array) -> Array:
        return np.negative(x)

    def backward(self, dout: Array) -> Array:
        return np.negative(dout)


class Exp(Layer):
    """out = exp(x); dx = dout * out."""

    def forward(self, x: Array) -> Array:
        self.out = np.exp(x)
        return self.out

    def backward(self, dout: Array) -> Array:
        return dout * self.out


class Log(Layer):
    """out = log(x) (natural); dx = dout / x."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return np.log(x)

    def backward(self, dout: Array) -> Array:
        return dout / self.x


class Abs(Layer):
    """out = |x|; dx = dout * sign(x). At the kink x = 0 there is no derivative: 0 is passed."""

    def forward(self, x: Array) -> Array:
        self.sign = np.sign(x)
        return np.abs(x)

    def backward(self, dout: Array) -> Array:
        return dout * self.sign


class Square(Layer):
    """out = x ** 2; dx = dout * 2x (the z = t ** 2 of the chain rule, book 1, 5.2)."""

    def forward(self, x: Array) -> Array:
        self.x = x
        return np.square(x)

    def backward(self, dout: Array) -> Array:
        return dout * 2.0 * self.x


class Pow(Layer):
    """out = x ** p for a constant p; dx = dout * p * x ** (p - 1)."""

    def __init__(self, exponent: float) -> None:
        super().__init__()
        self.exponent = exponent

    def forward(self, x: Array) -> Array:
        self.x = x
        return np.power(x, self.exponent)

    def backward(self, dout: Array) -> Array:
        p = self.exponent
        return dout * p * np.power(self.x, p - 1)


class ReLU(Layer):
    """out = max(0, x); the mask of x <= 0 zeroes those entries of dout.

    Unlike the book's version, backward works on a copy: the caller's dout is
    an upstream gradient the explorer still has to show.
    """

    def forward(self, x: Array) -> Array:
        self.mask = x <= 0
        out = np.array(x, dtype=np.float64, copy=True)
        out[self.mask] = 0
        return out

    def backward(self, dout: Array) -> Array:
        dx = np.array(dout, dtype=np.float64, copy=True)
        dx[self.mask] = 0
        return dx


class Sigmoid(Layer):
    """out = 1 / (1 + exp(-x)); dx = dout * out * (1 - out), from the kept out."""

    def forward(self, x: Array) -> Array:
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout: Array) -> Array:
        return dout * (1.0 - self.out) * self.out


class Tanh(Layer):
    """out = tanh(x); dx = dout * (1 - out**2)."""

    def forward(self, x: Array) -> Array:
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout: Array) -> Array:
        return dout * (1.0 - self.out**2)


# --- matrices --------------------------------------------------------------------


class MatMul(Layer):
    """out = x W.  x: (N, D), W: (D, H) -> (N, H);  dx = dout W^T, dW = x^T dout."""

    def __init__(self, W: Array) -> None:
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x: Array | None = None

    def forward(self, x: Array) -> Array:
        (W,) = self.params
        self.x = x
        # np.dot, as the book: for these 2-D arrays the same product as np.matmul,
        # with less call overhead (it runs several times per training step).
        out: Array = np.dot(x, W)
        return out

    def backward(self, dout: Array) -> Array:
        (W,) = self.params
        assert self.x is not None, "backward before forward"
        dx: Array = np.dot(dout, W.T)
        dW = np.dot(self.x.T, dout)
        self.grads[0][...] = dW
        return dx


class Affine(Layer):
    """out = x W + b.  x: (N, D), W: (D, H), b: (H,) -> (N, H).

    b is broadcast over the rows (a hidden Repeat), so db = sum(dout, axis=0).
    """

    def __init__(self, W: Array, b: Array) -> None:
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x: Array | None = None

    def forward(self, x: Array) -> Array:
        W, b = self.params
        self.x = x
        out: Array = np.dot(x, W) + b  # np.dot: see MatMul.forward
        return out

    def backward(self, dout: Array) -> Array:
        W, b = self.params
        assert self.x is not None, "backward before forward"
        dx: Array = np.dot(dout, W.T)
        dW = np.dot(self.x.T, dout)
        db = unbroadcast(dout, b.shape)
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dx


class Repeat(Layer):
    """out = np.repeat(x, repeats, axis); dx sums each run of copies back (a Sum)."""

    def __init__(self, repeats: int, axis: int | None = None) -> None:
        super().__init__()
        self.repeats, self.axis = repeats, axis

    def forward(self, x: Array) -> Array:
        self.x_shape = np.shape(x)
        return np.repeat(x, self.repeats, axis=self.axis)

    def backward(self, dout: Array) -> Array:
        if self.axis is None:
            # np.repeat(x, r) flattens x and repeats each element r times.
            return dout.reshape(-1, self.repeats).sum(axis=1).reshape(self.x_shape)
        axis = self.axis % len(self.x_shape)
        n = self.x_shape[axis]
        split = (*dout.shape[:axis], n, self.repeats, *dout.shape[axis + 1 :])
        return dout.reshape(split).sum(axis=axis + 1)


class Sum(Layer):
    """out = np.sum(x, axis, keepdims); dx copies dout back over the summed axes (a Repeat)."""

    def __init__(self, axis: int | None = None, keepdims: bool = False) -> None:
        super().__init__()
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: Array) -> Array:
        self.x_shape = np.shape(x)
        return np.sum(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, dout: Array) -> Array:
        if self.axis is not None and not self.keepdims:
            dout = np.expand_dims(dout, self.axis)
        return np.broadcast_to(dout, self.x_shape).copy()


class Softmax(Layer):
    """out = softmax(x) over the last axis; dx = out*dout - out*sum(out*dout)."""

    def forward(self, x: Array) -> Array:
        self.out = softmax(x)
        return self.out

    def backward(self, dout: Array) -> Array:
        dx = self.out * dout
        sumdx = np.sum(dx, axis=-1, keepdims=True)
        dx -= self.out * sumdx
        return dx


class SoftmaxWithLoss(Layer):
    """loss = mean cross-entropy of softmax(x).  x: (N, C), t: (N,) indices or (N, C) one-hot.

    backward: dx = (y - onehot(t)) * dout / N.

    ``exact=False`` is the book's loss, log(y + 1e-7). Its true derivative differs from
    the backward above by about 1e-7 / y, which a gradient check at 1e-6 can see;
    ``exact=True`` takes the log-softmax instead, whose derivative the backward is exactly.
    """

    def __init__(self, exact: bool = False) -> None:
        super().__init__()
        self.exact = exact

    def forward(self, x: Array, t: NDArray[np.generic]) -> float:
        self.y = softmax(x)
        self.t = to_class_indices(t, self.y.shape)
        if self.exact:
            log_y = log_softmax(x)
            return float(-np.mean(log_y[np.arange(self.t.shape[0]), self.t]))
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout: float | Array = 1.0) -> Array:
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx *= dout
        dx /= batch_size  # in place: dx is already this call's own copy
        return dx
