"""Worker processes forked where the platform allows: they start at once with everything already
imported (spawn, which `import mesa` 3.3 makes the default, re-imports it all in each, about a
second)."""

from __future__ import annotations

import gc
import multiprocessing
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext


def fork_context() -> BaseContext | None:
    """The fork start method where the platform has it (Linux), else None."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


@contextmanager
def quiet_fork() -> Iterator[None]:
    """Forking inside: what exists is frozen out of the garbage collector meanwhile, so processes
    forked here never walk the inherited objects in their collections (a twentieth of a figure's
    cost); and Python ≥ 3.12's warning of forking a process with threads is silenced, the only
    ones here being the BLAS library's idle workers, which fork handles."""
    gc.freeze()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        gc.unfreeze()
