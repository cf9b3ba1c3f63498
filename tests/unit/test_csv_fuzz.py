"""The CSV reader under hostile files and fuzzing: points, or a CSVError a learner can read; nothing runs.

Both label mappings the pages use are exercised: {0, 1} for the neural network
(backpropagation page) and {−1, +1} for the SVM page.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc_core.data.csv_points import COLUMN_ALIASES, CSVError, read_labelled_points
from tests.hostile import CANARY, CODE_INJECTION, CSV_FILES, ODD_CHARACTERS

LABEL_MAPPINGS = [(0, 1), (-1, 1)]
MAPPING_IDS = ["backprop-0-1", "svm-plus-minus-1"]
MAX_MESSAGE_CHARS = 300
# Files in the corpus that the reader accepts by its documented rules (a headerless file of three numeric
# columns, a semicolon delimiter, any two distinct labels): name -> (points, index of each point's class).
ACCEPTED = {
    "no header": ([[1.0, 2.0], [3.0, 4.0]], [0, 1]),
    "semicolons": ([[1.0, 2.0], [3.0, 4.0]], [0, 1]),
    "bad label": ([[1.0, 2.0], [3.0, 4.0]], [1, 0]),  # labels 7 and 1: 1 is the lower class
    "text label": ([[1.0, 2.0], [3.0, 4.0]], [0, 1]),  # cat < dog
}
REFUSED = [(name, data) for name, data in CSV_FILES if name not in ACCEPTED]


def assert_readable(message: str) -> None:
    """A sentence for a learner: short, capitalised, ending in a full stop, no Python internals."""
    assert message and len(message) <= MAX_MESSAGE_CHARS, (len(message), message[:120])
    assert message[0].isupper() and message.rstrip().endswith("."), message[:120]
    # What the file itself said is quoted back (“cell”, found: header); only our own words are checked.
    own_words = re.sub(r"“[^”]*”|\(found: [^)]*\)", "", message)
    assert not re.search(r"Traceback|Error\b|<class|\bline \d+, in\b", own_words), message[:120]


def assert_valid_points(X, y, label_values) -> None:
    assert X.dtype == np.float64 and X.ndim == 2 and X.shape[1] == 2 and len(X) >= 2
    assert np.isfinite(X).all()
    assert y.shape == (len(X),)
    assert set(y.tolist()) == set(label_values), "exactly the two classes, each present"


@pytest.mark.parametrize("label_values", LABEL_MAPPINGS, ids=MAPPING_IDS)
@pytest.mark.parametrize(("name", "data"), REFUSED, ids=[name for name, _ in REFUSED])
def test_every_malformed_file_is_refused_with_a_readable_message(name, data, label_values):
    with pytest.raises(CSVError) as info:
        read_labelled_points(data, label_values=label_values)
    assert isinstance(info.value, ValueError)
    assert_readable(str(info.value))
    assert not Path(CANARY).exists()


@pytest.mark.parametrize("label_values", LABEL_MAPPINGS, ids=MAPPING_IDS)
@pytest.mark.parametrize("name", list(ACCEPTED))
def test_corpus_files_that_follow_the_documented_rules_are_read(name, label_values):
    X, y = read_labelled_points(dict(CSV_FILES)[name], label_values=label_values)
    points, classes = ACCEPTED[name]
    assert X.tolist() == points
    assert y.tolist() == [label_values[c] for c in classes]


@pytest.mark.parametrize("data", ["x,y,label\n" + "9" * 5_000 + ",2,0\n3,4,1\n", "x,y,label\n1,2," + "1" * 400 + "\n3,4,1\n"],
                         ids=["coordinate", "label"])
def test_an_overflowing_number_is_named_in_a_short_message(data):
    """A long digit string overflows to infinity; the message names the line without echoing the whole cell."""
    with pytest.raises(CSVError) as info:
        read_labelled_points(data)
    assert "Line 2" in str(info.value)
    assert_readable(str(info.value))


def test_a_field_longer_than_the_csv_modules_limit_is_a_csv_error():
    """The csv module refuses fields over 131 072 characters; the reader must turn that into a CSVError."""
    data = b"x,y,label\n1,2,0\n3,4," + b"9" * 150_000 + b"\n"
    with pytest.raises(CSVError) as info:
        read_labelled_points(data)
    assert_readable(str(info.value))


def test_size_and_row_limits_hold_for_both_mappings():
    rows = "x,y,label\n" + "0,0,0\n1,1,1\n" * 30
    for label_values in LABEL_MAPPINGS:
        with pytest.raises(CSVError, match="at most 10"):
            read_labelled_points(rows, max_rows=10, label_values=label_values)
        with pytest.raises(CSVError, match="limit is 100 bytes"):
            read_labelled_points(rows, max_bytes=100, label_values=label_values)
        with pytest.raises(CSVError, match="limit"):
            read_labelled_points("é" * 60, max_bytes=100, label_values=label_values)  # 120 bytes in UTF-8


# Cells a hostile or careless file might hold: numbers in many spellings, labels, code, junk.
NUMBER_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.sampled_from(["1e999", "-1e999", "nan", "NaN", "inf", "-Infinity", "1_000", "0x10", "١٢", "1,5", " 3 ", "+1",
                     "-0", ".5", "5.", "1e-400", "", " "]),
)
TEXT_CELLS = st.one_of(
    st.sampled_from(CODE_INJECTION[:12] + ODD_CHARACTERS[:20] + ["=1+1", "@SUM(A1)", '"', '""', "'", "\\"]),
    st.text(max_size=12),
)
HEADERS = st.lists(
    st.sampled_from([alias for aliases in COLUMN_ALIASES.values() for alias in aliases] + ["z", "X", "LABEL", ""]),
    min_size=0, max_size=5,
)
DELIMITERS = st.sampled_from([",", ";", "\t", "|", " "])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028"])
LABELS = st.sampled_from(["0", "1", "-1", "1.0", "2", "cat", "dog", "", "nan"])


@st.composite
def csv_like_text(draw, max_rows=30):
    """Text shaped like a CSV: an optional header, then rows of number, label and junk cells."""
    delimiter, newline = draw(DELIMITERS), draw(NEWLINES)
    lines = []
    if draw(st.booleans()):
        lines.append(delimiter.join(draw(HEADERS)))
    for _ in range(draw(st.integers(0, max_rows))):
        width = draw(st.sampled_from([3, 3, 3, 2, 4, 1, 0]))
        cells = [draw(NUMBER_CELLS) if draw(st.integers(0, 4)) else draw(TEXT_CELLS) for _ in range(width)]
        if width == 3 and draw(st.booleans()):
            cells[2] = draw(LABELS)
        lines.append(delimiter.join(cells))
    text = newline.join(lines)
    return text if draw(st.booleans()) else "\ufeff" + text


def check_reader(data, label_values, **limits) -> None:
    """The property: valid points or a CSVError with a readable message, and nothing else, ever."""
    try:
        X, y = read_labelled_points(data, label_values=label_values, **limits)
    except CSVError as exc:
        assert_readable(str(exc))
    else:
        assert_valid_points(X, y, label_values)
    assert not Path(CANARY).exists()


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2_000), st.sampled_from(LABEL_MAPPINGS))
def test_any_bytes_give_points_or_a_csv_error(data, label_values):
    check_reader(data, label_values)


@FUZZ
@given(csv_like_text(), st.sampled_from(LABEL_MAPPINGS), st.integers(1, 40), st.integers(0, 3_000))
def test_any_csv_like_text_gives_points_or_a_csv_error(text, label_values, max_rows, max_bytes):
    check_reader(text, label_values, max_rows=max_rows, max_bytes=max_bytes)
    check_reader(text.encode("utf-8", "surrogatepass"), label_values)


@FUZZ
@given(st.text(max_size=400), st.sampled_from(LABEL_MAPPINGS))
def test_any_text_gives_points_or_a_csv_error(text, label_values):
    check_reader(text, label_values)


@pytest.mark.slow
@FUZZ_SLOW
@given(st.one_of(st.binary(max_size=20_000), csv_like_text(max_rows=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.text(max_size=5_000).map(lambda t: t.encode("utf-8", "surrogatepass"))),
       st.sampled_from(LABEL_MAPPINGS))
def test_fuzz_many_files(data, label_values):
    check_reader(data, label_values)
