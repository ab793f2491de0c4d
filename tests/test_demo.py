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
    assert re.search(
        r"equal: 15 rewritten scripts \(exit 0\): before \d+ Config calls, after 0 Config \+ \d+ Public", out
    )
    assert re.search(
        r"equal: 12 scripts through the compatibility layer \(exit 0\): before \d+ Config calls, after 0 Config", out
    )
    assert "kit_report.py" in out and "configured_audit.py" in out, "the multi-module patterns are in the demo"
    assert (
        "weekly_digest.py" in out.split("through the compatibility layer (segment_compat/):", 1)[1].split("equal:")[0]
    )
    assert "segment_compat.get(" in (tmp_path / "legacy-repo" / "ops_http.py").read_text(), "the helper module routed"
    layered = out.split("through the compatibility layer (segment_compat/):", 1)[1].split("equal:")[0]
    assert "plan_digest.py" in layered and "kit_report.py" in layered, "through a module the script imports"
    notebook = (tmp_path / "legacy-repo" / "weekly_review.ipynb").read_text()
    assert '"%%time\\n",\n    "plans = segment_compat.get(' in notebook, "the Python a timing magic runs is migrated"
    assert "segment_compat.patch(" in (tmp_path / "legacy-repo" / "reports" / "plans.py").read_text()
    assert "weekly_review.ipynb" in layered, "a notebook's cells move as a script's do, one of them through the layer"
    assert '"answer = requests.get(f\\"{API_PUBLIC}/sources' in notebook, "and the others natively"
    native = out.split("rewritten natively onto the Public API:", 1)[1].split("through the", 1)[0]
    assert "inventory_report.py" in native and "source_labels.py" in native, "a base imported from another module"
    assert "left with TODOs" not in out  # every script moved, natively or through the layer
    repo = tmp_path / "legacy-repo"
    assert (tmp_path / "ids.json").exists() and (repo / "segment_ids.py").exists()
    assert (repo / "segment_compat" / "__init__.py").exists() and "segment_compat.request(" in (
        repo / "admin_kit" / "client.py"
    ).read_text()
    endpoints = (repo / "reports" / "endpoints.py").read_text()
    assert (
        'CONFIG_API = "https://platform.segmentapis.com/v1beta"\nCONFIG_API_PUBLIC = "https://api.segmentapis.com"\n'
        in (endpoints)
    ), "other modules import the base: it stays, and the calls that moved read its twin"


def test_what_the_demo_scripts_import_comes_with_the_main_install():
    """The README's first command installs without the test extra; the demo's scripts must still run."""
    import ast
    import sys
    import tomllib

    from .helpers import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = {re.split(r"[<>=!\[ ]", requirement)[0].lower() for requirement in project["dependencies"]}
    scripts = ROOT / "migrator" / "demo" / "legacy_repo"
    local = {path.stem for path in scripts.rglob("*.py")} | {path.parent.name for path in scripts.rglob("__init__.py")}
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
