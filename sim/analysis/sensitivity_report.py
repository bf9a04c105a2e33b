"""The report's sensitivity section: how to read the indices, the continuity × norms interaction in
words, the indices per outcome and key, and the two figures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.analysis.experiment_figures import caption, label
from sim.analysis.html import embedded_figure, number, para, table

SENSITIVITY_FIGURES = ("sensitivity-indices", "sensitivity-interactions")
READING = {
    "sobol": ("S1 is the share of an outcome's variance that a key explains on its own; ST the "
              "share it explains alone and together with the other keys (ST − S1 is its part in "
              "interactions); S2 the share a pair explains together beyond their separate "
              "effects. Each ± is the half-width of a bootstrap 95% confidence interval; indices "
              "near zero whose interval includes zero are not distinguishable from no effect."),
    "morris": ("μ* is the mean absolute change of an outcome when a key takes one step across its "
               "range (its overall importance); σ is the spread of those changes: a large σ "
               "means the key's effect depends on the other keys (interactions or nonlinearity). "
               "Morris screening ranks keys; it does not split variance."),
}
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
    header = ["Outcome", "Key", *[HEADINGS[i] for i in COLUMNS[method]]]
    return f'<div class="wide">{table(header, rows, numeric=(2, 3))}</div>'


def sensitivity_section(folder: Path) -> str | None:
    """The section, or None when the folder holds no sensitivity analysis."""
    folder = Path(folder)
    if not (folder / "indices.csv").is_file() or not (folder / "sensitivity.json").is_file():
        return None
    doc = json.loads((folder / "sensitivity.json").read_text(encoding="utf-8"))
    indices = pd.read_csv(folder / "indices.csv", keep_default_na=False, na_values=[""])
    method = doc["method"]
    keys = ", ".join(f"{p['key']} ∈ [{p['low']:g}, {p['high']:g}]" for p in doc["parameters"])
    out = [para(f"{method.capitalize()} analysis (SALib) of {keys}: N = {doc['samples']}, "
                f"{doc['design_points']} design points × {doc['replications']} replication(s) "
                f"= {doc['runs']} runs; each design point's outcome is the mean over its "
                "replications."), para(READING[method], "note")]
    if method == "sobol" and indices["ci"].median() > WIDE:
        out.append(para(f"The intervals are wide (median half-width {indices['ci'].median():.2f})"
                        ": a larger --samples narrows them (by about √2 per doubling), and more "
                        "--replications take the runs' own chance variation out of the design "
                        "points' means.", "note"))
    if doc.get("interaction"):
        out.append("<h3>Do dialogue continuity and norms interact?</h3>")
        out.append("<ul>" + "".join(f"<li>{para(v['words'])}</li>"
                                    for v in doc["interaction"].values()) + "</ul>")
    out.append("<h3>Indices by outcome and key</h3>")
    out.append(indices_table(indices, method))
    for stem in SENSITIVITY_FIGURES:
        path = folder / "figures" / f"{stem}.png"
        if path.is_file():
            out.append(embedded_figure(path, caption(stem)))
    return "\n".join(out)
