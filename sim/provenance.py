"""What produced a result: package and dependency versions, and the lock file's hash."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = ("collabsim", "mesa", "numpy", "scipy", "pandas", "matplotlib", "click", "SALib",
            "networkx")


def versions() -> dict[str, str]:
    """Installed versions of collabsim, Python and the core dependencies."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def lock_hash() -> str | None:
    """sha256 of the project's uv.lock, when running from a checkout."""
    lock = Path(__file__).resolve().parent.parent / "uv.lock"
    return hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else None
