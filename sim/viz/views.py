"""What the dashboard draws, as plain matplotlib figures and text built from a model: the outcomes
over time, the trust network by level and sector, the counters and the event log."""

from __future__ import annotations

from itertools import groupby
from weakref import WeakKeyDictionary

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.analysis.figures import LABELS
from sim.model.constants import LEVEL_NAMES, SECTOR_NAMES

SHOWN = ("trust", "shared_understanding", "agreements", "compliance", "target_attainment",
         "wellbeing")
SECTOR_COLOURS = ("#0072B2", "#56B4E9", "#D55E00", "#009E73")  # Okabe-Ito: colour-blind safe
COUNTERS = (("meetings_held", "Meetings held"), ("meetings_skipped", "Meetings skipped"),
            ("agreements", "Agreements reached"), ("rotations", "Rotations (people replaced)"),
            ("sanctions", "Sanctions"))


_CHARTS: WeakKeyDictionary = WeakKeyDictionary()  # model → (figure, lines), reused every month


def _outcome_chart(model) -> tuple[Figure, list]:
    """The six-panel figure of a model, built once (building costs more than drawing)."""
    if model not in _CHARTS:
        fig = Figure(figsize=(9, 4.6))  # a fixed layout: a layout engine costs ~0.5 s a frame
        fig.subplots_adjust(left=0.06, right=0.98, top=0.88, bottom=0.11, wspace=0.28,
                            hspace=0.32)
        axes = fig.subplots(2, 3, sharex=True)
        lines = []
        for ax, name in zip(axes.flat, SHOWN):
            lines.append(ax.plot([], [], color="#0072B2", lw=1.8)[0])
            ax.set_title(LABELS[name], fontsize=10)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=8)
        for ax in axes[-1]:
            ax.set_xlabel("month", fontsize=9)
        _CHARTS[model] = (fig, lines)
    return _CHARTS[model]


def outcomes_figure(model) -> Figure:
    """Six outcomes against the month, one small panel each."""
    fig, lines = _outcome_chart(model)
    series = model.datacollector.model_vars
    for line, name in zip(lines, SHOWN):
        y = np.asarray(series.get(name, []), float)
        line.set_data(np.arange(1, len(y) + 1), y)
        line.set_marker("o" if len(y) < 3 else "")  # a lone first month is still visible
        line.axes.relim()
        line.axes.autoscale_view()
    fig.suptitle(f"Month {model.steps}", fontsize=11)
    return fig


def layout(model) -> np.ndarray:
    """(x, y) per actor: each forum's members on a ring (the policy board on top, working groups
    in the middle), operation actors in rows below, sectors side by side. Deterministic, so the
    picture does not jump between months."""
    a = model.actors
    xy = np.zeros((len(a.level), 2))
    for level in range(len(LEVEL_NAMES)):
        y = 2.0 * (len(LEVEL_NAMES) - 1 - level)
        ids = np.flatnonzero(a.level == level)
        forums = sorted(set(a.forum[ids].tolist()) - {-1})
        if forums:
            for k, f in enumerate(forums):
                members = ids[a.forum[ids] == f]
                members = members[np.lexsort((members, a.sector[members]))]
                angle = 2 * np.pi * np.arange(len(members)) / max(len(members), 1) + np.pi / 2
                cx = (k + 0.5) / len(forums)
                radius = min(0.4 / len(forums), 0.18)
                xy[members] = np.c_[cx + radius * np.cos(angle), y + 0.8 * np.sin(angle)]
            continue
        ids = ids[np.lexsort((ids, a.sector[ids]))]
        per_row = int(np.ceil(len(ids) / 3)) or 1
        row, col = np.divmod(np.arange(len(ids)), per_row)
        xy[ids] = np.c_[(col + 0.5) / per_row, y + 0.3 - 0.3 * row]
    return xy


def network_figure(model) -> Figure:
    """Actors coloured by sector and placed by level; ties shaded from light (low trust) to dark."""
    a, ties = model.actors, model.ties
    xy = layout(model)
    fig = Figure(figsize=(9, 4.6))
    fig.subplots_adjust(left=0.16, right=0.98, top=0.92, bottom=0.1)
    ax = fig.subplots()
    if len(ties):
        segments = np.stack([xy[ties.src], xy[ties.dst]], axis=1)
        lines = LineCollection(segments, cmap="Greys", norm=matplotlib.colors.Normalize(0, 1),
                               linewidths=0.8, alpha=0.7)
        lines.set_array(np.asarray(ties.trust, float))
        ax.add_collection(lines)
        fig.colorbar(lines, ax=ax, label="trust on the tie", shrink=0.8, pad=0.01)
    present = ~a.left
    for s, (name, colour) in enumerate(zip(SECTOR_NAMES, SECTOR_COLOURS)):
        mask = present & (a.sector == s)
        ax.scatter(xy[mask, 0], xy[mask, 1], s=18, color=colour, label=name, zorder=3,
                   edgecolors="white", linewidths=0.3)
    ax.set_yticks([4, 2, 0], [f"{n} level" for n in LEVEL_NAMES])
    ax.set_xticks([])
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, 5.0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=4, frameon=False, fontsize=9)
    ax.set_title(f"Trust network: {len(ties)} ties, month {model.steps}", fontsize=11)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


def counters(model) -> list[tuple[str, int]]:
    """(label, running total) of the counters a class watches."""
    return [(label, int(model.counters.get(key, 0))) for key, label in COUNTERS]


def event_log(model, months: int = 8) -> list[str]:
    """The last few months of events, one line per month: 'Month 14: a; b'."""
    events = list(model.events)
    lines = [f"Month {month}: " + "; ".join(text for _, text in items)
             for month, items in groupby(events, key=lambda e: e[0])]
    return lines[-months:][::-1]
