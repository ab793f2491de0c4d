"""A first scan readies its parser in a process of its own while the tree is walked: the findings are
the same as without it, a parser process that dies loses nothing, and one with nothing to do is
ended without waiting for it."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import migrator.early_parser as early_module
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


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process ids of the early parsers the test forks."""
    pids: list[int] = []

    class Recorded(EarlyParser):
        def __init__(self) -> None:
            super().__init__()
            pids.append(self.pid)

    monkeypatch.setattr(scan_module, "EarlyParser", Recorded)
    return pids


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # waited for already: nothing left behind
    return False


def test_the_early_parser_finds_what_this_process_finds(in_process: ScanResult, forked: list[int]):
    early = scan_paths([CORPUS], jobs=2, early=True)
    assert in_process.findings  # the corpus is not empty: the comparison means something
    assert _summary(early) == _summary(in_process)
    assert len(forked) == 1 and _reaped(forked[0])


def test_a_parser_process_that_dies_loses_nothing(
    in_process: ScanResult, forked: list[int], monkeypatch: pytest.MonkeyPatch
):
    def dying(requests: object, answers: object) -> None:
        os._exit(11)  # a native crash, seen from outside

    monkeypatch.setattr(early_module, "_serve", dying)
    assert _summary(scan_paths([CORPUS], jobs=2, early=True)) == _summary(in_process)
    assert len(forked) == 1 and _reaped(forked[0])


def test_a_tree_with_nothing_to_parse_ends_the_parser_unused(tmp_path: Path, forked: list[int]):
    (tmp_path / "app.py").write_text("import requests\nrequests.get('https://example.com/v2/items')\n")
    result = scan_paths([tmp_path], jobs=2, early=True)
    assert result.findings == [] and result.files_parsed == 0
    assert len(forked) == 1 and _reaped(forked[0])


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


@pytest.mark.parametrize(
    ("arguments", "cached", "launched"),
    [
        (["scan", ".", "--no-cache"], True, True),
        (["--no-color", "scan", "."], False, True),
        (["scan", "."], True, False),  # a later run: most files come from the cache
        (["scan", ".", "--jobs", "1"], False, False),
        (["scan", ".", "--jobs=1"], False, False),
        (["scan", "--help"], False, False),
        (["apply", "scan.py"], False, False),
    ],
)
def test_the_command_line_starts_the_parser_only_for_a_first_scan(
    arguments: list[str], cached: bool, launched: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(tmp_path))
    if cached:
        (tmp_path / "scan-0123-4567.pickle").write_bytes(b"")
    early_module.launch_for(arguments)
    parser = early_module.claim()
    try:
        assert (parser is not None) == launched
    finally:
        if parser is not None:
            parser.stop()
            assert _reaped(parser.pid)
    assert early_module.claim() is None, "claimed once"


def test_a_launched_parser_the_scan_does_not_need_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "legacy.py").write_text(
        "import requests\nrequests.get('https://platform.segmentapis.com/v1beta/workspaces/a/sources')\n"
    )
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(tmp_path / "cache"))
    early_module.launch_for(["scan", str(tmp_path)])
    launched = early_module._launched
    assert launched is not None
    assert [finding.endpoint for finding in scan_paths([tmp_path], jobs=1).findings] == ["sources.list"]
    assert _reaped(launched.pid) and early_module.claim() is None


def test_a_scan_that_fails_before_it_begins_leaves_no_parser_behind(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", UNCLAIMED, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SEGMENT_MIGRATOR_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 2, done.stderr
    assert "no such file or folder" in done.stderr
    pid = int(done.stdout.split()[-1])
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped before the command exited


UNCLAIMED = """
import sys
from migrator import early_parser
sys.argv = ["migrate", "scan", sys.argv[1] + "/missing", "--no-cache"]
early_parser.launch_for(sys.argv[1:])
print(early_parser._launched.pid, flush=True)
from migrator.cli import main
main()
"""
