"""The project keeps its promises: README commands, CI, the lock file and the ODD table agree."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

from sim.scenario.docs import render


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick)


def test_quick_start_is_two_commands_that_make_a_venv():
    cmds = readme_commands()
    assert len(cmds) == 2
    assert all(c.startswith("python3 -m venv .venv") for c in cmds)
    assert "collabsim experiment scenarios/experiments/flagship.toml --report" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_calls_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci


def test_odd_parameter_table_is_current():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert render(odd) == odd, "run: python -m sim.scenario.docs"


def test_requirements_lock_matches_uv_lock():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    pinned = {(p["name"], p["version"]) for p in lock["package"] if "version" in p}
    req = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", req, flags=re.MULTILINE)
    assert found
    for name, version in found:
        assert (name.lower().replace("_", "-"), version) in {
            (n.lower().replace("_", "-"), v) for n, v in pinned}, name


def test_pyproject_declares_the_contract():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] == "collabsim" and meta["scripts"]["collabsim"] == "sim.cli:main"
    assert {"dev", "cluster", "viz", "ema", "parquet", "all"} <= set(meta["optional-dependencies"])
    assert any(d.startswith("playwright") for d in meta["optional-dependencies"]["dev"])
    deps = " ".join(meta["dependencies"])
    for core in ("mesa[network]>=3.3,<4", "numpy", "scipy", "matplotlib", "click", "SALib"):
        assert core in deps


def test_results_folder_is_empty_in_git_but_for_a_readme():
    assert (ROOT / "results" / "README.md").exists()
