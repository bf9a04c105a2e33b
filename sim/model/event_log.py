"""The event log: each event is a catalogue key with its values, so the dashboard can show it in
any language; `model.events` keeps the English lines ("Month 14: the policy board did not meet")."""

from __future__ import annotations

from typing import Any

from sim.i18n import text


def forum_ref(f) -> tuple[str, dict[str, Any]]:
    """How an event names a forum: its catalogue key and values (a working group's number)."""
    if f.kind == "working_group" and f.drr_role:
        return f"forum.drr_{f.drr_role}", {}
    if f.kind == "working_group":
        return "forum.working_group", {"number": f.number}
    return f"forum.{f.kind}", {}


def render(key: str, values: dict[str, Any], lang: str | None = None) -> str:
    """One event as a line of text in `lang` (default: the language in use)."""
    if "forum" in values:
        forum_key, forum_values = values["forum"]
        values = {**values, "forum": text(forum_key, lang, **forum_values)}
    return text(key, lang, **values)


def record(model, key: str, forum=None, **values: Any) -> None:
    """Add an event of this month to the model's structured log and its English lines."""
    if forum is not None:
        values["forum"] = forum_ref(forum)
    month = model.month + 1
    model.event_entries.append((month, key, values))
    model.events.append((month, render(key, values, "en")))
