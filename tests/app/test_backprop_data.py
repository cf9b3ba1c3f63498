"""The backpropagation page with an analyst's own files: real-world CSVs, the column pickers, refusals that
leave the rest of the page working, and the boundary over a chosen pair of features."""

from __future__ import annotations

import numpy as np
import pytest

from tests.app.conftest import as_read, run_page, shown_text
from tests.app.test_widget_warnings import streamlit_warnings  # noqa: F401, F811 (a fixture)

PAGE = "backprop"
RUN = "backprop_run"
RNG = np.random.default_rng(7)


def churn_rows(n: int = 120, score: bool = False, sep: str = ",") -> str:
    rows = []
    for _ in range(n):
        age, income = int(RNG.integers(18, 80)), int(RNG.integers(500, 5000))
        churned = "yes" if age < 35 and income < 2500 else "no"
        cells = [str(age), str(income)] + ([f"{RNG.normal():.3f}"] if score else []) + [churned]
        rows.append(sep.join(cells))
    return "\n".join(rows) + "\n"


CHURN = ("age,income,churned\n" + churn_rows()).encode()
CHURN_3 = ("age,income,score,churned\n" + churn_rows(score=True)).encode()


def upload(content: bytes, name: str = "data.csv", at=None):
    at = at or run_page(PAGE, {"backprop_dataset": "upload CSV"})
    at.file_uploader(key="backprop_csv").set_value((name, content, "text/csv")).run()
    return at


def run_data(at) -> tuple:
    return dict(at.session_state[RUN].key)["data"]


def errors(at) -> list[str]:
    return [as_read(e.value) for e in at.error]


def test_the_upload_box_says_what_the_reader_takes():
    at = run_page(PAGE, {"backprop_dataset": "upload CSV"})
    box = at.get("file_uploader")[0]
    assert "feature columns and a label column" in box.proto.label
    assert "a link" in shown_text(at) and "cannot carry the file" in shown_text(at)
    assert any("Upload a CSV" in i.value for i in at.info)


def test_age_income_churned_with_yes_no_trains_on_two_named_classes():
    at = upload(CHURN)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["age", "income"]
    assert at.selectbox(key="backprop_csv_label").value == "churned"
    assert "0 = “no”, 1 = “yes”" in as_read(shown_text(at))
    assert run_data(at)[:4][0] == "csv" and run_data(at)[2] == ("age", "income")
    assert at.session_state[RUN].model.n_features_in_ == 2
    at.button(key="backprop_step").click().run()
    assert not at.exception and at.session_state[RUN].model.n_epochs_ == 1


def test_a_third_feature_and_the_boundary_over_a_chosen_pair():
    at = upload(CHURN_3)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["age", "income", "score"]
    model = at.session_state[RUN].model
    assert model.n_features_in_ == 3 and model.get_params()["features"] is None
    text = as_read(shown_text(at))
    assert "drawn across “age” and “income”" in text and "held at its median" in text
    at.selectbox(key="backprop_plot_x").set_value("score").run()
    at.selectbox(key="backprop_plot_y").set_value("age").run()
    assert not at.exception and not at.error
    assert "drawn across “score” and “age”" in as_read(shown_text(at))
    assert at.session_state[RUN].model is model, "the picture's pair does not start a new run"
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"score"' in spec and '"age"' in spec


def test_semicolons_quoted_fields_bom_and_crlf():
    content = ("\ufeff\"age\";\"income, net\";\"churned\"\r\n"
               + churn_rows(40, sep=";").replace("\n", "\r\n")).encode()
    at = upload(content)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["age", "income, net"]
    assert "semicolon-separated" in shown_text(at)
    at.toggle(key="backprop_csv_standardise").set_value(True).run()
    assert not at.exception and not at.error
    split = at.session_state[RUN].model
    assert split.n_features_in_ == 2
    assert "training part's mean and standard deviation" in shown_text(at)


def test_a_tab_separated_file():
    content = ("age\tincome\tchurned\n" + churn_rows(30, sep="\t")).encode()
    at = upload(content, "data.tsv")
    assert not at.exception and not at.error and "tab-separated" in shown_text(at)


def test_a_thousand_columns_are_capped_and_said_so():
    header = ",".join(f"f{j}" for j in range(1000)) + ",label\n"
    rows = "".join(",".join(f"{(i * j) % 11}" for j in range(1000)) + f",{i % 2}\n" for i in range(30))
    at = upload((header + rows).encode())
    assert not at.exception
    assert any("1,001 columns" in as_read(c.value) for c in at.caption)
    assert len(at.selectbox(key="backprop_csv_label").options) == 50


def test_duplicate_headers_are_renamed_and_said_so():
    content = b"x,x,label\n" + b"".join(f"{i},{i % 3},{i % 2}\n".encode() for i in range(20))
    at = upload(content)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["x", "x (2)"]
    assert any("2 columns are named “x”" in as_read(c.value) for c in at.caption)


def test_labels_with_html_are_shown_literally():
    content = b"a,b,label\n" + b"".join(
        f"{i},{i * i % 7},{'<b>yes</b>' if i % 2 else '<img src=x onerror=alert(1)>'}\n".encode() for i in range(20))
    at = upload(content)
    assert not at.exception and not at.error
    text = shown_text(at)
    assert "\\<b\\>yes\\</b\\>" in text  # escaped markdown: shown as typed, never as markup
    assert "“<b>yes</b>”" in as_read(text)


@pytest.mark.parametrize(("content", "words"), [
    (b"age,income,churned\n31,1200,no\n45,,yes\n52,900,no\n", ["Line 3", "income", "missing"]),
    (b"age,income,churned\n31,1200,no\n45,lots,yes\n52,900,no\n", ["Line 3", "income", "lots", "not a number"]),
    (b"age,income,churned\n31,1200,no\n45,800,\n", ["Line 3", "churned", "label is missing"]),
    (b"a,b,c\n1,2,w\n3,4,x\n5,6,y\n7,8,z\n", ["4 different labels"]),
    (b"\xff\xfe\x00garbage", ["UTF-8"]),
])
def test_a_refused_file_is_marked_and_the_page_trains_on_the_built_in_data(content, words):
    at = upload(content)
    assert not at.exception
    assert len(at.error) == 1
    for word in words:
        assert word in errors(at)[0], errors(at)
    assert "built-in circles dataset" in shown_text(at)
    assert run_data(at)[0] == "circles"
    assert at.get("vega_lite_chart") and at.text_input(key="backprop_task_answer")


def test_a_non_numeric_feature_chosen_names_its_line_and_column():
    content = b"name,age,income,churned\nAda,31,1200,no\nBob,45,800,yes\nCy,52,900,no\n"
    at = upload(content)
    assert not at.error and at.multiselect(key="backprop_csv_features").value == ["age", "income"]
    at.multiselect(key="backprop_csv_features").set_value(["name", "age"]).run()
    assert not at.exception
    assert "Line 2" in errors(at)[0] and "name" in errors(at)[0] and "Ada" in errors(at)[0]
    assert "last data that read" in shown_text(at)
    assert run_data(at)[2] == ("age", "income"), "the last good choice keeps training"


def test_a_bad_file_after_a_good_one_keeps_the_good_data():
    at = upload(CHURN)
    good = run_data(at)
    upload(b"age,income,churned\n31,1200,no\n45,,yes\n", at=at)
    assert not at.exception and len(at.error) == 1
    assert run_data(at) == good
    assert "last data that read" in shown_text(at)


def test_three_classes_and_numeric_targets_are_read_named_and_trained():
    iris = b"sepal,petal,species\n" + b"".join(
        f"{5 + i % 3 + RNG.normal() / 5:.2f},{1 + 2 * (i % 3) + RNG.normal() / 5:.2f},"
        f"{('setosa', 'versicolor', 'virginica')[i % 3]}\n".encode() for i in range(60))
    at = upload(iris)
    assert not at.exception and not at.error
    assert "three classes" in shown_text(at) and "“virginica”" in as_read(shown_text(at))
    assert at.session_state[RUN].model.get_params()["task"] == "multiclass"
    at.button(key="backprop_step").click().run()
    assert not at.exception and at.session_state[RUN].model.n_epochs_ == 1
    prices = b"rooms,area,price\n" + b"".join(f"{i % 5 + 1},{40 + i},{1000 + 37.5 * i:.1f}\n".encode()
                                              for i in range(40))
    at = upload(prices)
    assert not at.exception and not at.error
    assert at.radio(key="backprop_csv_task").value == "regression"
    assert "regression" in shown_text(at)
    assert at.session_state[RUN].model.get_params()["task"] == "regression"
    at.toggle(key="backprop_csv_standardise").set_value(True).run()
    at.button(key="backprop_step").click().run()
    assert not at.exception and not at.error and at.session_state[RUN].model.n_epochs_ == 1


def test_a_numeric_label_can_be_classes_or_regression():
    content = b"a,b,grade\n" + b"".join(f"{i},{i % 4},{i % 2}\n".encode() for i in range(30))
    at = upload(content)
    assert at.radio(key="backprop_csv_task").value == "classes"
    assert not at.error and run_data(at)[0] == "csv"
    assert at.session_state[RUN].model.get_params()["task"] == "binary"
    at.radio(key="backprop_csv_task").set_value("regression").run()
    assert not at.exception and not at.error
    assert "regression" in shown_text(at)
    assert at.session_state[RUN].model.get_params()["task"] == "regression"


def test_a_new_file_starts_the_pickers_from_its_own_columns():
    at = upload(CHURN_3)
    at.multiselect(key="backprop_csv_features").set_value(["age", "score"]).run()
    other = b"height,weight,sport\n" + b"".join(f"{150 + i},{50 + i % 9},{i % 2}\n".encode() for i in range(30))
    upload(other, at=at)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["height", "weight"]
    assert at.selectbox(key="backprop_csv_label").value == "sport"


def test_the_file_stays_in_the_session_after_another_dataset_was_shown():
    at = upload(CHURN)
    good = run_data(at)
    at.selectbox(key="backprop_dataset").set_value("moons").run()
    assert run_data(at)[0] == "moons"
    at.selectbox(key="backprop_dataset").set_value("csv").run()
    assert not at.exception and not at.error
    assert run_data(at) == good
    assert "uploaded earlier in this session" in as_read(shown_text(at))
    at.button(key="backprop_csv_forget").click().run()
    assert not at.exception
    assert any("Upload a CSV" in i.value for i in at.info)


def test_huge_and_markup_names_are_cut_and_shown_as_written():
    long = "<b>" + "w" * 20_000
    content = (f"[click](https://evil.example),{long},label\n"
               + "".join(f"{i},{i % 5},{long if i % 2 else 'no'}\n" for i in range(20))).encode()
    at = upload(content)
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["[click](https://evil.example)", long[:59] + "…"]
    text = shown_text(at)
    assert len(text) < 20_000, "a 20 000-character name is not repeated in full"
    assert "](https://evil" not in text
    assert "<b>" not in text


def test_a_label_chosen_among_the_features_leaves_them_without_a_server_warning(streamlit_warnings):  # noqa: F811
    at = upload(CHURN_3)
    at.selectbox(key="backprop_csv_label").set_value("score").run()
    assert not at.exception and not at.error
    assert at.multiselect(key="backprop_csv_features").value == ["age", "income"]
    assert at.radio(key="backprop_csv_task").value == "regression"
    assert streamlit_warnings() == []
