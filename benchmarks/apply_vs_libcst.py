"""`migrate apply --diff` against a bare libcst parse and `.code` round trip of the same files.

The fixture repository (examples/legacy-repo and the Python files of the scan corpus) is copied
`--copies` times (default 200: several thousand files). Both sides use the same number of
processes; the baseline does nothing but parse and print each file back. Each side runs `--rounds`
times, alternating (the machines are noisy); the medians are compared.

    python benchmarks/apply_vs_libcst.py [--copies 200] [--jobs 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import libcst as cst

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "examples" / "legacy-repo").glob("*.py")),
    *sorted((ROOT / "tests" / "fixtures" / "scan" / "positive").glob("*.py")),
]


def round_trip(paths: list[str]) -> int:
    same = 0
    for path in paths:
        source = Path(path).read_text()
        with contextlib.suppress(Exception):  # the corpus has one Python 2 file, as real trees do
            same += cst.parse_module(source).code == source
    return same


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="apply-bench-"))
    for copy in range(arguments.copies):
        folder = work / f"copy_{copy:03d}"
        folder.mkdir()
        for source in SOURCES:
            shutil.copy(source, folder / source.name)
    files = sorted(str(path) for path in work.rglob("*.py"))
    print(f"{len(files)} files in {arguments.copies} copies")
    chunks = [files[index :: arguments.jobs * 4] for index in range(arguments.jobs * 4)]
    baselines, migrates = [], []
    for _ in range(arguments.rounds):
        start = time.perf_counter()
        with ProcessPoolExecutor(arguments.jobs) as pool:
            list(pool.map(round_trip, chunks))
        baselines.append(time.perf_counter() - start)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "migrator", "apply", str(work), "--diff", "--jobs", str(arguments.jobs)],
            capture_output=True,
            check=False,
        )
        migrates.append(time.perf_counter() - start)
        assert done.returncode in (0, 1), done.stderr.decode()[-2000:]  # 1: the Python 2 files are reported
    baseline, migrate = statistics.median(baselines), statistics.median(migrates)
    paired = sorted(m / b for m, b in zip(migrates, baselines, strict=True))
    print(f"libcst parse + code: {baseline:.2f} s ({len(files) / baseline:.0f} files/s)")
    print(
        f"migrate apply --diff: {migrate:.2f} s ({len(files) / migrate:.0f} files/s), "
        f"{done.stdout.count(b'diff --git')} files in the patch"
    )
    print(f"ratio of medians over {arguments.rounds} rounds: {migrate / baseline:.2f}x (target: within 1.5x)")
    # each round's two runs are back to back, so a slow spell of the machine weighs on both
    print(f"per-round ratios: {', '.join(f'{ratio:.2f}' for ratio in paired)}; median {statistics.median(paired):.2f}x")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
