"""Figures of an experiment: trajectories, final outcomes, paired differences, sweeps, heatmaps.

Every figure is written as PNG (for the report and slides) and SVG (for print) into
`DIR/figures/`. Colours are the Okabe-Ito colour-blind-safe palette, paired with line styles
and markers so lines stay apart in greyscale; heatmaps use viridis.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.analysis import statistics as st
from sim.forking import fork_context, quiet_fork
from sim.i18n import has, language
from sim.i18n import text as T
from sim.i18n.fonts import figure_rc

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")  # no yellow
BASELINE = ("#000000", "-", "o")
LINESTYLES = ("-", "--", "-.", ":")
MARKERS = ("s", "^", "D", "v", "P", "X", "*", "h")
MAX_LINES = 8        # most groups drawn as lines in one panel
SPLIT_ABOVE = 6      # more scenarios than this: one trajectories figure per name prefix
MAX_ROWS = 16        # most rows in a dot plot of final values or differences
MAX_ANNOTATED = 8    # annotate heatmap cells up to 8 × 8
DPI = 100
STYLE = {
    "font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "xtick.labelsize": 12,
    "ytick.labelsize": 12, "legend.fontsize": 12, "figure.titlesize": 16,
    "lines.linewidth": 2.2, "lines.markersize": 7, "axes.grid": True, "grid.alpha": 0.3,
    "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "collabsim",
}
ORDER = ("trajectories", "final_outcomes", "differences", "sweep", "marginal", "heatmap",
         "sensitivity")


def label(name: str) -> str:
    """The name of an outcome or run-level result, in the language in use."""
    for key in (f"outcome.{name}", f"result.{name}"):
        if has(key):
            return T(key)
    return name


def slug(text: str) -> str:
    """A file-name-safe form of a key, outcome or name prefix."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text)).strip("_") or "all"


def fmt(value) -> str:
    """A varied value for a label: floats with up to 4 significant digits."""
    if isinstance(value, float | np.floating) and not isinstance(value, bool):
        return f"{value:.4g}"
    return str(value)


def display_name(name: str) -> str:
    """A scenario's name in a figure: in Thai, a composed `context/arrangement` name in words
    (ขอนแก่น / การร่วมทุนระหว่างรัฐกับเอกชน); in English, the name itself."""
    context, _, arrangement = str(name).partition("/")
    keys = (f"context.{context}", f"arrangement.{arrangement}")
    if language() != "th" or not arrangement or not all(has(k) for k in keys):
        return str(name)
    return " / ".join(T(k) for k in keys)


def group_label(values: Mapping, show_scenario: bool = True) -> str:
    """A group's legend label: the scenario, then key=value for each varied key."""
    parts = [display_name(values["scenario"])] if show_scenario else []
    parts += [f"{k}={fmt(v)}" for k, v in values.items() if k != "scenario"]
    return ", ".join(parts)


def caption(stem: str) -> str:
    """The caption of a figure, from its file name (used by the report)."""
    kind, _, rest = stem.partition("-")
    if kind == "trajectories":
        return T("caption.trajectories",
                 more=T("caption.trajectories_more", prefix=rest) if rest
                 else T("caption.trajectories_end"))
    if kind in ("final_outcomes", "differences"):
        return T(f"caption.{kind}")
    if kind in ("sweep", "marginal"):
        return T(f"caption.{kind}", key=rest)
    if kind == "heatmap":
        return T("caption.heatmap", outcome=label(rest).lower())
    if kind == "sensitivity" and has(f"caption.sensitivity_{rest}"):
        return T(f"caption.sensitivity_{rest}")
    return stem


def figure_kind_rank(path: Path) -> tuple[int, str]:
    """Sort key putting figures in reading order: trajectories first, heatmaps last."""
    kind = path.stem.partition("-")[0]
    return (ORDER.index(kind) if kind in ORDER else len(ORDER), path.stem)


# --- drawing helpers ---------------------------------------------------------------------------

def _styles(names: Sequence[str], info: Mapping) -> dict[str, tuple[str, str, str]]:
    """(colour, line style, marker) per scenario: baselines black; the others by the part of the
    name after its prefix, so `a/x` and `b/x` look alike in every figure."""
    bases = {info.get("baseline")} | set((info.get("baselines") or {}).values())
    out: dict[str, tuple[str, str, str]] = {}
    kinds: dict[str, int] = {}
    for name in names:
        if name in bases:
            out[name] = BASELINE
            continue
        i = kinds.setdefault(name.split("/", 1)[-1], len(kinds))
        out[name] = (PALETTE[i % len(PALETTE)], LINESTYLES[i % len(LINESTYLES)],
                     MARKERS[i % len(MARKERS)])
    return out


def _panels(n: int, width: float = 5.4, height: float = 4.0, ncols: int = 3, **kw):
    """A figure with n panels in rows of up to ncols; spare axes removed."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows + 0.8),
                             squeeze=False, layout="constrained", **kw)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.remove()
    return fig, flat[:n]


def _legend(fig, axes, ncol: int = 4) -> None:
    """One legend for the figure, below the panels."""
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=min(ncol, len(labels)),
                   frameon=False)


def _save(fig, folder: Path, stem: str) -> list[Path]:
    """Save the figure as PNG and SVG and close it."""
    png, svg = folder / f"{stem}.png", folder / f"{stem}.svg"
    fig.savefig(png, dpi=DPI, metadata={"Software": None})
    fig.set_layout_engine("none")  # keep the layout just computed; do not solve it again
    fig.savefig(svg, metadata={"Date": None})
    plt.close(fig)
    return [png, svg]


def _numeric(values: pd.Series) -> bool:
    """True for numbers (not booleans or strings) that can be placed on a continuous axis."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _positions(values: pd.Series, levels: list) -> np.ndarray:
    """x positions: the values themselves if numeric, else their index among the levels."""
    if _numeric(values):
        return values.to_numpy(float)
    return np.array([levels.index(v) for v in values], float)


# --- figures -----------------------------------------------------------------------------------

def _prefix(name: str) -> str:
    """The part of a scenario name before the first '/', or '' when there is none."""
    return name.split("/", 1)[0] if "/" in name else ""


def _trajectory_sets(names: list[str], baseline: str | None) -> dict[str, list[str]]:
    """Scenarios per trajectories figure: one set, or one per name prefix when there are many."""
    prefixes = list(dict.fromkeys(_prefix(n) for n in names))
    if len(names) <= SPLIT_ABOVE or len(prefixes) < 2 or len(prefixes) == len(names):
        return {"": names}
    sets = {}
    for p in prefixes:
        members = [n for n in names if _prefix(n) == p]
        if baseline in names and baseline not in members:
            members = [baseline, *members]
        sets[p] = members
    return sets


def trajectories(folder: Path, runs: pd.DataFrame, timeseries: pd.DataFrame,
                 info: Mapping) -> list[Path]:
    """Mean trajectories with 95% bands per group, one panel per outcome of interest."""
    written = []
    for prefix, members in trajectory_sets(runs, timeseries, info).items():
        written += trajectory_figure(folder, runs, timeseries, info, prefix, members)
    return written


def trajectory_sets(runs: pd.DataFrame, timeseries: pd.DataFrame | None,
                    info: Mapping) -> dict[str, list[str]]:
    """The trajectories figures to draw: their name prefix and scenarios (none when there are
    too many groups to draw as lines)."""
    if timeseries is None or timeseries.empty or runs.empty:
        return {}
    groups = st.group_columns(info, runs)
    if len(groups) > 1 and runs.groupby(groups, dropna=False).ngroups > MAX_LINES:
        return {}
    return _trajectory_sets(st.scenario_order(runs, info), info.get("baseline"))


def trajectory_figure(folder: Path, runs: pd.DataFrame, timeseries: pd.DataFrame, info: Mapping,
                      prefix: str, members: list[str]) -> list[Path]:
    """One trajectories figure: the mean of each outcome per month for the member scenarios."""
    groups = st.group_columns(info, runs)
    outcomes = [o for o in st.outcomes_of_interest(info) if o in timeseries.columns]
    styles = _styles(st.scenario_order(runs, info), info)
    fig, axes = _panels(len(outcomes))
    chosen = st.sort_runs(runs[runs["scenario"].isin(members)], info)
    for k, (key, g) in enumerate(st._groups(chosen, groups)):
        values = dict(zip(groups, key))
        colour, ls, _ = styles[values["scenario"]]
        if len(groups) > 1:
            colour, ls = PALETTE[k % len(PALETTE)], LINESTYLES[k % len(LINESTYLES)]
        rows = timeseries[timeseries["run_id"].isin(g["run_id"])]
        agg = rows.groupby("step")[outcomes].agg(["mean", "std", "count"])
        steps = agg.index.to_numpy()
        for ax, o in zip(axes, outcomes):
            mean = agg[(o, "mean")].to_numpy()
            half = st.t_halfwidth(agg[(o, "std")], agg[(o, "count")])
            ax.fill_between(steps, mean - half, mean + half, color=colour, alpha=0.18, lw=0)
            ax.plot(steps, mean, color=colour, ls=ls, label=group_label(values))
    for ax, o in zip(axes, outcomes):
        ax.set_title(label(o))
        ax.set_xlabel(T("figure.month"))
    _legend(fig, axes, ncol=3)
    fig.suptitle(T("figure.trajectories_title"))
    return _save(fig, folder, f"trajectories-{slug(prefix)}" if prefix else "trajectories")


def _dotplot(folder: Path, stem: str, table: pd.DataFrame, rows: list[str], value: str,
             outcomes: list[str], styles: Mapping, title: str, zero: bool = False,
             show_scenario: bool = True) -> list[Path]:
    """One panel per outcome: a dot with its CI per row (group), rows top to bottom."""
    keys = table.drop_duplicates(rows)[rows]
    if keys.empty or len(keys) > MAX_ROWS:
        return []
    labels = [group_label(r, show_scenario) for r in keys.to_dict("records")]
    y = np.arange(len(labels))[::-1]
    height = max(3.0, 0.42 * len(labels) + 1.4)
    fig, axes = _panels(len(outcomes), width=5.4, height=height, sharey=True)
    for ax, o in zip(axes, outcomes):
        part = keys.merge(table[table["outcome"] == o], on=rows, how="left")
        dots: dict[tuple[str, str], tuple[list, ...]] = {}  # (colour, marker): x, y, −err, +err
        for yi, row in zip(y, part.to_dict("records")):
            colour, _, marker = styles.get(row["scenario"], BASELINE)
            mean, low, high = (float(row[c]) for c in (value, "ci_low", "ci_high"))
            x, yy, minus, plus = dots.setdefault((colour, marker), ([], [], [], []))
            x.append(mean)
            yy.append(yi)
            minus.append(mean - low if np.isfinite(low) else 0.0)
            plus.append(high - mean if np.isfinite(high) else 0.0)
        for (colour, marker), (x, yy, minus, plus) in dots.items():  # one call per style
            ax.errorbar(x, yy, xerr=[minus, plus], fmt=marker, color=colour, capsize=4,
                        elinewidth=2, linestyle="none")
        if zero:
            ax.axvline(0, color="black", ls="--", lw=1.2)
        ax.set_title(label(o))
        ax.set_yticks(y, labels)
        ax.grid(axis="y", alpha=0)
    fig.suptitle(title)
    return _save(fig, folder, stem)


def final_outcomes(folder: Path, runs: pd.DataFrame, info: Mapping) -> list[Path]:
    """Final-month means with 95% CIs per group, one panel per outcome of interest."""
    runs = st.sort_runs(runs, info)
    groups = st.group_columns(info, runs)
    outcomes = st.outcomes_of_interest(info)
    table = st.summarise(runs, groups, outcomes)
    names = st.scenario_order(runs, info)
    show = len(names) > 1 or len(groups) == 1
    return _dotplot(folder, "final_outcomes", table, groups, "mean", outcomes,
                    _styles(names, info),
                    T("figure.final_title"), show_scenario=show)


def differences(folder: Path, runs: pd.DataFrame, info: Mapping) -> list[Path]:
    """Mean paired differences from the baseline with 95% CIs, one panel per outcome."""
    pairs = st.baselines(runs, info)
    if not pairs:
        return []
    runs = st.sort_runs(runs, info)
    groups = st.group_columns(info, runs)
    outcomes = st.outcomes_of_interest(info)
    table = st.paired_differences(runs, pairs, groups[1:], outcomes)
    bases = sorted(set(pairs.values()))
    title = (T("figure.difference_from", baseline=bases[0]) if len(bases) == 1 else
             T("figure.difference_from_each"))
    return _dotplot(folder, "differences", table, groups, "mean_difference", outcomes,
                    _styles(st.scenario_order(runs, info), info), title, zero=True)


def sweep(folder: Path, runs: pd.DataFrame, info: Mapping, key: str) -> list[Path]:
    """Mean final value against one varied key with a 95% band, one line per scenario."""
    runs = st.sort_runs(runs, info)
    outcomes = st.outcomes_of_interest(info)
    table = st.summarise(runs, ["scenario", key], outcomes)
    names = st.scenario_order(runs, info)
    styles = _styles(names, info)
    levels = list(pd.unique(runs[key]))
    numeric = _numeric(runs[key])
    fig, axes = _panels(len(outcomes))
    for ax, o in zip(axes, outcomes):
        for name in names:
            part = table[(table["scenario"] == name) & (table["outcome"] == o)]
            if numeric:
                part = part.sort_values(key)
            x = _positions(part[key], levels)
            colour, ls, marker = styles[name]
            low, high = part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float)
            ax.fill_between(x, low, high, color=colour, alpha=0.18, lw=0)
            ax.plot(x, part["mean"], color=colour, ls=ls, marker=marker,
                    label=display_name(name))
        ax.set_title(label(o))
        ax.set_xlabel(key)
        if not numeric:
            ax.set_xticks(range(len(levels)), [fmt(v) for v in levels])
    _legend(fig, axes, ncol=3)
    fig.suptitle(T("figure.sweep_title", key=key))
    return _save(fig, folder, f"sweep-{slug(key)}")


def marginal(folder: Path, runs: pd.DataFrame, info: Mapping, key: str) -> list[Path]:
    """Each design point's mean final value against one of several varied keys."""
    runs = st.sort_runs(runs, info)
    groups = st.group_columns(info, runs)
    outcomes = st.outcomes_of_interest(info)
    table = st.summarise(runs, groups, outcomes)
    names = st.scenario_order(runs, info)
    styles = _styles(names, info)
    levels = list(pd.unique(runs[key]))
    fig, axes = _panels(len(outcomes))
    for ax, o in zip(axes, outcomes):
        for name in names:
            part = table[(table["scenario"] == name) & (table["outcome"] == o)]
            colour, _, marker = styles[name]
            ax.scatter(_positions(part[key], levels), part["mean"], color=colour, marker=marker,
                       alpha=0.8, label=display_name(name))
        ax.set_title(label(o))
        ax.set_xlabel(key)
        if not _numeric(runs[key]):
            ax.set_xticks(range(len(levels)), [fmt(v) for v in levels])
    _legend(fig, axes, ncol=3)
    fig.suptitle(T("figure.marginal_title", key=key))
    return _save(fig, folder, f"marginal-{slug(key)}")


def _is_grid(table: pd.DataFrame, kx: str, ky: str) -> bool:
    """True when every combination of the two keys' values is a design point."""
    nx, ny = table[kx].nunique(dropna=False), table[ky].nunique(dropna=False)
    return len(table.drop_duplicates([kx, ky])) == nx * ny


def _ticks(setter, levels: list) -> None:
    """Label a heatmap axis with the levels, thinned to at most about ten labels."""
    every = max(1, math.ceil(len(levels) / 10))
    setter(range(0, len(levels), every), [fmt(v) for v in levels[::every]])


def _annotate(ax, image, grid: np.ndarray) -> None:
    """Write each cell's value in it, dark text on light cells and light text on dark ones."""
    for (i, j), v in np.ndenumerate(grid):
        if np.isfinite(v):
            r, g, b, _ = image.cmap(image.norm(v))
            colour = "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"
            ax.text(j, i, f"{v:.3g}", ha="center", va="center", color=colour, fontsize=11)


def heatmaps(folder: Path, runs: pd.DataFrame, info: Mapping, keys: Sequence[str]) -> list[Path]:
    """Per outcome: mean final value over two varied keys, one panel per scenario."""
    kx, ky = keys
    runs = st.sort_runs(runs, info)
    outcomes = st.outcomes_of_interest(info)
    table = st.summarise(runs, ["scenario", kx, ky], outcomes)
    names = st.scenario_order(runs, info)
    grid = info.get("design") != "lhs" and all(
        _is_grid(table[table["scenario"] == n], kx, ky) for n in names)
    xs, ys = list(pd.unique(runs[kx])), list(pd.unique(runs[ky]))
    if _numeric(runs[kx]):
        xs = sorted(xs)
    if _numeric(runs[ky]):
        ys = sorted(ys)
    written = []
    for o in outcomes:
        part = table[table["outcome"] == o]
        vmin, vmax = np.nanmin(part["mean"], initial=np.inf), np.nanmax(part["mean"], initial=-np.inf)
        if not np.isfinite(vmin):
            continue
        if vmin == vmax:
            vmin, vmax = vmin - 0.5, vmax + 0.5
        fig, axes = _panels(len(names), width=5.6, height=4.8)
        image = None
        for ax, name in zip(axes, names):
            cell = part[part["scenario"] == name]
            if grid:
                values = cell.pivot_table(index=ky, columns=kx, values="mean", dropna=False)
                values = values.reindex(index=ys, columns=xs).to_numpy(float)
                image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis",
                                  vmin=vmin, vmax=vmax)
                _ticks(ax.set_xticks, xs)
                _ticks(ax.set_yticks, ys)
                ax.grid(False)
                if len(xs) <= MAX_ANNOTATED and len(ys) <= MAX_ANNOTATED:
                    _annotate(ax, image, values)
            else:
                image = ax.scatter(_positions(cell[kx], xs), _positions(cell[ky], ys),
                                   c=cell["mean"], cmap="viridis", vmin=vmin, vmax=vmax, s=90,
                                   edgecolors="black", linewidths=0.4)
            ax.set_xlabel(kx)
            ax.set_ylabel(ky)
            if len(names) > 1:
                ax.set_title(display_name(name))
        fig.colorbar(image, ax=axes, label=T("figure.heatmap_colorbar", outcome=label(o)),
                     shrink=0.9)
        fig.suptitle(T("figure.heatmap_title", outcome=label(o)))
        written += _save(fig, folder, f"heatmap-{slug(o)}")
    return written


def figure_jobs(out: Path, runs: pd.DataFrame, timeseries: pd.DataFrame | None,
                info: dict) -> list[tuple]:
    """Every figure that fits the experiment's design, as (function, arguments...)."""
    keys = st.group_columns(info, runs)[1:]
    jobs: list[tuple] = [(trajectory_figure, out, runs, timeseries, info, prefix, members)
                         for prefix, members in trajectory_sets(runs, timeseries, info).items()]
    jobs += [(final_outcomes, out, runs, info), (differences, out, runs, info)]
    if len(keys) == 1:
        jobs.append((sweep, out, runs, info, keys[0]))
    elif len(keys) == 2:
        jobs.append((heatmaps, out, runs, info, keys))
    else:
        jobs += [(marginal, out, runs, info, key) for key in keys]
    return jobs


def _take_back(futures: list) -> int | None:
    """The last figure still waiting for a drawing process, taken back for this process to draw
    (None when all have started), so no core idles while one process draws the last alone."""
    return next((i for i in reversed(range(len(futures)))
                 if not futures[i].cancelled() and futures[i].cancel()), None)


_JOBS: list[tuple] = []  # the figures being drawn, inherited by forked drawing processes


def _draw(i: int) -> list[Path]:
    """Draw figure job i in the house style."""
    function, *args = _JOBS[i]
    with plt.rc_context({**STYLE, **figure_rc()}):
        return function(*args)


def write_figures(folder: Path, runs: pd.DataFrame, timeseries: pd.DataFrame | None,
                  info: dict, meanwhile: Callable[[], Any] | None = None,
                  subfolder: str = "figures") -> list[Path]:
    """Write every figure that fits the experiment's design into folder/figures/ (PNG + SVG),
    drawn side by side on the machine's cores where processes can be forked (the figures are
    independent; each file is the same whichever process draws it); `meanwhile` runs here while
    they are drawn."""
    out = Path(folder) / subfolder
    out.mkdir(parents=True, exist_ok=True)
    figure_rc()  # settles the labels' language before any drawing process starts
    _JOBS[:] = figure_jobs(out, runs, timeseries, info) if not runs.empty else []
    try:
        workers, context = min(len(_JOBS), os.cpu_count() or 1), fork_context()
        if workers < 2 or context is None:
            if meanwhile is not None:
                meanwhile()
            return [p for i in range(len(_JOBS)) for p in _draw(i)]
        with quiet_fork(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            drawn = [pool.submit(_draw, i) for i in range(len(_JOBS))]
            if meanwhile is not None:
                meanwhile()
            here: dict[int, list[Path]] = {}
            while (i := _take_back(drawn)) is not None:
                here[i] = _draw(i)
            return [p for i, future in enumerate(drawn)
                    for p in (here[i] if i in here else future.result())]
    finally:
        _JOBS.clear()
