"""Scan says what apply does with a module a cassette-playing test records (its Config requests go on
as made, through the layer) and calls the cassette's recorded request no code to move."""

from __future__ import annotations

from pathlib import Path

from migrator.scan import scan_paths

from .codemods.test_recorded import CASSETTE, CLIENT, PLAIN_TEST, RECORDED_TEST


def scanned(root: Path, test: str) -> dict[tuple[str, str], tuple[str, str]]:
    (root / "tests" / "cassettes").mkdir(parents=True)
    (root / "segclient.py").write_text(CLIENT)
    (root / "tests" / "test_segclient.py").write_text(test)
    (root / "tests" / "cassettes" / "sources.yaml").write_text(CASSETTE)
    return {
        (Path(f.file).relative_to(root).as_posix(), f.kind): (f.fixability, f.reason or "")
        for f in scan_paths([root], jobs=1).findings
    }


def test_a_module_a_cassette_records_is_routed_and_the_cassette_is_kept(tmp_path: Path):
    found = scanned(tmp_path, RECORDED_TEST)
    fixability, reason = found[("segclient.py", "call")]
    assert fixability == "auto"
    assert "tests/test_segclient.py plays a cassette recording this module's Config requests" in reason
    assert reason.startswith("`migrate apply` routes it through the compatibility layer")
    fixability, reason = found[("tests/cassettes/sources.yaml", "test")]
    assert fixability == "manual" and reason.startswith("a recorded answer of the Config API")
    kinds = {kind for file, kind in found if file == "tests/cassettes/sources.yaml"}
    assert kinds == {"test"}, "the response's `url` is the recording's too"


def test_no_op_a_module_no_test_plays_a_cassette_for_is_judged_as_ever(tmp_path: Path):
    found = scanned(tmp_path, PLAIN_TEST)
    assert "cassette" not in found[("segclient.py", "call")][1]
