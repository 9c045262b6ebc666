"""core.format: numbers and shapes as a person writes them."""

from __future__ import annotations

import numpy as np

from core.format import (
    compact,
    exact_number,
    format_shape,
    full,
    heat_scale,
    in_cell,
    in_formula,
    number_or_shape,
    operand,
    plain,
    plain_number,
    short,
)


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


def test_full_keeps_every_digit() -> None:
    assert full(np.array(0.1 + 0.2)) == "0.30000000000000004"
    assert full(np.array([[1.0, 2.5]])) == "[[  1, 2.5]]"
    assert full([110.00000000000001, 2.2]) == "[110.00000000000001,                2.2]"
    assert exact_number(2.0) == "2" and exact_number(1.5e300) == "1.5e300"


def test_plain_numbers_are_written_as_a_person_writes_them() -> None:
    assert plain_number(110.00000000000001) == "110"
    assert plain_number(220.00000000000003) == "220"
    assert plain_number(-0.15000000000000002) == "-0.15"
    assert plain_number(0.1 + 0.2) == "0.3"
    assert plain_number(1 / 3) == "0.333333333333"  # more digits than a label, no noise
    assert plain_number(1e-20) == "1e-20" and plain_number(-0.0) == "0"
    assert plain(np.array(715.0000000000001)) == "715"
    assert plain([[110.00000000000001, 2.2], [-0.15000000000000002, 3.0]]) == (
        "[[  110,   2.2],\n [-0.15,     3]]"
    )
    summary = plain(np.arange(1000.0), 200)
    assert "..." in summary and "999" in summary


def test_a_number_in_a_formula_has_the_minus_sign_and_parentheses_when_negative() -> None:
    assert operand(-0.235) == "(−0.235)"
    assert operand(2.2) == "2.2"
    assert in_formula(-0.235) == "−0.235"
    assert in_formula(110.00000000000001) == "110"


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


def test_a_number_in_a_heatmap_cell_has_two_digits_and_a_minus_sign_that_reads() -> None:
    assert in_cell(0.52497918747894) == "0.52"
    assert in_cell(-0.0123) == "−0.012"  # the formula's minus sign, not a hyphen
    assert in_cell(123.4) == "123"
    assert in_cell(-2.5) == "−2.5"
    assert in_cell(0.0) == "0" and in_cell(-0.0) == "0"
    assert in_cell(2e-5) == "2e−5" and in_cell(12345.0) == "1e4"
    assert heat_scale(0.1) == "±0.1" and heat_scale(3.0) == "±3"
