"""The teaching dashboard: its figures and model without a browser, then the real page in headless
Chromium — controls, reset, step, play, offline, and the time from a step to repainted charts — and
in Thai: the catalogue, the Thai figures' font, the language switch in the browser. The browser
tests also take the screenshots docs/img/dashboard.png and docs/img/dashboard-th.png."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import warnings

import numpy as np
import pytest
from conftest import ROOT

from sim.model.model import CollaborationModel
from sim.scenario.loader import load_scenario

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOT = ROOT / "docs" / "img" / "dashboard.png"
SCREENSHOT_TH = ROOT / "docs" / "img" / "dashboard-th.png"
THAI = re.compile("[\u0e00-\u0e7f]")


def _need(what: str, missing: bool) -> None:
    """Locally a skip with the reason, under CI=true a failure: CI has every dependency."""
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the dashboard test needs {what}")
        pytest.skip(f"the dashboard test needs {what}")


def _need_viz() -> None:
    _need("the viz extra (pip install 'collabsim[viz]')",
          not all(importlib.util.find_spec(m) for m in ("solara", "solara_assets")))


def _need_thai_font() -> None:
    from sim.i18n.fonts import register_thai_font

    _need("the Thai font (pip install fontpkg-noto-sans-thai)", not register_thai_font())


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
    assert dict(views.counters(m, "en"))["Meetings held"] == m.counters["meetings_held"] > 0
    log = views.event_log(m, lang="en")
    assert log and log[0].startswith("Month ") and int(log[0].split()[1][:-1]) <= 30
    assert views.event_log(m, lang="th")[0].startswith("เดือนที่ ")


def test_every_dashboard_string_has_english_and_thai():
    from string import Formatter

    from sim.i18n import catalogue

    keys = {k: v for k, v in catalogue().items() if k.startswith("dashboard.")}
    assert len(keys) > 40
    for key, entry in keys.items():
        assert entry.get("en", "").strip() and THAI.search(entry.get("th", "")), key
        fields = [{f for _, f, _, _ in Formatter().parse(entry[lang]) if f}
                  for lang in ("en", "th")]
        assert fields[0] == fields[1], f"{key}: {fields}"


def test_the_explanations_have_thai_texts():
    from sim.viz.dashboard_model import texts

    panel = texts()
    assert THAI.search(panel["intro_th"])
    for item in panel["mechanism"]:
        assert THAI.search(item["title_th"]) and THAI.search(item["text_th"]), item["key"]
        assert len(item["text_th"]) > len(item["text"]) / 3, item["key"]  # the whole text
    assert panel["outcomes_th"].keys() == panel["outcomes"].keys()
    assert all(THAI.search(v) for v in panel["outcomes_th"].values())


def test_the_side_panel_describes_the_library_in_both_languages():
    from sim.scenario.library import descriptions
    from sim.viz.views import layer_description, layer_name

    for kind in ("contexts", "arrangements"):
        for stem, english in descriptions(kind).items():
            assert layer_description(kind, stem, "en") == english
            assert THAI.search(layer_description(kind, stem, "th")), (kind, stem)
            assert THAI.search(layer_name(kind, stem, "th")), (kind, stem)


def test_thai_figures_use_a_font_with_thai_glyphs():
    """Drawn in Thai the figures carry Thai titles and warn of no missing glyph; the same title
    drawn without the Thai font does warn (so the check can fail)."""
    from matplotlib.figure import Figure

    from sim.viz import views
    from sim.viz.dashboard_model import DashboardModel

    _need_thai_font()
    m = DashboardModel(seed=2)
    m.run_for(6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcomes = views.outcomes_figure(m, "th")
        network = views.network_figure(m, "th")
        for fig in (outcomes, network):
            assert views.png(fig, "th")[:4] == b"\x89PNG"
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing[:3]
    assert all(THAI.search(ax.get_title()) for ax in outcomes.axes)
    assert THAI.search(outcomes.get_suptitle()) and THAI.search(network.axes[0].get_title())
    assert all(THAI.search(t.get_text()) for t in network.axes[0].get_legend().get_texts())

    control = Figure()
    control.subplots().set_title(outcomes.axes[0].get_title())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        control.savefig(io.BytesIO(), format="png")
    assert any("missing" in str(w.message).lower() for w in caught)


def test_without_the_thai_font_figures_keep_english_labels(monkeypatch):
    from sim.viz import views
    from sim.viz.dashboard_model import DashboardModel

    monkeypatch.setattr(views, "register_thai_font", lambda: False)
    assert views.figure_language("th") == "en"
    fig = views.outcomes_figure(DashboardModel(seed=3), "th")
    assert not any(THAI.search(ax.get_title()) for ax in fig.axes)
    assert fig.axes[0].get_title() == "Trust (cross-sector, 0–1)"


@pytest.mark.filterwarnings("ignore:.*ComponentsView:UserWarning")  # Mesa/Solara note
def test_the_page_opens_in_the_language_in_use(monkeypatch):
    import sim.i18n
    from sim.viz.launch import server_environment

    monkeypatch.setattr(sim.i18n, "_chosen", [])
    sim.i18n.set_language("th")
    assert server_environment()["COLLABSIM_VIZ_LANG"] == "th"
    assert server_environment(lang="en")["COLLABSIM_VIZ_LANG"] == "en"
    _need_viz()
    from sim.viz import app

    monkeypatch.setenv("COLLABSIM_VIZ_LANG", "th")
    sim.i18n.set_language("en")
    assert app.initial_language() == "th"
    monkeypatch.delenv("COLLABSIM_VIZ_LANG")
    assert app.initial_language() == "en"


@pytest.mark.filterwarnings("ignore:.*ComponentsView:UserWarning")
def test_the_page_embeds_and_names_the_thai_font():
    _need_viz()
    _need_thai_font()
    from sim.viz.app import page_css

    css = page_css()
    assert "@font-face" in css and "data:font/ttf;base64," in css and "unicode-range" in css
    assert css.count('"Noto Sans Thai"') >= 3  # the face, Vuetify's stack, the Markdown's


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
    _need(missing or "", bool(missing))
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
           "no_proxy": "127.0.0.1,localhost", "LC_ALL": "C.UTF-8"}  # the page opens in English
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


def _open(browser, url: str, outside: list):
    """A page of the dashboard, loaded, that records requests leaving the machine."""
    page = browser.new_page(viewport={"width": 1500, "height": 1150})
    page.on("request", lambda r: None if r.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else outside.append(r.url))
    page.goto(url)
    page.get_by_role("button", name="Reset").wait_for(timeout=60_000)
    page.locator(".collabsim-outcomes img").first.wait_for(timeout=60_000)
    return page


def _play(page, seconds: float, month_label: str) -> None:
    """Play for a while, pause, and wait until the charts show the month."""
    page.get_by_role("button", name="▶").click()
    time.sleep(seconds)
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="▶").wait_for(timeout=20_000)  # paused
    page.get_by_text(month_label, exact=False).first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)


def test_dashboard_in_chromium(dashboard, spy, capsys):
    from sim.viz.views import layer_name

    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        outside = []
        page = _open(browser, dashboard, outside)

        for context, private in (("sukhothai", "0.2"), ("khon_kaen", "0.7")):
            page.locator(".v-select").first.click()
            name = layer_name("contexts", context, "en")
            page.locator(".v-list-item-title", has_text=re.compile(f"^{name}$")).click()
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

        _play(page, 6, "Month ")
        assert _src(page, "network") != network
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


# Elements whose own text has Thai letters, and the font stacks they are drawn with.
THAI_FONTS = """() => { const out = []; const walk = document.createTreeWalker(document.body,
  NodeFilter.SHOW_TEXT); let n;
  while ((n = walk.nextNode())) { if (/[\\u0E00-\\u0E7F]/.test(n.nodeValue)) {
    out.push([n.nodeValue.trim().slice(0, 40), getComputedStyle(n.parentElement).fontFamily]); } }
  return out; }"""


def test_dashboard_switches_to_thai(dashboard, spy):
    """The English/ไทย switch: controls, cards, charts and explanations in Thai, drawn with the
    embedded Thai font; back to English; nothing fetched from outside. Takes dashboard-th.png."""
    from sim.i18n import text
    from sim.viz.dashboard_model import texts

    sync_playwright = _browser_or_skip()
    first = texts()["mechanism"][0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        outside = []
        page = _open(browser, dashboard, outside)
        norms = page.locator(".collabsim-label-norm_strength").first
        assert norms.inner_text().startswith("Norm strength")
        before = _src(page, "outcomes")

        page.get_by_role("button", name="ไทย").click()
        page.get_by_text(text("dashboard.control.context", "th")).first.wait_for(timeout=10_000)
        _wait_change(page, "outcomes", before)  # the charts are redrawn in Thai
        assert norms.inner_text().startswith(text("dashboard.slider.norm_strength", "th"))
        assert THAI.search(page.locator(".collabsim-choose-contexts").first.inner_text())
        for card in ("scenario", "run", "counters", "events", "explanation"):
            page.get_by_text(text(f"dashboard.card.{card}", "th"), exact=True).first.wait_for(
                timeout=10_000)
        page.get_by_text(first["title_th"]).first.wait_for(timeout=10_000)
        page.get_by_text(first["text_th"][:40]).first.wait_for(timeout=10_000)
        assert page.get_by_text(first["text"][:40]).count() == 0  # the English text is gone

        page.get_by_role("button", name="Reset").click()
        _play(page, 10, text("dashboard.chart.month_title", "th", month=""))
        assert page.evaluate("document.fonts.check('16px \"Noto Sans Thai\"', 'ก')")
        stacks = page.evaluate(THAI_FONTS)
        assert stacks and all("Noto Sans Thai" in font for _, font in stacks), [
            s for s in stacks if "Noto Sans Thai" not in s[1]][:3]
        SCREENSHOT_TH.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_TH))

        page.get_by_role("button", name="English").click()
        page.get_by_text("Norm strength").first.wait_for(timeout=10_000)
        page.get_by_text(first["text"][:40]).first.wait_for(timeout=10_000)
        browser.close()
    assert not outside, f"requests left the machine: {outside[:5]}"
    assert not spy.seen, f"the server tried to reach the network: {spy.seen[:3]}"
