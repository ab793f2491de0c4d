"""The one workspace state behind both emulated APIs.

Objects are stored in their Public shape (camelCase, ids); the Config view renders slugs and
resource names from the same objects, so a change through one API is seen through the other.
Ids and timestamps come from a seeded generator and a counter, so the same seed and the same
sequence of writes give the same ids and times on every run; a snapshot round-trips exactly.
"""

from __future__ import annotations

import copy
import hashlib
import json
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import MigratorError

Json = Any
SNAPSHOT_VERSION = 1
EPOCH = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)
ALPHABET = string.digits + string.ascii_letters
COLLECTIONS = (
    "catalog_sources",
    "catalog_destinations",
    "catalog_warehouses",
    "sources",
    "destinations",
    "filters",
    "tracking_plans",
    "functions",
    "regulations",
    "warehouses",
    "users",
    "roles",
    "invites",
    "labels",
)


class SnapshotError(MigratorError):
    """A seed or snapshot file cannot be used."""


@dataclass
class State:
    """Every object of one workspace, keyed by Public id in insertion order."""

    seed: str = "demo"
    workspace: dict[str, Json] = field(default_factory=dict)
    catalog_sources: dict[str, dict[str, Json]] = field(default_factory=dict)
    catalog_destinations: dict[str, dict[str, Json]] = field(default_factory=dict)
    catalog_warehouses: dict[str, dict[str, Json]] = field(default_factory=dict)
    sources: dict[str, dict[str, Json]] = field(default_factory=dict)
    destinations: dict[str, dict[str, Json]] = field(default_factory=dict)
    filters: dict[str, dict[str, Json]] = field(default_factory=dict)
    tracking_plans: dict[str, dict[str, Json]] = field(default_factory=dict)
    functions: dict[str, dict[str, Json]] = field(default_factory=dict)
    regulations: dict[str, dict[str, Json]] = field(default_factory=dict)
    warehouses: dict[str, dict[str, Json]] = field(default_factory=dict)
    users: dict[str, dict[str, Json]] = field(default_factory=dict)
    roles: dict[str, dict[str, Json]] = field(default_factory=dict)
    invites: dict[str, dict[str, Json]] = field(default_factory=dict)
    labels: dict[str, dict[str, Json]] = field(default_factory=dict)
    counter: int = 0
    ticks: int = 0

    # --- deterministic ids and times --------------------------------------------------------------

    def _digest(self, purpose: str) -> bytes:
        self.counter += 1
        return hashlib.sha256(f"{self.seed}:{self.counter}:{purpose}".encode()).digest()

    def new_id(self, kind: str, length: int = 22, prefix: str = "", alphabet: str = ALPHABET) -> str:
        digest = self._digest(kind)
        number = int.from_bytes(digest, "big")
        chars: list[str] = []
        while len(chars) < length:
            number, remainder = divmod(number, len(alphabet))
            chars.append(alphabet[remainder])
            if number == 0:
                number = int.from_bytes(self._digest(kind), "big")
        return prefix + "".join(chars)

    def new_ksuid(self, kind: str, prefix: str = "") -> str:
        return self.new_id(kind, 27, prefix)

    def new_hex(self, kind: str) -> str:
        return self.new_id(kind, 24, alphabet="0123456789abcdef")

    def stamp(self) -> str:
        """The next write's timestamp: one second after the previous one, from a fixed epoch."""
        self.ticks += 1
        moment = EPOCH + timedelta(seconds=self.ticks)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    # --- lookups ----------------------------------------------------------------------------------

    def source_by_slug(self, slug: str) -> dict[str, Json] | None:
        return next((source for source in self.sources.values() if source["slug"] == slug), None)

    def catalog_source_by_slug(self, slug: str) -> dict[str, Json] | None:
        return next((item for item in self.catalog_sources.values() if item["slug"] == slug), None)

    def catalog_destination_by_slug(self, slug: str) -> dict[str, Json] | None:
        return next((item for item in self.catalog_destinations.values() if item["slug"] == slug), None)

    def destinations_of(self, source_id: str, catalog_slug: str | None = None) -> list[dict[str, Json]]:
        found = [d for d in self.destinations.values() if d["sourceId"] == source_id]
        if catalog_slug is not None:
            found = [d for d in found if self.catalog_destinations[d["metadataId"]]["slug"] == catalog_slug]
        return found

    def tracking_plan_by_config_id(self, config_id: str) -> dict[str, Json] | None:
        return next((plan for plan in self.tracking_plans.values() if plan["configId"] == config_id), None)

    def function_by_config_id(self, config_id: str) -> dict[str, Json] | None:
        return next((item for item in self.functions.values() if item["configId"] == config_id), None)

    def filter_by_config_id(self, config_id: str) -> dict[str, Json] | None:
        return next((item for item in self.filters.values() if item["configId"] == config_id), None)

    # --- snapshots --------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Json]:
        data: dict[str, Json] = {
            "version": SNAPSHOT_VERSION,
            "seed": self.seed,
            "counter": self.counter,
            "ticks": self.ticks,
            "workspace": self.workspace,
        }
        for name in COLLECTIONS:
            data[name] = list(getattr(self, name).values())
        return copy.deepcopy(data)

    @classmethod
    def from_json(cls, data: dict[str, Json]) -> State:
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            raise SnapshotError(f"not an emulator snapshot of version {SNAPSHOT_VERSION}")
        try:
            state = cls(
                seed=str(data["seed"]),
                workspace=dict(data["workspace"]),
                counter=int(data["counter"]),
                ticks=int(data["ticks"]),
            )
            for name in COLLECTIONS:
                setattr(state, name, {collection_key(name, item): item for item in data.get(name, [])})
        except (KeyError, TypeError, ValueError) as error:
            raise SnapshotError(f"snapshot is malformed: {error}") from None
        return copy.deepcopy(state)

    def save(self, path: Path) -> None:
        from ..output import atomic_write

        atomic_write(path, json.dumps(self.to_json(), indent=1, sort_keys=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SnapshotError(f"{path}: no such seed file") from None
        except (OSError, json.JSONDecodeError) as error:
            raise SnapshotError(f"{path}: not a JSON snapshot ({error})") from None
        try:
            return cls.from_json(data)
        except SnapshotError as error:
            raise SnapshotError(f"{path}: {error}") from None

    def fingerprint(self) -> dict[str, Json]:
        """The state as a comparable document: what `verify` compares before and after."""
        data = self.to_json()
        for volatile in ("counter", "ticks", "seed", "version"):
            data.pop(volatile, None)
        return data


def collection_key(collection: str, item: dict[str, Json]) -> str:
    """How a collection is keyed: invites by email, labels by `key:value`, the rest by id."""
    if collection == "invites":
        return str(item["email"])
    if collection == "labels":
        return f"{item['key']}:{item['value']}"
    return str(item["id"])
