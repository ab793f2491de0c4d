"""`migrate scan` against `grep -rlE 'segmentapis|v1beta'` over the same large tree, side by side.

The tree is a copy of this venv's site-packages (over 100 MB) with the 31-file scan fixture corpus
planted in `--plants` places (default 3: about 90 legacy files, 2% of the tree). Each tool runs
`--rounds` times, alternating; the medians are compared. grep only lists files; scan walks with the
same reach (no .gitignore in the copy; virtualenv, build and vendored folders are skipped as by
default), prefilters, parses the hits and reports findings. Scan is timed three times per round:
with `--no-cache` (every hit parsed, a first run on this tree), with its cache (a later run on the
same tree), and with an empty cache folder (the first run after installing: the map is validated
too, before it is cached).

The toolkit is byte-compiled first, as an installed copy is: a machine that sets
PYTHONDONTWRITEBYTECODE would otherwise compile its modules again in every process it starts,
a cost no installed copy pays.

    python benchmarks/scan_vs_grep.py [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "scan" / "positive"


def build_tree(target: Path, plants: int) -> tuple[int, int]:
    site = Path(sysconfig.get_paths()["purelib"])
    shutil.copytree(site, target / "site", symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    packages = sorted(path for path in (target / "site").iterdir() if path.is_dir())
    chosen = packages[:: max(1, len(packages) // plants)][:plants] if plants else []
    for index, package in enumerate(chosen):
        shutil.copytree(CORPUS, package / f"legacy_{index}")
    files = [path for path in target.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=env)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--plants", type=int, default=3, help="copies of the 31-file legacy corpus to plant")
    arguments = parser.parse_args()
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="scan-bench-"))
    tree = work / "tree"
    if not tree.exists():
        count, size = build_tree(tree, arguments.plants)
    else:
        files = [path for path in tree.rglob("*") if path.is_file()]
        count, size = len(files), sum(path.stat().st_size for path in files)
    print(f"tree: {count} files, {size / 1e6:.0f} MB")
    root = Path(__file__).resolve().parent.parent
    packages = [str(root / package) for package in ("migrator", "codemods", "mappings")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True)
    grep = ["grep", "-rlE", "segmentapis|v1beta", str(tree)]
    scan = [
        sys.executable,
        "-m",
        "migrator",
        "scan",
        str(tree),
        "--format",
        "json",
        "-o",
        str(work / "scan.json"),
        "--fail-on",
        "never",
    ]
    environment = {**os.environ, "SEGMENT_MIGRATOR_CACHE": str(work / "cache")}
    grep_times, cold_times, warm_times, installed_times = [], [], [], []
    for _ in range(arguments.rounds):
        seconds, done = timed(grep)
        grep_times.append(seconds)
        grep_files = len(done.stdout.splitlines())
        seconds, done = timed([*scan, "--no-cache"], environment)  # every file parsed, as on a first run
        assert done.returncode == 0, done.stderr.decode()
        cold_times.append(seconds)
        seconds, done = timed(scan, environment)  # as on CI's next push: unchanged files come from the cache
        assert done.returncode == 0, done.stderr.decode()
        warm_times.append(seconds)
        fresh = Path(tempfile.mkdtemp(prefix="scan-bench-cache-"))
        seconds, done = timed([*scan, "--no-cache"], {**environment, "SEGMENT_MIGRATOR_CACHE": str(fresh)})
        assert done.returncode == 0, done.stderr.decode()
        installed_times.append(seconds)
        shutil.rmtree(fresh)
    import json

    report = json.loads((work / "scan.json").read_text())
    grep_median = statistics.median(grep_times)
    cold, warm = statistics.median(cold_times), statistics.median(warm_times)
    print(f"grep: median {grep_median:.2f} s over {arguments.rounds} rounds, {grep_files} files listed")
    print(
        f"scan: {report['summary']['files_seen']} files seen, "
        f"{report['summary']['files_parsed']} parsed, {report['summary']['findings']} findings"
    )
    print(f"scan --no-cache: median {cold:.2f} s, {cold / grep_median:.2f}x grep (target: within 3x)")
    print(f"scan, cached:    median {warm:.2f} s, {warm / grep_median:.2f}x grep (target: within 1.5x)")
    installed = statistics.median(installed_times)
    ratio = installed / grep_median
    print(f"scan, first run after install (empty cache folder): median {installed:.2f} s, {ratio:.2f}x grep")
    if arguments.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
