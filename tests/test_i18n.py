"""Thai and English: the catalogue is complete in both languages, Thai figures get real glyphs
(or fall back to English with a notice), and the report and messages come in Thai on request."""

from __future__ import annotations

import os
import re
import string
import warnings

import matplotlib
import pytest
from conftest import SCENARIOS

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from sim import i18n
from sim.i18n import fonts

THAI = re.compile("[\u0e00-\u0e7f]")


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_key_exists_in_both_languages():
    cat = i18n.catalogue()
    assert len(cat) > 100
    for key, entry in cat.items():
        assert set(entry) >= {"en", "th"}, key
        assert isinstance(entry["th"], str), key
        if re.search("[A-Za-z]{2}", re.sub(r"\{[^}]*\}", "", entry["en"])):
            assert THAI.search(entry["th"]), f"{key}: no Thai in {entry['th']!r}"
        assert fields(entry["en"]) == fields(entry["th"]), f"{key}: placeholders differ"


def test_language_comes_from_the_locale_and_falls_back_to_english():
    assert i18n.language_from_locale({"LANG": "th_TH.UTF-8"}) == "th"
    assert i18n.language_from_locale({"LC_ALL": "en_GB.UTF-8", "LANG": "th_TH"}) == "en"
    assert i18n.language_from_locale({}) == "en"
    with i18n.using("th"):
        assert i18n.text("outcome.trust") == "ความไว้วางใจข้ามภาคส่วน (0–1)"
    with i18n.using("en"):
        assert i18n.text("outcome.trust") == "Trust (cross-sector, 0–1)"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_a_thai_figure_renders_with_a_font_that_has_thai_glyphs(tmp_path):
    with i18n.using("th"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rc = fonts.figure_rc()
        with plt.rc_context(rc):
            fig, ax = plt.subplots()
            ax.set_title(i18n.text("outcome.trust") + " การขันน็อต กรอ.")
            ax.set_xlabel(i18n.text("figure.month"))
            fig.savefig(tmp_path / "thai.png")
            fig.savefig(tmp_path / "thai.svg")
            plt.close(fig)
            path = font_manager.findfont(font_manager.FontProperties(family=rc["font.family"][-1]),
                                         fallback_to_default=False)
    assert not [w for w in caught if "missing" in str(w.message).lower()], caught
    assert fonts.FAMILY in rc["font.family"]
    charmap = FT2Font(path).get_charmap()
    assert all(ord(c) in charmap for c in "กขันน็อตรอความไว้วางใจ")
    assert (tmp_path / "thai.png").stat().st_size > 1000


def test_without_the_thai_font_figures_fall_back_to_english_with_a_notice(monkeypatch, capsys):
    monkeypatch.setattr(fonts, "thai_font_file", lambda: None)
    fonts.register_thai_font.cache_clear()
    try:
        with i18n.using("th"):
            assert fonts.figure_rc() == {}
            assert i18n.language() == "en"
            assert i18n.text("figure.month") == "month"
    finally:
        fonts.register_thai_font.cache_clear()
    err = capsys.readouterr().err
    assert err.strip() == fonts.NOTICE


def test_messages_and_errors_come_in_thai(cli, tmp_path):
    done = cli("--lang", "th", "run", tmp_path / "missing.toml")
    assert done.returncode == 2 and done.stderr.startswith("ข้อผิดพลาด:")
    env_run = cli("validate", tmp_path / "missing.toml", env={**os.environ, "LANG": "th_TH.UTF-8",
                                                             "LC_ALL": ""})
    assert env_run.returncode == 2 and env_run.stderr.startswith("ข้อผิดพลาด:")
    english = cli("--lang", "en", "validate", tmp_path / "missing.toml")
    assert english.stderr.startswith("error:")


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("th") / "cmp"
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "compare", str(SCENARIOS / "khon_kaen" / "ppp.toml"),
         str(SCENARIOS / "khon_kaen" / "no_intermediary.toml"), "--replications", "3",
         "--steps", "12", "--workers", "1", "--out", str(out), "--lang", "en"],
        check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def test_report_in_thai_has_thai_text_thai_figures_and_the_font(compared, cli):
    done = cli("report", compared, "--lang", "th")
    assert done.returncode == 0, done.stderr
    page = (compared / "report.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in page and "@font-face" in page and fonts.FAMILY in page
    for key in ("report.section.question", "report.section.results", "report.section.limits",
                "report.ci_note"):
        assert i18n.text(key, "th") in page
    thai_figures = sorted((compared / "figures-th").glob("*.png"))
    assert thai_figures and page.count("data:image/png;base64") >= len(thai_figures)
    english = cli("report", compared, "--lang", "en")
    assert english.returncode == 0
    assert not THAI.search(re.sub(r"<style>.*?</style>", "",
                                  (compared / "report.html").read_text(encoding="utf-8"),
                                  flags=re.DOTALL).replace("Noto Sans Thai", ""))


def test_scenarios_lists_thai_descriptions(cli):
    thai = cli("scenarios", "--lang", "th")
    assert thai.returncode == 0, thai.stderr
    lines = thai.stdout.strip().splitlines()
    assert len(lines) >= 40 and all(THAI.search(line.split(None, 2)[2]) for line in lines)
    english = cli("scenarios", "--lang", "en").stdout.strip().splitlines()
    assert [x.split()[0] for x in english] == [x.split()[0] for x in lines]
    assert english != lines


def test_experiment_questions_have_thai_versions():
    from sim.experiment.files import load_experiment

    for path in sorted((SCENARIOS / "experiments").glob("*.toml")):
        spec = load_experiment(path)
        assert THAI.search(spec.question_th), path.name


@pytest.mark.parametrize("args, english, thai", [
    (("--set", "dialogue.continuity=2"), "got 2; allowed: a number in [0, 1]",
     "ได้ค่า 2; ค่าที่ใช้ได้: ตัวเลขในช่วง [0, 1]"),
    (("--set", "dialogue.continuty=0.5"), "unknown key; did you mean 'dialogue.continuity'?",
     "ไม่รู้จักตัวแปรนี้; หมายถึง 'dialogue.continuity' หรือไม่?"),
])
def test_bad_input_errors_come_in_both_languages(cli, args, english, thai):
    ppp = SCENARIOS / "khon_kaen" / "ppp.toml"
    for lang, needle in (("en", english), ("th", thai)):
        done = cli("--lang", lang, "run", ppp, "--steps", "1", *args)
        assert done.returncode == 2 and needle in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_event_log_reads_in_both_languages():
    from sim import CollaborationModel, load_scenario
    from sim.model.event_log import render

    model = CollaborationModel.from_scenario(
        load_scenario(SCENARIOS / "songkhla" / "drr_committee.toml"), seed=3).run_for(60)
    entries = list(model.event_entries)
    assert len(entries) == len(model.events) > 10
    assert [render(k, v, "en") for _, k, v in entries] == [line for _, line in model.events]
    keys = {k for _, k, _ in entries}
    assert {"event.flood", "event.convenor_rotated"} <= keys
    for _, key, values in entries:
        thai = render(key, values, "th")
        assert THAI.search(thai) and not re.search("[A-Za-z]{3}", thai), thai


def test_every_command_and_option_help_has_thai():
    import click

    from sim.cli import cli

    def walk(command, path=()):
        name = ".".join(path) or "collabsim"
        assert i18n.has(f"help.command.{name}"), name
        for p in command.params:
            if isinstance(p, click.Option) and p.help:
                assert i18n.has(f"help.{name}.{p.name}") or i18n.has(f"help.option.{p.name}"), \
                    f"{name} --{p.name}"
        for sub, child in getattr(command, "commands", {}).items():
            walk(child, (*path, sub))

    walk(cli)


def test_help_in_thai(cli):
    done = cli("sensitivity", "--help", "--lang", "th")
    assert done.returncode == 0
    assert i18n.text("help.sensitivity.method", "th") in done.stdout.replace("\n", "") or \
        THAI.search(done.stdout)
    assert "Sobol indices (S1, ST, S2)" not in done.stdout
    english = cli("sensitivity", "--help", "--lang", "en")
    assert "Sobol indices (S1, ST, S2)" in english.stdout


def test_no_bad_input_error_is_written_in_code():
    """Every ScenarioError's problem comes from the catalogue (or passes one on), never a literal."""
    import ast
    from pathlib import Path

    literals = []
    for path in sorted((Path(__file__).parent.parent / "sim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ScenarioError"
                    and len(node.args) == 3
                    and isinstance(node.args[2], ast.Constant | ast.JoinedStr | ast.BinOp)):
                literals.append(f"{path.name}:{node.lineno}")
    assert not literals, literals
