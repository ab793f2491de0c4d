"""Find every Config API use in a repository: `scan_paths` yields typed findings; the CLI formats."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.early_parser import EarlyParser, claim
from migrator.notebook import IPYTHON, size_to_parse
from migrator.notebook import SUFFIX as NOTEBOOK_SUFFIX
from migrator.repository import sessions_on_disk, sessions_signature

from . import sharing
from .cache import Outcome, ScanCache, content_key
from .configured import kept_for_the_layer
from .endpoints import APPLY_ONLY
from .findings import FileError, Finding, ScanResult
from .recorded import restates
from .related import TEST_FILE, related_findings, restated_at, superseded
from .walk import VENDORED_REASON, Candidate, NativeGrep, WalkOptions, holds_markers, is_vendored, prefilter, walk

if TYPE_CHECKING:
    from migrator.notebook import Notebook

    from .python import PythonScanner

__all__ = ["EarlyParser", "FileError", "Finding", "ScanResult", "WalkOptions", "scan_file", "scan_paths", "scan_source"]

_scanner: PythonScanner | None = None
judge_with: str | None = None
"""`module:function` judging a Python file's findings (`judge(path, text, findings, tree) -> findings`,
`tree` the file's libcst module when the scanner has it, else None):
what the CLI's scan says `migrate apply` will do, decided where each file is parsed, so the verdicts
are cached with the findings and a cached scan never loads the judge. Named rather than imported:
the judge (the codemods) sits above the scanner, and forked workers resolve it themselves."""


def _python() -> PythonScanner:
    """The Python scanner, built on first use: a tree with nothing to parse never imports libcst."""
    global _scanner
    if _scanner is None:
        from .python import PythonScanner

        _scanner = PythonScanner()
    return _scanner


def is_test_file(path: str) -> bool:
    name = os.path.basename(path)
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


MAX_NESTING = 150


def nesting_too_deep(text: str) -> str | None:
    """Why libcst must not parse `text`: its native parser overflows its stack (and kills the
    process) on nesting CPython itself refuses, so deep nesting is checked first, cheaply."""
    if sum(text.count(bracket) for bracket in "([{") <= MAX_NESTING:
        return None  # too few brackets to nest that deep: no need to walk the text
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    if deepest <= MAX_NESTING:
        return None
    try:
        ast.parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError) as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else 'too deeply nested'}"
    return None


def scan_source(path: str, text: str) -> tuple[list[Finding], FileError | None]:
    """Findings of one file's text. A Python file that does not parse is read as text and the parse
    error reported; a crash in the scanner is reported for the file and never raised."""
    from .text import language_of, scan_text

    language = language_of(path)
    try:
        if path.endswith(NOTEBOOK_SUFFIX):
            notebook = _notebook(text)
            if notebook is not None:
                return _notebook_findings(path, notebook), None
        if language == "python":
            refused = nesting_too_deep(text)
            if refused is not None:
                return scan_text(path, text, "python"), FileError(
                    path, f"not parsed as Python ({refused}); read as text"
                )
            try:
                findings = _python().scan(path, text, is_test=is_test_file(path))
            except Exception as error:  # libcst ParserSyntaxError, RecursionError on huge files
                from migrator.analysis.parsing import why_not_parsed

                reason = (
                    why_not_parsed(error, text)
                    if hasattr(error, "raw_line")  # libcst's ParserSyntaxError
                    else str(error).splitlines()[0]
                    if str(error)
                    else type(error).__name__
                )
                unparsed = f"`migrate apply` cannot rewrite a file it cannot parse ({reason})"
                return [
                    replace(finding, fixability="manual", reason=unparsed) if finding.fixability == "auto" else finding
                    for finding in scan_text(path, text, "python")
                ], FileError(path, f"not parsed as Python ({reason}); read as text")
            return (judged(path, text, findings) if judge_with and findings else findings), None
        return scan_text(path, text, language), None
    except Exception as error:  # a bug in a scanner must not stop the scan of other files
        return [], FileError(path, f"scanner failed: {type(error).__name__}: {error}")


def _notebook(text: str) -> Notebook | None:
    """The notebook, when it is one whose code cells are Python (else it is read as text)."""
    from migrator.notebook import Notebook, NotebookError

    try:
        return Notebook.read(text)
    except NotebookError:
        return None


def _notebook_findings(path: str, notebook: Notebook) -> list[Finding]:
    """A notebook's findings: its code cells read as the module they make, each finding placed on
    the line of the notebook's text its code is on; IPython lines (`!curl ...`) read as shell."""
    from .text import scan_text

    code = notebook.python
    findings = _python().scan(path, code, is_test=False)
    if judge_with and findings:
        findings = judged(path, code, findings)
    lines = code.splitlines()
    placed: list[Finding] = []
    for finding in findings:
        if notebook.is_ipython(finding.line):
            continue
        line, column = notebook.json_position(finding.line, finding.column)
        placed.append(replace(finding, line=line, column=column))
    # A token may sit in a cell's output too (printed by the code that used it): not code, still a leak.
    seen = {finding.line for finding in placed if finding.kind == "secret"}
    placed += [f for f in scan_text(path, notebook.text, "json") if f.kind == "secret" and f.line not in seen]
    for number, text in enumerate(lines, 1):
        if notebook.is_ipython(number):
            shell = text.lstrip().removeprefix(IPYTHON).lstrip("!%")
            for finding in scan_text(path, shell + "\n", "shell"):
                line, _column = notebook.json_position(number, 1)
                placed.append(replace(finding, line=line, column=1))
    return placed


def judged(path: str, text: str, findings: list[Finding]) -> list[Finding]:
    """The findings as `judge_with` judges them; its failure (or no judge) leaves them as the
    scanner read them."""
    if judge_with is None:
        return findings
    module, _, name = judge_with.partition(":")
    parsed = _scanner.parsed if _scanner is not None else None
    tree = parsed[1] if parsed is not None and parsed[0] == text else None
    try:
        judge = getattr(importlib.import_module(module), name)
        judged: list[Finding] = judge(path, text, findings, tree)
    except Exception:  # a bug in the judge must not lose the file's findings
        return findings
    return judged


def scan_file(candidate: Candidate, max_bytes: int) -> tuple[list[Finding], FileError | None, int, bool]:
    """(findings, error, bytes read, parsed)."""
    try:
        size = candidate.path.stat().st_size
        if size_to_parse(candidate.path, size, max_bytes) > max_bytes:
            return [], None, 0, False
        data = candidate.path.read_bytes()
    except OSError as error:
        return [], FileError(candidate.display, f"cannot read: {error.strerror}", skipped=True), 0, False
    if not prefilter(data) or b"\x00" in data[:8192]:
        return [], None, len(data), False
    text = data.decode("utf-8", errors="replace")
    findings, problem = scan_source(candidate.display, text)
    return findings, problem, len(data), True


PARALLEL_FROM = 16


def _scan_batch(batch: list[Candidate], max_bytes: int) -> list[tuple[list[Finding], FileError | None, int, bool]]:
    return [scan_file(candidate, max_bytes) for candidate in batch]


def _isolated(candidate: Candidate, max_bytes: int) -> tuple[list[Finding], FileError | None, int, bool]:
    """Scan one file in a process of its own: a parser that crashes natively loses only that file,
    which is then read as text."""
    from concurrent.futures import ProcessPoolExecutor  # not imported by a scan whose early parser does the work
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1) as pool:
            return pool.submit(scan_file, candidate, max_bytes).result()
    except BrokenProcessPool:
        from .text import scan_text

        text = candidate.path.read_bytes().decode("utf-8", errors="replace")
        problem = FileError(candidate.display, "the Python parser crashed on this file; read as text")
        return scan_text(candidate.display, text), problem, len(text), False


def _weight(candidate: Candidate) -> int:
    """How long a file may take to scan: its size, and a Python file is parsed."""
    try:
        size = candidate.path.stat().st_size
    except OSError:
        return 0
    return size * 4 if candidate.path.suffix == ".py" else size


def get_ready() -> None:
    """Import libcst and load the map: what a first scan's parser does while the tree is walked."""
    _python()


def parse_for_early_parser(hits: list[Candidate], max_bytes: int, workers: int, judge: str | None) -> list[Outcome]:
    """The outcomes of the files that passed the prefilter, judged by `judge`, scanned in the early
    parser's process (which the scan outlives: it takes a share of the files itself)."""
    global judge_with
    judge_with = judge
    return _parse_all(hits, max_bytes, workers, expendable=True)


def _parse_all(hits: list[Candidate], max_bytes: int, workers: int, expendable: bool = False) -> list[Outcome]:
    """Scan the files that passed the prefilter, across `workers` processes when there are enough.
    This process takes a share itself only when it is `expendable` (the early parser, whose caller
    outlives it): a native crash in the parser must not end the scan."""
    if workers <= 1 or len(hits) < PARALLEL_FROM:
        return _scan_batch(hits, max_bytes)
    _python()  # import libcst and load the map once; the forked workers inherit them
    if EarlyParser.available() and threading.active_count() == 1:  # a fork copies no other thread
        weights = [_weight(candidate) for candidate in hits]
        shared = sharing.share(lambda piece: scan_file(hits[piece], max_bytes), weights, workers, here=expendable)
        return [
            outcome if outcome is not None else _isolated(candidate, max_bytes)
            for candidate, outcome in zip(hits, shared, strict=True)
        ]
    size = max(2, len(hits) // (workers * 4))
    batches = [hits[start : start + size] for start in range(0, len(hits), size)]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(workers) as pool:
            limits = [max_bytes] * len(batches)
            return [item for chunk in pool.map(_scan_batch, batches, limits) for item in chunk]
    except BrokenProcessPool:
        return [_isolated(candidate, max_bytes) for candidate in hits]


def _gather(
    paths: list[Path],
    options: WalkOptions,
    remembered: ScanCache | None,
    result: ScanResult,
    progress: Callable[[int], None] | None,
    candidates: list[Candidate],
) -> tuple[list[Candidate], dict[int, bytes], list[Outcome]]:
    """Walk, grep and read: the files to parse, their cache keys (by position), and the outcomes
    the cache already holds. What is seen and read is counted in `result`; every file walked is
    added to `candidates`."""
    hits: list[Candidate] = []
    keys: dict[int, bytes] = {}
    known: list[Outcome] = []
    grep = NativeGrep()
    sessions_of = functools.cache(sessions_on_disk)

    def unreadable(display: str, reason: str) -> None:
        result.errors.append(FileError(display, reason, skipped=True))

    for root in paths:
        for candidate in walk(Path(root), options, unreadable):
            result.files_seen += 1
            if progress and result.files_seen % 500 == 0:
                progress(result.files_seen)
            try:
                size = candidate.path.stat().st_size
                if size_to_parse(candidate.path, size, options.max_bytes) > options.max_bytes:
                    if holds_markers(candidate.path):  # without one it holds nothing to find: read whole
                        result.errors.append(
                            FileError(
                                candidate.display,
                                f"{size} bytes, over --max-size {options.max_bytes}, and it holds Config API "
                                "markers: raise --max-size to scan it",
                                skipped=True,
                            )
                        )
                    result.files_read += 1
                    continue
            except OSError as error:
                result.errors.append(FileError(candidate.display, f"cannot read: {error.strerror}", skipped=True))
                continue
            candidates.append(candidate)
            grep.add(candidate.path)
    marked = grep.marked()
    for candidate in candidates:
        if marked is not None and candidate.path not in marked:
            result.files_read += 1  # read by grep: it holds no marker
            continue
        try:
            data = candidate.path.read_bytes()
        except OSError as error:
            result.errors.append(FileError(candidate.display, f"cannot read: {error.strerror}", skipped=True))
            continue
        result.files_read += 1
        result.bytes_read += len(data)
        if prefilter(data) and b"\x00" not in data[:8192]:
            if remembered is not None:
                key = content_key(data, candidate.display, is_test_file(candidate.display))
                if candidate.display.endswith(".py") and b"import" in data:
                    # apply's verdicts read the sessions modules it imports make: a change there is one here
                    signature = sessions_signature(candidate.path, data.decode("utf-8", "replace"), sessions_of)
                    key = hashlib.blake2b(key + signature, digest_size=16).digest() if signature else key
                found = remembered.get(key, candidate.display)
                if found is not None:
                    known.append(found)
                    result.files_cached += 1
                    continue
                keys[len(hits)] = key
            hits.append(candidate)
    return hits, keys, known


BY_HAND = (
    "`migrate apply` rewrites Python only: move it by hand (`migrate translate` shows the Public request; "
    "`migrate proxy` keeps this code working meanwhile)"
)


def _judged_for_apply(finding: Finding) -> Finding:
    """`auto` means `migrate apply` moves it: never so for a vendored copy, nor outside Python (a
    JavaScript call with a one-to-one Public twin is still a person's to rewrite). A request in a
    test file outside Python is the test's (`test`), as the Python scanner says of its own."""
    if finding.kind in ("call", "url") and finding.language != "python" and TEST_FILE.search(finding.file):
        finding = replace(finding, kind="test")
    if is_vendored(finding.file):
        return replace(finding, fixability="manual", reason=VENDORED_REASON)
    if finding.fixability == "auto" and finding.language != "python" and not kept_for_the_layer(finding):
        return replace(finding, fixability="manual", reason=BY_HAND)
    said = next((said for said in APPLY_ONLY if said in (finding.reason or "")), None)
    if finding.language != "python" and finding.reason and said is not None:
        # what apply would do with it in Python is not this file's: the fact stays, with how to move it
        return replace(finding, reason=f"{finding.reason.split(said)[0]}: {BY_HAND}")
    return finding


def scan_paths(
    paths: Iterable[Path],
    options: WalkOptions | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    cache: bool = False,
    early: bool | None = None,
    judge: str | None = None,
) -> ScanResult:
    """Scan files and folders. Files are read in this process (the prefilter is cheap); files that
    can hold findings are parsed across `jobs` processes when there are enough of them. With
    `cache`, a file scanned before with the same content is not parsed again (`cache.py`). With
    `early` (by default on a first run, when this process has not imported libcst yet and may use
    more than one), the parsing is readied in a process of its own while the tree is walked
    (`EarlyParser`)."""
    global judge_with
    judge_with = judge  # read where files are parsed: here, in forked workers, in the early parser
    options = options or WalkOptions()
    paths = [Path(path) for path in paths]
    result = ScanResult(roots=[str(path) for path in paths])
    remembered = ScanCache(paths, judge) if cache else None
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if early is None:  # a first run in a fresh process: nothing cached, libcst not imported yet
        first_run = remembered is None or not remembered.entries
        early = first_run and _scanner is None and workers > 1 and EarlyParser.available()
    launched = claim()  # started as the command began, if it looked like a first scan
    if not early and launched is not None:
        launched.stop()
    parser = (launched or EarlyParser()) if early else None
    try:
        walked: list[Candidate] = []
        hits, keys, known = _gather(paths, options, remembered, result, progress, walked)
        outcomes = parser.parse(hits, options.max_bytes, workers, judge) if parser is not None and hits else None
        if outcomes is None and parser is not None and hits:  # it died: each file in a process of its own
            outcomes = [_isolated(candidate, options.max_bytes) for candidate in hits]
        if outcomes is None:
            outcomes = _parse_all(hits, options.max_bytes, workers)
    finally:
        if parser is not None:
            parser.stop()  # already ended, unless there was nothing to parse or the scan failed
    if remembered is not None:
        for index, outcome in enumerate(outcomes):
            remembered.put(keys[index], outcome)
        remembered.save()
    for findings, problem, _size, parsed in [*known, *outcomes]:
        result.findings.extend(findings)
        result.files_parsed += int(parsed)
        if problem is not None:
            result.errors.append(problem)
    try:  # files using a Config client beside them
        related = related_findings(result.findings, walked)
        # a setting restated once the code reading it is known (`configured.py`), a request once the
        # tests playing cassettes are (`recorded.py`)
        at = restated_at(f for f in related if f.kind == "config" or restates(f))
        result.findings = [f for f in result.findings if not superseded(f, at)]
        result.findings.extend(related)
    except Exception as error:  # a bug here must not lose what the scan found
        result.errors.append(FileError(str(paths[0]), f"related files not read: {type(error).__name__}: {error}"))
    result.findings = [_judged_for_apply(finding) for finding in result.findings]
    result.findings.sort(key=lambda finding: (finding.file, finding.line, finding.column, finding.kind))
    return result
