"""What the submodels work out once per run: rosters, index layouts and masks of attributes that
are fixed after set-up (sectors, readiness, resources, forum seats)."""

from __future__ import annotations


def run_memo(model) -> dict:
    """A dict kept on the model for what is fixed during a run, filled by the submodels on first
    use (each under a key named after its module)."""
    memo = model.__dict__.get("_run_memo")
    if memo is None:
        memo = model._run_memo = {}
    return memo
