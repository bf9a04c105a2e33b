"""Directed trust ties held sparsely in numpy arrays: memory grows with ties, never actors²."""

from __future__ import annotations

import numpy as np


class Ties:
    """Trust T[src→dst] on existing ties, each with its own starting level T0, sorted by key."""

    def __init__(self, n_actors: int) -> None:
        self.n = n_actors
        self.key = np.empty(0, np.int64)
        self.src = np.empty(0, np.int64)
        self.dst = np.empty(0, np.int64)
        self.trust = np.empty(0)
        self.t0 = np.empty(0)
        self.contact = np.empty(0, bool)
        self._per_actor: tuple | None = None  # see per_actor

    def __len__(self) -> int:
        return len(self.key)

    def find(self, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        """Index of each tie src→dst, or -1 where there is none."""
        return self.index(np.asarray(src, np.int64) * self.n + np.asarray(dst, np.int64))

    def index(self, want: np.ndarray) -> np.ndarray:
        """Index of each tie of key src·n + dst, or -1 where there is none."""
        if not len(self.key):
            return np.full(np.shape(want), -1, np.int64)
        pos = np.minimum(np.searchsorted(self.key, want), len(self.key) - 1)
        return np.where(self.key[pos] == want, pos, -1)  # past the end: key[-1] < want

    def ensure(self, src: np.ndarray, dst: np.ndarray, t0: np.ndarray) -> np.ndarray:
        """Create the missing ties (at their T0) and return the index of every tie asked for."""
        want = np.asarray(src, np.int64) * self.n + np.asarray(dst, np.int64)
        idx = self.index(want)
        new = idx < 0
        if new.any():
            nk, first = np.unique(want[new], return_index=True)
            t0n = np.asarray(t0, float)[new][first]
            key = np.concatenate([self.key, nk])
            order = np.argsort(key, kind="stable")
            self.key = key[order]
            self.src, self.dst = np.divmod(self.key, self.n)
            self.trust = np.concatenate([self.trust, t0n])[order]
            self.t0 = np.concatenate([self.t0, t0n])[order]
            self.contact = np.concatenate([self.contact, np.zeros(len(nk), bool)])[order]
            idx = self.index(want)
        return idx

    def seed(self, src: np.ndarray, dst: np.ndarray, trust: np.ndarray, t0: np.ndarray) -> None:
        """Ties of a tie file: each starts at its given trust and drifts toward its T0."""
        idx = self.ensure(src, dst, t0)  # before indexing: ensure replaces the arrays
        self.trust[idx] = np.asarray(trust, float)

    def per_actor(self, n: int) -> tuple:
        """Per actor (n of them): whether it has ties in, its number of ties in, whether it has
        ties out, its number of ties out (at least 1) and the mean T0 of its ties out; worked out
        again whenever ties are added (that replaces the tie arrays)."""
        kept = self._per_actor
        if kept is None or kept[0] is not self.src or kept[1] is not self.t0 or kept[2] != n:
            count_in = np.bincount(self.dst, minlength=n)
            count_out = np.bincount(self.src, minlength=n)
            out = np.maximum(count_out, 1)
            t0_mean = np.bincount(self.src, self.t0, minlength=n) / out
            kept = self._per_actor = (self.src, self.t0, n, count_in > 0, count_in,
                                      count_out > 0, out, t0_mean)
        return kept[3:]

    def incoming_mean(self, n: int) -> np.ndarray:
        """Mean incoming trust per actor (soft power); 0 for actors nobody has a tie to."""
        has, count = self.per_actor(n)[:2]
        total = np.bincount(self.dst, self.trust, minlength=n)
        return np.divide(total, count, out=np.zeros(n), where=has)

    def outgoing_mean(self, n: int, default: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean trust on each actor's own ties and the mean T0 of those ties (default if none)."""
        has, count, t0_mean = self.per_actor(n)[2:]
        tot = np.bincount(self.src, self.trust, minlength=n)
        return np.where(has, tot / count, default), np.where(has, t0_mean, default)

    def touching(self, actor: int) -> np.ndarray:
        """Indices of every tie from or to `actor`."""
        return np.flatnonzero((self.src == actor) | (self.dst == actor))
