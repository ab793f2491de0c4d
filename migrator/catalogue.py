"""The endpoint catalogue: the map seen as one row per Config endpoint, for people and machines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from mappings import ApiMap, Endpoint

CATALOGUE_VERSION = 1


def endpoint_record(api: ApiMap, endpoint: Endpoint) -> dict[str, Any]:
    public = []
    for step in endpoint.public:
        operation = api.public_operation(step.method, step.path)
        assert operation is not None  # the loader guarantees it
        public.append(
            {
                "method": step.method,
                "path": step.path,
                "status": operation.status,
                "sdk": operation.sdk,
                "bind": dict(step.bind),
                "query": dict(step.query),
                "when": step.when,
            }
        )
    record: dict[str, Any] = {
        "row": endpoint.row,
        "key": endpoint.key,
        "family": endpoint.family,
        "method": endpoint.method,
        "path": endpoint.path,
        "short_path": api.short_path(endpoint.path),
        "config_paths": [f"/{prefix}/{endpoint.path}" for prefix in api.config_prefixes],
        "operation": endpoint.operation,
        "auth": endpoint.auth,
        "list_key": endpoint.list_key,
        "pagination": endpoint.pagination,
        "confidence": endpoint.confidence,
        "translation": endpoint.translation,
        "automation": endpoint.automation,
        "public": public,
        "notes": list(endpoint.notes),
    }
    for optional in ("choice", "manual_reason", "no_twin_reason", "manual_step"):
        value = getattr(endpoint, optional)
        if value:
            record[optional] = value
    return record


def catalogue(api: ApiMap, family: str | None = None, automation: str | None = None) -> dict[str, Any]:
    endpoints = [
        endpoint
        for endpoint in api.endpoints
        if (family is None or endpoint.family == family) and (automation is None or endpoint.automation == automation)
    ]
    records = [endpoint_record(api, endpoint) for endpoint in sorted(endpoints, key=lambda e: e.row)]
    return {
        "version": CATALOGUE_VERSION,
        "config_base_url": api.protocol["config"]["base_url"],
        "config_prefixes": api.config_prefixes,
        "public_base_url": api.protocol["public"]["base_url"],
        "public_eu_base_url": api.protocol["public"]["eu_base_url"],
        "endpoints": records,
        "summary": summary(endpoints),
    }


def summary(endpoints: list[Endpoint]) -> dict[str, Any]:
    return {
        "endpoints": len(endpoints),
        "with_public_twin": sum(1 for endpoint in endpoints if endpoint.has_twin),
        "automation": dict(Counter(endpoint.automation for endpoint in endpoints)),
        "translation": dict(Counter(endpoint.translation for endpoint in endpoints)),
        "confidence": dict(Counter(endpoint.confidence for endpoint in endpoints)),
    }


AUTOMATION_STYLE = {"auto": "green", "partial": "yellow", "manual": "red"}


def table(data: dict[str, Any]) -> Group:
    """The catalogue as a table, then the manual steps it refers to by number."""
    grid = Table(title="Config API endpoints and their Public API twins", expand=False)
    grid.add_column("#", justify="right", style="dim")
    grid.add_column("Config API (/v1beta)", overflow="fold")
    grid.add_column("Public API", overflow="fold")
    grid.add_column("automation")
    grid.add_column("conf.", style="dim")
    steps: list[str] = []
    for record in data["endpoints"]:
        if record["public"]:
            twin = "\n".join(
                f"{step['method']} {step['path']}"
                + (f" [dim]({step['status']})[/dim]" if step["status"] != 200 else "")
                for step in record["public"]
            )
            if record["translation"] in {"sequence", "loop", "conditional"}:
                twin = f"[dim]{record['translation']}:[/dim]\n{twin}"
        else:
            twin = "[red]none[/red]"
        if record["automation"] == "manual":
            why = record.get("manual_step") or record.get("manual_reason")
            steps.append(f"[dim]{record['row']:>2}[/dim] {why}")
        style = AUTOMATION_STYLE[record["automation"]]
        grid.add_row(
            str(record["row"]),
            f"{record['method']} {record['short_path']}",
            twin,
            f"[{style}]{record['automation']}[/{style}]",
            record["confidence"],
        )
    counts = data["summary"]
    grid.caption = (
        f"{counts['endpoints']} endpoints, {counts['with_public_twin']} with a Public twin; "
        + ", ".join(f"{name} {count}" for name, count in sorted(counts["automation"].items()))
        + "; /v1alpha/ serves the same paths"
    )
    parts: list[Any] = [grid]
    if steps:
        parts.append(Text.from_markup("\n[bold]Manual steps[/bold] (by row)"))
        parts.extend(Text.from_markup(step) for step in steps)
    return Group(*parts)
