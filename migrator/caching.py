"""Where the toolkit keeps what only saves time: the scan's findings and the validated map.

Nothing kept here is ever needed: a cache that is missing, unreadable or stale is ignored."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "SEGMENT_MIGRATOR_CACHE"


def cache_folder() -> Path:
    """$SEGMENT_MIGRATOR_CACHE, else $XDG_CACHE_HOME/segment-migrator, else ~/.cache/segment-migrator."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "segment-migrator"
