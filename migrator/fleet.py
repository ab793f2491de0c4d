"""One table for a fleet of repositories, from the `migrate scan --format json` report of each: what
each still holds of the Config API, what `migrate apply` would rewrite, what waits for a person,
what runs through the compatibility layer, and the tokens found. Markdown for people, CSV for
spreadsheets. Reports are read as they are: no repository is cloned or scanned here."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
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


def config_signs() -> tuple[list[str], str]:
    """What marks a repository as calling the Config API, from the map: its hosts, and its versioned
    workspace path (`v1beta/workspaces`). Fleet tools search repositories for these."""
    from mappings import load_map

    config = load_map().protocol["config"]
    return [str(host) for host in config["hosts"]], f"{config['prefix']}/workspaces"


def batch_query() -> str:
    """Repositories whose files name the Config API's host or versioned path (Sourcegraph keyword search)."""
    hosts, path = config_signs()
    return f"({' OR '.join([*hosts, path])}) -file:(^|/)(vendor|node_modules)/ count:all"


def batch_spec(
    *,
    name: str = "segment-public-api-migration",
    package: str = "segment-migrator",
    container: str = "python:3.11-slim",
    ids: str | None = None,
) -> str:
    """A Sourcegraph Batch Changes spec (version 2) that runs `migrate apply` in every repository
    naming the Config API, one changeset each, unpublished until someone publishes it. An ID map
    (it holds ids and names, never tokens) travels inside the spec as a mounted file."""
    apply = "migrate apply . --allow-dirty -q" + (" --ids /tmp/segment-ids.json" if ids else "")
    step: dict[str, Any] = {
        "run": f"pip install --quiet {shlex.quote(package)} && {apply}",
        "container": container,
    }
    if ids:
        step["files"] = {"/tmp/segment-ids.json": ids}
    spec = {
        "version": 2,
        "name": name,
        "description": (
            "Move calls of Segment's legacy Config API (platform.segmentapis.com/v1beta) to the Public API "
            "with `migrate apply` (segment-migrator): natively where proven, else through a generated "
            "compatibility layer; what needs a person is left as a TODO(migrate) that `migrate scan` lists."
        ),
        "on": [{"repositoriesMatchingQuery": batch_query()}],
        "steps": [step],
        "changesetTemplate": {
            "title": "Migrate from Segment's Config API to the Public API",
            "body": (
                "Rewritten by `migrate apply`. New Config API tokens can no longer be created: this moves "
                "the calls onto the Public API (https://api.segmentapis.com). Run `migrate scan` for what "
                "is left, and `migrate verify` to compare behaviour before and after on the emulator."
            ),
            "branch": name,
            "commit": {"message": "Migrate from Segment's Config API to the Public API"},
            "published": False,
        },
    }
    return "\n".join(_yaml(spec, 0)) + "\n"


YAML_WORDS = frozenset({"on", "off", "yes", "no", "y", "n", "true", "false", "null"})


def _yaml(value: Any, indent: int) -> list[str]:
    """Block YAML with every scalar written as JSON (a JSON string is a valid YAML string): no
    quoting rule of YAML's to get wrong, and no YAML library needed at run time."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            # `on` stays quoted: YAML 1.1 readers take a bare `on` for true.
            name = (
                key
                if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key) and key.lower() not in YAML_WORDS
                else json.dumps(key)
            )
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{name}:")
                lines += _yaml(item, indent + 2)
            else:
                lines.append(f"{pad}{name}: {json.dumps(item)}")
    elif isinstance(value, list):
        for item in value:
            nested = _yaml(item, indent + 2)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
    else:
        lines.append(f"{pad}{json.dumps(value)}")
    return lines
