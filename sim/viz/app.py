"""The dashboard page: choosers and sliders, Mesa's model controller (reset, play/pause, step),
the outcome charts, the trust network, counters, the event log and a side panel in plain words,
in English or Thai (the English/ไทย switch at the top of the controls; it starts in
$COLLABSIM_VIZ_LANG, which `collabsim viz` sets from --lang or the locale). Labels come from
sim/i18n/strings/dashboard.toml, the side panel's texts from explanations.toml.

Run with `collabsim viz` (which starts `solara run sim.viz.app` with telemetry off)."""

from __future__ import annotations

import inspect
import json
import os
from functools import cache

import reacton.ipyvuetify as rv
import reacton.ipywidgets as rw
import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from sim.i18n import LANGUAGES, has, language, text
from sim.i18n.fonts import FAMILY, font_face_css
from sim.scenario.library import descriptions
from sim.viz import views
from sim.viz.dashboard_model import DashboardModel, context_values, texts

SLIDERS = (  # name, min, max, step; labels: dashboard.slider.<name>
    ("continuity", 0.0, 1.0, 0.05),
    ("norm_strength", 0.0, 1.0, 0.05),
    ("private_strength", 0.0, 1.0, 0.05),
    ("official_tenure", 6, 60, 1),
    ("initial_trust", 0.0, 1.0, 0.05),
)
LANGUAGE_NAMES = {"en": "English", "th": "ไทย"}  # each in its own language, as switches are
THAI = f'"{FAMILY}"'


def initial_language() -> str:
    """The page's first language: $COLLABSIM_VIZ_LANG (set by `collabsim viz`), else the
    language in use (--lang or the locale)."""
    chosen = os.environ.get("COLLABSIM_VIZ_LANG")
    return chosen if chosen in LANGUAGES else language()


@cache
def page_css() -> str:
    """The Thai font embedded as a data URI (so Thai shows on a machine without a Thai font, and
    nothing is fetched), for Thai letters only, and named in the page's font stacks after their
    Latin fonts: Vuetify's (Roboto) and the Markdown's (the system's)."""
    face = font_face_css()
    vuetify = f"Roboto, {THAI}, sans-serif"
    markdown = (f'-apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, {THAI}, '
                'sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol"')
    return (face + ".v-application, .v-application :is([class*='text-h'], [class*='text-body'], "
            "[class*='text-subtitle'], .text-button, .text-caption, .text-overline), .v-btn, "
            ".v-label, .v-field, .v-list-item-title, .v-select__selection-text, .v-card-title "
            f"{{ font-family: {vuetify} !important; }}\n"
            f".solara-markdown, .solara-markdown :is(h1, h2, h3, h4, h5, h6, table) "
            f"{{ font-family: {markdown} !important; }}")


def local(table: dict, field: str, lang: str):
    """`field` of a table of explanations.toml in `lang` (field_th in Thai), else the English."""
    return table.get(f"{field}_{lang}", table.get(field)) if lang != "en" else table.get(field)


def initial_parameters() -> dict:
    """The first scenario: $COLLABSIM_VIZ_CONTEXT / _ARRANGEMENT if set, else the data file's."""
    start = texts()["start"]
    context = os.environ.get("COLLABSIM_VIZ_CONTEXT") or start["context"]
    arrangement = os.environ.get("COLLABSIM_VIZ_ARRANGEMENT") or start["arrangement"]
    defaults = {name: p.default for name, p in
                inspect.signature(DashboardModel.__init__).parameters.items() if name != "self"}
    chosen = json.loads(os.environ.get("COLLABSIM_VIZ_VALUES") or "{}")
    return {**defaults, "context": context, "arrangement": arrangement,
            **context_values(context), **chosen}


@solara.component
def Chooser(label: str, kind: str, value: str, on_value, lang: str) -> None:
    """A chooser of the library's contexts or arrangements, shown by name, valued by stem."""
    items = [{"title": views.layer_name(kind, stem, lang), "value": stem}
             for stem in descriptions(kind)]
    rv.Select(label=label, v_model=value, on_v_model=on_value, items=items,
              class_=f"collabsim-choose-{kind}")


@solara.component
def Controls(params: solara.Reactive[dict], lang: str) -> None:
    """Choosers and sliders; a new context moves the sliders to the values it sets."""
    p = params.value

    def set_value(name, value):
        params.value = {**params.value, name: value}

    def set_context(context):
        params.value = {**params.value, "context": context, **context_values(context)}

    Chooser(text("dashboard.control.context", lang), "contexts", p["context"], set_context, lang)
    Chooser(text("dashboard.control.arrangement", lang), "arrangements", p["arrangement"],
            lambda v: set_value("arrangement", v), lang)
    for name, low, high, step in SLIDERS:
        slider = solara.SliderInt if isinstance(step, int) else solara.SliderFloat
        solara.Text(f"{text(f'dashboard.slider.{name}', lang)}: {p[name]:g}",
                    classes=[f"collabsim-label-{name}"])
        with solara.Div(classes=[f"collabsim-slider-{name}"]):
            slider("", value=p[name], min=low, max=high, step=step,
                   on_value=lambda v, n=name: set_value(n, v))
    solara.InputInt(text("dashboard.control.seed", lang), value=p["seed"],
                    on_value=lambda v: set_value("seed", v))
    solara.Markdown(text("dashboard.control.hint", lang))


@solara.component
def Chart(name: str, draw, moment: list) -> None:
    """A figure as a PNG, redrawn only when `moment` changes."""
    image = solara.use_memo(draw, moment)
    with solara.Div(classes=[f"collabsim-{name}"]):
        rw.Image(value=image, format="png")


@solara.component
def Charts(model: solara.Reactive[DashboardModel], lang: str) -> None:
    """The outcomes over time and the trust network, redrawn after every step and on a switch
    of language (in Thai with the Thai font)."""
    update_counter.get()
    m = model.value
    moment = [id(m), m.steps, lang]  # redraw when the model, its month or the language changes
    Chart("outcomes", lambda: views.png(views.outcomes_figure(m, lang), lang), moment)
    Chart("network", lambda: views.png(views.network_figure(m, lang), lang), moment)
    if lang != views.figure_language(lang):
        solara.Text(text("dashboard.font_notice", lang), classes=["collabsim-font-notice"])


@solara.component
def Activity(model: solara.Reactive[DashboardModel], lang: str) -> None:
    """Counters and the event log (its entries are the model's, in English)."""
    update_counter.get()
    m = model.value
    with solara.Columns([1, 2]):
        with solara.Card(text("dashboard.card.counters", lang)):
            rows = "\n".join(f"| {label} | {value} |" for label, value in views.counters(m, lang))
            solara.Markdown(f"| | |\n|---|---:|\n{rows}")
        with solara.Card(text("dashboard.card.events", lang)):
            lines = views.event_log(m, lang=lang) or [text("dashboard.events.none", lang)]
            solara.Markdown("\n".join(f"- {line}" for line in lines))


@solara.component
def Explanation(params: dict, lang: str) -> None:
    """The side panel: the arrangement and context in plain words, and what the mechanisms do."""
    panel = texts()
    arrangement = views.layer_description("arrangements", params["arrangement"], lang)
    context = views.layer_description("contexts", params["context"], lang)
    solara.Markdown(f"**{text('dashboard.panel.arrangement', lang)}:** {arrangement}\n\n"
                    f"**{text('dashboard.panel.context', lang)}:** {context}\n\n"
                    f"{local(panel, 'intro', lang) or ''}")
    for item in panel.get("mechanism", []):
        solara.Markdown(f"**{local(item, 'title', lang)}**  \n{local(item, 'text', lang)}")
    outcomes = local(panel, "outcomes", lang) or {}
    if outcomes:
        solara.Markdown(f"**{text('dashboard.panel.charts', lang)}**\n\n" + "\n".join(
            f"- *{text(f'outcome.{k}', lang)}*: {v}" for k, v in outcomes.items()
            if has(f"outcome.{k}")))


@solara.component
def LanguageSwitch(lang: solara.Reactive[str]) -> None:
    """English / ไทย: every label, chart and explanation of the page follows it."""
    with solara.Row(classes=["collabsim-language"],
                    style={"align-items": "center", "padding": "0 12px", "gap": "8px"}):
        solara.Text(f"{text('dashboard.language', lang.value)}:")
        with solara.ToggleButtonsSingle(value=lang, dense=True):
            for code in LANGUAGES:
                solara.Button(LANGUAGE_NAMES[code], value=code, text=True)


@solara.component
def Page() -> None:
    """The whole dashboard (one model and one language per browser session)."""
    params = solara.use_reactive(solara.use_memo(initial_parameters, []))
    first = solara.use_memo(lambda: DashboardModel(**params.value), [])
    model = solara.use_reactive(first)
    lang = solara.use_reactive(solara.use_memo(initial_language, []))
    play_interval = solara.use_reactive(300)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    here = lang.value
    solara.Style(page_css())
    solara.Title(text("dashboard.title", here))
    with solara.Div(classes=["collabsim-page"]):
        solara.Markdown(f"## {text('dashboard.heading', here)}")
        with solara.Columns([1.2, 3, 1.3]):
            with solara.Column():
                LanguageSwitch(lang)
                with solara.Card(text("dashboard.card.scenario", here)):
                    Controls(params, here)
                with solara.Card(text("dashboard.card.run", here)):
                    ModelController(model, model_parameters=params, play_interval=play_interval,
                                    render_interval=render_interval, use_threads=use_threads)
                    solara.Text(text("dashboard.control.buttons", here),
                                style={"display": "block", "font-size": "0.85em",
                                       "color": "#555", "margin": "4px 0 8px"})
                    solara.Text(text("dashboard.control.speed", here, ms=play_interval.value),
                                style={"display": "block"})
                    solara.SliderInt("", value=play_interval, min=50, max=1000, step=50)
            with solara.Column():
                Charts(model, here)
                Activity(model, here)
            with solara.Column(), solara.Card(text("dashboard.card.explanation", here)):
                Explanation(params.value, here)
