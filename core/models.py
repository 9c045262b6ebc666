"""Models built from the layers in ``core.layers`` (book 2, ``ch01/two_layer_net.py``).

A model gathers its layers' ``params`` and ``grads`` into two lists, in the same
order. The lists hold the layers' own arrays, so an optimizer given
``model.params, model.grads`` moves the weights the layers use, and sees the
gradients each ``backward`` writes in place.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from core.layers import Affine, ReLU, Sigmoid, SoftmaxWithLoss, Tanh

Array = NDArray[np.float64]
RandomSource = np.random.Generator | np.random.RandomState | int | None

#: The hidden layer's activations, by name; sigmoid is the book's.
ACTIVATIONS: dict[str, type[Sigmoid | ReLU | Tanh]] = {
    "sigmoid": Sigmoid,
    "relu": ReLU,
    "tanh": Tanh,
}


def _normal(rng: np.random.Generator | np.random.RandomState | None, *shape: int) -> Array:
    """Standard normal draws of ``shape``: from the global ``np.random`` when rng is None."""
    if rng is None:
        return np.random.randn(*shape)
    return rng.standard_normal(shape)


class TwoLayerNet:
    """Affine -> Sigmoid -> Affine, with SoftmaxWithLoss on top.

    ``activation`` ("sigmoid", the book's; "relu"; "tanh") picks the hidden layer; it
    draws nothing, so the weights are the same whichever it is.

    x: (N, D) -> scores (N, C), with D = input_size, H = hidden_size, C = output_size.
    Weights are ``0.01 * randn``, biases zeros. ``params`` is
    [W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)] and ``grads`` the matching gradients.

    ``rng`` picks where the initial weights come from: None (the default) draws from
    the global ``np.random``, as the book does, so that after ``load_spiral`` the
    book's run reproduces; a ``Generator`` or ``RandomState`` draws from it; an int
    seeds a fresh ``np.random.default_rng``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        rng: RandomSource = None,
        activation: str = "sigmoid",
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"TwoLayerNet: activation must be one of {', '.join(ACTIVATIONS)}, "
                f"got {activation!r}"
            )
        for label, size in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("output_size", output_size),
        ):
            if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
                raise ValueError(f"TwoLayerNet: {label} must be a positive integer, got {size!r}")
        if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
            rng = np.random.default_rng(int(rng))
        elif rng is not None and not isinstance(rng, np.random.Generator | np.random.RandomState):
            raise ValueError(f"TwoLayerNet: rng must be a seed or a NumPy generator, got {rng!r}")
        # D inputs, H hidden units, C classes (the book's I, H, O).
        D, H, C = input_size, hidden_size, output_size

        # Drawn in the book's order (W1, then W2): the same stream gives the same weights.
        W1 = 0.01 * _normal(rng, D, H)
        b1 = np.zeros(H)
        W2 = 0.01 * _normal(rng, H, C)
        b2 = np.zeros(C)

        self.activation = activation
        self.layers: list[Affine | Sigmoid | ReLU | Tanh] = [
            Affine(W1, b1),
            ACTIVATIONS[activation](),
            Affine(W2, b2),
        ]
        self.loss_layer = SoftmaxWithLoss()

        self.params: list[Array] = []
        self.grads: list[Array] = []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x: Array) -> Array:
        """Scores before softmax.  x: (N, D) -> (N, C)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x: Array, t: NDArray[np.generic]) -> float:
        """Mean loss over the batch.  x: (N, D), t: (N,) class indices or (N, C) one-hot."""
        score = self.predict(x)
        return self.loss_layer.forward(score, t)

    def backward(self, dout: float = 1.0) -> Array:
        """Gradients into ``self.grads`` (in place); returns dL/dx: (N, D)."""
        dx = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dx = layer.backward(dx)
        return dx
