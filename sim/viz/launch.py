"""Starting the dashboard server: check the extra, the scenario and the address first, then
become `solara run sim.viz.app` with telemetry, version checks and CDN fetches off, opening in the
language in use (--lang, else the locale)."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
from pathlib import Path

from sim.i18n import LANGUAGES, language, text
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.library import layer_files
from sim.viz.dashboard_model import SLIDER_KEYS

OFFLINE = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no usage data sent
           "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # assets from solara-assets, never a CDN
           "PYTHONWARNINGS": "ignore:ComponentsView:UserWarning"}  # a Mesa/Solara startup note


def check_extra() -> None:
    if not all(importlib.util.find_spec(m) for m in ("solara", "solara_assets")):
        raise ScenarioError("collabsim viz", None, text("error.viz_extra"))


def check_address(host: str, port: int) -> None:
    """The address can be listened on (not taken, a valid host), or a one-line error."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.bind((host, port))
    except OSError as exc:
        raise ScenarioError("collabsim viz", "--host/--port", text(
            "error.viz_port", host=host, port=port, detail=exc.strerror or exc)) from None


def scenario_environment(path: Path) -> dict[str, str]:
    """The first scenario for the page: its context and arrangement (from the library) and the
    values of the sliders' keys."""
    from sim.experiment.plan import layer_stems

    scenario = load_scenario(path)
    context, arrangement = layer_stems(scenario)
    if not (context and arrangement):
        raise ScenarioError(path, "extends", text("error.viz_needs_layers"))
    for kind, stem in (("contexts", context), ("arrangements", arrangement)):
        if stem not in layer_files(kind):
            raise ScenarioError(path, "extends", text("error.viz_not_in_library", stem=repr(stem),
                                                      kind=kind, files=", ".join(layer_files(kind))))
    values = {name: float(scenario[key]) for name, key in SLIDER_KEYS.items()
              if isinstance(scenario[key], int | float)}
    return {"COLLABSIM_VIZ_CONTEXT": context, "COLLABSIM_VIZ_ARRANGEMENT": arrangement,
            "COLLABSIM_VIZ_VALUES": json.dumps(values)}


def server_environment(scenario: Path | None = None, lang: str | None = None) -> dict[str, str]:
    """The server's environment: offline, the first scenario, and the page's first language
    (`lang`, else the language in use: set_language / --lang, else the locale)."""
    lang = lang or language()
    if lang not in LANGUAGES:
        raise ScenarioError("collabsim viz", "--lang", text("error.viz_lang", lang=repr(lang),
                                                          languages=", ".join(LANGUAGES)))
    return {**os.environ, **OFFLINE, **(scenario_environment(scenario) if scenario else {}),
            "COLLABSIM_VIZ_LANG": lang}


def serve(host: str, port: int, scenario: Path | None, quiet: bool, announce,
          lang: str | None = None) -> None:
    """Check everything, announce the address, then replace this process by the server (so
    Ctrl-C and kill reach it, and no child is left behind). The page opens in `lang`, else in
    the language in use."""
    check_extra()
    env = server_environment(scenario, lang)
    check_address(host, port)
    announce(text("dashboard.announce", env["COLLABSIM_VIZ_LANG"], url=f"http://{host}:{port}"))
    command = [sys.executable, "-m", "solara", "run", "sim.viz.app", "--host", host,
               "--port", str(port), "--production", "--no-open", "--no-check-version"]
    if quiet:
        command += ["--log-level", "warning"]
    sys.stdout.flush()
    os.execve(sys.executable, command, env)
