"""The validated map is kept in the cache by the hash of its files: a later process reads it back
without validating again (and without importing pydantic), and anything that changes the files, or
a cache that cannot be read, leads to a full validation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mappings import loader
from migrator.errors import MapError

PROBE = (
    "import sys, mappings; api = mappings.load_map(sys.argv[1]); "
    "print(len(api.endpoints), len(api.public_operations), 'pydantic' in sys.modules, api.directory)"
)


def _load_in_a_new_process(directory: Path, cache: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(directory)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SEGMENT_MIGRATOR_CACHE": str(cache)},
    )
    return done.stdout.split()


def test_a_second_process_reads_the_validated_map_back_without_pydantic(copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = _load_in_a_new_process(copy, cache)
    assert first[2] == "True", "the first load validates"
    assert len(list(cache.glob("map-*.pickle"))) == 1
    second = _load_in_a_new_process(copy, cache)
    assert second[:2] == first[:2] and second[2] == "False"
    assert second[3] == str(copy.resolve())


def test_an_edited_map_is_validated_again(copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _load_in_a_new_process(copy, cache)
    path = copy / "endpoints.toml"
    path.write_text(path.read_text().replace("row = 9\n", 'row = 9\nautomaton = "auto"\n', 1))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(copy)],
        capture_output=True,
        text=True,
        env={**os.environ, "SEGMENT_MIGRATOR_CACHE": str(cache)},
    )
    assert done.returncode != 0 and "automaton" in done.stderr


def test_a_broken_map_is_never_kept(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(cache))
    path = copy / "enums.toml"
    path.write_text(path.read_text().replace('blacklist_fields = "DROP_PROPERTIES" }', 'blacklist_fields = "DROP" }'))
    with pytest.raises(MapError):
        loader._load.__wrapped__(copy)
    assert not cache.exists() or not list(cache.glob("map-*.pickle"))


def test_an_unreadable_cache_is_ignored_and_replaced(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(cache))
    expected = loader._load.__wrapped__(copy)
    (kept,) = cache.glob("map-*.pickle")
    kept.write_bytes(b"not a pickle")
    again = loader._load.__wrapped__(copy)
    assert [endpoint.key for endpoint in again.endpoints] == [endpoint.key for endpoint in expected.endpoints]
    assert kept.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(copy: Path, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(blocker / "cache"))
    assert len(loader._load.__wrapped__(copy).endpoints) == 65
