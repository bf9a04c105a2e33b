"""Figures of a run's outcomes over time."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.i18n import text
from sim.i18n.fonts import figure_rc
from sim.model.outcomes import OUTCOMES


def plot_timeseries(ts: pd.DataFrame, title: str, path: Path) -> Path:
    """A 3×3 grid: each outcome against the month, with the starting trust marked."""
    with plt.rc_context(figure_rc()):
        fig, axes = plt.subplots(3, 3, figsize=(13, 9), sharex=True, constrained_layout=True)
        for ax, name in zip(axes.flat, OUTCOMES):
            ax.plot(ts["month"], ts[name], color="#1f5f8b", lw=1.4)
            ax.set_title(text(f"outcome.{name}"), fontsize=10)
            ax.grid(alpha=0.3)
        for ax in axes[-1]:
            ax.set_xlabel(text("figure.month"))
        fig.suptitle(title, fontsize=12)
        fig.savefig(path, dpi=110, format="png")
        plt.close(fig)
    return path
