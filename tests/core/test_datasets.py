"""Data sets: the book's spiral to the last bit, and the seeded 2-D classics."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from core.datasets import (
    DATASET_DEFAULTS,
    DATASET_TITLES,
    DATASETS,
    Dataset,
    load_spiral,
    make_circles,
    make_moons,
    make_xor,
    spiral_from,
)
from core.optimizers import OPTIMIZERS

MAKERS: list[Callable[..., Dataset]] = [make_xor, make_circles, make_moons]


def global_state() -> np.ndarray:
    """The key of NumPy's global legacy generator, to see whether something drew from it."""
    state = np.random.get_state()
    assert isinstance(state, tuple)
    return state[1].copy()


def books_spiral(seed: int = 1984) -> tuple[np.ndarray, np.ndarray]:
    """``dataset/spiral.py`` from book 2, as printed (np.int is now int64)."""
    np.random.seed(seed)
    N, DIM, CLS_NUM = 100, 2, 3
    x = np.zeros((N * CLS_NUM, DIM))
    t = np.zeros((N * CLS_NUM, CLS_NUM), dtype=np.int64)
    for j in range(CLS_NUM):
        for i in range(N):
            rate = i / N
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + np.random.randn() * 0.2
            ix = N * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix, j] = 1
    return x, t


def test_spiral_check_values_from_the_reference() -> None:
    x, t = load_spiral()
    assert x.shape == (300, 2) and x.dtype == np.float64
    assert t.shape == (300, 3)
    np.testing.assert_allclose(x[1], [-0.00097699, 0.00995216], rtol=0, atol=5e-9)
    np.testing.assert_allclose(x[299], [-0.59743103, 0.78941508], rtol=0, atol=5e-9)
    assert x.sum() == -13.916731190759947
    np.testing.assert_allclose(x.min(axis=0), [-0.9224, -0.8887], atol=5e-5)
    np.testing.assert_allclose(x.max(axis=0), [0.9890, 0.9581], atol=5e-5)


def test_spiral_is_the_books_code_bit_for_bit() -> None:
    x, t = load_spiral()
    x_book, t_book = books_spiral()
    np.testing.assert_array_equal(x, x_book)
    np.testing.assert_array_equal(t, t_book)


def test_spiral_labels_are_one_hot_and_ordered_by_class() -> None:
    _, t = load_spiral()
    np.testing.assert_array_equal(t.sum(axis=1), np.ones(300))
    np.testing.assert_array_equal(t.argmax(axis=1), np.repeat([0, 1, 2], 100))


def test_spiral_starts_each_arm_at_the_origin() -> None:
    x, _ = load_spiral()
    np.testing.assert_array_equal(x[[0, 100, 200]], np.zeros((3, 2)))
    radii = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radii, np.tile(np.arange(100) / 100, 3), atol=1e-15)


def test_spiral_seeds_the_global_generator_like_the_book() -> None:
    """What draws next (the model's weights) continues the seeded stream after 300 draws."""
    load_spiral()
    after = np.random.randn(3)
    stream = np.random.RandomState(1984)
    stream.randn(300)
    np.testing.assert_array_equal(after, stream.randn(3))


def test_spiral_from_a_private_stream_matches_without_touching_global_state() -> None:
    np.random.seed(7)
    state = global_state()
    x, t = spiral_from(np.random.RandomState(1984).randn)
    np.testing.assert_array_equal(global_state(), state)
    x_global, t_global = load_spiral()
    np.testing.assert_array_equal(x, x_global)
    np.testing.assert_array_equal(t, t_global)


def test_spiral_seed_changes_the_points() -> None:
    assert not np.array_equal(load_spiral(1)[0], load_spiral(2)[0])


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_dtypes_and_one_hot(make: Callable[..., Dataset]) -> None:
    x, t = make(n=51, noise=0.1, seed=3)
    assert x.shape == (51, 2) and x.dtype == np.float64
    assert t.shape == (51, 2)
    np.testing.assert_array_equal(t.sum(axis=1), np.ones(51))
    assert np.all(np.diff(t.argmax(axis=1)) >= 0), "points should be ordered by class"


@pytest.mark.parametrize("make", MAKERS)
def test_same_seed_same_points_other_seed_other_points(make: Callable[..., Dataset]) -> None:
    x1, t1 = make(n=100, noise=0.2, seed=5)
    x2, t2 = make(n=100, noise=0.2, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(t1, t2)
    x3, _ = make(n=100, noise=0.2, seed=6)
    assert not np.array_equal(x1, x3)


@pytest.mark.parametrize("make", MAKERS)
def test_generators_leave_the_global_generator_alone(make: Callable[..., Dataset]) -> None:
    np.random.seed(11)
    state = global_state()
    make(seed=1)
    np.testing.assert_array_equal(global_state(), state)


def test_circles_without_noise_lie_on_their_rings() -> None:
    x, t = make_circles(n=40, noise=0.0, seed=0, factor=0.3)
    radii = np.hypot(x[:, 0], x[:, 1])
    labels = t.argmax(axis=1)
    np.testing.assert_allclose(radii[labels == 0], 1.0)
    np.testing.assert_allclose(radii[labels == 1], 0.3)


def test_moons_without_noise_lie_on_their_arcs() -> None:
    x, t = make_moons(n=40, noise=0.0, seed=0)
    labels = t.argmax(axis=1)
    upper, lower = x[labels == 0], x[labels == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)


def test_xor_without_noise_labels_by_quadrant() -> None:
    x, t = make_xor(n=200, noise=0.0, seed=0)
    differ = (x[:, 0] > 0) != (x[:, 1] > 0)
    np.testing.assert_array_equal(t.argmax(axis=1), differ.astype(int))
    assert np.all(np.abs(x) <= 1.0)


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be an integer >= 2"),
        ({"n": 10.5}, "n must be an integer >= 2"),
        ({"noise": -0.1}, "noise must be >= 0"),
        ({"noise": float("nan")}, "noise must be a finite number"),
    ],
)
def test_bad_arguments_are_refused(
    make: Callable[..., Dataset], kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make(**kwargs)


def test_circles_factor_must_be_inside_the_unit_ring() -> None:
    with pytest.raises(ValueError, match=r"circles: factor must be in \(0, 1\)"):
        make_circles(factor=1.0)


def test_registry() -> None:
    expected = {
        "spiral": load_spiral,
        "xor": make_xor,
        "circles": make_circles,
        "moons": make_moons,
    }
    assert expected == DATASETS


def test_every_dataset_has_a_title_in_english_and_korean() -> None:
    assert list(DATASET_TITLES) == list(DATASETS), "a data set without a title, or the reverse"
    for name, title in DATASET_TITLES.items():
        assert set(title) == {"en", "ko"}, f"{name}: titles {sorted(title)}"
        assert all(text.strip() for text in title.values()), f"{name}: an empty title"
        assert title["en"] != title["ko"], f"{name}: the Korean title is the English one"


def test_every_dataset_has_its_own_optimizer_and_learning_rate() -> None:
    assert list(DATASET_DEFAULTS) == list(DATASETS), "a data set without defaults, or the reverse"
    for name, defaults in DATASET_DEFAULTS.items():
        assert defaults.optimizer in OPTIMIZERS, f"{name}: no optimizer {defaults.optimizer!r}"
        assert 0 < defaults.lr <= 100, f"{name}: lr {defaults.lr}"
