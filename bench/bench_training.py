"""Benchmark: the book's spiral training through the core, against plain NumPy and PyTorch.

    .venv/bin/python -m bench.bench_training

All three do the same work: TwoLayerNet(2, 10, 3) on the spiral, SGD lr 1.0, 300
epochs of 10 mini-batches of 30, the same data, initial weights and shuffles (one
``np.random.RandomState(1984)`` stream, as the book's ``np.random.seed(1984)``), and
the training accuracy on all 300 points after every epoch (the core's trainer
records it). Each prints its final average loss, so one can see the work matched.
Times are the best of several repeats, interleaved so that drift hits all alike.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.datasets import spiral_from
from core.trainer import train_spiral

Array = NDArray[np.float64]
Labels = NDArray[np.int64]

REPEATS = 7
SEED = 1984
MAX_EPOCH, BATCH_SIZE, HIDDEN_SIZE, LEARNING_RATE = 300, 30, 10, 1.0


# --- the reference: a plain NumPy loop in the book's layered style ----------------------


def spiral(rs: np.random.RandomState) -> tuple[Array, Labels]:
    """The book's spiral.load_data, drawing from ``rs`` instead of the global generator.

    The data are not timed: every contender trains on the core's points."""
    return spiral_from(rs.randn)


def softmax(x: Array) -> Array:
    x = x - x.max(axis=1, keepdims=True)
    x = np.exp(x)
    x /= x.sum(axis=1, keepdims=True)
    return x


def cross_entropy_error(y: Array, t: Labels) -> float:
    batch_size = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size)


class Affine:
    def __init__(self, W: Array, b: Array) -> None:
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = np.empty((0, 0))

    def forward(self, x: Array) -> Array:
        W, b = self.params
        self.x = x
        out: Array = np.dot(x, W) + b
        return out

    def backward(self, dout: Array) -> Array:
        W = self.params[0]
        dx: Array = np.dot(dout, W.T)
        self.grads[0][...] = np.dot(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return dx


class Sigmoid:
    def __init__(self) -> None:
        self.params: list[Array] = []
        self.grads: list[Array] = []
        self.out = np.empty((0, 0))

    def forward(self, x: Array) -> Array:
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout: Array) -> Array:
        return dout * (1.0 - self.out) * self.out


class SoftmaxWithLoss:
    def __init__(self) -> None:
        self.y = np.empty((0, 0))
        self.t: Labels = np.empty(0, dtype=np.int64)

    def forward(self, x: Array, t: Labels) -> float:
        self.y = softmax(x)
        self.t = t.argmax(axis=1) if t.size == self.y.size else t
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout: float = 1.0) -> Array:
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx *= dout
        return dx / batch_size


class PlainTwoLayerNet:
    def __init__(
        self, rs: np.random.RandomState, input_size: int, hidden_size: int, output_size: int
    ) -> None:
        W1 = 0.01 * rs.randn(input_size, hidden_size)
        b1 = np.zeros(hidden_size)
        W2 = 0.01 * rs.randn(hidden_size, output_size)
        b2 = np.zeros(output_size)
        self.layers: list[Affine | Sigmoid] = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.loss_layer = SoftmaxWithLoss()
        self.params: list[Array] = []
        self.grads: list[Array] = []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x: Array) -> Array:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x: Array, t: Labels) -> float:
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout: float = 1.0) -> Array:
        dx = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dx = layer.backward(dx)
        return dx


def plain_numpy_run() -> tuple[float, float]:
    """The book's train_custom_loop.py plus per-epoch accuracy; returns (last loss, accuracy)."""
    rs = np.random.RandomState(SEED)
    x, t = spiral(rs)
    model = PlainTwoLayerNet(rs, 2, HIDDEN_SIZE, 3)
    labels = t.argmax(axis=1)
    data_size = len(x)
    max_iters = data_size // BATCH_SIZE
    x_all = x
    avg_loss = acc = 0.0
    for _ in range(MAX_EPOCH):
        idx = rs.permutation(data_size)
        x = x[idx]
        t = t[idx]
        total_loss = 0.0
        for iters in range(max_iters):
            batch_x = x[iters * BATCH_SIZE : (iters + 1) * BATCH_SIZE]
            batch_t = t[iters * BATCH_SIZE : (iters + 1) * BATCH_SIZE]
            total_loss += model.forward(batch_x, batch_t)
            model.backward()
            for param, grad in zip(model.params, model.grads, strict=True):
                param -= LEARNING_RATE * grad
        avg_loss = total_loss / max_iters
        acc = float(np.mean(np.argmax(model.predict(x_all), axis=1) == labels))
    return avg_loss, acc


# --- the core and PyTorch ---------------------------------------------------------------


def core_run() -> tuple[float, float]:
    run = train_spiral(max_epoch=MAX_EPOCH, batch_size=BATCH_SIZE, hidden_size=HIDDEN_SIZE)
    return run.history.loss[-1], run.final_accuracy


def make_torch_run(torch: Any) -> Callable[[], tuple[float, float]]:
    """PyTorch eager, float64, nn.Sequential + CrossEntropyLoss + optim.SGD on the same stream."""

    def torch_run() -> tuple[float, float]:
        rs = np.random.RandomState(SEED)
        x_np, t_np = spiral(rs)
        W1 = 0.01 * rs.randn(2, HIDDEN_SIZE)
        W2 = 0.01 * rs.randn(HIDDEN_SIZE, 3)
        nn = torch.nn
        model = nn.Sequential(
            nn.Linear(2, HIDDEN_SIZE), nn.Sigmoid(), nn.Linear(HIDDEN_SIZE, 3)
        ).double()
        with torch.no_grad():
            # nn.Linear keeps its weight as (out, in): the transpose of the book's W.
            model[0].weight.copy_(torch.from_numpy(W1.T))
            model[0].bias.zero_()
            model[2].weight.copy_(torch.from_numpy(W2.T))
            model[2].bias.zero_()
        loss_fn = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
        x_all = torch.from_numpy(x_np)
        labels_all = torch.from_numpy(t_np.argmax(axis=1))
        x, labels = x_all, labels_all
        data_size = len(x_np)
        max_iters = data_size // BATCH_SIZE
        avg_loss = acc = 0.0
        for _ in range(MAX_EPOCH):
            idx = torch.from_numpy(rs.permutation(data_size))
            x, labels = x[idx], labels[idx]
            total_loss = 0.0
            for iters in range(max_iters):
                batch = slice(iters * BATCH_SIZE, (iters + 1) * BATCH_SIZE)
                loss = loss_fn(model(x[batch]), labels[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total_loss += loss.item()
            avg_loss = total_loss / max_iters
            with torch.no_grad():
                acc = (model(x_all).argmax(dim=1) == labels_all).double().mean().item()
        return avg_loss, acc

    return torch_run


def best_times(runs: dict[str, Callable[[], tuple[float, float]]]) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    print(
        f"Training TwoLayerNet(2, {HIDDEN_SIZE}, 3) on spiral: {MAX_EPOCH} epochs, "
        f"batch {BATCH_SIZE}, SGD lr {LEARNING_RATE}; best of {REPEATS}"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, NumPy {np.__version__}"
    )
    runs: dict[str, Callable[[], tuple[float, float]]] = {
        "core": core_run,
        "plain numpy": plain_numpy_run,
    }
    try:
        import torch
    except ImportError:
        print("torch: not installed, PyTorch comparison skipped (pip install torch to add it)")
    else:
        # One thread, like NumPy at this size: a second only adds hand-off cost to tiny ops.
        torch.set_num_threads(1)
        print(f"torch: {torch.__version__}, {torch.get_num_threads()} thread, float64")
        runs["pytorch eager"] = make_torch_run(torch)

    for name, run in runs.items():  # warm-up, and the figures that show the work matches
        loss, acc = run()
        print(f"  {name:>14}: epoch {MAX_EPOCH} loss {loss:.6f}, accuracy {acc:.3f}")

    best = best_times(runs)
    for name, seconds in best.items():
        print(f"  {name:>14}: {seconds * 1000:8.1f} ms")
    print(f"  core / plain numpy: {best['core'] / best['plain numpy']:.2f}  (target <= 1.00)")
    if "pytorch eager" in best:
        print(f"  pytorch eager / plain numpy: {best['pytorch eager'] / best['plain numpy']:.2f}")


if __name__ == "__main__":
    main()
