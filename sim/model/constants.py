"""Codes for sectors, levels and depths, and the fixed numbers of MODEL.md that are not keys."""

from __future__ import annotations

import numpy as np

CENTRAL, LOCAL, BUSINESS, CIVIL = 0, 1, 2, 3
SECTOR_NAMES = ("central", "local", "business", "civil")
POLICY, MANAGEMENT, OPERATION = 0, 1, 2
LEVEL_NAMES = ("policy", "management", "operation")
WEAK, SELF_RELIANT, VOLUNTEER, ORGANISED = 0, 1, 2, 3

# Roles: which population an actor belongs to.
BOARD, WORKING_GROUP, FIRM, COMMUNITY, CITIZENS = 0, 1, 2, 3, 4
ROLE_NAMES = ("board member", "working-group member", "firm", "community group", "citizens' group")

DEPTH_WEIGHT = {"inform": 0.25, "consult": 0.5, "collaborate": 0.75, "consensus": 1.0}

SECTOR_CENTRES = np.array([[0.6, 0.5, 0.5], [0.5, 0.5, 0.6], [0.8, 0.3, 0.3], [0.3, 0.7, 0.8]])
MEMBER_RESOURCES = np.array([3.0, 2.0, 2.0, 1.0])  # central, local, business, civil forum members
OPERATION_RESOURCES = {FIRM: 1.0, COMMUNITY: 0.5, CITIZENS: 0.5}
WEAK_RESOURCES = 0.3
# Hard power by (sector, level): central policy 1.0, central management 0.6, local 0.8 / 0.5.
HARD_POWER = {(CENTRAL, POLICY): 1.0, (CENTRAL, MANAGEMENT): 0.6,
              (LOCAL, POLICY): 0.8, (LOCAL, MANAGEMENT): 0.5}
MANDATE_INTENSITY = {"voluntary": 0.3, "contract": 0.7, "statute": 1.0}
# Pooling types (Fischbacher, Gächter & Fehr 2001): (a, b) and the pledged a under an agreement.
CONDITIONAL, FREE_RIDER, WEAK_CONDITIONAL = 0, 1, 2
POOLING_A = np.array([0.1, 0.0, 0.1])
POOLING_B = np.array([0.8, 0.0, 0.4])
PLEDGED_A = np.array([0.25, 0.0, 0.1])
BITS = 3  # boldness and vengefulness are 3-bit numbers 0/7 … 7/7 (Axelrod 1986)
STREAMS = ("initialisation", "meetings", "deliberation", "compliance", "rotation", "shocks",
           "founding", "funding", "hearings", "sanctions", "revision", "learning",
           "context")  # context: draws of plausible ranges (sim/scenario/ranges.py)
