"""The ODD parameter table, generated from the parameter definitions so the two never drift.

`python -m sim.scenario.docs` rewrites the table between the markers in docs/ODD.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.scenario.parameters import PARAMETERS, Param

BEGIN, END = "<!-- BEGIN PARAMETER TABLE -->", "<!-- END PARAMETER TABLE -->"


def _default(p: Param) -> str:
    if p.optional:
        return "(from dialogue.continuity)"
    if p.kind == "funding":
        return "1 × cost, monthly" if p.default else "none"
    if isinstance(p.default, float):
        return f"{p.default:.4g}"
    return str(p.default).lower() if isinstance(p.default, bool) else str(p.default)


def _range(p: Param) -> str:
    if p.kind == "choice":
        return " / ".join(p.choices)
    if p.kind in ("bool", "str", "funding"):
        return {"bool": "true / false", "str": "file name", "funding": "list of streams"}[p.kind]
    hi = "∞" if p.high is None else f"{p.high:g}"
    return f"{p.low:g}–{hi}" if p.low is not None else "any"


def parameter_table() -> str:
    """Markdown: key, default, range, unit, source, meaning — one row per scenario key."""
    rows = ["| key | default | range | unit | source | meaning |", "|---|---|---|---|---|---|"]
    for p in PARAMETERS.values():
        rows.append(f"| `{p.path}` | {_default(p)} | {_range(p)} | {p.unit or '–'} | {p.source} "
                    f"| {p.doc} |")
    return "\n".join(rows)


def render(text: str) -> str:
    """`text` with the generated table between the markers."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{parameter_table()}\n{END}{tail}"


if __name__ == "__main__":
    odd = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/ODD.md")
    odd.write_text(render(odd.read_text(encoding="utf-8")), encoding="utf-8")
