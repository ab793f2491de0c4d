"""Recall and precision of `migrate scan` on a corpus written from the call patterns: every expected
finding found, nothing found that is not expected, and nothing at all in the decoys."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from migrator.scan import scan_paths

CORPUS = Path(__file__).resolve().parent / "fixtures" / "scan"
MARK = re.compile(r"expect: ([a-z_]+ [a-z_.*-]+(?:, [a-z_]+ [a-z_.*-]+)*)")


def expectations(root: Path) -> set[tuple[str, int, str, str]]:
    expected: set[tuple[str, int, str, str]] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == "expected.toml":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found = MARK.search(line)
            if found:
                for item in found.group(1).split(", "):
                    kind, endpoint = item.split(" ")
                    expected.add((path.relative_to(root).as_posix(), number, kind, endpoint))
    sidecar = root / "expected.toml"
    if sidecar.exists():
        for name, rows in tomllib.loads(sidecar.read_text()).items():
            for number, kind, endpoint in rows:
                expected.add((name, number, kind, endpoint))
    return expected


def found(root: Path) -> tuple[set[tuple[str, int, str, str]], list[str]]:
    result = scan_paths([root], jobs=1)
    rows = {(Path(f.file).relative_to(root).as_posix(), f.line, f.kind, f.endpoint or "-") for f in result.findings}
    return rows, [f"{error.file}: {error.message}" for error in result.errors]


def test_positive_corpus_recall_and_precision():
    root = CORPUS / "positive"
    expected = expectations(root)
    actual, errors = found(root)
    missed = sorted(expected - actual)
    extra = sorted(actual - expected)
    recall = 1 - len(missed) / len(expected)
    precision = 1 - len(extra) / len(actual) if actual else 0.0
    report = "\n".join(
        [
            f"recall {recall:.1%}, precision {precision:.1%}",
            "missed:",
            *map(str, missed),
            "unexpected:",
            *map(str, extra),
        ]
    )
    assert len(expected) > 100
    assert (recall, precision) == (1.0, 1.0), report
    assert errors == [f"{root}/p20_broken_syntax.py: not parsed as Python" + errors[0].split("not parsed as Python")[1]]


def test_decoys_give_no_finding():
    actual, errors = found(CORPUS / "decoys")
    assert sorted(actual) == [] and errors == []
