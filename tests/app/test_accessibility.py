"""Text alternatives under AppTest: every chart on every lesson page is named, with its marks' ARIA roles off.

Streamlit 1.67 puts a chart's ``alt`` on the chart element as its accessible name; with
Vega-Lite's per-mark roles left on, a screen reader would meet each mark layer as an
unlabelled image instead (axe-core's ``svg-img-alt``).
"""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import run_page
from ui.charts.show import NUMBERS_LABEL

pytestmark = pytest.mark.a11y

PAGES = ["derivatives", "integrals", "optimization", "svm", "backprop", "gradient", "jacobian"]
# Lesson pages whose charts go through ui.charts.show.accessible.
VEGA_PAGES = ["derivatives", "integrals", "optimization", "svm"]
# Points both classes span: the SVM page draws the overlap and offers the chart's numbers.
INSEPARABLE = "0 0 1\n1 1 1\n0.5 0.5 -1"


def charts(at):
    return list(at.get("vega_lite_chart"))


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_has_a_text_alternative(name):
    at = run_page(name)
    assert not at.exception
    for chart in charts(at):
        assert chart.proto.alt.strip(), f"a chart on /{name} has no alt text"
    for image in at.get("imgs"):
        for img in image.proto.imgs:
            assert img.caption.strip() or image.proto.alt.strip() if hasattr(image.proto, "alt") else True


@pytest.mark.parametrize("name", VEGA_PAGES)
def test_chart_marks_carry_no_unlabelled_image_role(name):
    at = run_page(name)
    found = charts(at)
    assert found, f"/{name} drew no chart"
    for chart in found:
        assert json.loads(chart.proto.spec)["config"]["aria"] is False


def test_show_the_numbers_renders_the_chart_data():
    at = run_page("svm", {"svm_points": INSEPARABLE})
    toggle = next(t for t in at.toggle if t.label == NUMBERS_LABEL)
    assert toggle.value is False
    before = len(at.dataframe)
    at = toggle.set_value(True).run()
    assert len(at.dataframe) == before + 1
    shown = at.dataframe[-1].value
    assert shown[["x", "y"]].values.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]]
