"""The scenario library on disk: where it is, and its contexts and arrangements."""

from __future__ import annotations

from pathlib import Path

from sim.scenario.loader import describe


def library_root() -> Path:
    """./scenarios if present, else the scenario library beside the package."""
    here = Path("scenarios")
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "scenarios"


def layer_files(kind: str) -> dict[str, Path]:
    """{stem: path} of the library's context ('contexts') or arrangement ('arrangements') files."""
    return {p.stem: p for p in sorted((library_root() / kind).glob("*.toml"))}


def descriptions(kind: str) -> dict[str, str]:
    """{stem: description} of the library's contexts or arrangements."""
    return {stem: describe(path)[1] for stem, path in layer_files(kind).items()}
