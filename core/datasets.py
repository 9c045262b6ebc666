"""Small 2-D classification data sets: the book's spiral and three classics.

Every loader returns ``(x, t)``: points ``x: (N, 2)`` float64 and one-hot labels
``t: (N, C)`` int64, ordered by class (the trainer shuffles).

    load_spiral(seed=1984)                 book 2, ``dataset/spiral.py``: 3 classes x 100 points
    make_xor(n, noise, seed)               2 classes: the signs of the two coordinates differ or not
    make_circles(n, noise, seed, factor)   2 classes: an outer ring and an inner ring
    make_moons(n, noise, seed)             2 classes: two interleaved half circles

``DATASETS`` maps each name to its loader, ``DATASET_TITLES`` to its title in English
and Korean, ``DATASET_DEFAULTS`` to the optimizer and learning rate the lab trains it
with unless told otherwise (ones that learn it).

The spiral seeds NumPy's global legacy generator exactly as the book does, so that a
model built right after it (``0.01 * np.random.randn``) and the training loop's
``np.random.permutation`` reproduce the book's run. The others draw from their own
``np.random.default_rng(seed)`` and touch no global state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Labels = NDArray[np.int64]
Dataset = tuple[Array, Labels]

SPIRAL_POINTS_PER_CLASS = 100
SPIRAL_CLASSES = 3


def load_spiral(seed: int = 1984) -> Dataset:
    """The book's spiral: x: (300, 2), t: (300, 3) one-hot, 100 points per class in order.

    Seeds the global generator with ``np.random.seed(seed)`` and draws one
    ``np.random.randn()`` per point in loop order, as the book does; whatever draws
    from ``np.random`` next (the model's weights, the shuffles) continues that stream.
    """
    np.random.seed(seed)
    return spiral_from(np.random.randn)


def spiral_from(randn: Callable[[], float]) -> Dataset:
    """The spiral's points, drawing each point's angle noise from ``randn()``.

    ``load_spiral`` passes the global ``np.random.randn``; passing
    ``np.random.RandomState(seed).randn`` gives the same points without touching
    global state. For class j and i in 0..99: rate = i / 100, radius = rate,
    theta = 4j + 4 rate + 0.2 randn(), point = (radius sin(theta), radius cos(theta)).
    """
    N, C = SPIRAL_POINTS_PER_CLASS, SPIRAL_CLASSES
    x = np.zeros((N * C, 2))
    t = np.zeros((N * C, C), dtype=np.int64)
    # Scalar math per point, in the book's order: the check values are exact to the last bit.
    for j in range(C):
        for i in range(N):
            rate = i / N
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + randn() * 0.2
            ix = N * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix, j] = 1
    return x, t


def _check(name: str, n: int, noise: float, min_n: int = 2) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < min_n:
        raise ValueError(f"{name}: n must be an integer >= {min_n}, got {n!r}")
    if not isinstance(noise, int | float | np.integer | np.floating) or not math.isfinite(noise):
        raise ValueError(f"{name}: noise must be a finite number, got {noise!r}")
    if noise < 0:
        raise ValueError(f"{name}: noise must be >= 0, got {noise}")


def _one_hot(labels: NDArray[np.intp], classes: int) -> Labels:
    t = np.zeros((labels.size, classes), dtype=np.int64)
    t[np.arange(labels.size), labels] = 1
    return t


def _split(n: int) -> tuple[int, int]:
    """Sizes of two classes: n // 2 and the rest."""
    return n // 2, n - n // 2


def make_xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """XOR: x: (n, 2) uniform in [-1, 1]^2 plus noise, t: (n, 2) one-hot.

    Class 1 where the two coordinates have different signs, class 0 where they agree;
    the label is taken before the noise is added, so noise blurs the quadrant edges.
    No straight line separates the classes: a hidden layer is needed.
    """
    _check("xor", n, noise)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    labels = ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(np.intp)
    order = np.argsort(labels, kind="stable")  # ordered by class, like the spiral
    x, labels = x[order], labels[order]
    x += noise * rng.standard_normal((n, 2))
    return x, _one_hot(labels, 2)


def make_circles(n: int = 200, noise: float = 0.1, seed: int = 0, factor: float = 0.5) -> Dataset:
    """Two rings: class 0 on the unit circle, class 1 on a circle of radius ``factor``.

    x: (n, 2) with Gaussian noise of standard deviation ``noise``, t: (n, 2) one-hot.
    """
    _check("circles", n, noise)
    if not isinstance(factor, int | float | np.floating) or not 0 < factor < 1:
        raise ValueError(f"circles: factor must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    n_outer, n_inner = _split(n)
    angle_outer = rng.uniform(0.0, 2 * np.pi, n_outer)
    angle_inner = rng.uniform(0.0, 2 * np.pi, n_inner)
    outer = np.column_stack([np.cos(angle_outer), np.sin(angle_outer)])
    inner = factor * np.column_stack([np.cos(angle_inner), np.sin(angle_inner)])
    x = np.vstack([outer, inner]) + noise * rng.standard_normal((n, 2))
    labels = np.repeat(np.arange(2), [n_outer, n_inner])
    return x, _one_hot(labels, 2)


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaved half circles of radius 1.

    Class 0: (cos a, sin a); class 1: (1 - cos a, 0.5 - sin a), a uniform in [0, pi].
    x: (n, 2) with Gaussian noise of standard deviation ``noise``, t: (n, 2) one-hot.
    """
    _check("moons", n, noise)
    rng = np.random.default_rng(seed)
    n_upper, n_lower = _split(n)
    angle_upper = rng.uniform(0.0, np.pi, n_upper)
    angle_lower = rng.uniform(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(angle_upper), np.sin(angle_upper)])
    lower = np.column_stack([1.0 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)])
    x = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    labels = np.repeat(np.arange(2), [n_upper, n_lower])
    return x, _one_hot(labels, 2)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "spiral": load_spiral,
    "xor": make_xor,
    "circles": make_circles,
    "moons": make_moons,
}

#: Each data set's name for people, in English and Korean: the lab's form shows it.
#: A new data set is one loader in ``DATASETS``, its title here and its defaults below
#: (tests check all three, and that the defaults learn it).
DATASET_TITLES: dict[str, dict[str, str]] = {
    "spiral": {"en": "Spiral (3 classes)", "ko": "스파이럴 (3클래스)"},
    "xor": {"en": "XOR (2 classes)", "ko": "XOR (2클래스)"},
    "circles": {"en": "Circles (2 classes)", "ko": "동심원 (2클래스)"},
    "moons": {"en": "Moons (2 classes)", "ko": "반달 (2클래스)"},
}


@dataclass(frozen=True)
class TrainingDefaults:
    """How the lab trains a data set unless told otherwise: ``optimizer`` (a name in
    ``core.optimizers.OPTIMIZERS``) with learning rate ``lr``. Every other setting is the
    book's (``core.lab.TrainSettings``): 10 hidden units, 300 epochs of batch 30, seed 1984."""

    optimizer: str
    lr: float


#: Each data set's optimizer and learning rate: ones that learn it, so that the lab never
#: opens on a run that fails. Measured with ``core.lab.train`` (final training accuracy,
#: seeds 1984, 0, 7, 1, 2, 3, 42, 123); tests/core/test_lab.py checks >= 90% at 1984, 0, 7.
DATASET_DEFAULTS: dict[str, TrainingDefaults] = {
    # The book's run, kept exactly: 0.97 at seed 1984 (0.95 to 0.98 over the seeds).
    "spiral": TrainingDefaults("sgd", 1.0),
    # The book's SGD already learns it: 0.91 to 0.95 (Adam 0.05 gives the same). The noise
    # is added after the labels, so points near an axis can sit in the wrong quadrant:
    # about 92% is all any classifier gets.
    "xor": TrainingDefaults("sgd", 1.0),
    # SGD 1.0 stays at 50% for seeds 1984 and 0: the loss sits at ln 2 = 0.69 for hundreds of
    # epochs (at 1984 it leaves only after more than 600). From weights of 0.01 the sigmoids are
    # nearly linear and no line splits two rings, so the gradient is almost zero; Adam's
    # step does not shrink with the gradient and leaves that flat start: 0.99 to 1.00.
    "circles": TrainingDefaults("adam", 0.05),
    # SGD 1.0 ends between 0.89 and 1.00 by seed, Adam 0.01 between 0.87 and 0.92 (too slow
    # to bend the boundary round the tips); Adam 0.05 gets 1.00 at every seed.
    "moons": TrainingDefaults("adam", 0.05),
}
