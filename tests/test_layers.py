"""Layers point one way: the map knows nothing of the program, the shared code analysis nothing of
the Segment APIs or the scanner, and the translation the compatibility layer carries nothing of the
emulator. Read off each module's imports (`ast`), so a test of the layout rather than of behaviour."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported(path: Path) -> set[str]:
    """The absolute modules a file imports, its relative imports resolved against its package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
    return found


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        # the map reads and caches its files with the toolkit's shared plumbing (its error hierarchy,
        # atomic writes, the cache folder), and nothing else of it
        ("mappings", ("codemods", "migrator.scan", "migrator.translator", "migrator.compat", "migrator.emulator")),
        ("migrator/analysis", ("mappings", "migrator.scan", "codemods", "migrator.compat", "migrator.translator")),
        ("migrator/translator.py", ("migrator.emulator",)),
        ("migrator/relay.py", ("migrator.emulator",)),
        ("migrator/codec.py", ("migrator.emulator",)),
        ("migrator/shapes.py", ("migrator.emulator",)),
        ("migrator/compat", ("migrator.emulator", "codemods")),
        ("migrator/scan", ("codemods",)),
    ],
)
def test_a_layer_imports_nothing_above_it(layer: str, forbidden: tuple[str, ...]):
    target = ROOT / layer
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert files
    wrong = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in imported(path)
        if any(module == name or module.startswith(name + ".") for name in forbidden)
    }
    assert not wrong, sorted(wrong)


def test_the_command_line_and_a_cached_scan_load_no_libcst():
    """A cached scan parses nothing: libcst (a sixth of a second to import) is for the files parsed,
    in the early parser or the workers. A module the text scanner reads must not pull it in."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import migrator.cli, migrator.scan, migrator.scan.text, migrator.scan.related, migrator.scan.endpoints\n"
        "import migrator.scan.golang, migrator.scan.hierarchy, migrator.scan.configured, migrator.scan.scripts\n"
        "print('libcst' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"
