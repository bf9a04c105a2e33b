"""The report's sensitivity section: how to read the indices, the continuity × norms interaction in
words, the indices per outcome and key, and the two figures."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

from sim.analysis import sensitivity as sa
from sim.analysis.experiment_figures import caption, label
from sim.analysis.html import embedded_figure, number, para, table
from sim.i18n import text as T

SENSITIVITY_FIGURES = ("sensitivity-indices", "sensitivity-interactions")
COLUMNS = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma")}
WIDE = 0.1  # a median CI half-width above this gets a note on how to narrow the intervals
HEADINGS = {"S1": "S1", "ST": "ST", "mu_star": "μ*", "sigma": "σ"}


def _cell(row: pd.Series | None) -> str:
    """'value ± ci' of one index, or '–'."""
    if row is None:
        return "–"
    ci = row["ci"]
    return number(row["value"], 3) + ("" if pd.isna(ci) else f" ± {number(ci, 3)}")


def indices_table(indices: pd.DataFrame, method: str) -> str:
    """One row per outcome and key: the first-order and total indices (or μ* and σ)."""
    main = indices[indices["parameter_2"].fillna("") == ""]
    rows = []
    for (outcome, parameter), part in main.groupby(["outcome", "parameter"], sort=False):
        by_index = {r["index"]: r for _, r in part.iterrows()}
        rows.append([label(outcome), parameter, *[_cell(by_index.get(i))
                                                  for i in COLUMNS[method]]])
    header = [T("sensitivity.col.outcome"), T("sensitivity.col.key"),
              *[HEADINGS[i] for i in COLUMNS[method]]]
    return f'<div class="wide">{table(header, rows, numeric=(2, 3))}</div>'


def load_sensitivity(folder: Path) -> tuple[dict, pd.DataFrame] | None:
    """A folder's sensitivity analysis: sensitivity.json and indices.csv (an empty parameter_2
    read as missing), or None when the folder holds none."""
    folder = Path(folder)
    if not (folder / "indices.csv").is_file() or not (folder / "sensitivity.json").is_file():
        return None
    doc = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
    return doc, pd.read_csv(folder / "indices.csv", keep_default_na=False, na_values=[""])


def sensitivity_section(folder: Path, subfolder: str = "figures") -> str | None:
    """The section, or None when the folder holds no sensitivity analysis."""
    found = load_sensitivity(folder)
    if found is None:
        return None
    doc, indices = found
    folder = Path(folder)
    method = doc["method"]
    keys = ", ".join(f"{p['key']} ∈ [{p['low']:g}, {p['high']:g}]" for p in doc["parameters"])
    out = [para(T("sensitivity.summary", method=method.capitalize(), keys=keys,
                  samples=doc["samples"], points=doc["design_points"],
                  replications=doc["replications"], runs=doc["runs"])),
           para(T(f"sensitivity.reading.{method}"), "note")]
    if method == "sobol" and indices["ci"].median() > WIDE:
        out.append(para(T("sensitivity.wide", width=indices["ci"].median()), "note"))
    lines = [w for _, _, w in sa.interaction_readings(indices, doc["outcomes"], label).values()]
    if lines:
        out.append(f"<h3>{escape(T('sensitivity.interaction_heading'))}</h3>")
        out.append("<ul>" + "".join(f"<li>{para(w)}</li>" for w in lines) + "</ul>")
    out.append(f"<h3>{escape(T('sensitivity.indices_heading'))}</h3>")
    out.append(indices_table(indices, method))
    for stem in SENSITIVITY_FIGURES:
        path = folder / subfolder / f"{stem}.png"
        if path.is_file():
            out.append(embedded_figure(path, caption(stem)))
    return "\n".join(out)
