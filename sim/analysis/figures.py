"""Figures of a run's outcomes over time."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.model.outcomes import OUTCOMES

LABELS = {
    "trust": "Trust (cross-sector, 0–1)", "shared_understanding": "Shared understanding (0–1)",
    "agreements": "Working-group agreements in force", "collaboration_depth": "Collaboration depth (0–3)",
    "compliance": "Compliance (share of firms)", "target_attainment": "Target attainment (P / T_ref)",
    "inclusion": "Inclusion of the disadvantaged (0–1)", "wellbeing": "Shared well-being (0–1)",
    "coordination_cost": "Coordination cost (share of resources)",
}


def plot_timeseries(ts: pd.DataFrame, title: str, path: Path) -> Path:
    """A 3×3 grid: each outcome against the month, with the starting trust marked."""
    fig, axes = plt.subplots(3, 3, figsize=(13, 9), sharex=True, constrained_layout=True)
    for ax, name in zip(axes.flat, OUTCOMES):
        ax.plot(ts["month"], ts[name], color="#1f5f8b", lw=1.4)
        ax.set_title(LABELS[name], fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    fig.suptitle(title, fontsize=12)
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
    return path
