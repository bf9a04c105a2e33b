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


SKIP_BY_DRAWING = 4096  # fewer uniforms than this are cheaper to draw than to jump over


def skip_uniforms(rng: np.random.Generator, n: int) -> None:
    """Advance the stream as if n uniforms had been drawn (PCG64 spends one 64-bit word per
    double), so a draw that is not needed costs nothing and every later draw stays the same.
    `advance` drops the half-word that 32-bit integer draws keep in reserve; it is put back.
    A few are simply drawn and dropped: that leaves the same state, sooner."""
    if n < SKIP_BY_DRAWING:
        rng.random(int(n))
        return
    bits = rng.bit_generator
    before = bits.state
    bits.advance(int(n))
    bits.state = {**bits.state, "has_uint32": before["has_uint32"], "uinteger": before["uinteger"]}
