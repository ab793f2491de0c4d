"""The ID map: one entry per Config resource (and per Public-only object), its Public id, and the
evidence. Versioned JSON and a flat CSV; the loader validates both ways in."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import IdMapError
from .output import atomic_write

ID_MAP_VERSION = 1
Status = Literal["matched", "ambiguous", "missing", "public_only"]
Kind = Literal[
    "workspace",
    "source",
    "destination",
    "filter",
    "tracking_plan",
    "function",
    "catalog_source",
    "catalog_destination",
    "warehouse",
]
KINDS: tuple[str, ...] = get_args(Kind)
CSV_COLUMNS = (
    "kind",
    "status",
    "config_name",
    "slug",
    "public_id",
    "source_id",
    "metadata_id",
    "display_name",
    "candidates",
    "evidence",
    "note",
)


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    public_id: str
    display_name: str | None = None


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    config_name: str | None = None
    slug: str | None = None
    public_id: str | None = None
    source_id: str | None = None
    metadata_id: str | None = None
    display_name: str | None = None
    status: Status
    candidates: list[Candidate] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        if self.status == "matched" and not self.public_id:
            raise ValueError("a matched entry needs public_id")
        if self.status == "ambiguous" and len(self.candidates) < 2:
            raise ValueError("an ambiguous entry lists at least two candidates")
        if self.status in ("matched", "ambiguous", "missing") and not self.config_name:
            raise ValueError(f"a {self.status} entry needs config_name")
        if self.status == "public_only" and not self.public_id:
            raise ValueError("a public_only entry needs public_id")
        return self


class Workspace(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str
    id: str | None = None
    config_id: str | None = None
    name: str | None = None


class IdMap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = 1
    workspace: Workspace
    region: str = "us"
    generated_at: str
    complete: bool = True
    incomplete: list[str] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> IdMap:
        seen: Counter[tuple[str, str]] = Counter(
            (entry.kind, entry.config_name) for entry in self.entries if entry.config_name
        )
        duplicated = [name for name, count in seen.items() if count > 1]
        if duplicated:
            kind, name = duplicated[0]
            raise ValueError(f"{kind} {name!r} appears twice")
        return self

    # --- lookups ----------------------------------------------------------------------------------

    def by_name(self, kind: str, config_name: str) -> Entry | None:
        for entry in self.entries:
            if entry.kind == kind and entry.config_name == config_name:
                return entry
        return None

    def by_public_id(self, kind: str, public_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.kind == kind and entry.public_id == public_id:
                return entry
        return None

    def summary(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for entry in self.entries:
            row = table.setdefault(entry.kind, {"matched": 0, "ambiguous": 0, "missing": 0, "public_only": 0})
            row[entry.status] += 1
        return {kind: table[kind] for kind in KINDS if kind in table}

    # --- files ------------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_none=True), indent=2) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry in self.entries:
            writer.writerow(
                {
                    "kind": entry.kind,
                    "status": entry.status,
                    "config_name": entry.config_name or "",
                    "slug": entry.slug or "",
                    "public_id": entry.public_id or "",
                    "source_id": entry.source_id or "",
                    "metadata_id": entry.metadata_id or "",
                    "display_name": entry.display_name or "",
                    "candidates": ";".join(candidate.public_id for candidate in entry.candidates),
                    "evidence": ";".join(entry.evidence),
                    "note": entry.note or "",
                }
            )
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        """JSON or CSV by the file's extension, written atomically."""
        suffix = Path(path).suffix.lower()
        if suffix not in (".json", ".csv"):
            raise IdMapError(f"{path}: write the ID map as .json or .csv")
        atomic_write(Path(path), self.to_csv() if suffix == ".csv" else self.to_json())


def load_id_map(path: Path | str) -> IdMap:
    """Read and validate an ID map (JSON); a problem is one `IdMapError` line naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IdMapError(f"{path}: no such ID map file") from None
    except OSError as error:
        raise IdMapError(f"{path}: cannot read ({error.strerror})") from None
    if path.suffix.lower() == ".csv":  # the CSV form leaves out the workspace's Config id and the run's facts
        raise IdMapError(f"{path}: the CSV form is for reading; pass the JSON one (migrate resolve -o ids.json)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IdMapError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None
    if isinstance(data, dict) and data.get("version") not in (None, ID_MAP_VERSION):
        raise IdMapError(f"{path}: ID map version {data.get('version')!r} is not supported (expected {ID_MAP_VERSION})")
    try:
        return IdMap.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise IdMapError(f"{path}: {where}: {message}" if where else f"{path}: {message}") from None
