"""Every chart a page sends is valid Vega-Lite, and every dataset a layer reads is sent with it.

The pages turn charts into Vega-Lite dicts without Altair's schema validation
(it was a quarter to a half of a rerun on the server, see ``ui/charts/common.py``),
so this is where a malformed spec is caught: against the same JSON schema that
Altair validates with.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from altair.vegalite.v6.schema.core import load_schema

from tests.app.conftest import run_page

VALIDATOR = jsonschema.Draft7Validator(load_schema())

VIEWS = {
    "derivatives": {},
    "derivatives-log": {"deriv_f": "log(x)", "deriv_x0": "-1"},
    "integrals": {},
    "integrals-pole": {"integ_f": "1/x", "integ_a": "-1", "integ_b": "1"},
    "gradient": {},
    "jacobian": {},
    "optimization": {},
    "svm": {},
    "backprop": {},
    "backprop-features": {"backprop_feature_x1_sq": "true", "backprop_layers": "8,8,8"},
    "backprop-regression": {"backprop_dataset": "plane"},
    "backprop-three-classes": {"backprop_dataset": "blobs3"},
}


def named_data(node) -> set[str]:
    """Names of the datasets a spec's layers read (``{"data": {"name": ...}}``), at any depth."""
    names = set()
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            names.add(data["name"])
        for value in node.values():
            names |= named_data(value)
    elif isinstance(node, list):
        for item in node:
            names |= named_data(item)
    return names


def without_null_order(node):
    """``node`` without ``"order": {"value": null}`` (draw a line in data order).

    Vega-Lite documents that setting for line marks, but its JSON schema only
    allows a number there; the gradient page's level curve uses it.
    """
    if isinstance(node, list):
        return [without_null_order(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: without_null_order(value) for key, value in node.items()
            if not (key == "order" and value == {"value": None})}


def assert_valid_charts(at) -> int:
    charts = at.get("vega_lite_chart")
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(without_null_order(spec)))
        assert error is None, f"{error.message[:300]} at {list(error.absolute_path)}"
        sent = {d.name for d in chart.proto.datasets} | set(spec.get("datasets", {}))
        assert named_data(spec) <= sent, "a layer reads a dataset that was not sent"
    return len(charts)


@pytest.mark.parametrize("view", VIEWS)
def test_every_chart_of_a_view_is_valid_vega_lite(view):
    at = run_page(view.split("-")[0], VIEWS[view])
    assert not at.exception
    assert assert_valid_charts(at) >= 1


def test_backprop_charts_with_live_changes_pinned_runs_and_a_sweep_are_valid():
    at = run_page("backprop", {"backprop_samples": "200", "backprop_epochs": "10", "backprop_sweep_points": "2",
                               "backprop_sweep_seeds": "1"})
    at.button(key="backprop_step").click().run()
    at.button(key="backprop_pin").click().run()
    at.select_slider(key="backprop_lr").set_value(0.01).run()
    at.button(key="backprop_step").click().run()
    at.button(key="backprop_pin").click().run()
    at.button(key="backprop_sweep_run").click().run()
    assert not at.exception
    # training curves (2, with change markers), boundary, network, pinned runs (2), sweep (2)
    assert assert_valid_charts(at) >= 8
