"""The dashboard page: choosers and sliders, Mesa's model controller (reset, play/pause, step),
the outcome charts, the trust network, counters, the event log and a side panel in plain words.

Run with `collabsim viz` (which starts `solara run sim.viz.app` with telemetry off)."""

from __future__ import annotations

import inspect
import json
import os

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from sim.scenario.library import descriptions
from sim.viz import views
from sim.viz.dashboard_model import DashboardModel, context_values, texts

SLIDERS = (  # name, label, min, max, step
    ("continuity", "Dialogue continuity (การขันน็อต)", 0.0, 1.0, 0.05),
    ("norm_strength", "Norm strength", 0.0, 1.0, 0.05),
    ("private_strength", "Private-sector strength", 0.0, 1.0, 0.05),
    ("official_tenure", "Official tenure, months", 6, 60, 1),
    ("initial_trust", "Initial trust", 0.0, 1.0, 0.05),
)


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
def Controls(params: solara.Reactive[dict]) -> None:
    """Choosers and sliders; a new context moves the sliders to the values it sets."""
    p = params.value

    def set_value(name, value):
        params.value = {**params.value, name: value}

    def set_context(context):
        params.value = {**params.value, "context": context, **context_values(context)}

    solara.Select("Context (province)", value=p["context"], values=list(descriptions("contexts")),
                  on_value=set_context)
    solara.Select("Arrangement", value=p["arrangement"],
                  values=list(descriptions("arrangements")),
                  on_value=lambda v: set_value("arrangement", v))
    for name, label, low, high, step in SLIDERS:
        slider = solara.SliderInt if isinstance(step, int) else solara.SliderFloat
        solara.Text(f"{label}: {p[name]:g}", classes=[f"collabsim-label-{name}"])
        with solara.Div(classes=[f"collabsim-slider-{name}"]):
            slider("", value=p[name], min=low, max=high, step=step,
                   on_value=lambda v, n=name: set_value(n, v))
    solara.InputInt("Seed", value=p["seed"], on_value=lambda v: set_value("seed", v))
    solara.Markdown("*Change a control, then press **Reset** to start the new scenario.*")


@solara.component
def Charts(model: solara.Reactive[DashboardModel]) -> None:
    """The outcomes over time and the trust network, redrawn after every step."""
    update_counter.get()
    m = model.value
    moment = [id(m), m.steps]  # redraw when the model or its month changes
    with solara.Div(classes=["collabsim-outcomes"]):
        solara.FigureMatplotlib(views.outcomes_figure(m), dependencies=moment, format="png",
                                dpi=80)
    with solara.Div(classes=["collabsim-network"]):
        solara.FigureMatplotlib(views.network_figure(m), dependencies=moment, format="png",
                                dpi=80)


@solara.component
def Activity(model: solara.Reactive[DashboardModel]) -> None:
    """Counters and the event log."""
    update_counter.get()
    m = model.value
    with solara.Columns([1, 2]):
        with solara.Card("Counters"):
            rows = "\n".join(f"| {label} | {value} |" for label, value in views.counters(m))
            solara.Markdown(f"| | |\n|---|---:|\n{rows}")
        with solara.Card("What happened"):
            lines = views.event_log(m) or ["Nothing yet: press ▶ or Step."]
            solara.Markdown("\n".join(f"- {line}" for line in lines))


@solara.component
def Explanation(params: dict) -> None:
    """The side panel: the arrangement and context in plain words, and what the mechanisms do."""
    panel = texts()
    solara.Markdown(f"**Arrangement:** {descriptions('arrangements')[params['arrangement']]}\n\n"
                    f"**Context:** {descriptions('contexts')[params['context']]}\n\n"
                    f"{panel.get('intro', '')}")
    for item in panel.get("mechanism", []):
        solara.Markdown(f"**{item['title']}**  \n{item['text']}")
    outcomes = panel.get("outcomes", {})
    if outcomes:
        solara.Markdown("**The charts**\n\n" + "\n".join(
            f"- *{views.LABELS[k]}*: {v}" for k, v in outcomes.items() if k in views.LABELS))


@solara.component
def Page() -> None:
    """The whole dashboard (one model per browser session)."""
    params = solara.use_reactive(solara.use_memo(initial_parameters, []))
    first = solara.use_memo(lambda: DashboardModel(**params.value), [])
    model = solara.use_reactive(first)
    play_interval = solara.use_reactive(300)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    solara.Title("collabsim — collaboration dashboard")
    solara.Markdown("## collabsim: dialogue, norms and collaboration")
    with solara.Columns([1.2, 3, 1.3]):
        with solara.Column():
            with solara.Card("Scenario"):
                Controls(params)
            with solara.Card("Run"):
                ModelController(model, model_parameters=params, play_interval=play_interval,
                                render_interval=render_interval, use_threads=use_threads)
                solara.Text(f"Play speed: {play_interval.value} ms per month")
                solara.SliderInt("", value=play_interval, min=50, max=1000, step=50)
        with solara.Column():
            Charts(model)
            Activity(model)
        with solara.Column(), solara.Card("What you are looking at"):
            Explanation(params.value)
