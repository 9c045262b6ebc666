"""core.format: numbers and shapes as a person writes them."""

from __future__ import annotations

import numpy as np

from core.format import compact, format_shape, full, number_or_shape, short


def test_short_numbers_read_like_the_book() -> None:
    assert short(715.0000000000001) == "715"
    assert short(220.00000000000003) == "220"
    assert short(2.2) == "2.2"
    assert short(2.2000000000000002) == "2.2"
    assert short(110.00000000000001) == "110"
    assert short(-0.15000000000000002) == "-0.15"
    assert short(-0.5) == "-0.5"
    assert short(1.23456e-5) == "1.23e-5"
    assert short(123456.0) == "1.23e5"
    assert short(0.0) == "0"
    assert short(-0.0) == "0"


def test_full_keeps_every_digit_of_a_scalar() -> None:
    assert full(np.array(0.1 + 0.2)) == "0.30000000000000004"
    assert full(np.array([[1.0, 2.5]])) == "[[1. , 2.5]]"


def test_shapes_are_written_as_python_tuples() -> None:
    assert format_shape(()) == "()"
    assert format_shape((3,)) == "(3,)"
    assert format_shape((2, 3)) == "(2, 3)"


def test_a_scalar_is_its_number_and_an_array_its_shape() -> None:
    assert number_or_shape(np.array(110.00000000000001)) == "110"
    assert number_or_shape(np.zeros((2, 3))) == "(2, 3)"


def test_compact_shows_an_arrays_shape_and_its_first_numbers() -> None:
    assert compact(np.array(2.2000000000000002)) == "2.2"
    assert compact([[0.1, -0.25, 3.0], [4.0, 5.0, 6.0]]) == "(2, 3) [0.1, -0.25, 3, …]"
    assert compact([1.0, 2.0]) == "(2,) [1, 2]"
