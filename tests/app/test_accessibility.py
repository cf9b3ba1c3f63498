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
INSEPARABLE = "0,0,1;1,1,1;0.5,0.5,-1"


def charts(at):
    return list(at.get("vega_lite_chart"))


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_has_a_text_alternative(name):
    at = run_page(name)
    assert not at.exception
    for chart in charts(at):
        assert chart.proto.alt.strip(), f"a chart on /{name} has no alt text"
    for image in images(at):
        for img in image.proto.imgs:
            assert img.alt.strip(), f"an image on /{name} has no alt text"


def images(at) -> list:
    """Every st.image element of the page (AppTest has no accessor for them)."""
    found, pending = [], [at._tree]
    while pending:
        node = pending.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            pending.extend(children.values())
        if getattr(node, "type", None) == "image":
            found.append(node)
    return found


def test_the_gradient_pages_surface_picture_is_described():
    at = run_page("gradient")
    [picture] = [img for image in images(at) for img in image.proto.imgs]
    assert picture.alt.startswith("3-D surface of f(x, y) = x^2 + y^3")


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
    before = [frame.value for frame in at.dataframe]
    at = toggle.set_value(True).run()
    after = [frame.value for frame in at.dataframe]
    assert len(after) == len(before) + 1
    [shown] = [frame for frame in after if not any(frame.equals(old) for old in before)]
    assert shown[["x", "y"]].values.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]]


# Charts whose numbers are offered another way: the gradient page's scan has "Show the scan as a table",
# and the SVM page shows its points, multipliers and slacks in a table beside the chart.
NUMBERS_ELSEWHERE = {"gradient": 1, "svm": 1}


@pytest.mark.parametrize("name", [page for page in PAGES if page != "home"])
def test_every_chart_offers_its_numbers_and_they_are_its_data(name):
    at = run_page(name)
    toggles = [t for t in at.toggle if t.label == NUMBERS_LABEL]
    assert len(toggles) == len(charts(at)) - NUMBERS_ELSEWHERE.get(name, 0)
    for index in range(len(toggles)):
        before = len(at.dataframe)
        at = [t for t in at.toggle if t.label == NUMBERS_LABEL][index].set_value(True).run()
        assert not at.exception
        assert len(at.dataframe) == before + 1, f"toggle {index} on /{name} showed no table"
    assert all(len(frame.value) > 0 for frame in at.dataframe)
