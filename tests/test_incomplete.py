"""A file or folder scan or apply could not read, or would not parse for its size, is said, and the
exit is non-zero: a run that skipped part of a tree must never pass for a complete one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from codemods.engine import ApplyOptions, apply
from migrator.scan import WalkOptions, scan_paths

from .helpers import run_cli

CALL = 'import requests\n\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
FILLER = "x = 1\n" * 2_000


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "locked").mkdir(parents=True)
    (root / "small.py").write_text(CALL)
    (root / "generated.py").write_text(CALL + FILLER)  # over the limit, with a Config call in it
    (root / "data.py").write_text(FILLER + FILLER)  # over the limit, nothing to find in it
    (root / "locked" / "hidden.py").write_text(CALL)
    return root


def test_scan_says_which_file_is_too_large_and_exits_2(tree):
    done = run_cli("scan", str(tree), "--max-size", "5000", "--format", "json", "--no-cache")
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert report["complete"] is False
    skipped = [error for error in report["errors"] if error.get("skipped")]
    assert [Path(error["file"]).name for error in skipped] == ["generated.py"]
    assert "over --max-size 5000" in skipped[0]["message"]
    assert "incomplete: 1 file(s) or folder(s) not scanned" in done.stderr
    assert "generated.py" in done.stderr
    assert {Path(finding["file"]).name for finding in report["findings"]} == {"small.py", "hidden.py"}


def test_scan_within_the_limit_is_complete(tree):
    done = run_cli("scan", str(tree), "--format", "json", "--no-cache", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["complete"] is True and report["summary"]["skipped"] == 0


def _locked(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`folder` cannot be listed, as a folder without read permission (the tests may run as root,
    for whom permissions do not apply)."""
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_scan_cannot_enter_is_reported(tree, monkeypatch):
    _locked(monkeypatch, tree / "locked")
    result = scan_paths([tree], WalkOptions(), jobs=1, early=False)
    assert not result.complete
    assert [(Path(error.file).name, error.message) for error in result.errors if error.skipped] == [
        ("locked", "cannot enter: Permission denied")
    ]


def test_apply_reports_a_file_too_large_and_a_folder_it_cannot_enter(tree, monkeypatch):
    _locked(monkeypatch, tree / "locked")
    result = apply([tree], ApplyOptions(), WalkOptions(include=["*.py"], max_bytes=5000), jobs=1)
    failed = {Path(outcome.display).name: outcome.error for outcome in result.outcomes if outcome.error}
    assert set(failed) == {"generated.py", "locked"}
    assert "over --max-size 5000" in str(failed["generated.py"])
    assert failed["locked"] == "cannot enter: Permission denied"
    assert [Path(o.path).name for o in result.outcomes if o.changed] == ["small.py"]
    assert result.summary()["failed"] == 2


def test_apply_exits_1_on_a_file_too_large(tree):
    done = run_cli("apply", str(tree), "--max-size", "5000", "--diff")
    assert done.returncode == 1
    assert "generated.py" in done.stderr and "raise --max-size" in done.stderr
    assert "generated.py" not in done.stdout  # not in the patch: nothing of it was changed
