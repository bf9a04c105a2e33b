"""Docking with Axelrod (1986): the norms and metanorms games played through the model's own
decision, punishment, metanorm, selection and mutation functions, vectorised over seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.model import constants as k
from sim.model.compliance import temptation_payoff, violates
from sim.model.revision import axelrod_offspring, axelrod_parents, flip_bits
from sim.model.sanctions import metapunishes, punishes

AGENTS, CHANCES = 20, 4  # Axelrod's population and chances to defect per generation
TEMPTATION, HURT, PUNISHMENT, ENFORCEMENT = 3.0, 1.0, 9.0, 2.0
MUTATION = 0.01
ESTABLISHED = (2 / 7, 5 / 7)  # mean boldness ≤, mean vengefulness ≥
COLLAPSED = (6 / 7, 1 / 7)  # mean boldness ≥, mean vengefulness ≤


@dataclass
class Population:
    """Boldness and vengefulness (0 … 7) of every agent of every seed: arrays [seed, agent]."""

    boldness: np.ndarray
    vengefulness: np.ndarray


def others_of(n: int) -> np.ndarray:
    """witnesses[i]: the n − 1 agents other than i, in order (every other agent is a witness)."""
    return np.array([[j for j in range(n) if j != i] for i in range(n)])


def draw_chances(rng: np.random.Generator, bold: np.ndarray, metanorms: bool):
    """One seed's chances of a generation: S ~ U(0, 1) per chance (agent-major), the violations
    (S < B), and for each violation the witnesses' seeing, punishing and metanorm draws."""
    S = rng.random(AGENTS * CHANCES)
    owner = np.repeat(np.arange(AGENTS), CHANCES)
    violate = violates(S, bold[owner] / 7, 0.0, 1.0, 1.0, 1.0)
    nv, w = int(violate.sum()), AGENTS - 1
    u_see, u_pun = rng.random((nv, w)), rng.random((nv, w))
    u_meta = rng.random((nv, w, w)) if metanorms else None
    return owner[violate], S[violate], u_see, u_pun, u_meta


def scores_of(pop: Population, rngs: list[np.random.Generator], metanorms: bool) -> np.ndarray:
    """One generation's payoffs [seed, agent]: +3 per defection and −1 to every other agent;
    −9 per punishment received, −2 per punishment given; with metanorms, the same for
    metapunishments of witnesses who saw the defection and let it pass (Axelrod 1986)."""
    n_seeds, witnesses = len(rngs), others_of(AGENTS)
    draws = [draw_chances(rng, pop.boldness[s], metanorms) for s, rng in enumerate(rngs)]
    seed = np.concatenate([np.full(len(d[0]), s) for s, d in enumerate(draws)]).astype(int)
    defector, S, u_see, u_pun = (np.concatenate([d[i] for d in draws]) for i in range(4))
    wid = witnesses[defector]  # [violation, witness slot] → agent
    flat = seed[:, None] * AGENTS + wid
    V = pop.vengefulness[seed[:, None], wid]
    sees = u_see < S[:, None]
    punish = punishes(sees, u_pun, V)
    score = np.zeros(n_seeds * AGENTS)
    np.add.at(score, seed * AGENTS + defector,
              temptation_payoff(TEMPTATION, 0.0, 1.0, 1.0) - PUNISHMENT * punish.sum(axis=1))
    slot = -HURT - ENFORCEMENT * punish  # what each witness slot gets
    if metanorms:
        u_meta = np.concatenate([d[4] for d in draws])
        meta = metapunishes(sees & ~punish, S, u_meta, V)
        slot = slot - PUNISHMENT * meta.sum(axis=2) - ENFORCEMENT * meta.sum(axis=1)
    score += np.bincount(flat.ravel(), slot.ravel(), minlength=n_seeds * AGENTS)
    return score.reshape(n_seeds, AGENTS)


def next_generation(pop: Population, score: np.ndarray, rngs: list[np.random.Generator]) -> None:
    """Axelrod's selection (2 / 1 / 0 offspring at mean ± 1 sd; Galán & Izquierdo's tie rule),
    the population kept at 20, then each bit flips with chance 0.01."""
    counts = axelrod_offspring(score)
    for s, rng in enumerate(rngs):
        parents = axelrod_parents(counts[s], rng, AGENTS)
        flips = rng.random((AGENTS, 2, k.BITS)) < MUTATION
        pop.boldness[s] = flip_bits(pop.boldness[s, parents], flips[:, 0])
        pop.vengefulness[s] = flip_bits(pop.vengefulness[s, parents], flips[:, 1])


def play(seeds: list[np.random.SeedSequence], generations: int, metanorms: bool,
         progress: Callable[[int], None] | None = None) -> Population:
    """The final population of each seed's game (initial bits uniform); each seed draws only from
    its own generator, so a seed's result does not depend on which seeds are played beside it."""
    rngs = [np.random.default_rng(s) for s in seeds]
    bits = np.array([rng.integers(0, 2**k.BITS, size=(2, AGENTS)) for rng in rngs])
    pop = Population(bits[:, 0].copy(), bits[:, 1].copy())
    for g in range(generations):
        next_generation(pop, scores_of(pop, rngs, metanorms), rngs)
        if progress is not None:
            progress(g + 1)
    return pop


def regimes(pop: Population) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: norm established (mean B ≤ 2/7 and mean V ≥ 5/7) and collapsed (B ≥ 6/7, V ≤ 1/7)."""
    b, v = pop.boldness.mean(axis=1) / 7, pop.vengefulness.mean(axis=1) / 7
    tol = 1e-12
    established = (b <= ESTABLISHED[0] + tol) & (v >= ESTABLISHED[1] - tol)
    collapsed = (b >= COLLAPSED[0] - tol) & (v <= COLLAPSED[1] + tol)
    return established, collapsed


def axelrod(seeds: int, generations: int, metanorms: bool, seed: int,
            progress: Callable[[int], None] | None = None) -> dict:
    """Shares of seeds where the norm is established or collapsed at the final generation; seed
    r plays with SeedSequence(seed).spawn(seeds)[r]."""
    pop = play(np.random.SeedSequence(seed).spawn(seeds), generations, metanorms, progress)
    established, collapsed = regimes(pop)
    return {"game": "metanorms" if metanorms else "norms", "seeds": seeds,
            "generations": generations, "established": float(established.mean()),
            "collapsed": float(collapsed.mean())}
