"""Where the toolkit keeps what only saves time: the scan's findings and the validated map.

Nothing kept here is ever needed: a cache that is missing, unreadable or stale is ignored."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CACHE_ENV = "SEGMENT_MIGRATOR_CACHE"
SCAN_PREFIX = "scan-"
"""How the names of the scan's cache files begin (one per scanned root and scanner version)."""


def cache_folder_name() -> str:
    """$SEGMENT_MIGRATOR_CACHE, else $XDG_CACHE_HOME/segment-migrator, else ~/.cache/segment-migrator.
    Raises RuntimeError when there is no home folder to put it in."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":
            raise RuntimeError("no home folder")
        base = os.path.join(home, ".cache")
    return os.path.join(base, "segment-migrator")


def cache_folder() -> Path:
    from pathlib import Path  # the early parser asks for the name before anything imports pathlib

    return Path(cache_folder_name())
