"""`migrate scan` on real Config API code: file-level recall per repository, and the call sites found.

OUT is the folder `../shared/realcode/extract.sh --whole OUT` laid out (one folder per repository);
MANIFEST is that set's `MANIFEST.tsv` (role, lang, repo, commit, path: one file a row). Each
repository is scanned as a user would (`migrate scan . --no-cache --format json`, in a scratch git
copy so that .gitignore reads as in a clone). Reported per repository: the legacy files the
manifest lists and how many the scan flagged, the public-only files flagged (must be none), and
the sites (kinds call, url, wrapper, compat): first the references that are no request (an import
of a Config client library, a path-segment constant its client builds paths from), then the
requests, with and without an endpoint. `-v` lists the missed files and the sites without an
endpoint.

    python benchmarks/realcode_scan.py OUT MANIFEST [-v] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

SITES = frozenset({"call", "url", "wrapper", "compat"})


def is_reference(finding: dict[str, object]) -> bool:
    """An import of a client library or a path-segment constant: a use of the API that sends no
    request of its own (its requests are the calls that use it)."""
    message = str(finding.get("message", ""))
    return message.startswith("imports `") or "a Config API path segment" in message


def manifest_rows(manifest: Path) -> dict[str, dict[str, set[str]]]:
    rows: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with manifest.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows[row["repo"]][row["role"]].add(row["path"])
    return rows


def scanned(tree: Path) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / tree.name
        shutil.copytree(tree, copy, symlinks=True)
        for args in (["init", "-q"], ["add", "-A", "-f"], ["commit", "-q", "-m", "tree"]):
            subprocess.run(
                ["git", "-C", str(copy), "-c", "user.name=m", "-c", "user.email=m@example.com", *args],
                check=True,
                capture_output=True,
            )
        done = subprocess.run(
            [sys.executable, "-m", "migrator", "scan", ".", "--no-cache", "--format", "json", "--fail-on", "never"],
            cwd=copy,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"scan failed on {tree.name}: {done.stderr.strip().splitlines()[-1:]}")
    report = json.loads(done.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    return list(findings)


def _relative(file: str) -> str:
    file = file.replace("\\", "/")
    return file[2:] if file.startswith("./") else file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("manifest", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every repository's findings here")
    args = parser.parse_args()
    rows = manifest_rows(args.manifest)
    found_total = legacy_total = 0
    every: dict[str, object] = {}
    print(
        f"{'repository':48} {'legacy':>9} {'public-only flagged':>20} {'references':>10} {'requests':>9} "
        f"{'with endpoint':>14}"
    )
    for repo in sorted(rows):
        tree = args.out / repo.replace("/", "+")
        if not tree.is_dir():
            print(f"{repo:48} (not laid out)")
            continue
        findings = scanned(tree)
        every[repo] = findings
        flagged = {_relative(str(finding["file"])) for finding in findings}
        legacy = rows[repo].get("legacy", set())
        public = rows[repo].get("public-only", set())
        hit = legacy & flagged
        sites = [finding for finding in findings if finding.get("kind") in SITES]
        references = [finding for finding in sites if is_reference(finding)]
        requests = [finding for finding in sites if not is_reference(finding)]
        with_endpoint = [finding for finding in requests if finding.get("endpoint")]
        found_total += len(hit)
        legacy_total += len(legacy)
        print(
            f"{repo:48} {len(hit):>4}/{len(legacy):<4} {len(public & flagged):>20} "
            f"{len(references):>10} {len(requests):>9} {len(with_endpoint):>14}"
        )
        if args.verbose:
            for path in sorted(legacy - flagged):
                print(f"    missed {path}")
            for finding in sites:
                if not finding.get("endpoint"):
                    where = f"{_relative(str(finding['file']))}:{finding.get('line')}"
                    print(f"    no endpoint {where} {str(finding.get('message', ''))[:90]}")
    print(f"recall {found_total}/{legacy_total}")
    if args.json:
        args.json.write_text(json.dumps(every, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
