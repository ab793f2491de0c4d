"""Files as real repositories hold them: CRLF, CR-only and mixed line breaks, a byte-order mark, a
latin-1 file with its coding declaration, a form feed. A rewrite changes the lines it migrates and
not one byte more; `--diff` is a patch `git apply` takes and that gives exactly what a write gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.engine import ApplyOptions, migrate_file
from migrator.sourcefile import SourceError, decode_source

from ..helpers import ROOT
from .support import IDS, NATIVE

LINES = [
    b"import requests",
    b"",
    b'API = "https://platform.segmentapis.com/v1beta"',
    b'H = {"Authorization": "Bearer x"}',
    b"",
    b"",
    b"def drop():",
    b"    # caf\xc3\xa9: the comment keeps its accent",
    b'    requests.delete(f"{API}/workspaces/acme/sources/web", headers=H).raise_for_status()',
    b"",
]
CHANGES = [
    (b'"https://platform.segmentapis.com/v1beta"', b'"https://api.segmentapis.com"'),
    (b"{API}/workspaces/acme/sources/web", b"{API}/sources/S_WEB"),
]


def _mixed() -> bytes:
    breaks = [b"\r\n", b"\n", b"\r", b"\r\n"]
    return b"".join(line + breaks[n % len(breaks)] for n, line in enumerate(LINES))


VARIANTS = {
    "crlf": b"\r\n".join(LINES),
    "cr_only": b"\r".join(LINES),
    "mixed_breaks": _mixed(),
    "byte_order_mark": b"\xef\xbb\xbf" + b"\n".join(LINES),
    "latin_1_declared": b"# -*- coding: latin-1 -*-\n" + b"\n".join(LINES).replace(b"\xc3\xa9", b"\xe9"),
    "form_feed": b"\n".join(LINES).replace(b"\n\n\ndef", b"\n\n\x0c\ndef"),
    "no_last_break": b"\n".join(LINES[:-1]),
}


def _expected(original: bytes) -> bytes:
    for old, new in CHANGES:
        original = original.replace(old, new)
    return original


def _migrated_bytes(path: Path) -> bytes:
    outcome = migrate_file(path, path.name, ApplyOptions(IDS, "us", NATIVE))
    assert outcome.error is None, outcome.error
    assert outcome.changed
    return outcome.new_source.encode(outcome.encoding)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_only_the_migrated_bytes_change(name, tmp_path):
    path = tmp_path / "drop.py"
    path.write_bytes(VARIANTS[name])
    migrated = _migrated_bytes(path)
    assert migrated == _expected(VARIANTS[name])
    compile(migrated, "drop.py", "exec")  # bytes as Python reads them: mark and declaration honoured


def test_a_file_ending_in_a_lone_carriage_return_keeps_it(tmp_path):
    """libcst prints such a file back without its last CR; the rewrite must not lose it."""
    path = tmp_path / "drop.py"
    path.write_bytes(b"\r".join(LINES) + b"\r")
    assert _migrated_bytes(path) == _expected(path.read_bytes())


def test_a_change_the_file_encoding_cannot_hold_is_refused(tmp_path):
    """A Public ID with a character latin-1 has no byte for: the file is left as it was, said why."""
    ids = IDS.model_copy(
        update={"entries": [entry.model_copy(update={"public_id": "S_\u0141"}) for entry in IDS.entries]}
    )
    path = tmp_path / "drop.py"
    path.write_bytes(VARIANTS["latin_1_declared"])
    outcome = migrate_file(path, path.name, ApplyOptions(ids, "us", NATIVE))
    assert not outcome.changed
    assert outcome.error is not None and "cannot hold" in outcome.error


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"# -*- coding: no-such-codec -*-\nx = 1\n", "unknown encoding"),
        (b"x = '\xff'\n", "not valid utf-8 in its first two lines"),
        (b"x = 1\ny = 2\nz = '\xff'\n", "not valid utf-8 at byte 17"),
        (b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n", "coding declaration says otherwise"),
    ],
    ids=["unknown_codec", "invalid_utf8_at_the_top", "invalid_utf8_further_down", "mark_contradicts_declaration"],
)
def test_an_undecodable_file_is_one_line_not_a_traceback(data, reason, tmp_path):
    with pytest.raises(SourceError) as raised:
        decode_source(data)
    assert reason in str(raised.value) and "\n" not in str(raised.value)
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    outcome = migrate_file(path, path.name, ApplyOptions(IDS, "us", NATIVE))
    assert outcome.error is not None and outcome.error.startswith("cannot read")


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_the_diff_is_the_write_byte_for_byte(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    for name, data in VARIANTS.items():
        (repo / f"{name}.py").write_bytes(data)
    (repo / ".gitattributes").write_bytes(b"* -text\n")  # git keeps every line break as it is
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "legacy")
    ids = tmp_path / "ids.json"
    IDS.save(ids)
    command = [sys.executable, "-m", "migrator", "apply", ".", "--ids", str(ids)]
    diff = subprocess.run([*command, "--diff"], cwd=repo, capture_output=True, check=False)
    assert diff.returncode == 0, diff.stderr.decode()
    patched = tmp_path / "patched"
    shutil.copytree(repo, patched)
    (patched / "change.patch").write_bytes(diff.stdout)
    _git(patched, "apply", "change.patch")
    wrote = subprocess.run(command, cwd=repo, capture_output=True, check=False, env=None)
    assert wrote.returncode == 0, wrote.stderr.decode()
    for name, data in VARIANTS.items():
        written = (repo / f"{name}.py").read_bytes()
        assert written == _expected(data), name
        assert (patched / f"{name}.py").read_bytes() == written, name
    assert str(ROOT) not in diff.stdout.decode("latin-1")  # paths in the patch are the repository's
