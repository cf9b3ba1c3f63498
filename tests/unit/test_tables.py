"""calc_core.data.tables: real-world CSV and TSV files against pandas and the csv module as references."""

import csv
import io

import numpy as np
import pandas as pd
import pytest

from calc_core.data.csv_points import MAX_BYTES
from calc_core.data.datasets import split_dataset
from calc_core.data.tables import (
    MAX_COLUMNS,
    MAX_NAME_CHARS,
    LabelledData,
    Standardiser,
    Table,
    TableError,
    labelled_data,
    read_table,
)
from tests.hostile import CSV_FILES

CHURN = b"age,income,churned\n31,1200,no\n45,800,yes\n52,950,no\n23,400,yes\n"


def pandas_table(data: bytes, sep: str, header="infer") -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=sep, header=header, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig", skipinitialspace=True)


def assert_same_as_pandas(table: Table, frame: pd.DataFrame) -> None:
    assert table.n_rows == len(frame)
    for j, name in enumerate(table.names):
        assert list(table.cells[j]) == [cell.strip() for cell in frame.iloc[:, j]], name


@pytest.mark.parametrize(("sep", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")])
def test_every_delimiter_is_detected_and_read_as_pandas_reads_it(sep, name):
    data = CHURN.replace(b",", sep.encode())
    table = read_table(data)
    assert table.delimiter == sep and table.delimiter_name == name
    assert table.names == ("age", "income", "churned") and table.has_header
    assert_same_as_pandas(table, pandas_table(data, sep))


def test_bom_crlf_quoted_fields_and_blank_lines():
    data = ('\ufeffname,"x, in cm",y,kind\r\n"Smith, J",1.5,2,"a ""quoted"" word"\r\n\r\n'
            '"multi\r\nline",3,4,b\r\n').encode()
    table = read_table(data)
    assert table.names == ("name", "x, in cm", "y", "kind")
    assert table.column("name") == ("Smith, J", "multi\r\nline")
    assert table.column("kind") == ('a "quoted" word', "b")
    assert table.lines == (2, 4)
    reference = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [list(row) for row in zip(*table.cells)] == [row for row in reference[1:] if row]


def test_a_file_without_a_header_gets_numbered_columns():
    table = read_table(b"1,2,yes\n3,4,no\n")
    assert not table.has_header
    assert table.names == ("column 1", "column 2", "column 3")
    assert table.lines == (1, 2)


def test_duplicate_headers_are_made_unique_and_said_so():
    table = read_table(b"a,a,b,a\n1,2,3,4\n")
    assert table.names == ("a", "a (2)", "b", "a (3)")
    assert_same_as_pandas(table, pandas_table(b"a,a,b,a\n1,2,3,4\n", ","))  # pandas renames to a.1, a.2
    assert any("3 columns are named “a”" in note for note in table.notes)


def test_a_thousand_columns_are_capped_and_said_so():
    header = ",".join(f"f{j}" for j in range(1000)) + ",label\n"
    rows = "".join(",".join(str(i * j % 7) for j in range(1000)) + f",{'yes' if i % 2 else 'no'}\n" for i in range(20))
    table = read_table((header + rows).encode())
    assert len(table.names) == MAX_COLUMNS
    assert any("1,001 columns" in note and f"first {MAX_COLUMNS}" in note for note in table.notes)
    frame = pandas_table((header + rows).encode(), ",")
    assert_same_as_pandas(table, frame.iloc[:, :MAX_COLUMNS])


def test_churn_with_yes_no_labels_is_a_binary_problem():
    data = labelled_data(read_table(CHURN), ["age", "income"], "churned")
    assert isinstance(data, LabelledData)
    frame = pd.read_csv(io.BytesIO(CHURN))
    np.testing.assert_array_equal(data.X, frame[["age", "income"]].to_numpy(float))
    assert data.classes == ("no", "yes") and data.task == "binary"
    np.testing.assert_array_equal(data.y, (frame["churned"] == "yes").astype(int))


def test_three_named_classes_are_a_multiclass_problem():
    data = b"sepal,petal,width,species\n5.1,1.4,0.2,setosa\n7,4.7,1.4,versicolor\n6.3,6,2.5,virginica\n5,1.5,.2,setosa\n"
    result = labelled_data(read_table(data), ["sepal", "petal", "width"], "species")
    assert result.task == "multiclass" and result.classes == ("setosa", "versicolor", "virginica")
    assert result.y.tolist() == [0, 1, 2, 0] and result.X.shape == (4, 3)


def test_numeric_targets_are_regression_and_few_whole_numbers_are_classes():
    table = read_table(b"a,b,price,grade\n1,2,10.5,1\n2,3,11.25,2\n3,1,9,1\n4,4,12,2\n")
    price = labelled_data(table, ["a", "b"], "price")
    assert price.task == "regression" and price.classes == ()
    np.testing.assert_array_equal(price.y, [10.5, 11.25, 9, 12])
    grade = labelled_data(table, ["a", "b"], "grade")
    assert grade.task == "binary" and grade.classes == ("1", "2")
    assert labelled_data(table, ["a", "b"], "grade", task="regression").task == "regression"


def test_semicolon_files_with_decimal_commas():
    table = read_table(b"x;y;label\n1,5;-2,25;0\n3;4;1\n")
    np.testing.assert_array_equal(labelled_data(table, ["x", "y"], "label").X, [[1.5, -2.25], [3, 4]])


@pytest.mark.parametrize(("data", "words"), [
    (b"age,income,churned\n31,1200,no\n45,,yes\n", ["Line 3", "income", "missing"]),
    (b"age,income,churned\n31,NA,no\n45,800,yes\n", ["Line 2", "income", "missing"]),
    (b"age,income,churned\n31,1200,no\n45,lots,yes\n", ["Line 3", "income", "lots", "not a number"]),
    (b"age,income,churned\n31,1200,no\n45,800,\n", ["Line 3", "churned", "label is missing"]),
    (b"age,income,churned\n31,1200,no\n45,800,no\n", ["at least two classes"]),
    (b"x,y\n1,2\n3,4\n", ["2 columns", "a label column"]),
    (b"a,b,c\n1,2,w\n3,4,x\n5,6,y\n7,8,z\n", ["4 different labels", "two or three"]),
])
def test_unusable_values_are_refused_with_line_and_column(data, words):
    with pytest.raises(TableError) as error:
        table = read_table(data)
        names = table.names
        labelled_data(table, names[:2], names[-1])
    for word in words:
        assert word in str(error.value), str(error.value)


def test_bad_choices_of_columns():
    table = read_table(CHURN)
    with pytest.raises(TableError, match="at least two"):
        labelled_data(table, ["age"], "churned")
    with pytest.raises(TableError, match="cannot also be a feature"):
        labelled_data(table, ["age", "churned"], "churned")
    with pytest.raises(TableError, match="no column"):
        labelled_data(table, ["age", "height"], "churned")
    with pytest.raises(TableError, match="regression needs a number"):
        labelled_data(table, ["age", "income"], "churned", task="regression")


def test_labels_with_html_are_kept_as_literal_text():
    data = b'a,b,label\n1,2,<b>yes</b>\n3,4,"<script>alert(1)</script>"\n'
    result = labelled_data(read_table(data), ["a", "b"], "label")
    assert result.classes == ("<b>yes</b>", "<script>alert(1)</script>")


def test_ragged_rows_and_sizes_are_refused():
    with pytest.raises(TableError, match="Line 3 has 2 cells"):
        read_table(b"a,b,c\n1,2,3\n4,5\n")
    with pytest.raises(TableError, match="limit"):
        read_table(b"a,b,c\n" + b"1,2,3\n" * (MAX_BYTES // 6 + 1))
    with pytest.raises(TableError, match="at most 3 are accepted"):
        read_table(b"a,b,c\n" + b"1,2,3\n" * 4, max_rows=3)
    with pytest.raises(TableError, match="UTF-8"):
        read_table("a,b,c\n1,2,3\n".encode("utf-16"))


@pytest.mark.parametrize(("name", "content"), CSV_FILES, ids=[name for name, _ in CSV_FILES])
def test_every_hostile_file_reads_or_is_refused_in_words(name, content):
    try:
        table = read_table(content)
    except TableError as error:
        assert 0 < len(str(error)) <= 300
        return
    assert len(table.names) <= MAX_COLUMNS
    assert all(len(column) == table.n_rows for column in table.cells)


def test_standardising_uses_the_data_it_is_fitted_to():
    train = np.array([[1.0, 10.0, 5.0], [3.0, 30.0, 5.0], [5.0, 20.0, 5.0]])
    s = Standardiser.fit(train)
    out = s.transform(train)
    np.testing.assert_allclose(out[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out[:, :2].std(axis=0), 1)
    np.testing.assert_array_equal(out[:, 2], 0)  # a constant column is centred only
    expected = (np.array([[7.0, 0.0, 6.0]]) - train.mean(axis=0)) / np.where(train.std(axis=0) > 0, train.std(axis=0), 1)
    np.testing.assert_allclose(s.transform([[7.0, 0.0, 6.0]]), expected)


def test_regression_targets_are_split_at_random_as_one_group():
    X = np.arange(40.0).reshape(20, 2)
    y = np.linspace(0.0, 1.0, 20)  # every target distinct: a split class by class would hold none out
    parts = split_dataset(X, y, test_size=0.25, random_state=3)
    assert len(parts.y_test) == 5 and len(parts.y_train) == 15
    assert sorted(parts.y_train.tolist() + parts.y_test.tolist()) == y.tolist()


def test_long_column_and_class_names_are_cut_for_showing():
    long = "w" * 5000
    data = f"{long},{long},label\n1,2,{long}a\n3,4,{long}b\n".encode()
    table = read_table(data)
    assert [len(name) for name in table.names] == [MAX_NAME_CHARS, MAX_NAME_CHARS + 4, 5]
    assert table.names[1].endswith("… (2)")
    result = labelled_data(table, table.names[:2], "label")
    assert result.y.tolist() == [0, 1], "classes are told apart by their whole text"
    assert all(len(name) == MAX_NAME_CHARS and name.endswith("…") for name in result.classes)
