"""One self-contained HTML page reporting an experiment: question, scenarios, results, figures,
regimes, provenance and the model's limits. Figures are embedded as data URIs; no network needed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

import pandas as pd

from sim.analysis import statistics as st
from sim.analysis.experiment_figures import caption, figure_kind_rank, label
from sim.analysis.html import (
    embedded_figure,
    estimate,
    joined,
    number,
    para,
    plus_minus,
    share,
    share_ci,
    table,
    value,
)
from sim.analysis.sensitivity_report import (
    SENSITIVITY_FIGURES,
    load_sensitivity,
    sensitivity_section,
)
from sim.i18n import language, using
from sim.i18n import text as T
from sim.i18n.fonts import font_face_css

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Thai",
  sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.9rem;margin-bottom:.2rem}h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;
  margin-top:2.4rem}h3{margin-top:1.6rem}
.sub{color:#555;margin-top:0}.note{color:#444;font-size:.95rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.95rem}.wide{overflow-x:auto}
th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num{text-align:right;font-variant-numeric:tabular-nums;
  white-space:nowrap}
figure{margin:1.2rem 0;page-break-inside:avoid}figure img{max-width:100%;height:auto;
  border:1px solid #ddd}figcaption{font-size:.95rem;color:#333}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0;word-break:break-all}
.limits{border:3px solid #D55E00;background:#fff4ec;padding:.4rem 1.2rem 1rem;margin:2rem 0;
  border-radius:6px;page-break-inside:avoid}.limits h2{border:none;color:#9a3b00;margin-top:.8rem}
@media print{body{max-width:none;margin:0;font-size:11pt}h2{page-break-after:avoid}
  table,figure,.limits{page-break-inside:avoid}th{background:#eee}}
"""

MAX_GROUPS = 40  # most design points listed one by one in the report's tables
LIMITS = ("report.limits.1", "report.limits.2", "report.limits.3", "report.limits.4")


def load_results(folder: Path, timeseries: bool = True
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """An experiment folder's runs.csv, timeseries.csv (empty if absent or not wanted), manifest."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    runs = pd.read_csv(folder / "runs.csv")
    path = folder / "timeseries.csv"
    ts = pd.read_csv(path) if timeseries and path.exists() else pd.DataFrame()
    return runs, ts, manifest


# --- sections ------------------------------------------------------------------------------------

def question(info: Mapping, runs: pd.DataFrame) -> str:
    """The experiment's question, or one generated from its design."""
    own = (language() == "th" and info.get("question_th")) or info.get("question")
    if (own or "").strip():
        return own.strip()
    names = st.scenario_order(runs, info)
    keys = st.varied_keys(info)
    points = info.get("points", "?")
    out = (T("report.question.compare", names=joined(names)) if len(names) > 1
           else T("report.question.one", name=names[0] if names else "?"))
    if keys:
        out += T("report.question.as_varies" if len(keys) == 1 else "report.question.as_vary",
                 keys=joined(keys))
        if info.get("design") == "lhs":
            out += T("report.question.lhs", points=points)
        elif info.get("design") in ("sobol", "morris"):
            out = T("report.question.sensitivity", keys=joined(keys), names=joined(names),
                    method=info["design"].capitalize(), points=points)
        elif len(keys) > 1:
            out += T("report.question.grid", points=points)
    out += T("report.question.end")
    unit = T("report.question.unit_scenario" if not keys else "report.question.unit_point")
    out += T("report.question.replications", unit=unit,
             replications=info.get("replications", "?"), steps=info.get("steps", "?"))
    bases = sorted(set(st.baselines(runs, info).values()))
    if bases:
        out += T("report.question.baselines", names=joined(bases))
    return out


def _differing(columns: Mapping[str, Mapping], keys) -> list[list[str]]:
    """Rows [key, value per column] for the keys whose values differ between the columns."""
    rows = []
    for k in keys:
        cells = [value(vals.get(k)) for vals in columns.values()]
        if len(set(cells)) > 1:
            rows.append([k, *cells])
    return rows


def _by_layer(scen: Sequence[Mapping], layer: str, keep) -> dict[str, Mapping]:
    """Values of the first scenario of each distinct context or arrangement, restricted by keep."""
    out: dict[str, Mapping] = {}
    for s in scen:
        out.setdefault(s[layer], {k: v for k, v in (s.get("values") or {}).items() if keep(k)})
    return out


def differences_between(scen: Sequence[Mapping]) -> list[str]:
    """Tables of the settings that differ: between arrangements (governance) and between contexts
    (everything else) when the scenarios are composed from such files; else between scenarios."""
    wide = '<div class="wide">{}</div>'
    if all(s.get("context") and s.get("arrangement") for s in scen):
        out = []
        for layer, title, keep in (
                ("arrangement", T("report.arrangements_differ"),
                 lambda k: k.startswith("governance.")),
                ("context", T("report.contexts_differ"),
                 lambda k: not k.startswith("governance."))):
            columns = _by_layer(scen, layer, keep)
            rows = _differing(columns, sorted({k for c in columns.values() for k in c}))
            if len(columns) > 1 and rows:
                out += [f"<h3>{escape(title)}</h3>", wide.format(table([T("report.col.key"), *columns], rows))]
        return out or [para(T("report.share_every_setting"))]
    columns = {s.get("name", ""): s.get("values") or {} for s in scen}
    rows = _differing(columns, sorted({k for c in columns.values() for k in c}))
    if not rows:
        return [para(T("report.share_every_setting"))]
    return [f"<h3>{escape(T('report.scenarios_differ'))}</h3>",
            wide.format(table([T("report.col.key"), *columns], rows))]


def description(scenario: Mapping) -> str:
    """A scenario's description in the language in use: the Thai one is read from its file."""
    path = Path(scenario.get("path") or "")
    if language() == "th" and path.is_file():
        from sim.scenario.loader import describe

        return describe(path, "th")[1] or scenario.get("description", "")
    return scenario.get("description", "")


def scenarios_section(info: Mapping) -> str:
    """The scenarios' descriptions, the keys whose values differ, overrides and varied keys."""
    scen = info.get("scenarios") or []
    out = [table([T("report.col.scenario"), T("report.col.file"), T("report.col.description")],
                 [[s.get("name", ""), s.get("path", ""), description(s)] for s in scen])]
    if len(scen) > 1:
        out += differences_between(scen)
    overrides = info.get("overrides") or {}
    if overrides:
        out.append(f"<h3>{escape(T('report.settings_everywhere'))}</h3>")
        out.append(table([T("report.col.key"), T("report.col.value")],
                         [[k, value(v)] for k, v in overrides.items()]))
    vary = info.get("vary") or []
    if vary:
        out.append(f"<h3>{escape(T('report.what_varies'))}</h3>")
        out.append(para(T("report.design", design=info.get("design", "?"),
                          points=info.get("points", "?"))))
        rows = []
        for v in vary:
            values = v.get("values")
            if values is None:
                text = value({k: x for k, x in v.items() if k != "key"})
            else:
                text = ", ".join(value(x) for x in values[:20])
                text += T("report.values_more", n=len(values)) if len(values) > 20 else ""
            rows.append([v["key"], text])
        out.append(table([T("report.col.key"), T("report.col.values")], rows))
    return "\n".join(out)


def _group_cells(row: Mapping, keys: Sequence[str]) -> list[str]:
    """A table row's leading cells: the scenario and the varied values."""
    return [str(row["scenario"]), *[value(row[k]) for k in keys]]


def _reading(row: Mapping) -> str:
    """A plain-words reading of one paired difference."""
    low, high, d = row["ci_low"], row["ci_high"], row["effect_size"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return T("report.reading.too_few")
    if low <= 0 <= high:
        return T("report.reading.no_difference")
    size = ("" if not math.isfinite(d) else
            T("report.reading.large") if abs(d) >= 0.8 else
            T("report.reading.medium") if abs(d) >= 0.5 else
            T("report.reading.small") if abs(d) >= 0.2 else T("report.reading.very_small"))
    return size + T("report.reading.higher" if low > 0 else "report.reading.lower")


def grid_table(part: pd.DataFrame, keys: Sequence[str]) -> str:
    """A two-key sweep of one scenario as a matrix: first key down, second across, each cell the
    mean with its 95% CI (runs per cell in the caption)."""
    rows_key, cols_key = keys
    cols = list(dict.fromkeys(part[cols_key]))
    body = []
    for row_value, row in part.groupby(rows_key, sort=False):
        cells = {r[cols_key]: r for r in row.to_dict("records")}
        body.append([value(row_value), *[
            plus_minus(c["mean"], c["ci_low"], c["ci_high"]) if c else "–"
            for c in (cells.get(v) for v in cols)]])
    low, high = int(part["n"].min()), int(part["n"].max())
    runs = f"{low}" if low == high else f"{low}–{high}"
    note = para(T("report.grid_note", rows=rows_key, cols=cols_key, runs=runs), "note")
    return note + wide_table([f"{rows_key} ↓ / {cols_key} →", *map(value, cols)], body)


def wide_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    return f'<div class="wide">{table(header, rows, numeric=range(1, len(header)))}</div>'


def results_section(info: Mapping, runs: pd.DataFrame, summary: pd.DataFrame,
                    diffs: pd.DataFrame | None) -> str:
    """Per outcome of interest (then run-level results): means with CIs, paired differences."""
    keys = st.group_columns(info, runs)[1:]
    out = [para(T("report.ci_note"), "note")]
    if diffs is not None and not diffs.empty:
        out.append(para(T("report.diff_note"), "note"))
    measures = [*st.outcomes_of_interest(info),
                *[m for m in st.DIFFERENCE_RESULTS if m in set(summary["outcome"])]]
    several_bases = diffs is not None and diffs["baseline"].nunique() > 1
    for m in measures:
        part = summary[summary["outcome"] == m]
        if part.empty:
            continue
        out.append(f"<h3>{escape(label(m))}</h3>")
        if len(keys) == 2 and part["scenario"].nunique() == 1 and len(part) > 8:
            out.append(grid_table(part, keys))
            continue
        out.append(table([T("report.col.scenario"), *keys, T("report.col.mean"),
                          T("report.col.ci"), T("report.col.runs")],
                         [[*_group_cells(r, keys), *estimate(r["mean"], r["ci_low"], r["ci_high"]),
                           int(r["n"])]
                          for r in part.to_dict("records")],
                         numeric=range(len(keys) + 1, len(keys) + 4)))
        d = diffs[diffs["outcome"] == m] if diffs is not None else pd.DataFrame()
        if not d.empty:
            header = [T("report.col.scenario"), *keys,
                      *([T("report.col.baseline")] if several_bases else []),
                      T("report.col.difference") if several_bases else
                      T("report.col.difference_vs", baseline=d["baseline"].iloc[0]),
                      T("report.col.ci"), T("report.col.effect_size"), T("report.col.reading")]
            rows = [[*_group_cells(r, keys), *([r["baseline"]] if several_bases else []),
                     *estimate(r["mean_difference"], r["ci_low"], r["ci_high"]),
                     number(r["effect_size"], 2), _reading(r)] for r in d.to_dict("records")]
            first = len(keys) + 1 + several_bases
            out.append(table(header, rows, numeric=range(first, first + 3)))
    return "\n".join(out)


def figures_section(folder: Path, subfolder: str = "figures") -> str:
    """Each PNG in folder/figures embedded as a data URI with its caption."""
    paths = sorted((p for p in (folder / subfolder).glob("*.png")
                    if p.stem not in SENSITIVITY_FIGURES), key=figure_kind_rank)
    if not paths:
        return para(T("report.no_figures"))
    return "\n".join(embedded_figure(p, caption(p.stem)) for p in paths)


def regimes_section(info: Mapping, runs: pd.DataFrame, regimes: pd.DataFrame) -> str:
    """Shares of collapsed runs and of runs with a company founded, with Wilson CIs."""
    keys = st.group_columns(info, runs)[1:]
    rows = [[*_group_cells(r, keys), int(r["n"]), share(r["collapsed_share"]),
             share_ci(r["collapsed_ci_low"], r["collapsed_ci_high"]),
             share(r["company_founded_share"]),
             share_ci(r["company_founded_ci_low"], r["company_founded_ci_high"])]
            for r in regimes.to_dict("records")]
    return "\n".join([
        para(T("report.regime_note")),
        table([T("report.col.scenario"), *keys, T("report.col.runs"), T("report.col.collapsed"),
               T("report.col.ci"), T("report.col.company_founded"), T("report.col.ci")],
              rows, numeric=range(len(keys) + 1, len(keys) + 6)),
        para(T("report.collapsed_note"), "note"),
    ])


def provenance_section(manifest: Mapping) -> str:
    """Command, seeds, run counts, times, versions and the lock file's hash."""
    info = manifest.get("experiment") or {}
    runs = manifest.get("runs") or {}
    versions = manifest.get("versions") or {}
    items = [
        (T("report.prov.command"), manifest.get("command", "")),
        (T("report.prov.experiment"), T("report.prov.experiment_value", name=info.get("name", ""),
                                         hash=info.get("hash", ""))),
        (T("report.prov.root_seed"), info.get("root_seed", "")),
        (T("report.prov.replications"), info.get("replications", "")),
        (T("report.prov.months"), info.get("steps", "")),
        (T("report.prov.runs"), T("report.prov.runs_value", done=runs.get("done", "?"),
                                  failed=runs.get("failed", 0), total=runs.get("total", "?"))),
        (T("report.prov.started"), manifest.get("started", "")),
        (T("report.prov.finished"), manifest.get("finished", "")),
        (T("report.prov.versions"), ", ".join(f"{k} {v}" for k, v in versions.items())),
        (T("report.prov.lock"), manifest.get("lock_sha256", "")),
    ]
    body = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in items)
    return f"<dl>{body}</dl>"


def limits_section(n: int) -> str:
    """The boxed statement of what the model cannot tell."""
    items = "".join(f"<li>{escape(T(t))}</li>" for t in LIMITS)
    return (f'<section class="limits"><h2>{n}. {escape(T("report.section.limits"))}</h2>'
            f"<ul>{items}</ul></section>")


def _table_or(folder: Path, name: str, make) -> pd.DataFrame:
    """A CSV table from the folder, or computed when it is missing."""
    path = folder / name
    return pd.read_csv(path) if path.exists() else make()


def pooled_view(info: Mapping, runs: pd.DataFrame) -> Mapping:
    """The experiment as its tables show it: with too many design points to list one by one
    (a Sobol or Morris design, a large Latin hypercube) the runs are pooled over the design."""
    groups = st.group_columns(info, runs)
    if len(groups) > 1 and runs.groupby(groups, dropna=False).ngroups > MAX_GROUPS:
        return {**info, "vary": []}
    return info


def figures_in(folder: Path, lang: str, runs: pd.DataFrame, info: Mapping) -> str:
    """The figures subfolder for a language: figures/ in English; other languages' figures are
    drawn again from the folder's tables into figures-<lang>/."""
    if lang == "en":
        return "figures"
    from sim.analysis.experiment_figures import write_figures

    ts = pd.read_csv(folder / "timeseries.csv") if (folder / "timeseries.csv").exists() else None
    subfolder = f"figures-{lang}"
    if len(runs):
        write_figures(folder, runs, ts, info, subfolder=subfolder)
    if (found := load_sensitivity(folder)) is not None:
        from sim.analysis.sensitivity_figures import write_sensitivity_figures

        doc, table = found
        write_sensitivity_figures(folder, table, doc["method"], subfolder)
    return subfolder


def write_report(folder: Path, lang: str | None = None) -> Path:
    """Write the report page of a results folder in `lang` (default: the language in use):
    folder/report.html; in Thai with Thai figures (drawn into figures-th/) and the Thai font."""
    with using(lang):
        from sim.i18n.fonts import figure_rc

        figure_rc()  # Thai without its font falls back to English, with a notice
        return _write_report(Path(folder), language())


def _write_report(folder: Path, lang: str) -> Path:
    """The report page in the language in use."""
    runs, _, manifest = load_results(folder, timeseries=False)
    info = manifest.get("experiment") or {}
    subfolder = figures_in(folder, lang, runs, info)
    runs = st.sort_runs(runs, info)
    shown = pooled_view(info, runs)
    pooled = shown is not info
    groups = st.group_columns(shown, runs)
    measures = [*st.outcomes_of_interest(info), *st.DIFFERENCE_RESULTS]
    summary = (st.summarise(runs, groups, measures) if pooled else
               _table_or(folder, "summary.csv", lambda: st.summarise(runs, groups, measures)))
    regimes = (st.regimes(runs, groups) if pooled else
               _table_or(folder, "regimes.csv", lambda: st.regimes(runs, groups)))
    path = folder / "differences.csv"
    diffs = pd.read_csv(path) if path.exists() and not pooled else None
    name = info.get("name") or folder.name
    results = results_section(shown, runs, summary, diffs)
    if pooled:
        results = para(T("report.pooled_note", points=info.get("points", "?")), "note") + results
    sections = [
        (T("report.section.question"), para(question(info, runs)) + para(
            T("report.outcomes_of_interest",
              outcomes=", ".join(label(o) for o in st.outcomes_of_interest(info))), "note")),
        (T("report.section.scenarios"), scenarios_section(info)),
        (T("report.section.results"), results),
        *([(T("report.section.sensitivity"), found)]
          if (found := sensitivity_section(folder, subfolder)) else []),
        (T("report.section.figures"), figures_section(folder, subfolder)),
        (T("report.section.regimes"), regimes_section(shown, runs, regimes)),
        (T("report.section.provenance"), provenance_section(manifest)),
    ]
    body = "\n".join(f"<section id=\"section-{n}\"><h2>{n}. {escape(h)}</h2>\n{s}\n</section>"
                     for n, (h, s) in enumerate(sections, 1))
    font = font_face_css() if lang == "th" else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(name)}: {escape(T('report.title'))}</title>"
        f"<style>{font}{CSS}</style></head>\n"
        f"<body><h1>{escape(name)}</h1>"
        f'<p class="sub">{escape(T("report.subtitle", finished=manifest.get("finished", "")))}'
        f"</p>\n{body}\n{limits_section(len(sections) + 1)}\n</body></html>\n"
    )
    out = folder / "report.html"
    out.write_text(page, encoding="utf-8")
    return out
