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
from sim.analysis.sensitivity_report import SENSITIVITY_FIGURES, sensitivity_section

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

CI_NOTE = ("How to read: the 95% confidence interval (CI) is the range that, in 95 of 100 "
           "repetitions of this experiment with new random seeds, would contain the model's "
           "long-run mean. It measures chance in the simulation only, not doubt about the "
           "model's assumptions.")
DIFF_NOTE = ("A difference is arm minus baseline, run by run with the same population and the "
             "same shocks. Where its CI excludes zero the difference is clear within the model. "
             "Effect size d_z is the mean difference divided by the spread of the differences: "
             "about 0.2 is small, 0.5 medium, 0.8 or more large.")
REGIME_NOTE = ("The collaboration cycle can be bistable: some runs settle into lasting "
               "collaboration and others collapse, so a mean can describe a run that never "
               "happens. These shares show how often each regime occurs.")
POOLED_NOTE = ("The {points} design points are too many to list one by one: the tables below pool "
               "the runs of every design point, so their spread shows the range the design "
               "covers; see the figures (and, for a sensitivity analysis, its section) for how "
               "the outcomes depend on the varied keys.")
MAX_GROUPS = 40  # most design points listed one by one in the report's tables
LIMITS = (
    ("The sources give no numbers: every default in the model is an assumption with a stated "
     "range, not a measured value."),
    ("The model is exploratory, not a forecast: it shows what follows from the assumptions, "
     "not what will happen in a province."),
    ("A conclusion counts only if it survives the parameter ranges; a result at the defaults "
     "alone is a hypothesis to test with a sweep, not a finding."),
    ("Confidence intervals cover simulation noise only, not uncertainty about the model's "
     "structure or its assumptions."),
)


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
    if (info.get("question") or "").strip():
        return info["question"].strip()
    names = st.scenario_order(runs, info)
    keys = st.varied_keys(info)
    text = (f"How do the outcomes differ between {joined(names)}" if len(names) > 1
            else f"How does {names[0] if names else 'the scenario'} behave")
    if keys:
        text += f" as {joined(keys)} {'varies' if len(keys) == 1 else 'vary'}"
        if info.get("design") == "lhs":
            text += f" over {info.get('points', '?')} Latin-hypercube points"
        elif info.get("design") in ("sobol", "morris"):
            text = (f"Which of {joined(keys)} drive the outcomes of {joined(names)}, and how do "
                    f"they interact ({info['design'].capitalize()} sensitivity analysis over "
                    f"{info.get('points', '?')} design points)")
        elif len(keys) > 1:
            text += f" on a grid of {info.get('points', '?')} points"
    text += "? "
    unit = "scenario" if not keys else "scenario and point"
    text += (f"Each {unit} was run {info.get('replications', '?')} times over "
             f"{info.get('steps', '?')} months, with the same random populations and shocks "
             f"for every {unit} (common random numbers).")
    bases = sorted(set(st.baselines(runs, info).values()))
    if bases:
        text += f" Differences are measured against {joined(bases)}."
    return text


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
                ("arrangement", "How the arrangements differ", lambda k: k.startswith("governance.")),
                ("context", "How the contexts differ", lambda k: not k.startswith("governance."))):
            columns = _by_layer(scen, layer, keep)
            rows = _differing(columns, sorted({k for c in columns.values() for k in c}))
            if len(columns) > 1 and rows:
                out += [f"<h3>{escape(title)}</h3>", wide.format(table(["Key", *columns], rows))]
        return out or [para("The scenarios share every setting.")]
    columns = {s.get("name", ""): s.get("values") or {} for s in scen}
    rows = _differing(columns, sorted({k for c in columns.values() for k in c}))
    if not rows:
        return [para("The scenarios share every setting.")]
    return ["<h3>Settings that differ between the scenarios</h3>",
            wide.format(table(["Key", *columns], rows))]


def scenarios_section(info: Mapping) -> str:
    """The scenarios' descriptions, the keys whose values differ, overrides and varied keys."""
    scen = info.get("scenarios") or []
    out = [table(["Scenario", "File", "Description"],
                 [[s.get("name", ""), s.get("path", ""), s.get("description", "")] for s in scen])]
    if len(scen) > 1:
        out += differences_between(scen)
    overrides = info.get("overrides") or {}
    if overrides:
        out.append("<h3>Settings applied to every scenario</h3>")
        out.append(table(["Key", "Value"], [[k, value(v)] for k, v in overrides.items()]))
    vary = info.get("vary") or []
    if vary:
        out.append("<h3>What varies</h3>")
        out.append(para(f"Design: {info.get('design', '?')}, {info.get('points', '?')} points."))
        rows = []
        for v in vary:
            values = v.get("values")
            if values is None:
                text = value({k: x for k, x in v.items() if k != "key"})
            else:
                text = ", ".join(value(x) for x in values[:20])
                text += f" … ({len(values)} values)" if len(values) > 20 else ""
            rows.append([v["key"], text])
        out.append(table(["Key", "Values"], rows))
    return "\n".join(out)


def _group_cells(row: Mapping, keys: Sequence[str]) -> list[str]:
    """A table row's leading cells: the scenario and the varied values."""
    return [str(row["scenario"]), *[value(row[k]) for k in keys]]


def _reading(row: Mapping) -> str:
    """A plain-words reading of one paired difference."""
    low, high, d = row["ci_low"], row["ci_high"], row["effect_size"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return "too few pairs to say"
    if low <= 0 <= high:
        return "no clear difference"
    size = ("" if not math.isfinite(d) else
            "large, " if abs(d) >= 0.8 else "medium, " if abs(d) >= 0.5 else
            "small, " if abs(d) >= 0.2 else "very small, ")
    return size + ("higher than baseline" if low > 0 else "lower than baseline")


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
    note = para(f"Rows: {rows_key}; columns: {cols_key}. Each cell: the mean ± the half-width "
                f"of its 95% CI, over {runs} runs.", "note")
    return note + wide_table([f"{rows_key} ↓ / {cols_key} →", *map(value, cols)], body)


def wide_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    return f'<div class="wide">{table(header, rows, numeric=range(1, len(header)))}</div>'


def results_section(info: Mapping, runs: pd.DataFrame, summary: pd.DataFrame,
                    diffs: pd.DataFrame | None) -> str:
    """Per outcome of interest (then run-level results): means with CIs, paired differences."""
    keys = st.group_columns(info, runs)[1:]
    out = [para(CI_NOTE, "note")]
    if diffs is not None and not diffs.empty:
        out.append(para(DIFF_NOTE, "note"))
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
        out.append(table(["Scenario", *keys, "Mean", "95% CI", "Runs"],
                         [[*_group_cells(r, keys), *estimate(r["mean"], r["ci_low"], r["ci_high"]),
                           int(r["n"])]
                          for r in part.to_dict("records")],
                         numeric=range(len(keys) + 1, len(keys) + 4)))
        d = diffs[diffs["outcome"] == m] if diffs is not None else pd.DataFrame()
        if not d.empty:
            base = [] if several_bases else [f"vs {d['baseline'].iloc[0]}"]
            header = ["Scenario", *keys, *(["Baseline"] if several_bases else []),
                      f"Difference {base[0]}" if base else "Difference", "95% CI",
                      "Effect size d_z", "Reading"]
            rows = [[*_group_cells(r, keys), *([r["baseline"]] if several_bases else []),
                     *estimate(r["mean_difference"], r["ci_low"], r["ci_high"]),
                     number(r["effect_size"], 2), _reading(r)] for r in d.to_dict("records")]
            first = len(keys) + 1 + several_bases
            out.append(table(header, rows, numeric=range(first, first + 3)))
    return "\n".join(out)


def figures_section(folder: Path) -> str:
    """Each PNG in folder/figures embedded as a data URI with its caption."""
    paths = sorted((p for p in (folder / "figures").glob("*.png")
                    if p.stem not in SENSITIVITY_FIGURES), key=figure_kind_rank)
    if not paths:
        return para("No figures were written for this experiment.")
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
        para(REGIME_NOTE),
        table(["Scenario", *keys, "Runs", "Collapsed", "95% CI", "Company founded", "95% CI"],
              rows, numeric=range(len(keys) + 1, len(keys) + 6)),
        para("Collapsed: no working-group agreement in force and trust at or below its starting "
             "level throughout the last 12 months. Intervals are Wilson 95% intervals.", "note"),
    ])


def provenance_section(manifest: Mapping) -> str:
    """Command, seeds, run counts, times, versions and the lock file's hash."""
    info = manifest.get("experiment") or {}
    runs = manifest.get("runs") or {}
    versions = manifest.get("versions") or {}
    items = [
        ("Command", manifest.get("command", "")),
        ("Experiment", f"{info.get('name', '')} (hash {info.get('hash', '')})"),
        ("Root seed", info.get("root_seed", "")),
        ("Replications", info.get("replications", "")), ("Months", info.get("steps", "")),
        ("Runs", (f"{runs.get('done', '?')} done, {runs.get('failed', 0)} failed, "
                  f"{runs.get('total', '?')} planned")),
        ("Started", manifest.get("started", "")), ("Finished", manifest.get("finished", "")),
        ("Versions", ", ".join(f"{k} {v}" for k, v in versions.items())),
        ("Lock file sha256", manifest.get("lock_sha256", "")),
    ]
    body = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in items)
    return f"<dl>{body}</dl>"


def limits_section(n: int) -> str:
    """The boxed statement of what the model cannot tell."""
    items = "".join(f"<li>{escape(t)}</li>" for t in LIMITS)
    return (f'<section class="limits"><h2>{n}. What this model cannot tell you</h2>'
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


def write_report(folder: Path) -> Path:
    """Write folder/report.html from the folder's manifest, tables and figures."""
    folder = Path(folder)
    runs, _, manifest = load_results(folder, timeseries=False)
    info = manifest.get("experiment") or {}
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
        results = para(POOLED_NOTE.format(points=info.get("points", "?")), "note") + results
    sections = [
        ("The question", para(question(info, runs)) + para(
            "Outcomes of interest: " + ", ".join(label(o) for o in st.outcomes_of_interest(info))
            + ".", "note")),
        ("The scenarios and how they differ", scenarios_section(info)),
        ("Results", results),
        *([("Sensitivity", found)] if (found := sensitivity_section(folder)) else []),
        ("Figures", figures_section(folder)),
        ("Regime probabilities", regimes_section(shown, runs, regimes)),
        ("Provenance", provenance_section(manifest)),
    ]
    body = "\n".join(f"<section><h2>{n}. {escape(h)}</h2>\n{s}\n</section>"
                     for n, (h, s) in enumerate(sections, 1))
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(name)}: collabsim experiment</title><style>{CSS}</style></head>\n"
        f"<body><h1>{escape(name)}</h1>"
        f'<p class="sub">collabsim experiment report · {escape(str(manifest.get("finished", "")))}'
        f"</p>\n{body}\n{limits_section(len(sections) + 1)}\n</body></html>\n"
    )
    out = folder / "report.html"
    out.write_text(page, encoding="utf-8")
    return out
