"""Figures of a sensitivity analysis: the indices of each parameter as bars with 95% CIs (one panel
per outcome), and the second-order Sobol indices of each pair as a heatmap."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis.experiment_figures import PALETTE, STYLE, _panels, _save, label
from sim.i18n import text as T
from sim.i18n.fonts import figure_rc

BARS = {"sobol": (("S1", "figure.s1"), ("ST", "figure.st")),
        "morris": (("mu_star", "figure.mu_star"), ("sigma", "figure.sigma"))}


def _order(table: pd.DataFrame) -> list[str]:
    """Parameters in the order they were varied."""
    return list(dict.fromkeys(table["parameter"]))


def index_bars(folder: Path, table: pd.DataFrame, method: str) -> list[Path]:
    """Per outcome, one bar per parameter and index, with its 95% CI."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    params = _order(table)
    fig, axes = _panels(len(outcomes), width=5.4, height=0.55 * len(params) + 2.4, sharey=True)
    y = np.arange(len(params))
    height = 0.8 / len(BARS[method])
    for ax, outcome in zip(axes, outcomes):
        part = table[(table["outcome"] == outcome) & (table["parameter_2"].fillna("") == "")]
        for k, (index, name) in enumerate(BARS[method]):
            rows = part[part["index"] == index].set_index("parameter").reindex(params)
            ci = rows["ci"].to_numpy(float)
            ax.barh(y + (k - 0.5 * (len(BARS[method]) - 1)) * height, rows["value"], height,
                    xerr=np.where(np.isfinite(ci), ci, 0), color=PALETTE[k], label=T(name),
                    error_kw={"ecolor": "#333", "capsize": 3, "lw": 1.2})
        ax.axvline(0, color="#555", lw=0.8)
        ax.set_title(label(outcome))
    axes[0].set_yticks(y, params)
    axes[0].invert_yaxis()  # shared by every panel: the first varied key on top
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), frameon=False)
    fig.suptitle(T("figure.sobol_title" if method == "sobol" else "figure.morris_title"))
    return _save(fig, folder, "sensitivity-indices")


def interaction_heatmap(folder: Path, table: pd.DataFrame) -> list[Path]:
    """Per outcome, the second-order Sobol index of every pair of parameters."""
    s2 = table[table["index"] == "S2"]
    if s2.empty:
        return []
    outcomes = list(dict.fromkeys(s2["outcome"]))
    params = _order(table)
    n = len(params)
    fig, axes = _panels(len(outcomes), width=max(4.8, 1.1 * n + 2.6),
                        height=max(4.0, 0.9 * n + 2.2))
    top = max(0.05, float(np.nanmax(s2["value"].clip(lower=0))))
    image = None
    for ax, outcome in zip(axes, outcomes):
        grid = np.full((n, n), np.nan)
        for r in s2[s2["outcome"] == outcome].to_dict("records"):
            i, j = params.index(r["parameter"]), params.index(r["parameter_2"])
            grid[j, i] = r["value"]
        image = ax.imshow(grid, cmap="viridis", vmin=0, vmax=top)
        for (j, i), v in np.ndenumerate(grid):
            if np.isfinite(v):
                ax.text(i, j, f"{v:.2f}", ha="center", va="center", fontsize=11,
                        color="white" if v < 0.6 * top else "black")
        ax.set_xticks(range(n), params, rotation=30, ha="right")
        ax.set_yticks(range(n), params)
        ax.grid(False)
        ax.set_title(label(outcome))
    fig.colorbar(image, ax=axes, label=T("figure.s2_colorbar"), shrink=0.8)
    fig.suptitle(T("figure.interactions_title"))
    return _save(fig, folder, "sensitivity-interactions")


def write_sensitivity_figures(folder: Path, table: pd.DataFrame, method: str,
                              subfolder: str = "figures") -> list[Path]:
    """The sensitivity figures in folder/figures/ (PNG + SVG) in the house style."""
    out = Path(folder) / subfolder
    out.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({**STYLE, **figure_rc()}):
        return [*index_bars(out, table, method), *interaction_heatmap(out, table)]
