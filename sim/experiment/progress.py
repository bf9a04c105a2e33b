"""A progress bar of runs done / total with failures and ETA, on stderr, only on a terminal."""

from __future__ import annotations

import sys
from typing import Self

import click


class Progress:
    """click's progress bar when enabled and stderr is a terminal; otherwise silent."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.failed = 0
        self.bar = None
        if enabled and total and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="runs", show_eta=True,
                                         show_pos=True, file=sys.stderr,
                                         item_show_func=self._failures)

    def _failures(self, _item: object) -> str:
        return f"{self.failed} failed" if self.failed else ""

    def advance(self, failed: int) -> None:
        self.failed = failed
        if self.bar is not None:
            self.bar.update(1, current_item=failed)

    def __enter__(self) -> Self:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
