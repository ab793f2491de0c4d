"""A file's patch made from the splice's replacements is the patch difflib makes of the whole texts."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import pytest

from codemods.engine import ApplyOptions, migrate_file
from codemods.patch import file_diff
from codemods.splice import spliced_code
from tests.codemods.test_splice import _edited, random_edits

ROOT = Path(__file__).resolve().parents[2]
LEGACY = sorted(
    [
        *(ROOT / "migrator" / "demo" / "legacy_repo").rglob("*.py"),
        *(ROOT / "tests" / "fixtures" / "scan" / "positive").glob("*.py"),
        *(ROOT / "tests" / "fixtures" / "wrapper_repo").rglob("*.py"),
    ]
)


def test_every_migrated_legacy_file_has_the_patch_difflib_makes():
    patched = 0
    for path in LEGACY:
        outcome = migrate_file(path, str(path), ApplyOptions())
        if not outcome.changed:
            continue
        assert outcome.replaced, f"{path.name}: spliced, so its replacements are known"
        assert file_diff("f.py", outcome.source, outcome.new_source, outcome.replaced) == file_diff(
            "f.py", outcome.source, outcome.new_source
        ), path.name
        patched += 1
    assert patched >= 30


def _applied(tmp_path: Path, source: str, patch: str) -> str:
    """What `git apply` makes of `source` with `patch`."""
    target = tmp_path / "f.py"
    target.write_text(source, encoding="utf-8", newline="")
    (tmp_path / "change.patch").write_text(patch, encoding="utf-8", newline="")
    subprocess.run(["git", "apply", "change.patch"], cwd=tmp_path, check=True, capture_output=True)
    with target.open(encoding="utf-8", newline="") as applied:
        return applied.read()


def test_random_splices_over_the_projects_own_code_have_the_patch_difflib_makes(tmp_path: Path):
    compared = 0
    for path, source, module, targets, edit in random_edits(11, 15, (1, 2, 4)):
        spliced = spliced_code(source, module, _edited(module, targets, edit))
        if spliced is None or spliced.text == source:
            continue
        made = file_diff("f.py", source, spliced.text, spliced.replaced)
        if made != file_diff("f.py", source, spliced.text):
            # difflib declines to match lines it finds too common (blank lines in a long file) and
            # then deletes and re-adds them; the splice's patch keeps them as context. Both are right
            # when git makes the same text of them.
            assert _applied(tmp_path, source, made) == spliced.text, path.name
        compared += 1
    assert compared >= 30


@pytest.mark.parametrize("odd", ["\r", "\f", "\v", "\u2028", "\x85"])
def test_breaks_git_does_not_split_at_stay_inside_a_line(odd: str):
    before = f"a = 1\nb = '{odd}'\nc = 3\n"
    after = before.replace("c = 3", "c = 4")
    start = before.index("c = 3")
    assert file_diff("f.py", before, after, [(start, len(before), "c = 4\n")]) == file_diff("f.py", before, after)


def test_a_new_file():
    assert file_diff("new.py", None, "x = 1\n", []).startswith("diff --git a/new.py b/new.py\nnew file mode 100644\n")


@pytest.mark.parametrize("text", ["a\nb\n", "a\nb", "x", "", "a\r\nb\r\n", "one\n\n\nlast"])
def test_a_new_files_patch_is_difflibs(text: str):
    lines = difflib.unified_diff([], text.splitlines(keepends=True), "/dev/null", "b/new.py")
    expected = "diff --git a/new.py b/new.py\nnew file mode 100644\n" + "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    assert file_diff("new.py", None, text) == expected
