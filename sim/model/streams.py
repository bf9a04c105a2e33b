"""Common random numbers: one generator per submodel, spawned in a fixed order from the run's seed."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model.constants import STREAMS


def spawn_streams(seed_sequence: np.random.SeedSequence) -> SimpleNamespace:
    """One numpy Generator per submodel, named as in STREAMS (new streams go at the end)."""
    children = seed_sequence.spawn(len(STREAMS))
    return SimpleNamespace(**{name: np.random.default_rng(s) for name, s in zip(STREAMS, children)})


def group_streams(init: np.random.Generator, n: int) -> list[np.random.Generator]:
    """Split the initialisation stream per population group, so groups stay identical across
    arrangements that differ in other groups."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(
        init.integers(0, 2**63, size=4).tolist()).spawn(n)]
