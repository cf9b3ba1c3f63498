"""Charts a screen reader can announce: no mark of any layer keeps an ARIA image role."""

from ui.charts.show import accessible


def test_every_mark_of_a_layered_chart_loses_its_aria_role_and_the_spec_is_not_changed():
    spec = {"layer": [{"mark": "line", "encoding": {}},
                      {"layer": [{"mark": {"type": "point", "filled": True}}, {"mark": "rule"}]}],
            "config": {"view": {"stroke": None}}}
    result = accessible(spec)
    marks = [result["layer"][0]["mark"], *(layer["mark"] for layer in result["layer"][1]["layer"])]
    assert marks == [{"type": "line", "aria": False}, {"type": "point", "filled": True, "aria": False},
                     {"type": "rule", "aria": False}]
    assert result["config"] == {"view": {"stroke": None}, "aria": False}
    assert spec["layer"][0]["mark"] == "line" and "aria" not in spec["config"]


def test_concatenated_and_faceted_charts_are_covered():
    result = accessible({"hconcat": [{"mark": "bar"}], "facet": {"row": {"field": "k"}}, "spec": {"mark": "area"}})
    assert result["hconcat"][0]["mark"] == {"type": "bar", "aria": False}
    assert result["spec"]["mark"] == {"type": "area", "aria": False}


def test_chart_table_reads_every_kind_of_dataset_a_spec_carries():
    import pyarrow as pa

    from ui.charts.show import chart_table

    arrow = pa.table({"x": [1.0, 2.0], "y": [3.0, 4.0]})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, arrow.schema) as writer:
        writer.write_table(arrow)
    spec = {"datasets": {"curves": arrow, "data-3f2a": [{"x": 5.0, "y": 6.0}], "grid": sink.getvalue().to_pybytes()},
            "data": {"values": [{"x": 7.0}]}}
    table = chart_table(spec)
    assert table["data"].tolist() == ["curves", "curves", "set 2", "grid", "grid", "chart"]
    assert table["x"].tolist() == [1.0, 2.0, 5.0, 1.0, 2.0, 7.0]
    assert table.columns.tolist() == ["data", "x", "y"]
