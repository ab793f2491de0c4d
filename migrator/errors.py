"""One exception hierarchy for the toolkit.

The CLI turns any `MigratorError` into a one-line message on stderr and exit code 2; anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations


class MigratorError(Exception):
    """Base class of every error the toolkit reports to a user."""

    exit_code = 2


class MapError(MigratorError):
    """The declarative API map (mappings/) is broken or inconsistent."""

    def __init__(self, file: str, entry: str | None, message: str) -> None:
        self.file = file
        self.entry = entry
        self.message = message
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {message}")


class UsageError(MigratorError):
    """The user asked for something that cannot be done as asked."""
