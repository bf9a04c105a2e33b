"""collabsim: an agent-based model of multi-stakeholder, multi-level collaboration."""

from sim.model.model import CollaborationModel
from sim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["CollaborationModel", "Scenario", "ScenarioError", "load_scenario"]
