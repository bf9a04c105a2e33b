"""The analysis layer of experiments: statistics tables, figures and the HTML report."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis import statistics as st
from sim.analysis.experiment_figures import write_figures
from sim.analysis.report import estimate, load_results, write_report
from sim.model.outcomes import OUTCOMES

INTEREST = ["trust", "compliance"]
SHIFT = {"ctx_a/base": 0.0, "ctx_a/arm1": 0.1, "ctx_b/arm2": -0.05}


def make_runs(scenarios, reps, vary=None, seed=0):
    """Synthetic runs.csv rows: a per-replication effect shared by all scenarios (CRN), a
    per-scenario shift, a linear effect of the varied values, and noise."""
    rng = np.random.default_rng(seed)
    vary = vary or {}
    points = [dict(zip(vary, combo)) for combo in itertools.product(*vary.values())]
    rep_effect = rng.normal(0, 0.1, reps)
    rows, run_id = [], 0
    for s in scenarios:
        for point in points:
            for r in range(reps):
                base = 0.5 + SHIFT.get(s, 0.03) + rep_effect[r] + 0.2 * sum(point.values())
                row = {"run_id": run_id, "scenario": s, "replication": r, "seed": 100 + r,
                       **point}
                for i, o in enumerate(OUTCOMES):
                    row[o] = base + 0.01 * i + rng.normal(0, 0.02)
                row["recovery_months"] = np.nan if r == 0 else 5.0 + rng.normal(0, 1)
                row["resilience_loss"] = 2.0 + rng.normal(0, 0.5)
                row["company_founded_month"] = 30.0 if r % 2 else np.nan
                row["collapsed"] = int(r < 2)
                row["floods"] = 1
                rows.append(row)
                run_id += 1
    return pd.DataFrame(rows)


def make_timeseries(runs, steps=6, seed=1):
    """A tidy timeseries that drifts towards each run's final values."""
    rng = np.random.default_rng(seed)
    frames = []
    for row in runs.itertuples(index=False):
        frame = {"run_id": np.full(steps, row.run_id), "step": np.arange(1, steps + 1)}
        for o in OUTCOMES:
            frame[o] = np.linspace(0.3, getattr(row, o), steps) + rng.normal(0, 0.01, steps)
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def make_info(scenarios, vary=None, baseline=None, design="none", reps=5, description=""):
    """A manifest's experiment entry."""
    vary = vary or {}
    return {
        "name": "demo", "hash": "1a2b3c4d", "question": "",
        "scenarios": [{"name": s, "path": f"scenarios/{s}.toml",
                       "description": description or f"Scenario {s}.",
                       "values": {"dialogue.continuity": 0.5 + 0.1 * i, "norms.strength": 0.5,
                                  "context.initial_trust": [[0.4, 0.3], [0.3, 0.4]]}}
                      for i, s in enumerate(scenarios)],
        "vary": [{"key": k, "values": list(v)} for k, v in vary.items()],
        "design": design, "points": max(1, math.prod(len(v) for v in vary.values())),
        "replications": reps, "steps": 6, "root_seed": 0, "outcomes": INTEREST,
        "baseline": baseline, "overrides": {"run.steps": 6},
    }


def write_folder(path, scenarios, vary=None, baseline=None, reps=5, description=""):
    """A results folder as the runner writes it: runs.csv, timeseries.csv, manifest.json."""
    runs = make_runs(scenarios, reps, vary)
    ts = make_timeseries(runs)
    info = make_info(scenarios, vary, baseline, "grid" if vary else "none", reps, description)
    path.mkdir(parents=True, exist_ok=True)
    runs.to_csv(path / "runs.csv", index=False)
    ts.to_csv(path / "timeseries.csv", index=False)
    manifest = {"command": "collabsim compare demo", "experiment": info,
                "runs": {"total": len(runs), "done": len(runs), "failed": 0},
                "started": "2026-11-25T12:00:00+00:00", "finished": "2026-11-25T12:05:00+00:00",
                "versions": {"collabsim": "0.1.0", "python": "3.11.7"}, "lock_sha256": "abc123"}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return runs, ts, info


# --- statistics ----------------------------------------------------------------------------------

def test_summary_ci_matches_scipy_and_contains_the_mean():
    runs = make_runs(list(SHIFT), 5)
    table = st.summarise(runs, ["scenario"], OUTCOMES)
    assert len(table) == 3 * len(OUTCOMES)
    row = table[(table["scenario"] == "ctx_a/arm1") & (table["outcome"] == "trust")].iloc[0]
    x = runs.loc[runs["scenario"] == "ctx_a/arm1", "trust"].to_numpy()
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert row["n"] == 5 and row["mean"] == pytest.approx(x.mean())
    assert row["ci_low"] == pytest.approx(low) and row["ci_high"] == pytest.approx(high)
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert row["median"] == pytest.approx(np.median(x)) and row["sd"] == pytest.approx(x.std(ddof=1))


def test_summary_is_nan_safe_and_handles_degenerate_samples():
    runs = pd.DataFrame({"scenario": ["a"] * 4 + ["b"] + ["c"] * 3,
                         "x": [1.0, np.nan, 3.0, 5.0, 2.0, 7.0, 7.0, 7.0]})
    table = st.summarise(runs, ["scenario"], ["x"]).set_index("scenario")
    assert table.loc["a", "n"] == 3 and table.loc["a", "mean"] == pytest.approx(3.0)
    low, high = stats.t.interval(0.95, 2, loc=3.0, scale=2.0 / np.sqrt(3))
    assert table.loc["a", "ci_low"] == pytest.approx(low) and table.loc["a", "ci_high"] == (
        pytest.approx(high))
    assert np.isnan(table.loc["b", "ci_low"]) and np.isnan(table.loc["b", "ci_high"])
    assert table.loc["c", "ci_low"] == table.loc["c", "ci_high"] == 7.0


def test_paired_differences_pair_by_replication():
    runs = make_runs(list(SHIFT), 6)
    table = st.paired_differences(runs, "ctx_a/base", [], ["trust", "recovery_months"])
    assert set(table["scenario"]) == {"ctx_a/arm1", "ctx_b/arm2"}
    row = table[(table["scenario"] == "ctx_a/arm1") & (table["outcome"] == "trust")].iloc[0]
    arm = runs[runs["scenario"] == "ctx_a/arm1"].set_index("replication")["trust"]
    base = runs[runs["scenario"] == "ctx_a/base"].set_index("replication")["trust"]
    d = (arm - base.loc[arm.index]).to_numpy()
    assert row["n_pairs"] == 6 and row["mean_difference"] == pytest.approx(d.mean())
    assert row["mean_difference"] == pytest.approx(0.1, abs=0.03)
    assert row["effect_size"] == pytest.approx(d.mean() / d.std(ddof=1))
    assert row["p_value"] == pytest.approx(stats.ttest_rel(arm, base.loc[arm.index]).pvalue)
    low, high = stats.t.interval(0.95, 5, loc=d.mean(), scale=stats.sem(d))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    # pairing removes the shared replication effect: the paired CI is far narrower than the
    # difference of the two unpaired CIs would suggest
    assert row["ci_high"] - row["ci_low"] < 0.1
    # replication 0 has no recovery time: one pair fewer
    rec = table[(table["scenario"] == "ctx_a/arm1") & (table["outcome"] == "recovery_months")]
    assert rec["n_pairs"].iloc[0] == 5
    shuffled = runs.sample(frac=1.0, random_state=3)
    again = st.paired_differences(shuffled, "ctx_a/base", [], ["trust", "recovery_months"])
    key = ["scenario", "outcome"]
    pd.testing.assert_frame_equal(table.sort_values(key).reset_index(drop=True),
                                  again.sort_values(key).reset_index(drop=True))


def test_paired_differences_within_each_varied_point():
    runs = make_runs(["s/base", "s/arm"], 4, {"dialogue.continuity": [0.0, 0.5]})
    table = st.paired_differences(runs, "s/base", ["dialogue.continuity"], ["trust"])
    assert len(table) == 2 and list(table["n_pairs"]) == [4, 4]
    for row in table.to_dict("records"):
        at = runs[runs["dialogue.continuity"] == row["dialogue.continuity"]]
        arm = at[at["scenario"] == "s/arm"].set_index("replication")["trust"]
        base = at[at["scenario"] == "s/base"].set_index("replication")["trust"]
        assert row["mean_difference"] == pytest.approx((arm - base).mean())


def test_regimes_wilson_interval():
    runs = make_runs(list(SHIFT), 5)
    table = st.regimes(runs, ["scenario"]).set_index("scenario")
    row = table.loc["ctx_a/arm1"]
    k, n, z = 2, 5, stats.norm.ppf(0.975)  # replications 0 and 1 collapsed
    centre = (k + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * math.sqrt(k * (n - k) / n + z * z / 4)
    assert row["n"] == 5 and row["collapsed_share"] == pytest.approx(0.4)
    assert row["collapsed_ci_low"] == pytest.approx(centre - half)
    assert row["collapsed_ci_high"] == pytest.approx(centre + half)
    assert row["company_founded_share"] == pytest.approx(2 / 5)  # replications 1 and 3


def test_write_tables(tmp_path):
    runs, _, info = write_folder(tmp_path / "a", list(SHIFT), baseline="ctx_a/base")
    paths = st.write_tables(tmp_path / "a", runs, info)
    assert [p.name for p in paths] == ["summary.csv", "differences.csv", "regimes.csv"]
    summary = pd.read_csv(tmp_path / "a" / "summary.csv")
    assert set(summary["outcome"]) == set(OUTCOMES) | set(st.RUN_RESULTS)
    diffs = pd.read_csv(tmp_path / "a" / "differences.csv")
    assert set(diffs["outcome"]) == set(INTEREST) | set(st.DIFFERENCE_RESULTS)
    assert (diffs["baseline"] == "ctx_a/base").all()
    one, _, info1 = write_folder(tmp_path / "b", ["ctx_a/base"], baseline="ctx_a/base")
    assert [p.name for p in st.write_tables(tmp_path / "b", one, info1)] == [
        "summary.csv", "regimes.csv"]


def test_differences_use_each_scenarios_own_baseline_when_given():
    runs = make_runs(list(SHIFT), 4)
    info = make_info(list(SHIFT))
    info["baselines"] = {"ctx_a/base": None, "ctx_a/arm1": "ctx_a/base", "ctx_b/arm2": None}
    assert st.baselines(runs, info) == {"ctx_a/arm1": "ctx_a/base"}


# --- figures and report ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Three results folders with tables and figures: a comparison, a 3×3 sweep, a 1-key sweep."""
    root = tmp_path_factory.mktemp("results")
    out = {}
    grid = {"dialogue.continuity": [0.0, 0.5, 1.0], "norms.strength": [0.2, 0.5, 0.8]}
    specs = {
        "compare": {"scenarios": list(SHIFT), "baseline": "ctx_a/base",
                    "description": "Uses <b>&"},
        "grid": {"scenarios": ["s/one"], "vary": grid, "reps": 3},
        "line": {"scenarios": ["s/one", "s/two"], "vary": {"dialogue.continuity": [0.0, 0.5, 1.0]},
                 "baseline": "s/one", "reps": 3},
    }
    for name, spec in specs.items():
        runs, ts, info = write_folder(root / name, **spec)
        st.write_tables(root / name, runs, info)
        figures = write_figures(root / name, runs, ts, info)
        out[name] = (root / name, figures)
    return out


def names(paths):
    return sorted(p.name for p in paths)


def test_figures_of_a_comparison(folders):
    folder, written = folders["compare"]
    stems = ["differences", "final_outcomes", "trajectories"]
    assert names(written) == sorted(f"{s}.{e}" for s in stems for e in ("png", "svg"))
    assert all(p.exists() and p.stat().st_size > 1000 and p.parent == folder / "figures"
               for p in written)
    assert (folder / "figures" / "trajectories.png").read_bytes()[:4] == b"\x89PNG"


def test_figures_of_sweeps(folders):
    assert names(folders["grid"][1]) == sorted(
        [f"heatmap-{o}.{e}" for o in INTEREST for e in ("png", "svg")]
        + ["final_outcomes.png", "final_outcomes.svg"])
    assert names(folders["line"][1]) == sorted(
        f"{s}.{e}" for s in ("trajectories", "final_outcomes", "differences",
                             "sweep-dialogue.continuity") for e in ("png", "svg"))


def test_figures_drawn_side_by_side_equal_those_drawn_one_by_one(folders, tmp_path, monkeypatch):
    """Figures are drawn in forked processes where there are cores to spare; the files are the
    same bytes as those drawn one after another in this process."""
    import sim.analysis.experiment_figures as ef

    _, written = folders["compare"]
    runs, ts, info = write_folder(tmp_path / "one", scenarios=list(SHIFT), baseline="ctx_a/base",
                                  description="Uses <b>&")
    monkeypatch.setattr(ef.os, "cpu_count", lambda: 1)
    alone = write_figures(tmp_path / "one", runs, ts, info)
    assert [p.name for p in alone] == [p.name for p in written]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(alone, written))


def test_trajectories_split_by_name_prefix(tmp_path):
    scenarios = [f"{c}/{a}" for c in ("ctx_a", "ctx_b") for a in ("w", "x", "y", "z")]
    runs = make_runs(scenarios, 2)
    info = make_info(scenarios, baseline="ctx_a/w")
    info["outcomes"] = ["trust"]
    from sim.analysis.experiment_figures import trajectories
    written = trajectories(tmp_path, runs, make_timeseries(runs, steps=3), info)
    assert names(written) == ["trajectories-ctx_a.png", "trajectories-ctx_a.svg",
                              "trajectories-ctx_b.png", "trajectories-ctx_b.svg"]


def test_report_is_self_contained_and_complete(folders):
    folder, written = folders["compare"]
    page = write_report(folder).read_text(encoding="utf-8")
    for heading in ("The question", "The scenarios and how they differ", "Results", "Figures",
                    "Regime probabilities", "Provenance", "What this model cannot tell you"):
        assert heading in page, heading
    assert "<script" not in page and "<link" not in page and "url(" not in page
    assert "http://" not in page and "https://" not in page and 'src="//' not in page
    pngs = [p for p in written if p.suffix == ".png"]
    assert page.count('src="data:image/png;base64,') == len(pngs) == 3
    assert "Uses &lt;b&gt;&amp;" in page and "<b>&" not in page
    # the table of differing settings lists only keys whose values differ
    assert "dialogue.continuity" in page and "norms.strength" not in page
    # the generated question names the scenarios and the baseline
    assert "ctx_a/arm1" in page and "measured against ctx_a/base" in page
    runs, _, manifest = load_results(folder)
    diffs = pd.read_csv(folder / "differences.csv")
    d = diffs[(diffs["scenario"] == "ctx_a/arm1") & (diffs["outcome"] == "trust")].iloc[0]
    mean, ci = estimate(d["mean_difference"], d["ci_low"], d["ci_high"])
    assert f'<td class="num">{mean}</td><td class="num">{ci}</td>' in page
    assert float(mean) == pytest.approx(d["mean_difference"], abs=5e-3) and ci.startswith("[")
    assert "abc123" in page and "collabsim compare demo" in page
    assert len(runs) == manifest["runs"]["done"] == 15


def test_report_of_a_sweep_lists_the_varied_keys(folders):
    folder, _ = folders["grid"]
    page = write_report(folder).read_text(encoding="utf-8")
    assert "What varies" in page and "norms.strength" in page
    assert page.count('src="data:image/png;base64,') == 3
    assert "as dialogue.continuity and norms.strength vary" in page


def test_report_shows_a_two_key_sweep_of_one_scenario_as_a_matrix(folders):
    from sim.analysis.report import plus_minus

    folder, _ = folders["grid"]
    page = write_report(folder).read_text(encoding="utf-8")
    summary = pd.read_csv(folder / "summary.csv")
    cell = summary[summary["outcome"] == "trust"].iloc[0]
    assert "dialogue.continuity ↓ / norms.strength →" in page
    expected = plus_minus(cell["mean"], cell["ci_low"], cell["ci_high"])
    assert " ± " in expected and expected in page
