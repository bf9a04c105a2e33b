"""Mesa agents: each actor's identity, with its state exposed as read-only views of the arrays."""

from __future__ import annotations

import mesa
import numpy as np

from sim.model import constants as k


class Actor(mesa.Agent):
    """An actor of one sector at one level; its rules live in the model's vectorised submodels."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    def _get(self, name: str):
        return getattr(self.model.actors, name)[self.index]

    @property
    def sector(self) -> str:
        return k.SECTOR_NAMES[self._get("sector")]

    @property
    def level(self) -> str:
        return k.LEVEL_NAMES[self._get("level")]

    @property
    def role(self) -> str:
        return k.ROLE_NAMES[self._get("role")]

    @property
    def commitment(self) -> float:
        return float(self._get("commitment"))

    @property
    def norm_internalisation(self) -> float:
        return float(self._get("norm"))

    @property
    def public_trust(self) -> float:
        return float(self._get("public_trust"))

    @property
    def resources(self) -> float:
        return float(self._get("resources"))

    @property
    def is_knowledge_holder(self) -> bool:
        return bool(self._get("knowledge"))

    @property
    def position(self) -> np.ndarray:
        """Economy, environment, equity position (a read-only copy)."""
        view = self.model.actors.position[self.index].copy()
        view.flags.writeable = False
        return view

    @property
    def soft_power(self) -> float:
        return float(self.model.soft_power[self.index])

    def trust_in(self, other: Actor) -> float | None:
        """This actor's trust in `other`, or None where there is no tie."""
        idx = self.model.ties.find(np.array([self.index]), np.array([other.index]))[0]
        return None if idx < 0 else float(self.model.ties.trust[idx])
