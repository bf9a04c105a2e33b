"""The model as the dashboard builds it: a context and an arrangement from the library, and the
handful of keys a class varies, as plain keyword arguments (Mesa's controller passes them)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sim.model.model import CollaborationModel
from sim.scenario.library import layer_files
from sim.scenario.loader import compose_scenario, read_layers

TEXTS = Path(__file__).with_name("explanations.toml")
SLIDER_KEYS = {
    "continuity": "dialogue.continuity",
    "norm_strength": "norms.strength",
    "private_strength": "context.private_strength",
    "official_tenure": "context.official_tenure_months",
    "initial_trust": "context.initial_trust",
}


def texts() -> dict:
    """The dashboard's data file: the side panel's texts and the scenario it opens with."""
    with open(TEXTS, "rb") as fh:
        return tomllib.load(fh)


class DashboardModel(CollaborationModel):
    """A CollaborationModel of `context` × `arrangement` with the sliders' values set on top."""

    def __init__(self, context: str | None = None, arrangement: str | None = None,
                 continuity: float = 0.6, norm_strength: float = 0.5,
                 private_strength: float = 0.7, official_tenure: float = 40.0,
                 initial_trust: float = 0.45, seed: int = 1) -> None:
        values = {"continuity": continuity, "norm_strength": norm_strength,
                  "private_strength": private_strength, "official_tenure": official_tenure,
                  "initial_trust": initial_trust}
        overrides = {SLIDER_KEYS[k]: float(v) for k, v in values.items()}
        start = texts().get("start", {})
        context, arrangement = context or start["context"], arrangement or start["arrangement"]
        scenario = compose_scenario([layer_files("contexts")[context],
                                     layer_files("arrangements")[arrangement]], overrides)
        super().__init__(scenario=scenario, seed=int(seed))
        self.context, self.arrangement = context, arrangement


def context_values(context: str) -> dict[str, float]:
    """The slider keys a context file sets itself, with its values (what the sliders jump to
    when the context is chosen); keys it leaves alone keep the class's settings."""
    own, _, _ = read_layers(layer_files("contexts")[context])
    return {name: float(own[key]) for name, key in SLIDER_KEYS.items()
            if isinstance(own.get(key), int | float)}
