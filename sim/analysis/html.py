"""The report's building blocks: numbers rounded for reading, and escaped HTML tables,
paragraphs and embedded figures (no network needed to view them)."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from html import escape
from pathlib import Path

from sim.i18n import text


def decimals(*xs, digits: int = 3) -> int:
    """Decimals that show the largest finite |x| to about `digits` significant figures (0–4)."""
    finite = [abs(float(x)) for x in xs if _finite(x) and float(x) != 0]
    if not finite:
        return 0
    return min(4, max(0, digits - 1 - math.floor(math.log10(max(finite)))))


def _finite(x) -> bool:
    """True for a finite number."""
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def number(x, places: int | None = None) -> str:
    """A number rounded to `places` decimals (default: about 3 significant figures), or '–'."""
    if not _finite(x):
        return "–" if isinstance(x, int | float) or x is None else str(x)
    x = float(x)
    text = f"{x:,.{decimals(x) if places is None else places}f}"
    return text[1:] if text.strip("-0.,") == "" and text.startswith("-") else text


def estimate(mean, low, high) -> tuple[str, str]:
    """A mean and its CI '[low, high]' rounded alike; '–' for an undefined CI."""
    places = decimals(mean, low, high)
    ci = f"[{number(low, places)}, {number(high, places)}]" if _finite(low) and _finite(
        high) else "–"
    return number(mean, places), ci


def plus_minus(mean, low, high) -> str:
    """'mean ± half-width' of a CI, rounded alike (compact, for matrices)."""
    if not (_finite(low) and _finite(high)):
        return number(mean)
    places = decimals(mean, low, high)
    return f"{number(mean, places)} ± {number((float(high) - float(low)) / 2, places)}"


def share(x) -> str:
    """A share as a percentage."""
    return "–" if not math.isfinite(float(x)) else f"{100 * float(x):.0f}%"


def share_ci(low, high) -> str:
    """A share's CI as percentages."""
    if not all(math.isfinite(float(v)) for v in (low, high)):
        return "–"
    return f"[{100 * float(low):.0f}%, {100 * float(high):.0f}%]"


def value(v) -> str:
    """A scenario value for a table: numbers via number(), lists as compact JSON."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, int | float):
        return f"{v:g}"
    if isinstance(v, list) and v and all(isinstance(x, dict) and "source" in x for x in v):
        return "; ".join(f"{x['source']} {x.get('amount', '')}/{x.get('cycle', '')}" for x in v)
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    return str(v)


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c' (in the language in use)."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + text("report.and") + items[-1]


def table(header: Sequence[str], rows: Sequence[Sequence], numeric: Sequence[int] = ()) -> str:
    """An HTML table with escaped cells; columns whose index is in `numeric` align right."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{escape(str(c))}</td>' if i in numeric
                         else f"<td>{escape(str(c))}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def para(text: str, cls: str = "") -> str:
    """An escaped paragraph."""
    return f'<p class="{cls}">{escape(text)}</p>' if cls else f"<p>{escape(text)}</p>"


def embedded_figure(path: Path, text: str) -> str:
    """A PNG embedded as a data URI, with its caption."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(text)}">'
            f"<figcaption>{escape(text)}</figcaption></figure>")
