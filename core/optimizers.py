"""Optimizers in the book's style (book 2, ``common/optimizer.py``).

Every optimizer has one method, ``update(params, grads)``: it changes each parameter
array in place, using the gradient array at the same position. A model's ``params``
and ``grads`` lists are passed as they are, so the arrays the layers hold are the
arrays that move.

    optimizer = make_optimizer("momentum", lr=0.1)
    for ...:
        model.forward(x, t)
        model.backward()
        optimizer.update(model.params, model.grads)

``OPTIMIZERS`` maps each lowercase name to its class; ``Optimizer.hyperparameters()``
gives the names and defaults an API can document.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from core.errors import OptimizerError
from core.messages import Term

Array = NDArray[np.float64]

#: A hyperparameter as the pages name it, where they show it.
HYPERPARAMETER_LABELS = {"lr": {"en": "learning rate", "ko": "학습률"}}


def hyperparameter_term(key: str) -> Term:
    """``lr`` in the API, "learning rate" / "학습률" on a page."""
    return Term(key, HYPERPARAMETER_LABELS.get(key))


#: Keeps the adaptive methods from dividing by zero where a gradient has been 0 so far.
EPSILON = 1e-7


class Optimizer(ABC):
    """Base of every optimizer: holds the hyperparameters and checks them.

    A subclass sets ``name`` and ``DEFAULTS`` (hyperparameter -> default) and writes
    ``update``. State (velocities, squared-gradient sums) is allocated on the first
    update, one array per parameter, so one optimizer serves one parameter list.
    """

    name: ClassVar[str]
    DEFAULTS: ClassVar[Mapping[str, float]]
    #: The per-parameter state it keeps between updates (Momentum's v, AdaGrad's h, ...).
    SLOTS: ClassVar[tuple[str, ...]] = ()
    #: Updates made so far (Adam's bias correction counts them).
    t: int = 0
    #: Hyperparameters that must lie in [0, 1): a value of 1 stops the decay (or, for
    #: Adam's betas, makes the bias correction divide by zero).
    UNIT_INTERVAL: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def hyperparameters(cls) -> dict[str, float]:
        """The hyperparameter names with their defaults, in the constructor's order."""
        return dict(cls.DEFAULTS)

    def _check(self, **hyper: float) -> None:
        for key, value in hyper.items():
            check_hyperparameter(type(self), key, value)

    @abstractmethod
    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """Move every ``params[i]`` in place using ``grads[i]`` (same shape)."""

    def _slots(self, params: Sequence[Array], grads: Sequence[Array]) -> list[Array]:
        """One zero array per parameter: the state a stateful optimizer keeps."""
        if len(params) != len(grads):
            raise ValueError(
                f"{self.name}: got {len(params)} parameters but {len(grads)} gradients"
            )
        return [np.zeros_like(p) for p in params]

    def state(self) -> dict[str, list[Array]]:
        """The slots it keeps, by name: one array per parameter (empty before an update)."""
        found: dict[str, list[Array]] = {}
        for name in self.SLOTS:
            arrays = getattr(self, name)
            if arrays is not None:
                found[name] = arrays
        return found

    def load_state(self, slots: Mapping[str, Sequence[Array]], t: int) -> None:
        """Carry on from an earlier optimizer's ``state()`` and update count ``t``.

        Every slot must be given, with one array per parameter; the arrays are copied.
        """
        missing = [name for name in self.SLOTS if name not in slots]
        if missing or set(slots) - set(self.SLOTS):
            expected = ", ".join(self.SLOTS) or "none"
            raise ValueError(f"{self.name} keeps the state {expected}, got {', '.join(slots)}")
        for name in self.SLOTS:
            setattr(self, name, [np.array(a, dtype=np.float64) for a in slots[name]])
        self.t = t

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.DEFAULTS)
        return f"{type(self).__name__}({hyper})"


class SGD(Optimizer):
    """Stochastic gradient descent: W <- W - lr * dW."""

    name = "sgd"
    DEFAULTS: ClassVar[Mapping[str, float]] = {"lr": 0.01}

    def __init__(self, lr: float = 0.01) -> None:
        self._check(lr=lr)
        self.lr = lr

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if len(params) != len(grads):
            raise ValueError(f"sgd: got {len(params)} parameters but {len(grads)} gradients")
        self.t += 1
        for param, grad in zip(params, grads, strict=True):
            param -= self.lr * grad


class Momentum(Optimizer):
    """v <- momentum * v - lr * dW;  W <- W + v.  v starts at 0."""

    name = "momentum"
    DEFAULTS: ClassVar[Mapping[str, float]] = {"lr": 0.01, "momentum": 0.9}
    UNIT_INTERVAL = frozenset({"momentum"})
    SLOTS = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self._check(lr=lr, momentum=momentum)
        self.lr, self.momentum = lr, momentum
        self.v: list[Array] | None = None

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if self.v is None:
            self.v = self._slots(params, grads)
        self.t += 1
        for param, grad, v in zip(params, grads, self.v, strict=True):
            v *= self.momentum
            v -= self.lr * grad
            param += v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient in the form the book uses (arXiv:1212.0901).

    v <- momentum * v - lr * dW;  W <- W + momentum**2 * v - (1 + momentum) * lr * dW.
    Same hyperparameters and velocity as Momentum; only the step differs.
    """

    name = "nesterov"

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if self.v is None:
            self.v = self._slots(params, grads)
        self.t += 1
        for param, grad, v in zip(params, grads, self.v, strict=True):
            v *= self.momentum
            v -= self.lr * grad
            param += self.momentum * self.momentum * v
            param -= (1 + self.momentum) * self.lr * grad


class AdaGrad(Optimizer):
    """h <- h + dW * dW;  W <- W - lr * dW / (sqrt(h) + 1e-7).

    Each parameter's step shrinks as its squared gradients pile up.
    """

    name = "adagrad"
    DEFAULTS: ClassVar[Mapping[str, float]] = {"lr": 0.01}
    SLOTS = ("h",)

    def __init__(self, lr: float = 0.01) -> None:
        self._check(lr=lr)
        self.lr = lr
        self.h: list[Array] | None = None

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if self.h is None:
            self.h = self._slots(params, grads)
        self.t += 1
        for param, grad, h in zip(params, grads, self.h, strict=True):
            h += grad * grad
            param -= self.lr * grad / (np.sqrt(h) + EPSILON)


class RMSprop(Optimizer):
    """h <- decay_rate * h + (1 - decay_rate) * dW * dW;  W <- W - lr * dW / (sqrt(h) + 1e-7).

    Like AdaGrad, but old squared gradients fade, so the step does not shrink to 0.
    """

    name = "rmsprop"
    DEFAULTS: ClassVar[Mapping[str, float]] = {"lr": 0.01, "decay_rate": 0.99}
    UNIT_INTERVAL = frozenset({"decay_rate"})
    SLOTS = ("h",)

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99) -> None:
        self._check(lr=lr, decay_rate=decay_rate)
        self.lr, self.decay_rate = lr, decay_rate
        self.h: list[Array] | None = None

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if self.h is None:
            self.h = self._slots(params, grads)
        self.t += 1
        for param, grad, h in zip(params, grads, self.h, strict=True):
            h *= self.decay_rate
            h += (1 - self.decay_rate) * grad * grad
            param -= self.lr * grad / (np.sqrt(h) + EPSILON)


class Adam(Optimizer):
    """Adam (arXiv:1412.6980) with the bias correction folded into the step size, as the book does.

    m <- m + (1 - beta1) * (dW - m);  v <- v + (1 - beta2) * (dW**2 - v)
    lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)   (t = update count, from 1)
    W <- W - lr_t * m / (sqrt(v) + 1e-7)

    m and v start at 0, so early on they underestimate the gradient's mean and mean
    square; lr_t undoes that, and the first step is about lr in every coordinate.
    """

    name = "adam"
    DEFAULTS: ClassVar[Mapping[str, float]] = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}
    UNIT_INTERVAL = frozenset({"beta1", "beta2"})
    SLOTS = ("m", "v")

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999) -> None:
        self._check(lr=lr, beta1=beta1, beta2=beta2)
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.m: list[Array] | None = None
        self.v: list[Array] | None = None

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if self.m is None or self.v is None:
            self.m = self._slots(params, grads)
            self.v = self._slots(params, grads)
        self.t += 1
        lr_t = self.lr * math.sqrt(1.0 - self.beta2**self.t) / (1.0 - self.beta1**self.t)
        for param, grad, m, v in zip(params, grads, self.m, self.v, strict=True):
            m += (1 - self.beta1) * (grad - m)
            v += (1 - self.beta2) * (grad**2 - v)
            param -= lr_t * m / (np.sqrt(v) + EPSILON)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam)
}


#: What each hyperparameter does, for the API's schema.
HYPER_DESCRIPTIONS: dict[str, str] = {
    "lr": "the learning rate, positive",
    "momentum": "how much of the velocity is kept from step to step, in [0, 1)",
    "decay_rate": "how much of the squared-gradient average is kept, in [0, 1)",
    "beta1": "how much of the gradient's running mean is kept, in [0, 1)",
    "beta2": "how much of the squared gradient's running mean is kept, in [0, 1)",
}


def hyperparameters_json_schema() -> dict[str, Any]:
    """The JSON schema of a ``hyper`` object: every hyperparameter of every optimizer,
    each saying which take it and its default there. ``make_optimizer`` checks them."""
    properties: dict[str, dict[str, Any]] = {}
    for cls in OPTIMIZERS.values():
        for key, default in cls.DEFAULTS.items():
            prop = properties.setdefault(
                key, {"type": "number", "description": HYPER_DESCRIPTIONS[key], "takers": []}
            )
            prop["takers"].append(f"{cls.name} ({default:g})")
            if key == "lr":
                prop["exclusiveMinimum"] = 0
            elif key in cls.UNIT_INTERVAL:
                prop.update(minimum=0, exclusiveMaximum=1)
    for prop in properties.values():
        prop["description"] = f"{prop['description']}; taken by {', '.join(prop.pop('takers'))}"
    return {"type": "object", "properties": properties, "additionalProperties": False}


def check_hyperparameter(cls: type[Optimizer], key: str, value: object) -> None:
    """Raise ``OptimizerError`` (a ``ValueError``) naming the optimizer and ``key`` unless
    ``value`` is usable.

    Every hyperparameter must be a finite real number; ``lr`` must be positive, and the
    decay rates (momentum, decay_rate, beta1, beta2) must lie in [0, 1).
    """
    if key not in cls.DEFAULTS:
        allowed = ", ".join(cls.DEFAULTS)
        raise OptimizerError.of("hyper_unknown", None, optimizer=cls.name, key=key, allowed=allowed)
    term = hyperparameter_term(key)
    # bool is an int to Python, but lr=True is a mistake, not 1.0.
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise OptimizerError.of(
            "hyper_not_number", None, optimizer=cls.name, key=term, got=repr(value)
        )
    number = float(value)
    if not math.isfinite(number):
        raise OptimizerError.of(
            "hyper_not_finite", None, optimizer=cls.name, key=term, got=str(number)
        )
    if key == "lr" and number <= 0:
        raise OptimizerError.of(
            "hyper_positive", None, optimizer=cls.name, key=term, got=str(number)
        )
    if key in cls.UNIT_INTERVAL and not 0 <= number < 1:
        raise OptimizerError.of(
            "hyper_unit_interval", None, optimizer=cls.name, key=term, got=str(number)
        )


def make_optimizer(name: str, **hyper: float) -> Optimizer:
    """Build the optimizer called ``name`` (case-insensitive); unset hyperparameters keep the
    book's defaults.

    Raises ``OptimizerError`` (a ``ValueError``) for an unknown name (listing the known
    ones), an unknown hyperparameter (listing the allowed ones) or an unusable value.
    """
    cls = OPTIMIZERS.get(name.strip().lower()) if isinstance(name, str) else None
    if cls is None:
        known = ", ".join(OPTIMIZERS)
        raise OptimizerError.of("optimizer_unknown", None, name=name, known=known)
    for key, value in hyper.items():
        check_hyperparameter(cls, key, value)
    return cls(**hyper)
