"""`migrate demo`, as the README's first command runs it: offline, and equal at the end."""

from __future__ import annotations

from .helpers import run_cli


def test_demo_runs_every_step_and_verifies_equal(tmp_path):
    result = run_cli("demo", "--keep", str(tmp_path), timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for step in ("1. migrate scan", "2. migrate resolve", "3. migrate apply", "4. migrate verify", "5. on your own"):
        assert step in out
    assert "ambiguous: workspaces/acme/sources/web/destinations/mixpanel" in out
    assert out.count("equal:") == 2 and "different" not in out
    assert "after 0 Config + 3 Public calls" in out
    assert (tmp_path / "ids.json").exists() and (tmp_path / "legacy-repo" / "segment_ids.py").exists()
