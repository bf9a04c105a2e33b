"""What the dashboard draws, as plain matplotlib figures and text built from a model: the outcomes
over time, the trust network by level and sector, the counters and the event log, each in English
or Thai (`lang`; None: the language in use). Thai figures are built and drawn with the Thai font
(`drawing`, `png`); without it they keep English labels."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import groupby
from weakref import WeakKeyDictionary

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.i18n import has, language, text
from sim.i18n.fonts import register_thai_font, thai_rc
from sim.model.constants import LEVEL_NAMES, SECTOR_NAMES
from sim.model.event_log import render
from sim.scenario.library import layer_files
from sim.scenario.loader import describe

SHOWN = ("trust", "shared_understanding", "agreements", "compliance", "target_attainment",
         "wellbeing")
SECTOR_COLOURS = ("#0072B2", "#56B4E9", "#D55E00", "#009E73")  # Okabe-Ito: colour-blind safe
COUNTERS = ("meetings_held", "meetings_skipped", "agreements", "rotations", "sanctions")
_DRAWING = threading.RLock()  # rcParams are global: one Thai/English figure at a time


def figure_language(lang: str | None = None) -> str:
    """The language figures are labelled in: Thai only when the Thai font is there (else English,
    never boxes instead of letters)."""
    lang = lang or language()
    return "th" if lang == "th" and register_thai_font() else "en"


@contextmanager
def drawing(lang: str | None = None) -> Iterator[str]:
    """Build or draw a figure in `lang` (yields the figure language): Thai with the Thai font."""
    lang = figure_language(lang)
    with _DRAWING:
        if lang == "th":
            with matplotlib.rc_context(thai_rc()):
                yield lang
        else:
            yield lang


def png(fig: Figure, lang: str | None = None, dpi: int = 80) -> bytes:
    """The figure as PNG bytes, drawn with the font of its language."""
    buffer = io.BytesIO()
    with drawing(lang):
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


_CHARTS: WeakKeyDictionary = WeakKeyDictionary()  # model → {lang: (figure, lines)}, reused


def _outcome_chart(model, lang: str) -> tuple[Figure, list]:
    """The six-panel figure of a model in a language, built once (building costs more than
    drawing)."""
    charts = _CHARTS.setdefault(model, {})
    if lang not in charts:
        fig = Figure(figsize=(9, 4.6))  # a fixed layout: a layout engine costs ~0.5 s a frame
        fig.subplots_adjust(left=0.06, right=0.98, top=0.88, bottom=0.11, wspace=0.28,
                            hspace=0.32)
        axes = fig.subplots(2, 3, sharex=True)
        lines = []
        for ax, name in zip(axes.flat, SHOWN):
            lines.append(ax.plot([], [], color="#0072B2", lw=1.8)[0])
            ax.set_title(text(f"outcome.{name}", lang), fontsize=10 if lang == "en" else 9)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=8)
        for ax in axes[-1]:
            ax.set_xlabel(text("dashboard.chart.month", lang), fontsize=9)
        charts[lang] = (fig, lines)
    return charts[lang]


def outcomes_figure(model, lang: str | None = None) -> Figure:
    """Six outcomes against the month, one small panel each."""
    with drawing(lang) as shown:
        fig, lines = _outcome_chart(model, shown)
        series = model.datacollector.model_vars
        for line, name in zip(lines, SHOWN):
            y = np.asarray(series.get(name, []), float)
            line.set_data(np.arange(1, len(y) + 1), y)
            line.set_marker("o" if len(y) < 3 else "")  # a lone first month is still visible
            line.axes.relim()
            line.axes.autoscale_view()
        fig.suptitle(text("dashboard.chart.month_title", shown, month=model.steps), fontsize=11)
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


def network_figure(model, lang: str | None = None) -> Figure:
    """Actors coloured by sector and placed by level; ties shaded from light (low trust) to dark."""
    with drawing(lang) as shown:
        return _network_figure(model, shown)


def _network_figure(model, lang: str) -> Figure:
    a, ties = model.actors, model.ties
    xy = layout(model)
    fig = Figure(figsize=(9, 4.6))
    fig.subplots_adjust(left=0.16 if lang == "en" else 0.2, right=0.98, top=0.92, bottom=0.1)
    ax = fig.subplots()
    if len(ties):
        segments = np.stack([xy[ties.src], xy[ties.dst]], axis=1)
        lines = LineCollection(segments, cmap="Greys", norm=matplotlib.colors.Normalize(0, 1),
                               linewidths=0.8, alpha=0.7)
        lines.set_array(np.asarray(ties.trust, float))
        ax.add_collection(lines)
        fig.colorbar(lines, ax=ax, label=text("dashboard.chart.tie_trust", lang), shrink=0.8,
                     pad=0.01)
    present = ~a.left
    for s, (name, colour) in enumerate(zip(SECTOR_NAMES, SECTOR_COLOURS)):
        mask = present & (a.sector == s)
        ax.scatter(xy[mask, 0], xy[mask, 1], s=18, color=colour,
                   label=text(f"dashboard.sector.{name}", lang), zorder=3, edgecolors="white",
                   linewidths=0.3)
    ax.set_yticks([4, 2, 0], [text(f"dashboard.level.{n}", lang) for n in LEVEL_NAMES])
    ax.set_xticks([])
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, 5.0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=4, frameon=False, fontsize=9)
    ax.set_title(text("dashboard.chart.network_title", lang, ties=len(ties), month=model.steps),
                 fontsize=11)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


def counters(model, lang: str | None = None) -> list[tuple[str, int]]:
    """(label, running total) of the counters a class watches."""
    return [(text(f"dashboard.counter.{key}", lang), int(model.counters.get(key, 0)))
            for key in COUNTERS]


def event_log(model, months: int = 8, lang: str | None = None) -> list[str]:
    """The last few months of events, one line per month in `lang`: 'Month 14: a; b'."""
    entries = list(model.event_entries)
    lines = [text("dashboard.events.month", lang, month=month) + ": "
             + "; ".join(render(key, values, lang) for _, key, values in items)
             for month, items in groupby(entries, key=lambda e: e[0])]
    return lines[-months:][::-1]


def layer_name(kind: str, stem: str, lang: str) -> str:
    """A context's or arrangement's name: context.<stem> / arrangement.<stem> of the catalogue
    when there is one, else the stem (the name the library files go by)."""
    key = f"{kind.removesuffix('s')}.{stem}"
    return text(key, lang) if has(key) else stem


def layer_description(kind: str, stem: str, lang: str) -> str:
    """The plain-words description of the scenario file, in `lang` (description_th in Thai; the
    English one where a file has none)."""
    return describe(layer_files(kind)[stem], lang)[1]
