"""ui.charts.tables: chart datasets built straight from numpy, as Streamlit sends them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ui.charts.tables import table


def test_rows_match_the_same_data_through_pandas():
    xs = np.linspace(-1, 1, 5)
    ys = np.where(xs == 0, np.nan, 1 / np.where(xs == 0, 1, xs))
    built = table(x=xs, y=ys, series="f").to_pylist()
    reference = pa.Table.from_pandas(pd.DataFrame({"x": xs, "y": ys, "series": "f"}),
                                     preserve_index=False).to_pylist()
    assert built == reference
    assert built[2]["y"] is None


def test_text_is_dictionary_encoded_once_per_name():
    names = np.repeat(["first series", "second series"], 1000)
    column = table(x=np.arange(2000.0), series=names).column("series")
    assert pa.types.is_dictionary(column.type)
    assert column.combine_chunks().dictionary.to_pylist() == ["first series", "second series"]


def test_scalars_fill_the_column_and_empty_tables_work():
    assert table(x=[1.0, 2.0], label="p").column("label").to_pylist() == ["p", "p"]
    assert table(x=[], y=[], series=[]).num_rows == 0
    assert table(n=[40]).to_pylist() == [{"n": 40}]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises((ValueError, pa.ArrowInvalid)):
        table(x=[1.0, 2.0], y=[1.0])


def test_altair_conversions_in_parallel_threads_keep_their_own_data():
    """Sessions convert charts in parallel threads; no conversion may see another's data."""
    import threading

    import altair as alt
    import pandas as pd

    from ui.charts.common import vega_spec

    def chart(n):
        return alt.Chart(pd.DataFrame({"x": range(n), "y": range(n)})).mark_line().encode(x="x:Q", y="y:Q")

    failures = []

    def convert(n):
        for _ in range(100):
            values = list(vega_spec(chart(n)).get("datasets", {}).values())
            if len(values) != 1 or not isinstance(values[0], list) or len(values[0]) != n:
                failures.append(n)

    threads = [threading.Thread(target=convert, args=(n,)) for n in (3, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
