"""Read labelled 2-D points from CSV text that a learner uploads.

The file is parsed with the standard :mod:`csv` module, cell by cell with
``float()``; nothing in it is ever evaluated. Every problem is reported as a
:class:`CSVError` that names the row and column a learner has to fix.
"""

from __future__ import annotations

import csv
import math

import numpy as np

MAX_BYTES = 1_000_000
MAX_ROWS = 20_000
COLUMN_ALIASES = {
    "x": ("x", "x1", "x_1", "feature1", "feature_1"),
    "y": ("y", "x2", "x_2", "feature2", "feature_2"),
    "label": ("label", "labels", "class", "target", "category"),
}
_DELIMITERS = (",", ";", "\t")


class CSVError(ValueError):
    """The uploaded file cannot be read as labelled points; the message says why and where."""


def read_labelled_points(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, label_values=None):
    """Parse CSV text with columns ``x``, ``y`` and ``label`` into points and two-class labels.

    Parameters
    ----------
    data : bytes or str
        The file's content; bytes must be UTF-8 (a byte-order mark is fine).
    max_bytes : int, default ``MAX_BYTES``
        Larger input is refused before it is parsed.
    max_rows : int, default ``MAX_ROWS``
        Most data rows accepted.
    label_values : pair, optional
        The two values the labels are mapped to, lower class first: ``(0, 1)``
        (the default) for the neural network, ``(-1, 1)`` for the SVM.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
        The points, in file order.
    y : ndarray, shape (n,)
        Labels, each one of ``label_values``.

    Raises
    ------
    CSVError
        Too large, not UTF-8, missing or extra columns, a row with the wrong
        number of cells, a cell that is not a finite number, or labels that do
        not form exactly two classes.

    Notes
    -----
    The header names the columns in any order and case; accepted names are
    listed in ``COLUMN_ALIASES`` (``class`` or ``target`` for the label, ``x1``
    and ``x2`` for the coordinates). A file without a header is read when all
    cells of its first row are numbers and it has exactly three columns, taken
    as x, y, label. The delimiter is a comma, semicolon or tab, whichever the
    first line uses. Blank lines are skipped.

    The two classes are whatever two distinct labels the file uses. Numeric
    labels are compared as numbers (so ``1`` and ``1.0`` are one class) and
    the smaller maps to ``label_values[0]``; text labels are sorted
    alphabetically (``cat`` → first value, ``dog`` → second).

    Examples
    --------
    >>> X, y = read_labelled_points("x,y,label\\n0,0,-1\\n1,2,1\\n")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [1.0, 2.0]], [0, 1])
    >>> read_labelled_points(b"x,y,class\\n0,0,a\\n1,2,b\\n", label_values=(-1, 1))[1].tolist()
    [-1, 1]
    """
    target = _check_label_values(label_values)
    text = _decode(data, max_bytes)
    numbered = [(no, line) for no, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not numbered:
        raise CSVError("The file is empty: it needs a header line x,y,label and one line per point.")
    line_numbers, lines = zip(*numbered)
    delimiter = max(_DELIMITERS, key=lines[0].count)
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        raise CSVError("The file is not a readable table: a cell is far too long or its quotes are unbalanced. "
                       "Save it as plain CSV with columns x, y, label.") from None
    columns, has_header = _columns(rows[0])
    body, body_numbers = rows[has_header:], line_numbers[has_header:]
    if not body:
        raise CSVError("The file has a header but no points.")
    if len(body) > max_rows:
        raise CSVError(f"The file has {len(body):,} points; at most {max_rows:,} are accepted.")
    X = np.empty((len(body), 2), dtype=np.float64)
    labels = []
    for i, (row, line_no) in enumerate(zip(body, body_numbers)):
        if len(row) != len(rows[0]):
            raise CSVError(
                f"Line {line_no} has {len(row)} cells, but the first line has {len(rows[0])}. "
                "Every line needs the same columns."
            )
        X[i, 0] = _number(row[columns["x"]], line_no, "x")
        X[i, 1] = _number(row[columns["y"]], line_no, "y")
        label = row[columns["label"]].strip()
        if not label:
            raise CSVError(f"Line {line_no} has no label.")
        labels.append(label)
    return X, _map_labels(labels, body_numbers, target)


def _check_label_values(label_values):
    if label_values is None:
        return np.array([0, 1])
    values = np.asarray(label_values)
    if values.shape != (2,) or values.dtype.kind not in "iuf" or values[0] == values[1]:
        raise CSVError(f"label_values must be two different numbers, got {label_values!r}.")
    return values


def _decode(data, max_bytes):
    if not isinstance(data, (str, bytes, bytearray)):
        raise CSVError("Expected the file's content as text or bytes.")
    # A str has at most as many characters as UTF-8 bytes: refuse a huge one before encoding it.
    size = len(data) if len(data) > max_bytes or not isinstance(data, str) else len(data.encode("utf-8"))
    if size > max_bytes:
        raise CSVError(f"The file has {size:,} bytes; the limit is {max_bytes:,} bytes.")
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CSVError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as CSV UTF-8."
        ) from None


def _columns(header):
    """Column index of x, y and label, and whether the first row is a header."""
    cells = [cell.strip() for cell in header]
    if len(cells) == 3 and all(_is_finite_number(cell) for cell in cells):
        return {"x": 0, "y": 1, "label": 2}, False
    lowered = [cell.lower() for cell in cells]
    found = {}
    for name, aliases in COLUMN_ALIASES.items():
        matches = [i for i, cell in enumerate(lowered) if cell in aliases]
        if len(matches) > 1:
            raise CSVError(f"The header names the {name} column twice ({', '.join(cells[i] for i in matches)}).")
        if matches:
            found[name] = matches[0]
    missing = [name for name in COLUMN_ALIASES if name not in found]
    if missing:
        raise CSVError(
            f"Missing column(s) {', '.join(missing)}. The first line must name the columns x, y, label "
            f"(found: {', '.join(cells)[:80]})."
        )
    extra = [cells[i] for i in range(len(cells)) if i not in found.values()]
    if extra:
        raise CSVError(f"Unexpected column(s) {', '.join(extra)[:80]}: use exactly the columns x, y, label.")
    return found, True


def _is_finite_number(cell):
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def _number(cell, line_no, column):
    cell = cell.strip()
    try:
        value = float(cell)
    except ValueError:
        raise CSVError(f"Line {line_no}, column {column}: “{_cell(cell)}” is not a number.") from None
    if not math.isfinite(value):
        raise CSVError(f"Line {line_no}, column {column}: “{_cell(cell)}” is not a finite number (NaN or infinity).")
    return value


def _cell(text: str, limit: int = 20) -> str:
    """A cell as shown in a message: printable characters only, and short."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "…"


def _map_labels(labels, line_numbers, target):
    """Map the two distinct labels (compared as numbers when all are numbers) onto ``target``."""
    try:
        keys = [float(label) for label in labels]
    except ValueError:
        keys = labels
    else:
        for key, label, line_no in zip(keys, labels, line_numbers):
            if not math.isfinite(key):
                raise CSVError(f"Line {line_no}, column label: “{_cell(label)}” is not a finite number.")
    classes = sorted(set(keys))
    shown = ", ".join(_show(c) for c in classes[:5]) + (", …" if len(classes) > 5 else "")
    if len(classes) < 2:
        raise CSVError(f"All points have the label {shown}; two classes are needed.")
    if len(classes) > 2:
        raise CSVError(f"Found {len(classes)} different labels ({shown}); this lesson separates exactly two classes.")
    lookup = {classes[0]: target[0], classes[1]: target[1]}
    return np.array([lookup[key] for key in keys], dtype=target.dtype)


def _show(label):
    """A label as shown in a message: whole numbers without ".0", never more than about 20 characters."""
    if isinstance(label, float) and label.is_integer() and abs(label) < 1e15:
        return str(int(label))
    return _cell(f"{label:.6g}" if isinstance(label, float) else str(label))
