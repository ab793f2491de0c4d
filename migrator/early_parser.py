"""A process that gets a first scan's Python parser ready while the scan walks the tree.

Most of a first scan's fixed cost is importing libcst and loading the map. `EarlyParser` forks a
process that does that while this one walks, greps and reads, and then scans the files that passed
the prefilter. `migrate scan` starts it before the command line's own imports (`launch_for`), so
those overlap too; `scan_paths` claims it, or starts one itself. A tree with nothing to parse stops
it unused. Should it die, `parse` answers None and nothing is lost: the caller scans the files
itself, each in a process of its own.

This module imports nothing of the toolkit at load: it runs before the command line is imported.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import signal
import sys
from typing import TYPE_CHECKING, BinaryIO

from .caching import SCAN_PREFIX, cache_folder_name

if TYPE_CHECKING:
    from .scan.cache import Outcome
    from .scan.walk import Candidate


SCANNER = "migrator.scan"
"""The scan, imported by name in the parser only: the scan uses this module, not the other way."""

APPLY_JUDGE = "codemods.judge:judge_file"
"""What `migrate scan` says of a Python call is what `migrate apply` decides: this judge rules on
each Python file where it is parsed (named, not imported: a cached scan never loads the codemods).
A first scan's parser imports it while the tree is walked."""


class EarlyParser:
    """The process, forked with `os.fork` and spoken to over two pipes: multiprocessing would cost
    this process its imports (a thirtieth of a second) before the fork, which is all it saves.
    `warm`: a `module:function` it imports too, before it is asked to parse."""

    def __init__(self, warm: str | None = None) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the fork would carry a copy of what is still buffered
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the parser: it never returns into the caller's code
            code = 0
            try:
                os.close(request_write)
                os.close(answer_read)
                _serve(os.fdopen(request_read, "rb"), os.fdopen(answer_write, "wb"), warm)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(request_read)
        os.close(answer_write)
        self._requests: BinaryIO = os.fdopen(request_write, "wb")
        self._answers: BinaryIO = os.fdopen(answer_read, "rb")
        self._waited = False

    @staticmethod
    def available() -> bool:
        """This system forks (not Windows)."""
        return hasattr(os, "fork")

    def parse(
        self, hits: list[Candidate], max_bytes: int, workers: int, judge: str | None = None
    ) -> list[Outcome] | None:
        import pickle

        outcomes: list[Outcome] | None
        try:
            pickle.dump((hits, max_bytes, workers, judge), self._requests, protocol=pickle.HIGHEST_PROTOCOL)
            self._requests.close()
            outcomes = pickle.load(self._answers)
        except (EOFError, OSError, pickle.UnpicklingError):
            outcomes = None  # it died: the caller parses the files itself
        self._close()
        self._wait()
        return outcomes

    def stop(self) -> None:
        """End it, without waiting for its imports: nothing was left to parse, or the scan failed."""
        self._close()
        if not self._waited:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self._wait()

    def _close(self) -> None:
        for stream in (self._requests, self._answers):
            with contextlib.suppress(OSError):
                stream.close()

    def _wait(self) -> None:
        if not self._waited:
            self._waited = True
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


def _serve(requests: BinaryIO, answers: BinaryIO, warm: str | None = None) -> None:
    # Everything it says goes through the pipe. Its copies of the caller's stdout and stderr are
    # closed too: a caller reading them to their end would otherwise wait for this process as well.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    sys.stdout = sys.stderr = os.fdopen(quiet, "w")  # where the caller embeds the scan, they may be other files
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scan's to handle; it then ends this process
    import pickle

    scanner = importlib.import_module(SCANNER)
    scanner.get_ready()
    if warm:
        with contextlib.suppress(Exception):  # only a head start: the scan resolves it again if asked
            importlib.import_module(warm.partition(":")[0])
    try:
        hits, max_bytes, workers, judge = pickle.load(requests)
    except EOFError:
        return  # nothing to parse
    outcomes = scanner.parse_for_early_parser(hits, max_bytes, workers, judge)
    pickle.dump(outcomes, answers, protocol=pickle.HIGHEST_PROTOCOL)
    answers.close()


_launched: EarlyParser | None = None


def claim() -> EarlyParser | None:
    """The parser `launch_for` started, once (None when it started none)."""
    global _launched
    parser, _launched = _launched, None
    return parser


def launch_for(arguments: list[str]) -> None:
    """Start the parser now when `arguments` are those of a first scan: the `scan` command, allowed
    more than one process, with nothing in the cache (`--no-cache`, or no scan cached at all). What
    decides it is read off the words alone; `scan_paths` checks again and stops a parser it does not
    need (a cache for another tree, say)."""
    global _launched
    command = next((word for word in arguments if not word.startswith("-")), None)
    if command != "scan" or _launched is not None or (os.cpu_count() or 1) < 2:
        return
    if any(word in ("-h", "--help") for word in arguments) or _one_job(arguments):
        return
    if "--no-cache" not in arguments and _any_scan_cached():
        return
    if EarlyParser.available():
        _launched = EarlyParser(warm=APPLY_JUDGE)
        atexit.register(_stop_unclaimed)  # the command failed before its scan began (a missing path, say)


def _stop_unclaimed() -> None:
    parser = claim()
    if parser is not None:
        parser.stop()


def _one_job(arguments: list[str]) -> bool:
    following = zip(arguments, [*arguments[1:], ""], strict=True)
    return any((word == "--jobs" and value.strip() == "1") or word == "--jobs=1" for word, value in following)


def _any_scan_cached() -> bool:
    try:
        return any(entry.name.startswith(SCAN_PREFIX) for entry in os.scandir(cache_folder_name()))
    except (OSError, RuntimeError):
        return False
