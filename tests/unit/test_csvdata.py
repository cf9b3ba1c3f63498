"""calc_core.data.csv_points: uploads of labelled points, good and bad, against what was written."""

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core.data.csv_points import MAX_BYTES, CSVError, read_labelled_points


def write_csv(rows, header=("x", "y", "label"), delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_reads_points_and_labels_in_file_order():
    X, y = read_labelled_points("x,y,label\n0.5,-1,0\n2,3e-2,1\n-4,5,0\n")
    np.testing.assert_array_equal(X, [[0.5, -1], [2, 0.03], [-4, 5]])
    np.testing.assert_array_equal(y, [0, 1, 0])
    assert X.dtype == np.float64


def test_bytes_with_bom_crlf_blank_lines_and_spaces():
    data = "\ufeffx , y , label\r\n\r\n 1 , 2 , 1 \r\n3,4,0\r\n\r\n".encode()
    X, y = read_labelled_points(data)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [1, 0])


@pytest.mark.parametrize(
    "text",
    ["X,Y,Class\n1,2,a\n3,4,b\n", "x1,x2,target\n1,2,a\n3,4,b\n", "label,y,x\na,2,1\nb,4,3\n"],
)
def test_header_aliases_and_column_order(text):
    X, y = read_labelled_points(text)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [0, 1])


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs(delimiter):
    X, y = read_labelled_points(write_csv([[1, 2, 0], [3, 4, 1]], delimiter=delimiter))
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])


def test_a_file_without_header_is_x_y_label():
    X, y = read_labelled_points("1,2,0\n3,4,1\n")
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [0, 1])


@pytest.mark.parametrize(
    ("labels", "label_values", "expected"),
    [
        (["-1", "1", "1"], None, [0, 1, 1]),
        (["0", "1.0", "1"], (-1, 1), [-1, 1, 1]),
        (["dog", "cat", "dog"], None, [1, 0, 1]),
        (["2", "10", "2"], None, [0, 1, 0]),  # numbers compare as numbers, not as text
        (["yes", "no", "no"], (-1, 1), [1, -1, -1]),
    ],
)
def test_two_classes_map_onto_the_requested_values(labels, label_values, expected):
    rows = [[i, i, label] for i, label in enumerate(labels)]
    y = read_labelled_points(write_csv(rows), label_values=label_values)[1]
    np.testing.assert_array_equal(y, expected)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("x,y,label\n", "no points"),
        ("x,y\n1,2\n", "Missing column(s) label"),
        ("a,b,c\n1,2,3\n", "Missing column(s) x, y, label"),
        ("x,y,label,z\n1,2,0,4\n", "Unexpected column(s) z"),
        ("x,x1,y,label\n1,1,2,0\n", "x column twice"),
        ("x,y,label\n1,2,0\n3,4\n", "Line 3 has 2 cells"),
        ("x,y,label\n1,2,0\n\n3,abc,1\n", "Line 4, column y: “abc” is not a number"),
        ("x,y,label\n1,2,0\n3,nan,1\n", "Line 3, column y: “nan” is not a finite number"),
        ("x,y,label\ninf,2,0\n3,4,1\n", "Line 2, column x"),
        ("x,y,label\n1,2,0\n3,4,\n", "Line 3 has no label"),
        ("x,y,label\n1,2,1\n3,4,1\n", "two classes are needed"),
        # A huge whole-number label is shown short, not as its 250 digits.
        ("x,y,label\n0,0,1e249\n", "All points have the label 1e+249; two classes are needed"),
        ("x,y,label\n1,2,0\n3,4,1\n5,6,2\n", "Found 3 different labels"),
        ("x,y,label\n1,2,0\n3,4,nan\n", "label: “nan” is not a finite number"),
        ("x,y,label\n__import__('os').system('true'),2,0\n3,4,1\n", "is not a number"),
    ],
)
def test_bad_files_name_the_problem(text, words):
    with pytest.raises(CSVError) as info:
        read_labelled_points(text)
    assert words in str(info.value)
    assert isinstance(info.value, ValueError)


def test_size_and_row_limits():
    big = "x,y,label\n" + "1,2,0\n" * (MAX_BYTES // 6 + 1)
    with pytest.raises(CSVError, match="limit"):
        read_labelled_points(big)
    with pytest.raises(CSVError, match="limit"):
        read_labelled_points(big.encode())
    with pytest.raises(CSVError, match="at most 2 are accepted"):
        read_labelled_points("x,y,label\n1,2,0\n3,4,1\n5,6,0\n", max_rows=2)
    with pytest.raises(CSVError, match="100 bytes"):
        read_labelled_points("x,y,label\n" + "1,2,0\n" * 20, max_bytes=100)


def test_not_utf8_and_wrong_types():
    with pytest.raises(CSVError, match="UTF-8"):
        read_labelled_points("x,y,label\n1,2,é\n".encode("latin-1"))
    with pytest.raises(CSVError):
        read_labelled_points(None)
    with pytest.raises(CSVError, match="label_values"):
        read_labelled_points("x,y,label\n1,2,0\n3,4,1\n", label_values=(1, 1))


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(finite, finite, st.sampled_from([-1, 1])), min_size=2, max_size=30))
def test_written_points_read_back_exactly(rows):
    rows = [[repr(x), repr(y), label] for x, y, label in rows]
    rows[0][2], rows[1][2] = -1, 1  # both classes present
    X, y = read_labelled_points(write_csv(rows), label_values=(-1, 1))
    np.testing.assert_array_equal(X, [[float(r[0]), float(r[1])] for r in rows])
    np.testing.assert_array_equal(y, [r[2] for r in rows])
