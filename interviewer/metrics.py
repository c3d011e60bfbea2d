"""Agreement metrics between human and predicted scores."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def pearson(a: list[float], b: list[float]) -> float:
    from scipy.stats import pearsonr

    return _safe(lambda: pearsonr(a, b)[0], a, b)


def spearman(a: list[float], b: list[float]) -> float:
    from scipy.stats import spearmanr

    return _safe(lambda: spearmanr(a, b)[0], a, b)


def _safe(fn: Callable[[], float], a: list[float], b: list[float]) -> float:
    if len(a) < 2 or len(set(a)) < 2 or len(set(b)) < 2:
        return float("nan")
    return float(fn())


def rmse(a: list[float], b: list[float]) -> float:
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2))) if a else float("nan")


def mae(a: list[float], b: list[float]) -> float:
    return float(np.mean(np.abs(np.asarray(a) - np.asarray(b)))) if a else float("nan")


def qwk(a: list[float], b: list[float], low: int = 0, high: int = 5) -> float:
    """Quadratic weighted kappa on scores rounded to integers (half up)."""
    x = [min(high, max(low, math.floor(v + 0.5))) for v in a]
    y = [min(high, max(low, math.floor(v + 0.5))) for v in b]
    n = high - low + 1
    observed = np.zeros((n, n))
    for i, j in zip(x, y, strict=True):
        observed[i - low, j - low] += 1
    if not x:
        return float("nan")
    expected = np.outer(observed.sum(1), observed.sum(0)) / len(x)
    weights = np.array([[(i - j) ** 2 for j in range(n)] for i in range(n)]) / (n - 1) ** 2
    denominator = (weights * expected).sum()
    return float(1 - (weights * observed).sum() / denominator) if denominator else float("nan")


def clean(value: float) -> float | None:
    """JSON-safe rounding: NaN becomes null."""
    return None if value is None or math.isnan(value) else round(value, 4)
