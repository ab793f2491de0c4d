"""One table for a fleet of repositories, from the `migrate scan --format json` report of each: what
each still holds of the Config API, what `migrate apply` would rewrite, what waits for a person,
what runs through the compatibility layer, and the tokens found. Markdown for people, CSV for
spreadsheets. Reports are read as they are: no repository is cloned or scanned here."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from .errors import UsageError

CALL_KINDS = frozenset({"call", "url", "wrapper"})
"""Kinds that are a request to the Config API (the rest are the code around one)."""


@dataclass(frozen=True)
class RepositoryRow:
    repository: str
    files: int
    findings: int
    call_sites: int
    auto: int
    manual: int
    compatibility: int
    todo: int
    tokens: int
    complete: bool


def _label(path: Path, report: dict[str, Any]) -> str:
    """The repository a report is of: its scan root's folder name, else the report's file name."""
    roots = report.get("roots") or []
    if len(roots) == 1 and Path(roots[0]).name not in ("", "."):
        return Path(roots[0]).name
    return path.stem


def row(path: Path) -> RepositoryRow:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read it: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(f"{path}: not a JSON file (write one with: migrate scan --format json -o FILE)") from None
    if not isinstance(report, dict) or report.get("tool", {}).get("name") != "segment-migrator":
        raise UsageError(f"{path}: not a migrate scan report (write one with: migrate scan --format json -o FILE)")
    if report.get("version") != 1:
        raise UsageError(f"{path}: scan report version {report.get('version')!r}; this version reads version 1")
    findings = [finding for finding in report.get("findings", []) if isinstance(finding, dict)]

    def count(kinds: frozenset[str] | None = None, fixability: str | None = None) -> int:
        return sum(
            1
            for finding in findings
            if (kinds is None or finding.get("kind") in kinds)
            and (fixability is None or finding.get("fixability") == fixability)
        )

    return RepositoryRow(
        repository=_label(path, report),
        files=len({finding.get("file") for finding in findings}),
        findings=len(findings),
        call_sites=count(CALL_KINDS),
        auto=count(CALL_KINDS, "auto"),
        manual=count(CALL_KINDS, "manual"),
        compatibility=count(frozenset({"compat"})),
        todo=count(frozenset({"todo"})),
        tokens=count(frozenset({"secret"})),
        complete=bool(report.get("complete", True)),
    )


def rows(paths: list[Path]) -> list[RepositoryRow]:
    """One row per report, most call sites first (the work left, largest first)."""
    return sorted((row(path) for path in paths), key=lambda item: (-item.call_sites, item.repository))


HEADINGS = {
    "repository": "repository",
    "files": "files",
    "findings": "findings",
    "call_sites": "Config calls",
    "auto": "apply rewrites",
    "manual": "need a person",
    "compatibility": "via compat layer",
    "todo": "TODOs",
    "tokens": "tokens found",
    "complete": "complete scan",
}


def _total(table: list[RepositoryRow]) -> RepositoryRow:
    numbers = {field.name: sum(getattr(item, field.name) for item in table) for field in fields(RepositoryRow)[1:-1]}
    return RepositoryRow(
        repository=f"{len(table)} repositories", complete=all(item.complete for item in table), **numbers
    )


def to_markdown(table: list[RepositoryRow]) -> str:
    names = [field.name for field in fields(RepositoryRow)]
    lines = ["| " + " | ".join(HEADINGS[name] for name in names) + " |", "|" + "---|" * len(names)]
    for item in [*table, _total(table)]:
        cells = ["yes" if value is True else "**no**" if value is False else str(value) for value in astuple(item)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_csv(table: list[RepositoryRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([field.name for field in fields(RepositoryRow)])
    writer.writerows(astuple(item) for item in table)
    return buffer.getvalue()
