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


def _contents(api: loader.ApiMap) -> dict[str, object]:
    return {name: value for name, value in vars(api).items() if name != "directory"}


def test_the_packaged_map_is_the_validated_map_of_these_files():
    key = loader.PACKAGED.read_bytes().split(b"\n", 1)[0].decode()
    assert key == loader._key({name: (loader.HERE / name).read_bytes() for name in loader.FILES}), (
        "mappings/validated.map is out of date: run `python -m mappings.freeze`"
    )
    packaged = loader._packaged(key, loader.HERE)
    assert packaged is not None
    fresh = loader._from_raw(
        loader.HERE,
        {name: loader._parsed(loader.HERE, name, (loader.HERE / name).read_bytes()) for name in loader.FILES},
    )
    assert _contents(packaged) == _contents(fresh)


def test_a_first_run_after_installing_reads_the_packaged_map_without_pydantic(tmp_path: Path):
    cache = tmp_path / "empty-cache"
    packaged = _load_in_a_new_process(loader.HERE, cache)
    assert packaged[2] == "False" and packaged[3] == str(loader.HERE)
    assert not cache.exists(), "nothing to cache: the package holds it"


def test_a_packaged_map_is_read_for_the_packaged_files_only(copy: Path, tmp_path: Path):
    first = _load_in_a_new_process(copy, tmp_path / "cache")
    assert first[2] == "True", "a copy of the files, however equal, is validated"


@pytest.mark.parametrize("stored", [b"0" * 32 + b"\n" + b"x", b"", b"no newline", None])
def test_a_stale_or_broken_packaged_map_is_not_read(stored: bytes | None, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "PACKAGED", tmp_path / "validated.map")
    if stored is not None:
        loader.PACKAGED.write_bytes(stored)
    key = loader._key({name: (loader.HERE / name).read_bytes() for name in loader.FILES})
    assert loader._packaged(key, loader.HERE) is None
    assert len(loader._load.__wrapped__(loader.HERE).endpoints) == 65


def test_a_packaged_map_with_the_right_key_and_a_broken_body_is_not_read(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(loader, "PACKAGED", tmp_path / "validated.map")
    key = loader._key({name: (loader.HERE / name).read_bytes() for name in loader.FILES})
    loader.PACKAGED.write_bytes(key.encode() + b"\nnot compressed")
    assert loader._packaged(key, loader.HERE) is None
