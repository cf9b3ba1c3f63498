"""Read a CSV or TSV file a learner uploads into named columns, and pick features and a label from it.

:func:`read_table` detects the delimiter (``,`` ``;`` tab ``|``) and whether the first line is a header,
and returns a :class:`Table` of text cells; :func:`labelled_data` turns chosen columns into the numbers a
network learns from (:class:`LabelledData`). The file is parsed with the standard :mod:`csv` module and
each cell read with ``float()``; nothing in it is ever evaluated. Every problem is reported as a
:class:`TableError` that names the line and column to fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np

from calc_core.data.csv_points import MAX_BYTES, MAX_ROWS, CSVError, _cell, _decode

#: Columns offered from one file; a wider file keeps its first columns and says so.
MAX_COLUMNS = 50
#: Distinct labels a classification accepts (two or three classes).
MAX_CLASSES = 3
#: Delimiters recognised, in order of preference when a line could use several.
DELIMITERS = (",", ";", "\t", "|")
#: Lines examined to detect the delimiter and the header.
SAMPLE_LINES = 20
#: Characters examined by :class:`csv.Sniffer` (its regular expressions scan the whole sample).
SAMPLE_CHARS = 20_000
#: Characters of a column or class name as the page shows it; a longer one is cut, ending in "…".
MAX_NAME_CHARS = 60
#: Cells read as a missing value, whatever their case.
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", "--"})
TASKS = ("binary", "multiclass", "regression")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class TableError(CSVError):
    """The file or the chosen columns cannot be used; the message says why and where (a ``ValueError``)."""


@dataclass(frozen=True)
class Table:
    """A file's cells as text, column by column.

    Attributes
    ----------
    names : tuple of str
        Column names, unique (a repeated header name gets `` (2)``, `` (3)`` …; a file without a
        header has ``column 1``, ``column 2`` …), each cut to ``MAX_NAME_CHARS`` characters.
    cells : tuple of tuple of str
        ``cells[j]`` is column ``j``, stripped of surrounding spaces, one cell per data row.
    lines : tuple of int
        The file's line number of each data row (1 is the first line), for messages.
    delimiter : str
        The delimiter found.
    has_header : bool
        Whether the first line named the columns.
    notes : tuple of str
        What was changed while reading: renamed duplicate names, columns left out of a wide file.
    numeric : tuple of bool
        For each column, whether every cell is a finite number (missing cells aside), found once while reading.
    """

    names: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    delimiter: str
    has_header: bool
    notes: tuple[str, ...] = ()
    numeric: tuple[bool, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.lines)

    def column(self, name: str) -> tuple[str, ...]:
        """The cells of the column ``name``."""
        try:
            return self.cells[self.names.index(name)]
        except ValueError:
            raise TableError(f"The file has no column “{_cell(name)}”.") from None

    def is_numeric(self, name: str) -> bool:
        """Whether every cell of the column ``name`` is a finite number (missing cells aside)."""
        self.column(name)
        return self.numeric[self.names.index(name)]

    @property
    def numeric_names(self) -> tuple[str, ...]:
        """The columns whose cells are all numbers, in file order."""
        return tuple(name for name in self.names if self.is_numeric(name))

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]


@dataclass(frozen=True)
class LabelledData:
    """Features and labels chosen from a :class:`Table`.

    Attributes
    ----------
    X : ndarray, shape (n, k), float64
        The feature columns, in the order chosen (k ≥ 2).
    y : ndarray, shape (n,)
        For classification, the class of each row as an index into ``classes`` (int64); for regression,
        the target (float64).
    task : {"binary", "multiclass", "regression"}
    classes : tuple of str
        The class names as written in the file (cut to ``MAX_NAME_CHARS``), in the order of their indices
        (empty for regression).
    features, label : names of the columns used.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    classes: tuple[str, ...]
    features: tuple[str, ...]
    label: str


def read_table(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS) -> Table:
    """Read CSV or TSV text into a :class:`Table`.

    Parameters
    ----------
    data : bytes or str
        The file's content; bytes must be UTF-8 (a byte-order mark is fine).
    max_bytes, max_rows : int
        Larger input is refused; more data rows are refused.
    max_columns : int
        Columns kept; the rest of a wider file are left out, with a note.

    Raises
    ------
    TableError
        Too large, not UTF-8, no data rows, unbalanced quotes, or a row with another number of
        cells than the first.

    Notes
    -----
    The delimiter is the one :class:`csv.Sniffer` finds among ``DELIMITERS`` when it splits the first
    lines into the same number of cells (more than one); otherwise the one that does so with the most
    cells; otherwise the one the first line uses most. The first line is a header when one of its
    words heads a column of numbers, or every cell of it is a word (so ``age,income,churned``
    names columns while ``1,2,yes`` starts the data). Lines may end in CRLF;
    quoted fields may hold delimiters and line breaks; blank lines are skipped.

    Examples
    --------
    >>> t = read_table("age;income;churned\\n31;1200,5;no\\n45;800;yes\\n")
    >>> t.names, t.delimiter, t.column("income")
    (('age', 'income', 'churned'), ';', ('1200,5', '800'))
    """
    try:
        text = _decode(data, max_bytes).replace("\x00", "\ufffd")
    except CSVError as error:
        raise TableError(str(error)) from None
    if not text.strip():
        raise TableError("The file is empty: it needs a header line naming the columns and one line per row.")
    delimiter = _detect_delimiter(text)
    rows, lines = _parse(text, delimiter, max_rows)
    width = len(rows[0])
    for row, line in zip(rows, lines):
        if len(row) != width:
            raise TableError(f"Line {line} has {len(row)} cells, but the first line has {width}. "
                             "Every line needs the same columns.")
    has_header = _has_header(rows[:SAMPLE_LINES], delimiter)
    body, body_lines = (rows[1:], lines[1:]) if has_header else (rows, lines)
    if not body:
        raise TableError("The file has a header but no data rows.")
    if len(body) > max_rows:
        raise TableError(f"The file has {len(body):,} rows; at most {max_rows:,} are accepted.")
    notes = []
    names = ([_shorten(cell.strip()) for cell in rows[0]] if has_header
             else [f"column {j + 1}" for j in range(width)])
    if width > max_columns:
        notes.append(f"The file has {width:,} columns; the first {max_columns} are offered.")
        names, body = names[:max_columns], [row[:max_columns] for row in body]
    names, renamed = _unique(names)
    notes.extend(renamed)
    cells = tuple(tuple(row[j].strip() for row in body) for j in range(len(names)))
    numeric = tuple(_all_numbers(column, delimiter) for column in cells)
    return Table(tuple(names), cells, tuple(body_lines), delimiter, has_header, tuple(notes), numeric)


def labelled_data(table: Table, features, label: str, task: str | None = None) -> LabelledData:
    """The chosen feature columns as numbers and the label column as classes or targets.

    Parameters
    ----------
    table : Table
    features : sequence of str
        Two or more distinct columns, each all numbers.
    label : str
        The column to predict; not one of ``features``.
    task : {"binary", "multiclass", "regression"} or None
        ``None`` decides from the label: text labels are classes; numbers are classes when they are at
        most three whole numbers, else regression targets. "binary" and "multiclass" are both read as
        classification (two classes give "binary", three "multiclass").

    Raises
    ------
    TableError
        Fewer than two features, unknown columns, the label among the features, a missing value or a cell
        that is not a number (named by line and column), a classification with one class or more than three,
        regression on text labels.

    Notes
    -----
    Classes are named as in the file and ordered as numbers when all are numbers (``0`` before ``1``),
    otherwise alphabetically (``no`` before ``yes``): the second of two classes is the one whose
    probability the decision boundary shades.

    Examples
    --------
    >>> t = read_table("age,income,churned\\n31,1200,no\\n45,800,yes\\n52,950,no\\n")
    >>> d = labelled_data(t, ["age", "income"], "churned")
    >>> d.X.tolist(), d.y.tolist(), d.task, d.classes
    ([[31.0, 1200.0], [45.0, 800.0], [52.0, 950.0]], [0, 1, 0], 'binary', ('no', 'yes'))
    """
    features = tuple(features)
    if len(table.names) < 3:
        raise TableError(f"The file has {len(table.names)} column{'s' if len(table.names) > 1 else ''}: the page needs "
                         "two or more feature columns and a label column.")
    if len(features) < 2:
        raise TableError("Choose at least two feature columns.")
    if len(set(features)) != len(features):
        raise TableError("Each feature column can be chosen once.")
    if label in features:
        raise TableError(f"The label column “{_cell(label)}” cannot also be a feature.")
    if task is not None and task not in TASKS:
        raise TableError(f"Unknown problem kind “{_cell(str(task))}”; choose one of {', '.join(TASKS)}.")
    X = np.empty((table.n_rows, len(features)), dtype=np.float64)
    for j, name in enumerate(features):
        for i, (cell, line) in enumerate(zip(table.column(name), table.lines)):
            X[i, j] = _feature(cell, line, name, table.delimiter)
    cells = table.column(label)
    for cell, line in zip(cells, table.lines):
        if cell.lower() in MISSING:
            raise TableError(f"Line {line}, column “{_cell(label)}”: the label is missing. "
                             "Fill it in or remove the line.")
    numbers = [_number(cell, table.delimiter) for cell in cells]
    numeric = all(n is not None for n in numbers)
    if task == "regression" or (task is None and numeric and not _few_whole_numbers(numbers)):
        if not numeric:
            at = next(i for i, n in enumerate(numbers) if n is None)
            raise TableError(f"Line {table.lines[at]}, column “{_cell(label)}”: “{_cell(cells[at])}” is not a "
                             "number, and regression needs a number to predict in every row.")
        return LabelledData(X, np.array(numbers, dtype=np.float64), "regression", (), features, label)
    keys = numbers if numeric else list(cells)
    distinct = sorted(set(keys))
    names = {key: (_show_number(key) if numeric else _shorten(key)) for key in distinct}
    shown = ", ".join(_cell(names[k]) for k in distinct[:5]) + (", …" if len(distinct) > 5 else "")
    if len(distinct) < 2:
        raise TableError(f"Every row has the label {shown}; at least two classes are needed (two or three).")
    if len(distinct) > MAX_CLASSES:
        raise TableError(f"Found {len(distinct)} different labels in “{_cell(label)}” ({shown}); this page "
                         "classifies two or three classes. Choose another label column, or regression if the "
                         "labels are numbers.")
    index = {key: i for i, key in enumerate(distinct)}
    y = np.array([index[key] for key in keys], dtype=np.int64)
    kind = "binary" if len(distinct) == 2 else "multiclass"
    return LabelledData(X, y, kind, tuple(names[k] for k in distinct), features, label)


@dataclass(frozen=True)
class Standardiser:
    """Shift and scale that give each feature mean 0 and standard deviation 1 on the data it was fitted to.

    A feature that is constant there keeps its scale (sd taken as 1) and is only centred.
    """

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, X) -> Standardiser:
        """The mean and (population) standard deviation of each column of ``X`` (n, k).

        Examples
        --------
        >>> s = Standardiser.fit([[1.0, 5.0], [3.0, 5.0]])
        >>> s.transform([[2.0, 6.0]]).tolist()
        [[0.0, 1.0]]
        """
        X = np.asarray(X, dtype=np.float64)
        mean = X.mean(axis=0)
        sd = X.std(axis=0)
        return cls(mean, np.where(sd > 0, sd, 1.0))

    def transform(self, X) -> np.ndarray:
        """``(X - mean) / scale``."""
        return (np.asarray(X, dtype=np.float64) - self.mean) / self.scale


def _detect_delimiter(text: str) -> str:
    sample_lines = [line for line in text[:SAMPLE_CHARS].splitlines() if line.strip()][:SAMPLE_LINES]
    if len(text) > SAMPLE_CHARS and len(sample_lines) > 1:
        sample_lines = sample_lines[:-1]  # the last one may be cut
    sample = "\n".join(sample_lines)

    def widths(delimiter):
        try:
            return [len(row) for row in csv.reader(sample_lines, delimiter=delimiter)]
        except csv.Error:
            return []

    def consistent(delimiter):
        counts = widths(delimiter)
        return bool(counts) and counts[0] > 1 and len(set(counts)) == 1

    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in DELIMITERS and consistent(sniffed):
        return sniffed
    usable = [d for d in DELIMITERS if consistent(d)]
    if usable:
        return max(usable, key=lambda d: widths(d)[0])
    first = sample_lines[0] if sample_lines else ""
    return max(DELIMITERS, key=first.count)


def _parse(text: str, delimiter: str, max_rows: int):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines = [], []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(rows) > max_rows:
                    raise TableError(f"The file has more than {max_rows:,} rows; at most {max_rows:,} are accepted.")
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error:
        raise TableError(f"Line {start} is not readable: a cell is far too long or its quotes are unbalanced. "
                         "Save the file as plain CSV.") from None
    if not rows:
        raise TableError("The file is empty: it needs a header line naming the columns and one line per row.")
    return rows, lines


def _has_header(rows, delimiter) -> bool:
    """A header names a column of numbers with a word, or names every column with words."""
    first, rest = rows[0], rows[1:]

    def numeric(cell):
        return _number(cell.strip(), delimiter) is not None

    for j, cell in enumerate(first):
        below = [row[j] for row in rest if row[j].strip().lower() not in MISSING]
        if not numeric(cell) and below and all(numeric(c) for c in below):
            return True
    return not any(numeric(cell) for cell in first)


def _unique(names):
    """Names made unique and non-empty, and a note for each name that was repeated."""
    seen, result, repeated = set(), [], {}
    for j, name in enumerate(names):
        name = name or f"column {j + 1}"
        base, k = name, 1
        while name in seen:
            k += 1
            name = f"{base} ({k})"
        seen.add(name)
        result.append(name)
        if k > 1:
            repeated.setdefault(base, []).append(name)
    notes = [f"{len(later) + 1} columns are named “{_cell(base)}”; the later "
             + ("one is" if len(later) == 1 else "ones are") + " now called "
             + ", ".join(f"“{_cell(n, 30)}”" for n in later[:3]) + (", …" if len(later) > 3 else "") + "."
             for base, later in repeated.items()]
    return result, notes


def _number(cell: str, delimiter: str) -> float | None:
    """The cell as a finite number, or None. With a semicolon delimiter, ``1,5`` is 1.5 (a decimal comma)."""
    if delimiter == ";" and _DECIMAL_COMMA.fullmatch(cell):
        cell = cell.replace(",", ".")
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _all_numbers(column, delimiter: str) -> bool:
    values = [cell for cell in column if cell.lower() not in MISSING]
    return bool(values) and all(_number(cell, delimiter) is not None for cell in values)


def _feature(cell: str, line: int, column: str, delimiter: str) -> float:
    if cell.lower() in MISSING:
        raise TableError(f"Line {line}, column “{_cell(column)}”: the value is missing. Fill it in, remove the "
                         "line, or leave this column out of the features.")
    value = _number(cell, delimiter)
    if value is None:
        raise TableError(f"Line {line}, column “{_cell(column)}”: “{_cell(cell)}” is not a number. Features must "
                         "be numbers: leave this column out of the features, or use it as the label.")
    return value


def _shorten(name: str) -> str:
    return name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS - 1] + "…"


def _few_whole_numbers(numbers) -> bool:
    return len(set(numbers)) <= MAX_CLASSES and all(float(n).is_integer() for n in numbers)


def _show_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
