"""Learning from floods: a common forum of all working groups turns each flood into lessons."""

from __future__ import annotations

import numpy as np

from sim.model.dialogue import attendance_factor
from sim.model.forums import working_groups


def expected_presence(model) -> float:
    """Expected share of working-group seats present at the common forum:
    mean of p_same·(0.5 + 0.5·C_i)·(attendance factor of i), walked-out members absent."""
    a = model.actors
    groups = working_groups(model.forums)
    seats = np.concatenate([f.members for f in groups]) if groups else np.empty(0, int)
    if not len(seats):
        return 0.0
    _, p_same, _ = model.continuity
    come = p_same * (0.5 + 0.5 * a.commitment[seats]) * attendance_factor(model, seats)
    return float(np.where(a.left[seats], 0.0, come).mean())


def debrief(model) -> bool:
    """In the month after a flood a common learning forum (gain ℓ = governance.learning_forum_gain
    > 0) is held with chance p_hold; if held, lessons L += ℓ·presence·(1 − L), presence the
    expected share of working-group seats present, and every later flood's damage share is
    multiplied by (1 − L) (S3: accumulate experience, learn in a common forum)."""
    gain = model.gov["governance.learning_forum_gain"]
    if gain <= 0 or not any(m == model.month - 1 for m, _ in model.floods):
        return False
    p_hold, _, _ = model.continuity
    if model.streams.learning.random() >= p_hold:
        model.log("event.learning_not_met")
        return False
    model.lessons += gain * expected_presence(model) * (1 - model.lessons)
    model.log("event.learning_met", lessons=model.lessons)
    return True
