"""ui.latex: the one way pages write numbers and matrices in LaTeX."""

from __future__ import annotations

import doctest

import numpy as np

from ui import latex


def test_the_examples_hold():
    assert doctest.testmod(latex).failed == 0


def test_every_matrix_ends_with_the_thin_space_that_keeps_its_bracket_in_the_box():
    for shown in (latex.bmatrix([["x"]]), latex.matrix(np.eye(2)), latex.matrix(np.ones(9), max_rows=6)):
        assert shown.startswith(r"\begin{bmatrix}") and shown.endswith(r"\end{bmatrix}\,")


def test_a_large_matrix_is_shown_in_part_with_dots():
    shown = latex.matrix(np.arange(64.0).reshape(8, 8), max_rows=6, max_cols=6)
    rows = shown.removeprefix(r"\begin{bmatrix}").removesuffix(r"\end{bmatrix}\,").split(r" \\ ")
    assert len(rows) == 7 and rows[-1] == " & ".join([r"\vdots"] * 7)
    assert rows[0].split(" & ") == ["0", "1", "2", "3", "4", "5", r"\cdots"]


def test_numbers_keep_their_digits_and_undefined_entries_say_so():
    assert latex.matrix([[np.e, np.nan]], digits=6) == r"\begin{bmatrix}2.71828 & \text{undefined}\end{bmatrix}\,"
    assert latex.matrix([1e-9], undefined="?") == r"\begin{bmatrix}1\cdot 10^{-9}\end{bmatrix}\,"
    assert latex.number(np.inf, undefined=r"\text{nan}") == r"\text{nan}"
    assert latex.number(-0.0) == "0"
