"""The teaching dashboard: its figures and model without a browser, then the real page in headless
Chromium — controls, reset, step, play, offline, and the time from a step to repainted charts."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
import pytest
from conftest import ROOT

from sim.model.model import CollaborationModel
from sim.scenario.loader import load_scenario

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "img" / "dashboard.png"


def test_dashboard_model_is_the_composed_scenario():
    from sim.viz.dashboard_model import DashboardModel

    a = DashboardModel(context="songkhla", arrangement="study_center", continuity=0.8, seed=4)
    sc = load_scenario(ROOT / "scenarios" / "songkhla" / "study_center.toml",
                       {"dialogue.continuity": 0.8, "context.private_strength": 0.7,
                        "context.initial_trust": 0.45, "context.official_tenure_months": 40.0,
                        "norms.strength": 0.5})  # every slider fixes its key (no range drawn)
    b = CollaborationModel.from_scenario(sc, seed=4)
    a.run_for(24)
    b.run_for(24)
    assert a.timeseries().equals(b.timeseries())


def test_choosing_a_context_moves_only_the_sliders_it_sets():
    from sim.viz.dashboard_model import context_values

    weak = context_values("sukhothai")
    assert weak["private_strength"] < context_values("khon_kaen")["private_strength"]
    assert "continuity" not in weak and "norm_strength" not in weak


def test_views_draw_levels_sectors_counters_and_events():
    from sim.viz import views
    from sim.viz.dashboard_model import DashboardModel

    m = DashboardModel(seed=2)
    m.run_for(30)
    xy = views.layout(m)
    levels = m.actors.level
    assert xy[levels == 0, 1].min() > xy[levels == 1, 1].max() > xy[levels == 2, 1].max()
    assert len(views.outcomes_figure(m).axes) == 6
    network = views.network_figure(m)
    assert len(network.axes[0].collections) >= 5  # the ties and four sectors
    assert dict(views.counters(m))["Meetings held"] == m.counters["meetings_held"] > 0
    log = views.event_log(m)
    assert log and log[0].startswith("Month ") and int(log[0].split()[1][:-1]) <= 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser_or_skip():
    """Playwright and Debian's chromium; locally a skip with the reason, under CI=true a failure."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = "playwright" if sync_playwright is None else (
        None if shutil.which(CHROMIUM) else f"{CHROMIUM} (apt install chromium)")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the dashboard test needs {missing}")
        pytest.skip(f"the dashboard test needs {missing}")
    return sync_playwright


class OutboundSpy:
    """A loopback 'proxy' that only records connections: the server's HTTP(S) requests to the
    outside world (version checks, telemetry, CDN fetches) would come here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.seen.append(conn.recv(200))
            except OSError:
                self.seen.append(b"?")
            conn.close()


@pytest.fixture(scope="module")
def spy():
    s = OutboundSpy()
    yield s
    s.sock.close()


@pytest.fixture(scope="module")
def dashboard(spy):
    """`collabsim viz` on a free loopback port; its address once it answers. Outbound HTTP(S)
    from the server goes to the spy."""
    port = _free_port()
    proxy = f"http://127.0.0.1:{spy.port}"
    env = {**os.environ, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy,
           "https_proxy": proxy, "NO_PROXY": "127.0.0.1,localhost",
           "no_proxy": "127.0.0.1,localhost"}
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "viz", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"collabsim viz exited: {proc.stdout.read()}")
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("collabsim viz did not answer within 90 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _src(page, name: str) -> str:
    return page.locator(f".collabsim-{name} img").first.get_attribute("src") or ""


def _wait_change(page, name: str, old: str, timeout: float = 30.0) -> None:
    page.wait_for_function(
        "([sel, old]) => { const i = document.querySelector(sel); return i && i.src !== old; }",
        arg=[f".collabsim-{name} img", old], timeout=timeout * 1000)


def test_dashboard_in_chromium(dashboard, spy, capsys):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1150})
        outside = []
        page.on("request", lambda r: None if r.url.startswith(
            ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else outside.append(r.url))
        page.goto(dashboard)
        page.get_by_role("button", name="Reset").wait_for(timeout=60_000)
        page.locator(".collabsim-outcomes img").first.wait_for(timeout=60_000)

        for context, private in (("sukhothai", "0.2"), ("khon_kaen", "0.7")):
            page.locator(".v-select").first.click()
            page.locator(".v-list-item-title", has_text=context).click()
            page.get_by_text(f"Private-sector strength: {private}").wait_for(timeout=10_000)

        thumb = page.locator(".collabsim-slider-continuity [role=slider]").first
        thumb.focus()
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        page.get_by_text("Dialogue continuity (การขันน็อต): 0.9").wait_for(timeout=10_000)

        outcomes, network = _src(page, "outcomes"), _src(page, "network")
        page.get_by_role("button", name="Reset").click()
        latencies = []
        for _ in range(12):
            before = _src(page, "outcomes")
            start = time.perf_counter()
            page.get_by_role("button", name="Step").click()
            _wait_change(page, "outcomes", before)
            latencies.append(time.perf_counter() - start)
        assert _src(page, "outcomes") != outcomes

        page.get_by_role("button", name="▶").click()
        time.sleep(6)
        page.get_by_role("button", name="❚❚").click()
        page.get_by_role("button", name="▶").wait_for(timeout=20_000)  # paused
        assert _src(page, "network") != network
        page.get_by_text("Month ", exact=False).first.wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        browser.close()
    median = statistics.median(latencies) * 1000
    with capsys.disabled():
        print(f"\ndashboard: median step → repainted charts {median:.0f} ms "
              f"(12 steps; min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f})")
    assert not outside, f"requests left the machine: {outside[:5]}"
    assert not spy.seen, f"the server tried to reach the network: {spy.seen[:3]}"
    assert np.isfinite(median)


def test_viz_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    import importlib.util

    from sim.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("solara") else real(name, *a))
    with pytest.raises(SystemExit) as exit_:
        main(["viz"])
    assert exit_.value.code == 2
    assert "pip install 'collabsim[viz]'" in capsys.readouterr().err


def test_viz_needs_a_context_and_an_arrangement(cli):
    done = cli("viz", ROOT / "scenarios" / "contexts" / "songkhla.toml")
    assert done.returncode == 2 and "context and an arrangement" in done.stderr


def test_viz_refuses_a_context_outside_the_library_and_a_taken_port(cli, tmp_path):
    (tmp_path / "chiangmai.toml").write_text('kind = "context"\n[context]\nprivate_strength = 0.3\n')
    (tmp_path / "s.toml").write_text(
        f'extends = ["chiangmai.toml", "{ROOT / "scenarios" / "arrangements" / "ppp.toml"}"]\n')
    outside = cli("viz", tmp_path / "s.toml")
    assert outside.returncode == 2 and "'chiangmai' is not in the scenario library" in outside.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = cli("viz", "--port", taken.getsockname()[1])
    assert busy.returncode == 2 and "cannot listen" in busy.stderr and not busy.stdout


def test_viz_starts_from_the_scenarios_slider_values(tmp_path):
    import json

    from sim.viz.launch import scenario_environment

    (tmp_path / "s.toml").write_text(
        f'extends = ["{ROOT / "scenarios" / "contexts" / "songkhla.toml"}", '
        f'"{ROOT / "scenarios" / "arrangements" / "study_center.toml"}"]\n'
        "[dialogue]\ncontinuity = 0.95\n")
    env = scenario_environment(tmp_path / "s.toml")
    assert (env["COLLABSIM_VIZ_CONTEXT"], env["COLLABSIM_VIZ_ARRANGEMENT"]) == (
        "songkhla", "study_center")
    assert json.loads(env["COLLABSIM_VIZ_VALUES"])["continuity"] == 0.95
