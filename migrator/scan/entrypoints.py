"""Build and CI files that run a Config API script: a Makefile target (`capi: @node
scripts/catalog_capi.js`), a package.json script, a workflow step, a Dockerfile `CMD`. The script is
migrated (or retired) where it is; the entry point that runs it is reported too, so that retiring
the script does not leave a target that fails."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .configured import KEPT_FOR_THE_LAYER
from .findings import Finding
from .text import language_of
from .walk import text_of

RUNNER_LANGUAGES = frozenset({"makefile", "shell", "dockerfile"})
RUNNER_NAMES = frozenset({"package.json", "pyproject.toml", ".gitlab-ci.yml", "taskfile.yml", "procfile", "justfile"})
RUNNER_SUFFIXES = (".sh", ".bash", ".zsh", ".mk")
"""Shell scripts; Makefiles and Dockerfiles have no suffix."""
CI_FOLDERS = (".github/workflows/", ".circleci/", ".buildkite/")
SCRIPT_KINDS = frozenset({"call", "base_url", "url", "wrapper", "compat"})
SCRIPT_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".sh", ".rb")
RUNNERS = r"(?:node|nodejs|python3?|ts-node|tsx|deno run|bun|go run|ruby|bash|sh|npx ts-node)"


def entrypoint_findings(found: Iterable[Finding], by_display: dict[str, Path], flagged: set[str]) -> list[Finding]:
    requests: dict[str, list[Finding]] = {}
    for finding in found:
        if finding.kind in SCRIPT_KINDS and finding.file.endswith(SCRIPT_SUFFIXES) and finding.file in by_display:
            requests.setdefault(finding.file, []).append(finding)
    scripts = sorted(requests)
    if not scripts:
        return []
    # a script apply moves whole is run as it is after: the entry needs nobody
    moved = {
        script
        for script, made in requests.items()
        if all(f.fixability == "auto" and f.language == "python" for f in made)  # apply moves Python only
    }
    result: list[Finding] = []
    for display, path in by_display.items():
        if display in flagged or not _runs_things(display):
            continue
        text = text_of(path)
        if text is None:
            continue
        names = {
            script: name
            for script in scripts
            if (name := _relative(by_display[script], path.parent)) is not None and name in text
        }
        # `python -m tool`: the package (or module) run, where a Config request of it is made; one
        # entry for it, moved when every script of it is
        packages: dict[str, list[str]] = {}
        for script in scripts if "-m " in text else ():
            package = _relative(by_display[script], path.parent)
            top = package.split("/", 1)[0].removesuffix(".py") if package is not None and script.endswith(".py") else ""
            if top and _run_as_module(top).search(text):
                packages.setdefault(top, []).append(script)
        needs_nobody = {script: script in moved for script in names}
        for top, members in packages.items():
            if members[0] not in names:
                names[members[0]] = top
                needs_nobody[members[0]] = all(member in moved for member in members)
        if not names:
            continue
        for script, name in names.items():
            runs = (
                re.compile(rf"(?:{RUNNERS}\s+|\./|(?<=[\s'\"]))(?:\./)?{re.escape(name)}(?![\w.])")
                if name.endswith(SCRIPT_SUFFIXES)
                else _run_as_module(name)
            )
            for number, line in enumerate(text.splitlines(), 1):
                match = runs.search(line)
                if match is None or line.lstrip().startswith("#"):
                    continue
                result.append(
                    Finding(
                        kind="config",
                        file=display,
                        line=number,
                        column=match.start() + 1,
                        language=language_of(display),
                        message=f"runs {name}, which calls the Config API",
                        fixability="auto" if needs_nobody[script] else "manual",
                        confidence="medium",
                        reason=f"{KEPT_FOR_THE_LAYER}`migrate apply` moves {name}, which this runs as it is"
                        if needs_nobody[script]
                        else "migrate the script (or retire it and this entry with it)",
                        snippet=line.strip()[:200],
                        via=script,
                    )
                )
    return result


def _run_as_module(name: str) -> re.Pattern[str]:
    """`python -m name`: a package or module run by its name."""
    return re.compile(rf"\bpython3?\s+-m\s+{re.escape(name)}(?![\w.])")


def _runs_things(display: str) -> bool:
    """A file that runs scripts (its name says so): not every YAML or JSON file of a large tree."""
    name = display.rsplit("/", 1)[-1].lower()
    if name.endswith((".yml", ".yaml")):
        return name in RUNNER_NAMES or any(folder in display for folder in CI_FOLDERS)
    return name in RUNNER_NAMES or (
        (name.endswith(RUNNER_SUFFIXES) or "." not in name) and (language_of(display) in RUNNER_LANGUAGES)
    )


def _relative(script: Path, folder: Path) -> str | None:
    """The script's path as a file in `folder` names it (None when it is outside that folder)."""
    relative = os.path.relpath(script, folder)
    return None if relative.startswith("..") else relative.replace(os.sep, "/")
