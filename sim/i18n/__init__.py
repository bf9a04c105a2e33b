"""Every user-facing string in English and Thai, from one catalogue loaded once
(sim/i18n/strings/*.toml, a table {en, th} per key): `text(key, **values)` looks a key up in the
language chosen by --lang, else the locale (LC_ALL, LC_MESSAGES, LANG), else English."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "th")
STRINGS = Path(__file__).parent / "strings"
_chosen: list[str] = []  # the language set by set_language, if any


def language_from_locale(env: Mapping[str, str] = os.environ) -> str:
    """'th' when the first locale variable set names Thai (e.g. th_TH.UTF-8), else 'en'."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "th" if env[name].lower().startswith("th") else "en"
    return "en"


def set_language(lang: str | None) -> str:
    """Choose the language of every later string (None: from the locale); return it."""
    chosen = lang or language_from_locale()
    if chosen not in LANGUAGES:
        raise ValueError(f"language {chosen!r}; allowed: {', '.join(LANGUAGES)}")
    _chosen[:] = [chosen]
    return chosen


def language() -> str:
    """The language in use."""
    return _chosen[0] if _chosen else language_from_locale()


def _leaves(table: Mapping, prefix: str = "") -> dict[str, dict[str, str]]:
    """Flatten nested tables to dotted keys; a table with an `en` string is one entry (and may
    hold further entries below it)."""
    out: dict[str, dict[str, str]] = {}
    if isinstance(table.get("en"), str):
        out[prefix] = {k: v for k, v in table.items() if isinstance(v, str)}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else key))
    return out


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key with its English and Thai text, from all the catalogue files."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS.glob("*.toml")):
        with path.open("rb") as f:
            entries = _leaves(tomllib.load(f))
        twice = set(out) & set(entries)
        if twice:
            raise ValueError(f"{path}: {min(twice)} is defined twice in the catalogue")
        out.update(entries)
    return out


def text(key: str, lang: str | None = None, /, **values: object) -> str:
    """The string of `key` in `lang` (default: the language in use), formatted with `values`."""
    entry = catalogue()[key]
    template = entry.get(lang or language()) or entry["en"]
    return template.format(**values) if values else template


@contextmanager
def using(lang: str | None):
    """Within the block, strings come in `lang` (None: unchanged)."""
    before = list(_chosen)
    if lang is not None:
        set_language(lang)
    try:
        yield language()
    finally:
        _chosen[:] = before


def has(key: str) -> bool:
    """Whether the catalogue holds `key`."""
    return key in catalogue()
