"""Means of small arrays and lists, as numpy computes them, without its per-call overhead: the
submodels take hundreds of them a month, and each must give the very same number."""

from __future__ import annotations

import numpy as np


def mean(x: np.ndarray) -> float:
    """The mean of a non-empty float array as ndarray.mean computes it: numpy's sum, then ÷ n."""
    return float(np.add.reduce(x) / len(x))


def mean_of(values: list[float]) -> float:
    """numpy.mean of a list of numbers (up to 7 numpy adds them one by one, as `sum` does)."""
    return sum(values) / len(values) if len(values) < 8 else float(np.mean(values))
