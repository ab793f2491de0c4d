"""A parser that crashes natively on one file loses that file only."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

import migrator.scan as scan_module
from migrator.scan import scan_paths

LEGACY = 'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/a/sources")\n'


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers inherit the patch only when forked")
def test_a_worker_crash_loses_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for index in range(45):
        (tmp_path / f"legacy_{index:02d}.py").write_text(LEGACY)
    (tmp_path / "crash_me.py").write_text(LEGACY)
    original = scan_module.scan_source

    def crashing(path: str, text: str):  # type: ignore[no-untyped-def]
        if path.endswith("crash_me.py"):
            os._exit(11)  # what a segfault in the native parser looks like from outside
        return original(path, text)

    monkeypatch.setattr(scan_module, "scan_source", crashing)
    result = scan_paths([tmp_path], jobs=2)
    crashed = [error for error in result.errors if error.file.endswith("crash_me.py")]
    assert crashed and "crashed" in crashed[0].message
    files = {Path(finding.file).name for finding in result.findings}
    assert len(files) == 46
    assert {f.endpoint for f in result.findings if f.file.endswith("crash_me.py")} == {"sources.list"}
