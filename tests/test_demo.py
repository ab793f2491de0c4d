"""`migrate demo`, as the README's first command runs it: offline, and equal at the end."""

from __future__ import annotations

import re


def test_demo_runs_every_step_and_verifies_equal(demo_run):
    result, tmp_path = demo_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for step in ("1. migrate scan", "2. migrate resolve", "3. migrate apply", "4. migrate verify", "5. on your own"):
        assert step in out
    assert "ambiguous: workspaces/acme/sources/web/destinations/mixpanel" in out
    assert out.count("equal:") == 3 and "different" not in out
    assert "equal: the unit tests, mocks updated (exit 0)" in out
    assert "equal: 12 rewritten scripts (exit 0): before 43 Config calls, after 0 Config + 44 Public calls" in out
    assert "scripts left with TODOs (they keep working)" in out
    assert (tmp_path / "ids.json").exists() and (tmp_path / "legacy-repo" / "segment_ids.py").exists()


def test_what_the_demo_scripts_import_comes_with_the_main_install():
    """The README's first command installs without the test extra; the demo's scripts must still run."""
    import ast
    import sys
    import tomllib

    from .helpers import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = {re.split(r"[<>=!\[ ]", requirement)[0].lower() for requirement in project["dependencies"]}
    scripts = ROOT / "migrator" / "demo" / "legacy_repo"
    local = {path.stem for path in scripts.rglob("*.py")}
    imported: set[str] = set()
    for path in scripts.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - local
    assert third_party == {"requests"}
    assert third_party <= installed
