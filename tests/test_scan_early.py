"""A first scan readies its parser in a process of its own while the tree is walked: the findings are
the same as without it, a parser process that dies loses nothing, and one with nothing to do is
ended without waiting for it."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from pathlib import Path

import pytest

import migrator.scan as scan_module
from migrator.scan import EarlyParser, ScanResult, scan_paths

CORPUS = Path(__file__).parent / "fixtures" / "scan"

pytestmark = pytest.mark.skipif(not EarlyParser.available(), reason="the early parser is forked")


def _summary(result: ScanResult) -> tuple[object, ...]:
    return (
        [dataclasses.asdict(finding) for finding in result.findings],
        sorted((error.file, error.message) for error in result.errors),
        result.files_seen,
        result.files_read,
        result.files_parsed,
    )


@pytest.fixture(scope="module")
def in_process() -> ScanResult:
    return scan_paths([CORPUS], jobs=2, early=False)


def test_the_early_parser_finds_what_this_process_finds(in_process: ScanResult):
    early = scan_paths([CORPUS], jobs=2, early=True)
    assert in_process.findings  # the corpus is not empty: the comparison means something
    assert _summary(early) == _summary(in_process)
    assert multiprocessing.active_children() == []


def test_a_parser_process_that_dies_loses_nothing(in_process: ScanResult, monkeypatch: pytest.MonkeyPatch):
    def dying(connection: object, parents_end: object) -> None:
        os._exit(11)  # a native crash, seen from outside

    monkeypatch.setattr(scan_module, "_early_parser", dying)
    assert _summary(scan_paths([CORPUS], jobs=2, early=True)) == _summary(in_process)


def test_a_tree_with_nothing_to_parse_ends_the_parser_unused(tmp_path: Path):
    (tmp_path / "app.py").write_text("import requests\nrequests.get('https://example.com/v2/items')\n")
    result = scan_paths([tmp_path], jobs=2, early=True)
    assert result.findings == [] and result.files_parsed == 0
    assert multiprocessing.active_children() == []


class _Recorder:
    made = 0

    def __init__(self) -> None:
        type(self).made += 1
        raise AssertionError("the scan should not fork an early parser here")

    @staticmethod
    def available() -> bool:
        return True


def test_no_early_parser_once_this_process_has_the_scanner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "legacy.py").write_text(
        "import requests\nrequests.get('https://platform.segmentapis.com/v1beta/workspaces/a/sources')\n"
    )
    scan_module._python()
    monkeypatch.setattr(scan_module, "EarlyParser", _Recorder)
    assert [finding.endpoint for finding in scan_paths([tmp_path], jobs=2).findings] == ["sources.list"]


def test_no_early_parser_with_one_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "legacy.py").write_text(
        "import requests\nrequests.get('https://platform.segmentapis.com/v1beta/workspaces/a/sources')\n"
    )
    monkeypatch.setattr(scan_module, "_scanner", None)
    monkeypatch.setattr(scan_module, "EarlyParser", _Recorder)
    assert [finding.endpoint for finding in scan_paths([tmp_path], jobs=1).findings] == ["sources.list"]


def test_a_first_run_in_a_fresh_process_parses_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "legacy.py").write_text(
        "import requests\nrequests.get('https://platform.segmentapis.com/v1beta/workspaces/a/sources')\n"
    )
    made: list[EarlyParser] = []

    class Counted(EarlyParser):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(scan_module, "_scanner", None)
    monkeypatch.setattr(scan_module, "EarlyParser", Counted)
    assert [finding.endpoint for finding in scan_paths([tmp_path], jobs=2).findings] == ["sources.list"]
    assert len(made) == 1
