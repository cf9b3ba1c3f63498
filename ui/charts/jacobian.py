"""Charts and matrix display for the Jacobian lesson."""

from __future__ import annotations

import numpy as np
import sympy

from calc_core.jacobians import LinearMapPicture

PANEL_SIZE = 280
FAMILY_COLORS = {"x varies": "#1f77b4", "y varies": "#ff7f0e"}
POINT_COLOR = "#d62728"


def matrix_latex(matrix, digits: int = 6) -> str:
    """A numeric matrix as a LaTeX bmatrix; undefined entries read "undefined"."""
    rows = []
    for row in np.atleast_2d(np.asarray(matrix, dtype=float)):
        rows.append(" & ".join(rf"{v:.{digits}g}" if np.isfinite(v) else r"\text{undefined}" for v in row))
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def symbolic_matrix_latex(matrix: sympy.Matrix) -> str:
    """A sympy matrix as a LaTeX bmatrix."""
    return sympy.latex(matrix, mat_delim="[", mat_str="matrix")


def _line_records(lines: np.ndarray, half: int, kind: str, panel: str) -> list[dict]:
    """Rows for polylines of shape (lines, samples, 2); a NaN splits a line so the gap shows."""
    records = []
    for i, line in enumerate(lines):
        family = "x varies" if i < half else "y varies"
        piece = 0
        for order, (x, y) in enumerate(line.tolist()):
            if not (np.isfinite(x) and np.isfinite(y)):
                piece += 1
                continue
            records.append({"x": x, "y": y, "order": order, "family": family, "kind": kind, "panel": panel,
                            "line": f"{kind}-{i}-{piece}"})
    return records


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
    return {"transform": [{"filter": f"datum.panel === '{panel}'"}],
            "mark": {"type": "line", "strokeWidth": 1.5, "clip": True}, "encoding": encoding}


def _point_layer(panel: str) -> dict:
    return {"transform": [{"filter": f"datum.panel === '{panel}'"}],
            "mark": {"type": "point", "filled": True, "size": 80, "color": POINT_COLOR},
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}


def linear_map_chart(pic: LinearMapPicture) -> dict:
    """Left: a grid around the point. Right: its image under f (solid) and under f(p) + J(q − p) (dashed).

    Written directly as a Vega-Lite spec: the point moves on every rerun, and building and
    validating the same chart through Altair costs more than this page's whole rerun budget.
    """
    half = pic.domain.shape[0] // 2
    records = [
        *_line_records(pic.domain, half, "grid", "domain"),
        *_line_records(pic.image, half, "f", "image"),
        *_line_records(pic.linear, half, "linearization", "image"),
        *({"x": float(x), "y": float(y), "panel": panel, "kind": "point"}
          for (x, y), panel in ((pic.point, "domain point"), (pic.value, "image point"))
          if np.isfinite(x) and np.isfinite(y)),
    ]
    x_domain, y_domain = _square_domains(pic.domain)
    u_domain, v_domain = _square_domains(np.concatenate([pic.image, pic.linear]))
    left = {"title": "Around the point (x, y)", "width": PANEL_SIZE, "height": PANEL_SIZE,
            "layer": [_line_layer("domain", x_domain, y_domain, "x", "y", dashed=False),
                      _point_layer("domain point")]}
    right = {"title": "Image: f (solid) and its linearization (dashed)", "width": PANEL_SIZE, "height": PANEL_SIZE,
             "layer": [_line_layer("image", u_domain, v_domain, "f₁", "f₂", dashed=True),
                       _point_layer("image point")]}
    return {"data": {"values": records}, "hconcat": [left, right], "autosize": {"type": "pad"},
            "resolve": {"scale": {"strokeDash": "independent"}}}
