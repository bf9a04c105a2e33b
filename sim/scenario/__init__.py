"""Scenario files: keys and defaults, TOML composition, validation, JSON Schema."""

from sim.scenario.errors import ScenarioError
from sim.scenario.loader import Scenario, load_scenario
from sim.scenario.parameters import PARAMETERS

__all__ = ["PARAMETERS", "Scenario", "ScenarioError", "load_scenario"]
