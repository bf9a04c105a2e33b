"""Worker processes forked where the platform allows: they start at once with everything already
imported (spawn, which `import mesa` 3.3 makes the default, re-imports it all in each, about a
second)."""

from __future__ import annotations

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
    """Forking inside: Python ≥ 3.12 warns of forking a process with threads; the only ones here
    are the BLAS library's idle workers, which fork handles."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
