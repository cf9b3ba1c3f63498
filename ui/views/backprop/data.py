"""The analyst's own data: the upload box, the column pickers, and the points they make.

A file is read into named columns (:func:`calc_core.data.tables.read_table`); the analyst picks two or more
feature columns, a label column and, for a numeric label, the problem kind, and may standardise the features.
The file lives in this browser session only (a link carries the settings, never the file). A file or a choice
of columns that cannot be used is marked under the upload box, and the page goes on with the last data that
read in this session, or with the built-in dataset, and says which.

With more than two features the decision boundary is drawn over a chosen pair of them, the others held at their
median over the training points (:func:`upload_grid`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from calc_core.data.csv_points import MAX_BYTES
from calc_core.data.datasets import DATASET_NAMES, split_dataset
from calc_core.data.tables import LabelledData, Standardiser, Table, TableError, labelled_data, read_table
from ui import compute
from ui.charts import backprop as charts
from ui.errors import literal
from ui.views.backprop.state import Split

UPLOAD_KEY = "backprop_csv"
FEATURES_KEY = "backprop_csv_features"
LABEL_KEY = "backprop_csv_label"
TASK_KEY = "backprop_csv_task"
STANDARDISE_KEY = "backprop_csv_standardise"
PLOT_X_KEY = "backprop_plot_x"
PLOT_Y_KEY = "backprop_plot_y"
# The pickers belong to one file: a new file starts them from its own defaults.
PICKER_KEYS = (FEATURES_KEY, LABEL_KEY, TASK_KEY, PLOT_X_KEY, PLOT_Y_KEY)
_FILE_KEY = "backprop_csv_file"
_LAST_GOOD_KEY = "backprop_csv_last_good"
FALLBACK_DATASET = DATASET_NAMES[0]

UPLOAD_LABEL = "CSV or TSV file: feature columns and a label column"
UPLOAD_HELP = ("A header row naming the columns, then one row per example; commas, semicolons, tabs or vertical "
               "bars between cells. Pick two or more columns of numbers as features and one column as the label: "
               "two or three classes (text such as yes/no, or numbers), or numbers to predict (regression).")
SESSION_NOTE = ("The file stays in this browser session only: a link to this page carries the settings but cannot "
                "carry the file.")
LABEL_NAMES = ("label", "labels", "class", "target", "category", "y")
TASK_LABELS = {"classes": "classes", "regression": "regression (predict the number)"}
PROBLEM_TEXT = {"binary": "two classes", "multiclass": "three classes", "regression": "regression"}
#: The problems the training panel trains and draws; a file read as another problem is described, not trained.
TRAINED_TASKS = ("binary", "multiclass", "regression")


@dataclass(frozen=True)
class Upload:
    """An uploaded file and the choices that turn it into points: what the training panel needs.

    ``pair`` is the pair of feature indices the decision boundary is drawn over (``(0, 1)`` for two features).
    """

    content: bytes
    features: tuple[str, ...]
    label: str
    task: str | None
    standardise: bool
    pair: tuple[int, int] = (0, 1)
    name: str = field(default="", compare=False)  # the file's name, for what the page says

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def key(self) -> tuple:
        """What a training run depends on (the plotted pair does not belong to it)."""
        return (self.digest, self.features, self.label, self.task, self.standardise)


@dataclass(frozen=True)
class DataChoice:
    """The data the page trains on: a built-in ``dataset``, or ``"csv"`` with its :class:`Upload`."""

    dataset: str
    upload: Upload | None = None


# --- Cached reading and splitting (pure; keyed by the file's bytes and the choices) ----------------------------------


@compute.cached(max_entries=16)
def read_upload(content: bytes) -> Table:
    return read_table(content)


@compute.cached(max_entries=32)
def upload_data(content: bytes, features: tuple[str, ...], label: str, task: str | None) -> LabelledData:
    return labelled_data(read_upload(content), features, label, task)


@compute.cached(max_entries=32)
def upload_split(content: bytes, features: tuple[str, ...], label: str, task: str | None, standardise: bool,
                 test_share: float, data_seed: int) -> Split:
    """The training and test part of the chosen columns; standardised with the training part's mean and sd."""
    data = upload_data(content, features, label, task)
    parts = split_dataset(data.X, data.y, test_size=test_share, random_state=data_seed)
    X_train, X_test = parts.X_train, parts.X_test
    if standardise:
        scaler = Standardiser.fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    return Split(X_train, parts.y_train, X_test, parts.y_test)


@compute.cached(max_entries=32)
def upload_grid(content: bytes, features: tuple[str, ...], label: str, task: str | None, standardise: bool,
                test_share: float, data_seed: int, pair: tuple[int, int]) -> charts.BoundaryGrid:
    """The boundary grid over the features ``pair``, as network inputs: the other features at their median.

    Its ``points`` have one column per feature (what the network takes); its ranges are those of the pair.
    """
    split = upload_split(content, features, label, task, standardise, test_share, data_seed)
    X = np.vstack([split.X_train, split.X_test])
    grid = charts.boundary_grid(X[:, list(pair)])
    inputs = np.tile(np.median(split.X_train, axis=0), (len(grid.points), 1))
    inputs[:, list(pair)] = grid.points
    return charts.BoundaryGrid(inputs, grid.shape, grid.x_range, grid.y_range)


def upload_view(upload: Upload, test_share: float, data_seed: int) -> tuple[Split, charts.BoundaryGrid]:
    """The split and the boundary grid of an :class:`Upload` (cached)."""
    args = (upload.content, upload.features, upload.label, upload.task, upload.standardise, test_share, data_seed)
    return upload_split(*args), upload_grid(*args, upload.pair)


def untrained_note(choice: DataChoice | None) -> str | None:
    """What the page says instead of training, for a file read as a problem it does not train; else None."""
    if choice is None or choice.upload is None:
        return None
    data = loaded(choice.upload)
    if data.task in TRAINED_TASKS:
        return None
    what = (f"three classes ({', '.join(f'“{literal(c)}”' for c in data.classes)})" if data.task == "multiclass"
            else f"regression: predicting the number in “{literal(data.label)}”")
    return (f"This file and these columns make a problem of {what}, from {len(data.features)} features. "
            "The network here trains two-class problems: choose a label column with two classes to train on "
            "this file.")


def loaded(upload: Upload) -> LabelledData:
    """The chosen columns of an :class:`Upload`, read (cached): its ``task`` and ``classes`` for the training side."""
    return upload_data(upload.content, upload.features, upload.label, upload.task)


# --- The upload box and the pickers ------------------------------------------------------------------------------------


def render_upload() -> DataChoice | None:
    """The upload box, then the column pickers; None while no file is chosen.

    The last file that read stays in the session: when the box is empty again (the dataset was switched away
    and back), the page goes on with it and says so, with a button that forgets it.

    A file or a choice that cannot be used is marked here, and the page trains on the last good data of this
    session or the built-in dataset meanwhile (said under the message).
    """
    file = st.file_uploader(UPLOAD_LABEL, type=["csv", "tsv", "txt"], key=UPLOAD_KEY,
                            max_upload_size=max(1, MAX_BYTES // 1_000_000), help=UPLOAD_HELP)
    st.caption(SESSION_NOTE)
    if file is not None:
        content, name = file.getvalue(), file.name
    else:  # the box is empty again (another dataset was shown meanwhile): the session keeps the last good file
        kept = st.session_state.get(_LAST_GOOD_KEY)
        if not isinstance(kept, Upload):
            return None
        content, name = kept.content, kept.name
        st.caption(f"Using “{literal(name)}”, uploaded earlier in this session; choose a file above to replace it.")
        st.button("Forget this file", key="backprop_csv_forget", icon=":material/delete:", on_click=_forget)
    digest = hashlib.sha256(content).hexdigest()
    if st.session_state.get(_FILE_KEY) != digest:
        for key in PICKER_KEYS:
            st.session_state.pop(key, None)
        st.session_state[_FILE_KEY] = digest
    try:
        table = read_upload(content)
    except TableError as error:
        return _refused(error)
    for note in table.notes:
        st.caption(literal(note))
    upload = _pickers(table, content, name)
    try:
        data = loaded(upload)
    except TableError as error:
        return _refused(error)
    _describe(table, data, upload)
    st.session_state[_LAST_GOOD_KEY] = upload
    return DataChoice("csv", upload)


def _forget() -> None:
    st.session_state.pop(_LAST_GOOD_KEY, None)
    st.session_state.pop(_FILE_KEY, None)


def _refused(error: TableError) -> DataChoice:
    st.error(literal(str(error)), icon=":material/error:")
    last = st.session_state.get(_LAST_GOOD_KEY)
    if isinstance(last, Upload):
        st.caption("Meanwhile the page goes on with the last data that read in this session "
                   f"({len(last.features)} features, label “{literal(last.label)}”).")
        return DataChoice("csv", last)
    st.caption(f"Meanwhile the page goes on with the built-in {FALLBACK_DATASET} dataset.")
    return DataChoice(FALLBACK_DATASET)


def _pickers(table: Table, content: bytes, name: str) -> Upload:
    names = list(table.names)
    label_default = next((n for n in reversed(names) if n.strip().lower() in LABEL_NAMES), names[-1])
    label = st.selectbox("Label column (what to predict)", names, index=names.index(label_default), key=LABEL_KEY)
    numeric = [n for n in table.numeric_names if n != label]
    others = [n for n in names if n != label]
    default = numeric if len(numeric) >= 2 else others
    chosen = st.session_state.get(FEATURES_KEY)
    if chosen is not None and label in chosen:  # the label moved onto a chosen feature: it leaves the features
        st.session_state[FEATURES_KEY] = [n for n in chosen if n != label]
        default = None  # drawn from the value just set (a default beside it would be a second source)
    features = tuple(st.multiselect("Feature columns (two or more)", others, default=default, key=FEATURES_KEY))
    task = None
    if table.is_numeric(label):
        auto = auto_task(content, label)
        kind = st.radio("The label's numbers are", tuple(TASK_LABELS), index=tuple(TASK_LABELS).index(auto),
                        format_func=TASK_LABELS.get, key=TASK_KEY, horizontal=True)
        # "binary" asks for classes; two or three of them make the problem binary or multiclass.
        task = "regression" if kind == "regression" else "binary"
    standardise = st.toggle("Standardise the features (mean 0, sd 1)", key=STANDARDISE_KEY,
                            help="Each feature is shifted and scaled with the mean and standard deviation of the "
                                 "training part, and the test part with the same numbers.")
    pair = (0, 1)
    if len(features) > 2:
        left, right = st.columns(2)
        first = left.selectbox("Boundary picture: across", features, index=0, key=PLOT_X_KEY)
        rest = [f for f in features if f != first]
        second = right.selectbox("and up", rest, index=0, key=PLOT_Y_KEY)
        pair = (features.index(first), features.index(second))
    return Upload(content, features, label, task, standardise, pair, name)


@compute.cached(max_entries=32)
def auto_task(content: bytes, label: str) -> str:
    """As :func:`labelled_data` decides: at most three whole numbers are classes, other numbers regression."""
    table = read_upload(content)
    values = {float(cell.replace(",", ".")) for cell in table.column(label) if _whole(cell)}
    every_whole = all(_whole(cell) for cell in table.column(label))
    return "classes" if every_whole and len(values) <= 3 else "regression"


def _whole(cell: str) -> bool:
    try:
        return float(cell.replace(",", ".")).is_integer()
    except ValueError:
        return False


def _describe(table: Table, data: LabelledData, upload: Upload) -> None:
    """What was read, in one caption: rows, delimiter, the problem and its classes, the picture's pair."""
    sep = table.delimiter_name
    problem = PROBLEM_TEXT[data.task]
    classes = ""
    if data.classes:
        classes = ": " + ", ".join(f"{i} = “{literal(name)}”" for i, name in enumerate(data.classes))
    scaled = (" Features standardised with the training part's mean and standard deviation."
              if upload.standardise else "")
    st.caption(f"Read {table.n_rows:,} rows ({sep}-separated), {len(data.features)} features; the problem: "
               f"{problem}{classes}.{scaled}")
    if len(data.features) > 2:
        x, y = (data.features[i] for i in upload.pair)
        held = len(data.features) - 2
        st.caption(f"The decision boundary is drawn across “{literal(x)}” and “{literal(y)}”, with the other "
                   f"{held} feature{'s' if held > 1 else ''} held at {'their' if held > 1 else 'its'} median over "
                   "the training points. The network sees the chosen columns as they are: the x₁², sin x₁ … "
                   "inputs apply to two features only.")
