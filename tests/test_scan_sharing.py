"""Work shared out to forked processes: every piece done once and answered in order, and a process
that dies loses only the pieces it held, which come back as None for the caller to redo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.scan import EarlyParser, ScanResult, scan_paths, sharing

pytestmark = pytest.mark.skipif(not EarlyParser.available(), reason="the work is shared by forking")

CORPUS = Path(__file__).parent / "fixtures" / "scan"


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_every_piece_is_done_once_and_answered_in_order(processes: int):
    weights = [index % 7 for index in range(50)]
    assert sharing.share(lambda piece: piece * piece, weights, processes) == [piece * piece for piece in range(50)]


def test_more_pieces_than_the_queue_holds_are_done_in_runs(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sharing, "MAX_QUEUED", 4)
    assert sharing.share(lambda piece: -piece, [1] * 23, 2) == [-piece for piece in range(23)]


def test_nothing_to_share():
    assert sharing.share(lambda piece: piece, [], 2) == []


def test_a_process_that_dies_loses_only_the_pieces_it_held():
    parent = os.getpid()

    def work(piece: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # a native crash in a forked process, on its first piece
        return piece + 100

    results = sharing.share(work, [1] * 40, 3)
    assert len(results) == 40
    assert all(result in (None, piece + 100) for piece, result in enumerate(results))
    assert sum(result is None for result in results) <= 2  # each dead process held one piece


def _findings(result: ScanResult) -> list[tuple[str, int, int, str]]:
    return [(finding.file, finding.line, finding.column, finding.kind) for finding in result.findings]


def test_a_shared_scan_finds_what_a_serial_one_finds():
    serial = scan_paths([CORPUS], jobs=1, early=False)
    shared = scan_paths([CORPUS], jobs=3, early=False)
    assert serial.findings and _findings(shared) == _findings(serial)
    assert (shared.files_parsed, len(shared.errors)) == (serial.files_parsed, len(serial.errors))


def test_a_caller_that_must_outlive_a_crash_does_no_piece_itself():
    parent = os.getpid()
    assert all(pid != parent for pid in sharing.share(lambda piece: os.getpid(), [1] * 20, 2, here=False))
