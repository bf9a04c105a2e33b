"""The one error type for bad input: it carries the file, the key path and what is allowed."""

from __future__ import annotations


class ScenarioError(ValueError):
    """Bad input, reported as one line `FILE: KEY: problem (allowed: ...)` and exit code 2."""

    def __init__(self, file: object, key: str | None, problem: str) -> None:
        self.file, self.key, self.problem = str(file), key, problem
        where = f"{self.file}: {key}" if key else self.file
        super().__init__(f"{where}: {problem}")
