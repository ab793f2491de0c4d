"""What a test playing cassettes (vcrpy) records of the Config API: the modules it imports send their
Config requests as made, through the compatibility layer, for the cassettes to keep matching (apply
plans them so, from the same reading of the repository: `migrator.repository.recorded_by`); and the
cassettes themselves, recorded answers of the legacy API, are no code to move."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from migrator.repository import RECORDED, module_name, recorded_by, recorded_note

from .findings import Finding
from .walk import LAYER_REASON, files_holding, text_of

CASSETTE_REQUEST = re.compile(r"""^\s*-?\s*["']?uri["']?\s*:""")
"""The line of a recorded request's URL in a cassette, YAML or JSON (`uri: https://...`)."""
CASSETTE_REASON = (
    "a recorded answer of the Config API (a test's cassette): it keeps playing while the requests it records "
    "go through the compatibility layer; record it again once they are retired for native calls"
)


def recorded_findings(found: list[Finding], by_display: dict[str, Path], tests: list[str]) -> list[Finding]:
    """The findings of the modules cassette-playing tests import, and of the cassettes, restated."""
    # a cassette's every Config URL is its recording's: a request's `uri`, a response's `url` (aiohttp's)
    cassettes = {finding.file for finding in found if is_recorded_request(finding)}
    restated = [
        replace(finding, kind="test", fixability="manual", reason=CASSETTE_REASON)
        for finding in found
        if finding.file in cassettes and finding.kind in ("call", "url", "base_url")
    ]
    if not restated:  # no cassette records a Config request: no test plays one
        return []
    modules: dict[str, str] = {}
    paths = [by_display[display] for display in tests if display in by_display]
    displays = {path: display for display, path in by_display.items()}
    for path in files_holding(paths, (b"vcr", b"cassette")):
        text = text_of(path)
        for module in recorded_by(text) if text is not None else ():
            modules.setdefault(module, displays[path])
    if not modules:
        return restated
    names: dict[str, str | None] = {}
    for finding in found:
        if finding.language != "python" or finding.kind not in ("call", "url", "base_url"):
            continue
        if finding.fixability != "auto" or (finding.reason or "").startswith(LAYER_REASON):
            continue  # a person's, or moved through the layer already
        if finding.file not in names:
            module_path = by_display.get(finding.file)
            names[finding.file] = module_name(module_path) if module_path is not None else None
        test = modules.get(names[finding.file] or "")
        if test is not None:
            restated.append(replace(finding, reason=f"{LAYER_REASON}: {recorded_note(test)}"))
    return restated


def is_recorded_request(finding: Finding) -> bool:
    """A Config request a cassette recorded: its `uri` line in a YAML or JSON file."""
    return (
        finding.kind in ("call", "url", "base_url")
        and finding.file.endswith((".yaml", ".yml", ".json"))
        and CASSETTE_REQUEST.match(finding.snippet) is not None
    )


def restates(finding: Finding) -> bool:
    """Whether a finding this pass made stands in for the scan's own on the same line."""
    return (finding.kind == "test" and finding.reason == CASSETTE_REASON) or RECORDED in (finding.reason or "")
