"""Book 1, chapter 6: the optimizers side by side (``ch06/optimizer_compare_naive.py``).

    paths()          each optimizer's 30 steps on f(x, y) = x²/20 + y² from (-7, 2), with the
                     book's settings: SGD lr 0.95, Momentum lr 0.1, AdaGrad lr 1.5, Adam lr 0.3
    spiral_losses()  the same four on the spiral (TwoLayerNet, 300 epochs of batch 30) with
                     the book's default learning rates (its MNIST comparison, ch06/
                     optimizer_compare_mnist.py): the loss per epoch of each

f is stretched along x: its gradient is twenty times smaller in x than in y at the same
distance, so SGD zigzags across the valley in y while it crawls along x; Momentum's
velocity builds up along x and damps the zigzag; AdaGrad and Adam scale each coordinate's
step by its own gradient history. No web framework here: a notebook can call it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import numpy as np

from core.lab import TrainSettings, train
from core.optimizers import make_optimizer

#: The book's figure: where the paths start, how many steps, each optimizer's settings.
START: Final = (-7.0, 2.0)
STEPS: Final = 30
BOOK_SETTINGS: Final[dict[str, dict[str, float]]] = {
    "sgd": {"lr": 0.95},
    "momentum": {"lr": 0.1},
    "adagrad": {"lr": 1.5},
    "adam": {"lr": 0.3},
}
#: Book 1's MNIST comparison keeps each optimizer's default learning rate.
SPIRAL_SETTINGS: Final[dict[str, dict[str, float]]] = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01},
    "adagrad": {"lr": 0.01},
    "adam": {"lr": 0.001},
}


def f(x: float, y: float) -> float:
    """The book's surface: x²/20 + y², its minimum 0 at the origin."""
    return x**2 / 20.0 + y**2


def df(x: float, y: float) -> tuple[float, float]:
    return x / 10.0, 2.0 * y


def path(name: str, steps: int = STEPS, **hyper: float) -> list[tuple[float, float]]:
    """The points an optimizer visits from ``START``: steps + 1 of them."""
    optimizer = make_optimizer(name, **hyper)
    point = [np.array([START[0]]), np.array([START[1]])]
    grads = [np.zeros(1), np.zeros(1)]
    visited = [START]
    for _ in range(steps):
        gx, gy = df(float(point[0][0]), float(point[1][0]))
        grads[0][0], grads[1][0] = gx, gy
        optimizer.update(point, grads)
        visited.append((float(point[0][0]), float(point[1][0])))
    return visited


def paths(steps: int = STEPS) -> dict[str, list[tuple[float, float]]]:
    """Each of the book's four optimizers, with its setting in the book's figure."""
    return {name: path(name, steps, **hyper) for name, hyper in BOOK_SETTINGS.items()}


def spiral_losses(max_epoch: int = 300) -> dict[str, list[float]]:
    """The spiral's loss per epoch under each optimizer, the book's other settings kept."""
    return {
        name: train(
            replace(TrainSettings(), optimizer=name, max_epoch=max_epoch, lr=hyper["lr"])
        ).history.loss
        for name, hyper in SPIRAL_SETTINGS.items()
    }
