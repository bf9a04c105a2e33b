"""The screen's figure: the 20 keys with the largest effect, and every family's largest."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.analysis.experiment_figures import PALETTE

TOP = 20


def _bars(ax, labels, effects, outcomes, title: str) -> None:
    """Horizontal bars of effects (in % of the baseline mean), coloured by outcome."""
    names = sorted(set(outcomes))
    colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    y = list(range(len(labels)))[::-1]
    ax.barh(y, [100 * e for e in effects], color=[colour[o] for o in outcomes])
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel("largest change of a main outcome, % of the baseline mean", fontsize=8)
    ax.set_title(title, fontsize=9)
    for n in names:
        ax.barh([], [], color=colour[n], label=n)
    ax.legend(fontsize=7, loc="lower right")


def write_figure(table: pd.DataFrame, fams: pd.DataFrame, folder: Path) -> Path:
    """screen-effects.png: top keys (left) and families (right)."""
    folder.mkdir(parents=True, exist_ok=True)
    top = table.head(TOP)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.32 * max(len(top), len(fams)) + 1.5))
    outcome = lambda s: s.str.split(" ").str[0]
    _bars(left, [f"{k} [{lo:g}, {hi:g}]" for k, lo, hi in zip(top["key"], top["low"],
                                                              top["high"])],
          top["effect"], outcome(top["largest"]), f"top {len(top)} keys")
    _bars(right, [f"{f} ({n})" for f, n in zip(fams["family"], fams["keys"])], fams["effect"],
          outcome(fams["largest"]), "families (number of keys)")
    fig.tight_layout()
    path = folder / "screen-effects.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
