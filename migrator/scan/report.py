"""Scan results for people (a table grouped by file, Markdown) and machines (JSON, SARIF 2.1.0)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .findings import KIND_HELP, KINDS, SCAN_SCHEMA_VERSION, Finding, ScanResult

if TYPE_CHECKING:
    from rich.console import Group

RULE_PREFIX = "segment-config-api"


def short_path(path: str) -> str:
    from mappings import load_map

    return load_map().short_path(path)


LEVELS = {"secret": "error", "call": "error", "wrapper": "error", "commented": "note", "todo": "note", "client": "note"}
INFORMATION_URI = "https://github.com/segment-migrator/segment-migrator"


def _twin(finding: Finding) -> str:
    if finding.public:
        return "; ".join(finding.public)
    return ""


def to_json(result: ScanResult) -> str:
    return json.dumps(
        {
            "version": SCAN_SCHEMA_VERSION,
            "tool": {"name": "segment-migrator", "version": __version__},
            "roots": result.roots,
            "summary": result.summary(),
            "findings": [finding.to_json() for finding in result.findings],
            "complete": result.complete,
            "errors": [
                {"file": error.file, "message": error.message, **({"skipped": True} if error.skipped else {})}
                for error in result.errors
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _uri(path: str) -> str:
    return Path(path).as_posix().lstrip("./") if not Path(path).is_absolute() else Path(path).as_uri()


def to_sarif(result: ScanResult) -> str:
    rules = [
        {
            "id": f"{RULE_PREFIX}/{kind}",
            "name": "".join(part.title() for part in kind.split("_")),
            "shortDescription": {"text": KIND_HELP[kind].split(". ")[0].rstrip(".") + "."},
            "fullDescription": {"text": KIND_HELP[kind]},
            "help": {
                "text": KIND_HELP[kind] + " Each result names the endpoint and its Public API twin; "
                "`migrate translate METHOD PATH` shows the exact Public request and `migrate apply` "
                "rewrites Python.",
                "markdown": f"**{kind}**: {KIND_HELP[kind]}\n\nEach result names the Config endpoint and its "
                "Public API twin. Run `migrate translate METHOD PATH` for the exact Public request, "
                "`migrate apply` to rewrite Python.",
            },
            "defaultConfiguration": {"level": LEVELS.get(kind, "warning")},
            "properties": {"tags": ["segment", "config-api", "migration"]},
        }
        for kind in KINDS
    ]
    index = {kind: number for number, kind in enumerate(KINDS)}
    results = []
    for finding in result.findings:
        text = finding.message
        if finding.public:
            text += f". Public API: {_twin(finding)}"
        if finding.reason:
            text += f". {finding.fixability.capitalize()}: {finding.reason}"
        properties: dict[str, Any] = {
            "fixability": finding.fixability,
            "confidence": finding.confidence,
            "language": finding.language,
        }
        if finding.endpoint:
            properties["endpoint"] = finding.endpoint
        results.append(
            {
                "ruleId": f"{RULE_PREFIX}/{finding.kind}",
                "ruleIndex": index[finding.kind],
                "level": LEVELS.get(finding.kind, "warning"),
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(finding.file), "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": finding.line, "startColumn": finding.column},
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": f"{finding.kind}:{finding.snippet}"[:256]},
                "properties": properties,
            }
        )
    notifications = [
        {
            "level": "error" if error.skipped else "warning",
            "message": {"text": error.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(error.file), "uriBaseId": "%SRCROOT%"}}}
            ],
        }
        for error in result.errors
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "segment-migrator",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_markdown(result: ScanResult) -> str:
    summary = result.summary()
    lines = [
        "## Segment Config API uses",
        "",
        f"{summary['findings']} findings in {summary['files_with_findings']} files "
        f"({summary['fixability'].get('auto', 0)} automatic, {summary['fixability'].get('manual', 0)} manual); "
        f"{summary['files_seen']} files scanned.",
        "",
    ]
    if summary["by_endpoint_family"]:
        lines += ["| endpoint family | findings |", "|---|---|"]
        lines += [f"| {family} | {count} |" for family, count in summary["by_endpoint_family"].items()]
        lines.append("")
    current = None
    for finding in result.findings:
        if finding.file != current:
            current = finding.file
            lines += ["", f"### `{finding.file}`", ""]
        twin = f" → `{_twin(finding)}`" if finding.public else ""
        box = "x" if finding.fixability == "auto" else " "
        reason = f" — {finding.reason}" if finding.reason else ""
        lines.append(f"- [{box}] line {finding.line}: **{finding.kind}** {finding.message}{twin}{reason}")
    if result.errors:
        lines += ["", "### Files not fully read" + ("" if result.complete else " (the scan is incomplete)"), ""]
        lines += [f"- `{error.file}`: {error.message}" for error in result.errors]
    return "\n".join(lines) + "\n"


def to_concise(result: ScanResult) -> str:
    """One line per finding, `path:line:col: kind message`, then one per file not read: the shape
    editors' problem matchers, grep and CI annotations read."""
    lines = []
    for finding in result.findings:
        where = f"{finding.file}:{finding.line}:{finding.column}"
        endpoint = f" [{finding.method or ''} {finding.endpoint}]".replace("[ ", "[") if finding.endpoint else ""
        fix = f" ({finding.fixability}{': ' + finding.reason if finding.reason else ''})"
        lines.append(f"{where}: {finding.kind}{endpoint} {finding.message}{fix}")
    lines += [f"{error.file}:1:1: error {error.message}" for error in result.errors]
    return "\n".join(lines) + ("\n" if lines else "")


def to_table(result: ScanResult) -> Group:
    from rich.console import Group  # rich only for a table people read
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    current = None
    grid: Table | None = None
    for finding in result.findings:
        if finding.file != current:
            current = finding.file
            grid = Table(title=finding.file, title_justify="left", show_header=True, expand=False, title_style="bold")
            for column in ("line", "kind", "Config endpoint", "Public twin", "fix"):
                grid.add_column(column, overflow="fold", no_wrap=column in ("line", "kind", "Public twin"))
            parts.append(grid)
        assert grid is not None
        endpoint = f"{finding.method} {short_path(finding.path or '')}" if finding.endpoint else finding.message
        fix = (
            "[green]auto[/green]"
            if finding.fixability == "auto"
            else f"[yellow]manual[/yellow]: {finding.reason or ''}"
        )
        grid.add_row(f"{finding.line}:{finding.column}", finding.kind, endpoint, _twin(finding), fix)
    summary = result.summary()
    parts.append(
        Text(
            f"{summary['findings']} findings in {summary['files_with_findings']} files; "
            + "".join(f"{kind} {count}, " for kind, count in summary["by_kind"].items()).removesuffix(", ")
            + ("; " if summary["by_kind"] else "")
            + f"auto {summary['fixability'].get('auto', 0)}, manual {summary['fixability'].get('manual', 0)}; "
            f"{summary['files_seen']} files scanned, {summary['files_parsed']} parsed"
        )
    )
    for error in result.errors:
        said = "not scanned" if error.skipped else "not fully read"
        parts.append(Text(f"{said}: {error.file}: {error.message}", style="red" if error.skipped else "yellow"))
    return Group(*parts)
