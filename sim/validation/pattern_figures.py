"""Figures of the validation patterns: the share of the space where each holds, and each
pattern's per-point statistic against the context key its claim is about."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.analysis.experiment_figures import PALETTE

HOLDS, FAILS, OUTSIDE = PALETTE[2], PALETTE[1], "#BBBBBB"


def shares_figure(shares: pd.DataFrame, path: Path) -> Path:
    """Horizontal bars: share of applicable points where each pattern holds, with Wilson CIs."""
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(shares) + 1.2))
    y = range(len(shares))[::-1]
    err = [shares["share"] - shares["ci_low"], shares["ci_high"] - shares["share"]]
    ax.barh(list(y), shares["share"], xerr=err, color=PALETTE[0], capsize=3)
    ax.set_yticks(list(y), [f"{p} (n={n})" for p, n in zip(shares["pattern"], shares["points"])])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of applicable Latin-hypercube points where the pattern holds (95% CI)")
    ax.axvline(0.5, color="black", lw=0.8, ls=":")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def points_figure(per_point: pd.DataFrame, path: Path) -> Path:
    """One panel per pattern: the statistic at each point against its context key; points the
    claim is not about in grey, the others by whether the pattern holds there."""
    names = list(dict.fromkeys(per_point["pattern"]))
    ncols = 3
    nrows = math.ceil(len(names) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.4 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        part = per_point[per_point["pattern"] == name]
        out, inside = part[~part["applies"]], part[part["applies"]]
        ax.scatter(out["x"], out["statistic"], c=OUTSIDE, s=14, marker="o", label="not applicable")
        for ok, colour, marker, label in ((True, HOLDS, "o", "holds"), (False, FAILS, "x", "fails")):
            sel = inside[inside["holds"] == ok]
            ax.scatter(sel["x"], sel["statistic"], c=colour, s=24, marker=marker, label=label)
        ax.axhline(0, color="black", lw=0.8, ls=":")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(part["x_key"].iloc[0], fontsize=8)
        ax.set_ylabel("per-point statistic", fontsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_figures(shares: pd.DataFrame, per_point: pd.DataFrame, folder: Path) -> list[Path]:
    """validation-shares.png and validation-points.png into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [shares_figure(shares, folder / "validation-shares.png"),
            points_figure(per_point, folder / "validation-points.png")]
