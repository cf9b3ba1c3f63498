"""What analysts read of a classifier besides loss and accuracy: the confusion matrix and the ROC curve.

Pure numpy functions of labels and scores (no model): :func:`confusion_matrix` counts true classes against
predicted ones, :func:`roc_curve` traces the true and false positive rates of two classes as the threshold on
the score falls, and :func:`auc` integrates it by the trapezoidal rule. They agree with
``sklearn.metrics.confusion_matrix``, ``roc_curve(..., drop_intermediate=False)`` and ``roc_auc_score``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RocCurve", "auc", "confusion_matrix", "roc_curve"]


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts ``C[i, j]`` of points of true class ``i`` predicted as class ``j`` (classes ``0..n_classes-1``).

    Raises ``ValueError`` for labels outside the classes or arrays of different lengths.
    """
    y_true = np.asarray(y_true).astype(np.int64, copy=False).ravel()
    y_pred = np.asarray(y_pred).astype(np.int64, copy=False).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{len(y_true)} true labels but {len(y_pred)} predictions.")
    if n_classes < 1:
        raise ValueError("A confusion matrix needs at least one class.")
    for labels in (y_true, y_pred):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"Labels must be whole numbers 0 to {n_classes - 1}.")
    counts = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


@dataclass(frozen=True)
class RocCurve:
    """False and true positive rates at each threshold (score ≥ threshold predicts class 1), and the area.

    ``thresholds[0]`` is ``inf`` (nothing predicted positive), as in scikit-learn; ``auc`` is ``nan`` when
    one of the two classes has no point.
    """

    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float


def roc_curve(y_true, score) -> RocCurve:
    """The ROC curve of a score for two classes (labels 0 and 1), one point per distinct score.

    Points are ordered by falling threshold, from (0, 0) to (1, 1); tied scores make one point.
    """
    y_true = np.asarray(y_true).ravel()
    score = np.asarray(score, dtype=np.float64).ravel()
    if y_true.shape != score.shape:
        raise ValueError(f"{len(y_true)} labels but {len(score)} scores.")
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError("A ROC curve needs labels 0 and 1.")
    if not np.isfinite(score).all():
        raise ValueError("The scores must be finite numbers.")
    order = np.argsort(score, kind="mergesort")[::-1]
    score, positive = score[order], y_true[order].astype(np.float64)
    # The last point of each run of equal scores: one threshold per distinct score.
    ends = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1] if len(score) else np.array([], dtype=int)
    tp = np.cumsum(positive)[ends]
    fp = (ends + 1) - tp
    n_pos, n_neg = positive.sum(), len(positive) - positive.sum()
    tp, fp = np.r_[0.0, tp], np.r_[0.0, fp]
    thresholds = np.r_[np.inf, score[ends]]
    with np.errstate(invalid="ignore", divide="ignore"):
        tpr = tp / n_pos if n_pos else np.full_like(tp, np.nan)
        fpr = fp / n_neg if n_neg else np.full_like(fp, np.nan)
    area = auc(fpr, tpr) if n_pos and n_neg else float("nan")
    return RocCurve(fpr, tpr, thresholds, area)


def auc(x, y) -> float:
    """The area under the polyline through ``(x, y)`` (``x`` monotonic), by the trapezoidal rule."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(x) < 2:
        return float("nan")
    return float(abs(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2)))
