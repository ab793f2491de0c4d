"""The scan cache: same findings without parsing, never stale, never holding a token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.scan import scan_paths
from migrator.scan.cache import cache_folder
from migrator.scan.walk import MARKER_PARTS, MARKERS

LEGACY = 'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'
TOKEN = "sgp_" + "A1b2" * 16


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SEGMENT_MIGRATOR_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text(LEGACY)
    (root / "b.py").write_text(f'TOKEN = "{TOKEN}"\nAPI = "https://platform.segmentapis.com/v1beta"\n')
    return root


def findings(root: Path, cache: bool = True) -> tuple[list[dict[str, object]], int]:
    result = scan_paths([root], jobs=1, cache=cache)
    return [finding.to_json() for finding in result.findings], result.files_cached


def test_a_second_scan_reuses_every_file_and_finds_the_same(tree: Path):
    first, cached = findings(tree)
    assert cached == 0 and first
    again, cached = findings(tree)
    assert cached == 2 and again == first


def test_a_changed_file_is_parsed_again(tree: Path):
    findings(tree)
    (tree / "a.py").write_text(LEGACY.replace("sources", "sources/web"))
    after, cached = findings(tree)
    assert cached == 1
    assert any(finding.get("path") == "workspaces/{workspace_slug}/sources/{source_slug}" for finding in after)


def test_a_change_to_the_session_a_module_imports_is_a_change_to_the_module(tree: Path):
    """`client.py` sends on the session `http_session.py` makes: apply routes it through the layer,
    and the scan says so. Once that module makes no session, `client.py` (unchanged) is judged again."""
    from migrator.early_parser import APPLY_JUDGE

    (tree / "http_session.py").write_text("import requests\n\nsession = requests.Session()\n")
    (tree / "client.py").write_text(
        "from http_session import session\n"
        'API = "https://platform.segmentapis.com/v1beta"\n\n\n'
        "def plans():\n"
        '    return session.get(f"{API}/workspaces/acme/tracking-plans").json()["tracking_plans"]\n'
    )

    def verdict() -> str:
        found = scan_paths([tree], jobs=1, cache=True, judge=APPLY_JUDGE).findings
        [call] = [f for f in found if f.file.endswith("client.py") and f.kind == "call"]
        return call.fixability

    assert verdict() == "auto"
    (tree / "http_session.py").write_text("import requests\n\nsession = None\n")
    assert verdict() == "manual"


def test_without_the_cache_nothing_is_reused(tree: Path):
    findings(tree)
    assert findings(tree, cache=False)[1] == 0


def test_a_corrupt_cache_is_ignored(tree: Path):
    first, _ = findings(tree)
    for path in cache_folder().iterdir():
        path.write_bytes(b"not a pickle")
    assert findings(tree) == (first, 0)


def test_the_cache_holds_no_token(tree: Path):
    findings(tree)
    stored = b"".join(path.read_bytes() for path in cache_folder().iterdir())
    assert stored and TOKEN.encode() not in stored and TOKEN[4:20].encode() not in stored


def test_every_marker_holds_one_of_the_first_searches():
    assert all(any(part in marker for part in MARKER_PARTS) for marker in MARKERS)


def _grepped(paths: list[Path]) -> set[Path] | None:
    from migrator.scan.walk import NativeGrep

    grep = NativeGrep()
    for path in paths:
        grep.add(path)
    return grep.marked()


@pytest.mark.parametrize(("batch", "running"), [(1000, 2), (2, 1), (3, 2)])
def test_the_native_prefilter_lists_exactly_the_files_with_a_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, running: int
):
    from migrator.scan.walk import NativeGrep

    monkeypatch.setattr(NativeGrep, "BATCH", batch)  # several batches, some waited for before the next starts
    monkeypatch.setattr(NativeGrep, "RUNNING", running)
    files = []
    for index, marker in enumerate(MARKERS):
        path = tmp_path / f"with_{index}.txt"
        path.write_bytes(b"x\x00y\n" * 3 + marker + b"\n")  # binary or not, grep's answer is the file list
        files.append(path)
    for index, decoy in enumerate((b"segment", b"v1 beta", b"sgp", b"TODO(migration)")):
        path = tmp_path / f"without_{index}.txt"
        path.write_bytes(decoy)
        files.append(path)
    odd = tmp_path / "name with\nnewline.py"
    odd.write_bytes(b"segmentapis")
    files.append(odd)
    found = _grepped(files)
    assert found is not None
    assert found == {path for path in files if any(marker in path.read_bytes() for marker in MARKERS)}


def test_the_native_prefilter_steps_aside_when_grep_fails(tmp_path: Path):
    assert _grepped([tmp_path / "missing.py"]) is None


def test_the_cache_looks_for_the_map_where_the_loader_does():
    from mappings import loader
    from migrator.scan import cache

    assert cache.MAP_ENV == loader.MAP_ENV and cache.MAPPINGS_HERE == loader.HERE


def test_the_cache_key_covers_every_module_a_judged_scan_runs(tmp_path: Path):
    """A change to any module a scan runs (the analysis layer, the repository model, the judge, the
    map's code) must not leave stale findings in the cache: every module loaded by a scan with its
    judge is among the files the key is made of."""
    from migrator.early_parser import APPLY_JUDGE
    from migrator.scan import cache

    (tmp_path / "client.py").write_text(
        "import requests\nBASE = 'https://platform.segmentapis.com/v1beta'\n"
        "def sources():\n    return requests.get(BASE + '/workspaces/acme/sources').json()['sources']\n"
    )
    probe = (
        "import sys; from pathlib import Path; import migrator.scan as scan; "
        f"found = scan.scan_paths([Path(sys.argv[1])], jobs=1, judge={APPLY_JUDGE!r}); "
        "assert found.findings; "
        "print('\\n'.join(sorted({m.__file__ for n, m in list(sys.modules.items()) "
        "if n.split('.')[0] in ('migrator', 'mappings', 'codemods') and getattr(m, '__file__', None)})))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True)
    loaded = {Path(line) for line in done.stdout.splitlines()}
    assert len(loaded) > 20
    assert loaded <= set(cache.decisive_files(APPLY_JUDGE))
