"""Project settings: `[tool.segment-migrator]` in a `pyproject.toml`, found from the path a command
works on upwards, as ruff finds its own. Options given on the command line or in the environment
win over the file; the file wins over the built-in defaults.

    [tool.segment-migrator]
    exclude = ["legacy/vendored/**"]
    region = "eu"
    ids = "ids.json"          # relative to the pyproject.toml that says it
    fail-on = "manual"
    min-confidence = "high"
    max-size = 4_000_000
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .scan.findings import CONFIDENCE

SECTION = "segment-migrator"


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _choice(*allowed: str) -> Callable[[Any], bool]:
    return lambda value: value in allowed


@dataclass(frozen=True)
class Key:
    name: str
    check: Callable[[Any], bool]
    expected: str
    parameter: str
    """The click parameter the key sets (a Python name)."""
    path: bool = False
    """A file name, read relative to the pyproject.toml."""


KEYS = {
    key.name: key
    for key in (
        Key("include", _strings, "a list of globs", "include"),
        Key("exclude", _strings, "a list of globs", "exclude"),
        Key("gitignore", lambda value: isinstance(value, bool), "true or false", "no_gitignore"),
        Key("region", _choice("us", "eu"), '"us" or "eu"', "region"),
        Key("ids", lambda value: isinstance(value, str) and bool(value), "a file name", "ids", path=True),
        Key("fail-on", _choice("any", "manual", "never"), '"any", "manual" or "never"', "fail_on"),
        Key("min-confidence", _choice(*CONFIDENCE), '"low", "medium" or "high"', "min_confidence"),
        Key(
            "max-size",
            lambda value: isinstance(value, int) and not isinstance(value, bool) and value > 0,
            "a number of bytes",
            "max_size",
        ),
        Key(
            "jobs",
            lambda value: isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 64,
            "1 to 64",
            "jobs",
        ),
    )
}


@dataclass
class ProjectSettings:
    """What a pyproject.toml says, checked, with where it came from (None: no file has a section)."""

    source: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def for_parameters(self) -> dict[str, Any]:
        """The values by click parameter name, paths made absolute, `gitignore` as its flag."""
        result = {}
        for name, value in self.values.items():
            key = KEYS[name]
            if key.path and self.source is not None:
                value = str((self.source.parent / value).resolve())
            if name == "gitignore":
                value = not value
            result[key.parameter] = value
        return result


def find(start: Path) -> ProjectSettings:
    """The settings of the nearest pyproject.toml with a `[tool.segment-migrator]` section, from
    `start` (a file or a folder) upwards; none found is no settings, not an error."""
    import tomllib

    here = start.resolve()
    folders: Iterable[Path] = [here, *here.parents] if here.is_dir() else here.parents
    for folder in folders:
        candidate = folder / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            document = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"{candidate}: cannot read it: {error}") from None
        section = document.get("tool", {}).get(SECTION)
        if section is None:
            continue
        return ProjectSettings(candidate, _checked(candidate, section))
    return ProjectSettings()


def _checked(source: Path, section: Any) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise UsageError(f"{source}: [tool.{SECTION}] must be a table")
    for name, value in section.items():
        key = KEYS.get(name)
        if key is None:
            known = ", ".join(sorted(KEYS))
            raise UsageError(f"{source}: [tool.{SECTION}] has no setting {name!r} (known: {known})")
        if not key.check(value):
            raise UsageError(f"{source}: [tool.{SECTION}] {name} must be {key.expected}, not {value!r}")
    return dict(section)
