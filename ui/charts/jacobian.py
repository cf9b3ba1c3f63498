"""Charts for the Jacobian lesson."""

from __future__ import annotations

import numpy as np

from calc_core.jacobians import LinearMapPicture
from calc_core.jacobians.linear_map import MAX_GRID_LINES
from ui.charts import common

PANEL_SIZE = 280
FAMILY_COLORS = {"x varies": "#1f77b4", "y varies": "#ff7f0e"}
POINT_COLOR = "#d62728"
# The chart's data is numbers only (Arrow); these lists turn its codes back into words.
FAMILIES = list(FAMILY_COLORS)
KINDS = ["grid", "f", "linearization"]
PANELS = ["domain", "image", "domain point", "image point"]
_NAMES = [{"calculate": f"{FAMILIES!r}[datum.family]", "as": "family"},
          {"calculate": f"{KINDS!r}[datum.kind]", "as": "kind"}]
MAP_DATA = "linear_map"


def _line_columns(lines: np.ndarray, half: int, kind: int, panel: int) -> dict[str, np.ndarray]:
    """Columns for polylines of shape (lines, samples, 2); a NaN splits a line so the gap shows.

    Names travel as codes (see ``FAMILIES``, ``KINDS``, ``PANELS``); each layer turns them back into
    words in the browser, so the data is numbers only.
    """
    count, samples, _ = lines.shape
    x, y = lines[..., 0], lines[..., 1]
    finite = np.isfinite(x) & np.isfinite(y)
    piece = np.cumsum(~finite, axis=1)
    index = np.broadcast_to(np.arange(count)[:, None], (count, samples))
    columns = {
        "x": x, "y": y,
        "order": np.broadcast_to(np.arange(samples), (count, samples)),
        "family": (index >= half).astype(float),
        "kind": np.full((count, samples), float(kind)),
        "panel": np.full((count, samples), float(panel)),
        # A distinct number for each piece of each line of each kind.
        "line": (kind * 2 * MAX_GRID_LINES + index) * (samples + 1) + piece,
    }
    return {name: np.asarray(c, dtype=float)[finite] for name, c in columns.items()}


def _square_domains(points: np.ndarray, pad: float = 0.08) -> tuple[list[float], list[float]]:
    """x and y domains of equal length around the finite points, so areas look as they are."""
    xs, ys = points[..., 0], points[..., 1]
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return [-1.0, 1.0], [-1.0, 1.0]
    xs, ys = xs[finite], ys[finite]
    half = max(float(np.ptp(xs)), float(np.ptp(ys)), 1e-9) * (0.5 + pad)
    cx, cy = (float(xs.min()) + float(xs.max())) / 2, (float(ys.min()) + float(ys.max())) / 2
    return [cx - half, cx + half], [cy - half, cy + half]


def _line_layer(panel: str, x_domain, y_domain, x_title: str, y_title: str, dashed: bool) -> dict:
    encoding = {
        "x": {"field": "x", "type": "quantitative", "title": x_title,
              "scale": {"domain": x_domain, "nice": False, "zero": False}},
        "y": {"field": "y", "type": "quantitative", "title": y_title,
              "scale": {"domain": y_domain, "nice": False, "zero": False}},
        "color": {"field": "family", "type": "nominal", "title": "grid line",
                  "scale": {"domain": list(FAMILY_COLORS), "range": list(FAMILY_COLORS.values())},
                  "legend": {"orient": "bottom"}},
        "detail": {"field": "line", "type": "nominal"},
        "order": {"field": "order", "type": "quantitative"},
        "tooltip": [{"field": "kind", "type": "nominal"},
                    {"field": "x", "type": "quantitative", "format": ".4g"},
                    {"field": "y", "type": "quantitative", "format": ".4g"}],
    }
    if dashed:
        encoding["strokeDash"] = {"field": "kind", "type": "nominal", "title": "map",
                                  "scale": {"domain": ["f", "linearization"], "range": [[1, 0], [5, 4]]},
                                  "legend": {"orient": "bottom"}}
    return {"transform": [{"filter": f"datum.panel === {PANELS.index(panel)}"}, *_NAMES],
            "mark": {"type": "line", "strokeWidth": 1.5, "clip": True}, "encoding": encoding}


def _point_layer(panel: str) -> dict:
    return {"transform": [{"filter": f"datum.panel === {PANELS.index(panel)}"}],
            "mark": {"type": "point", "filled": True, "size": 80, "color": POINT_COLOR},
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}


def linear_map_chart(pic: LinearMapPicture) -> dict:
    """Left: a grid around the point. Right: its image under f (solid) and under f(p) + J(q − p) (dashed).

    Written directly as a Vega-Lite spec: the point moves on every rerun, and building and
    validating the same chart through Altair costs more than this page's whole rerun budget.
    """
    half = pic.domain.shape[0] // 2
    parts = [
        _line_columns(pic.domain, half, KINDS.index("grid"), PANELS.index("domain")),
        _line_columns(pic.image, half, KINDS.index("f"), PANELS.index("image")),
        _line_columns(pic.linear, half, KINDS.index("linearization"), PANELS.index("image")),
        *({"x": np.array([x]), "y": np.array([y]), "panel": np.array([float(PANELS.index(panel))])}
          for (x, y), panel in ((pic.point, "domain point"), (pic.value, "image point"))),
    ]
    names = ("x", "y", "order", "family", "kind", "panel", "line")
    # Points have no order, family, kind or line: 0 fills them (the point layers read x, y and panel only).
    data = common.arrow_table(**{n: np.concatenate([p.get(n, np.zeros(len(p["x"]))) for p in parts])
                                 for n in names})
    x_domain, y_domain = _square_domains(pic.domain)
    u_domain, v_domain = _square_domains(np.concatenate([pic.image, pic.linear]))
    left = {"title": "Around the point (x, y)", "width": PANEL_SIZE, "height": PANEL_SIZE,
            "layer": [_line_layer("domain", x_domain, y_domain, "x", "y", dashed=False),
                      _point_layer("domain point")]}
    right = {"title": "Image: f (solid) and its linearization (dashed)", "width": PANEL_SIZE, "height": PANEL_SIZE,
             "layer": [_line_layer("image", u_domain, v_domain, "f₁", "f₂", dashed=True),
                       _point_layer("image point")]}
    return {"datasets": {MAP_DATA: data}, "data": {"name": MAP_DATA}, "hconcat": [left, right],
            "autosize": {"type": "pad"},
            "resolve": {"scale": {"strokeDash": "independent"}}}
