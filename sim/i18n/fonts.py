"""The Thai font for figures and pages: Noto Sans Thai from PyPI (fontpkg-noto-sans-thai), registered
with matplotlib as a fallback behind its default font, so Latin text keeps its look and Thai text
gets real glyphs."""

from __future__ import annotations

import base64
import sys
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans Thai"
NOTICE = ("notice: the Thai font (fontpkg-noto-sans-thai) is not installed; figures use English "
          "labels")


@cache
def thai_font_file() -> Path | None:
    """The font file, or None when the package is missing."""
    try:
        import fontpkg_noto_sans_thai as package
    except ImportError:
        return None
    found = sorted((Path(package.ROOT) / "files").glob("*.ttf"))
    return found[0] if found else None


@cache
def register_thai_font() -> bool:
    """Add the Thai font to matplotlib's font manager (once); False when it is missing."""
    path = thai_font_file()
    if path is None:
        return False
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return True


def thai_rc() -> dict:
    """rcParams that draw Thai with the Thai font and everything else as before."""
    from matplotlib import rcParams

    return {"font.family": [*rcParams["font.sans-serif"][:1], FAMILY]}


THAI_RANGE = "U+0E00-0E7F, U+200B-200D, U+25CC"  # Thai letters, zero-width marks, the circle


def font_face_css() -> str:
    """A CSS @font-face embedding the Thai font for Thai letters only, so a page shows Thai on any
    machine and nothing is fetched ('' if the font is missing)."""
    path = thai_font_file()
    if path is None:
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; font-weight: 100 900; font-display: swap; '
            f"unicode-range: {THAI_RANGE}; src: url(data:font/ttf;base64,{data}) "
            "format('truetype'); }\n")


def figure_rc() -> dict:
    """rcParams for a figure in the language in use: Thai gets the Thai font; if the font is
    missing, the labels fall back to English from here on, with a one-line notice."""
    from sim.i18n import language, set_language

    if language() != "th":
        return {}
    if register_thai_font():
        return thai_rc()
    print(NOTICE, file=sys.stderr)
    set_language("en")
    return {}
