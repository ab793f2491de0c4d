"""What the modules of a repository give each other: the Config API URL constants one module defines
and others import (`from .constants import segmentUrl`). A module that imports one talks to the
Config API even though its own text never names the host.

Read with the standard library's `ast` from the few files whose text names the Config API, so the
whole repository costs one substring test per file and one parse per such file."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

CONFIG_VALUE = re.compile(r"^(?:https?://platform\.segmentapis\.com|/?v1(?:beta|alpha)/)")
MARKERS = ("platform.segmentapis.com", "v1beta", "v1alpha")


def import_root(folder: Path) -> Path:
    """The folder a module in `folder` is imported from: above every package (`__init__.py`) around it."""
    while (folder / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def module_name(path: Path) -> str:
    """`pkg.sub.mod` for `root/pkg/sub/mod.py` (the packages around the file)."""
    root = import_root(path.parent)
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def config_constants(files: Iterable[tuple[Path, str]]) -> frozenset[str]:
    """`module.NAME` of every module-level name bound to a Config URL or versioned Config path."""
    found: set[str] = set()
    for path, source in files:
        if not any(marker in source for marker in MARKERS):
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        module = module_name(path)
        for statement in tree.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                value = statement.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and CONFIG_VALUE.match(value.value):
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    found |= {f"{module}.{t.id}" for t in targets if isinstance(t, ast.Name)}
    return frozenset(found)


def imports_one(aliases: dict[str, str], constants: frozenset[str]) -> frozenset[str]:
    """The local names that stand for one of `constants` (`aliases`: local name -> what it imports,
    a relative import's module written without its dots)."""
    return frozenset(
        local
        for local, dotted in aliases.items()
        if "." in dotted and any(constant == dotted or constant.endswith("." + dotted) for constant in constants)
    )
