"""Send a Python process's calls to Segment's hosts to local servers (the emulator, the proxy),
without changing its code: a standalone `sitecustomize` on PYTHONPATH does the rewriting."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mappings import load_map

SITE = Path(__file__).resolve().parent / "routing_site"


def segment_hosts() -> list[str]:
    """Every Segment API host of both APIs, from the map."""
    api = load_map()
    return [*api.protocol["config"]["hosts"], *api.protocol["public"]["hosts"]]


def routed_env(target: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment in which every Segment API host (https, any region) goes to `target`."""
    environment = dict(os.environ if base is None else base)
    routes = {f"https://{host}": target.rstrip("/") for host in segment_hosts()}
    environment["SEGMENT_MIGRATOR_ROUTES"] = json.dumps(routes)
    existing = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = str(SITE) + (os.pathsep + existing if existing else "")
    return environment
