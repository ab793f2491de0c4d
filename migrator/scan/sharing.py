"""Work shared out to forked processes through one queue, largest piece first.

A pool hands out fixed batches: on a tree where a few files take most of the parsing, one process
ends with them while the other waits, and the pool's own start (threads, queues, a pickle per batch)
costs about as much again. Here the pieces' numbers are written to a pipe before the processes are
forked, and every process, this one included, reads the next number when it is free. A read of a
few bytes from a pipe is atomic, so no piece is taken twice, and a process that is stuck on a slow
file simply takes fewer. Each forked process sends back what it did, by number: if one dies (a
native crash in the parser, say), the pieces it held come back as None and its caller decides what
to do with them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Result = TypeVar("Result")

_NUMBER = struct.Struct("<I")
MAX_QUEUED = 4096
"""Queue entries at most, so the whole queue fits in a pipe's buffer (16 KB of the 64 KB Linux and
macOS give) and is written before any process starts; beyond that an entry stands for a run of
pieces."""


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """What is loaded before processes fork lives as long as they do: out of the collector's reach,
    no full collection walks it again in any of them (nor touches the memory they share with this
    one). This process takes it back when they are done."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def share(
    work: Callable[[int], Result], weights: Sequence[int], processes: int, *, here: bool = True
) -> list[Result | None]:
    """`work(i)` for every piece `i` (one per weight), across `processes` processes: with `here`,
    this one and `processes - 1` forked from it; without, `processes` forked ones, for a caller that
    must outlive a native crash in `work`. Heavier pieces are handed out first. The answer is in
    piece order; None marks a piece whose process died before it sent back its work."""
    order = sorted(range(len(weights)), key=lambda piece: -weights[piece])
    run = -(-len(order) // MAX_QUEUED) or 1
    runs = [order[start : start + run] for start in range(0, len(order), run)]
    queue_read, queue_write = os.pipe()
    with os.fdopen(queue_write, "wb") as queue:  # closed before the forks, so an empty queue reads as its end
        queue.write(b"".join(_NUMBER.pack(number) for number in range(len(runs))))
    results: list[Result | None] = [None] * len(weights)
    children: list[tuple[int, int]] = []
    with frozen():
        try:
            for _ in range(max(0, processes - 1) if here else max(1, processes)):
                answer_read, answer_write = os.pipe()
                pid = os.fork()
                if pid == 0:  # never returns into the caller's code
                    code = 0
                    try:
                        os.close(answer_read)
                        for _pid, earlier in children:
                            os.close(earlier)
                        done = _drain(queue_read, runs, work)
                        with os.fdopen(answer_write, "wb") as answer:
                            pickle.dump(done, answer, protocol=pickle.HIGHEST_PROTOCOL)
                    except BaseException:
                        code = 1
                    finally:
                        os._exit(code)
                os.close(answer_write)
                children.append((pid, answer_read))
            for piece, result in _drain(queue_read, runs, work) if here else ():
                results[piece] = result
        finally:
            os.close(queue_read)
            for pid, answer_read in children:
                with (
                    contextlib.suppress(EOFError, OSError, pickle.UnpicklingError),
                    os.fdopen(answer_read, "rb") as answer,
                ):
                    for piece, result in pickle.load(answer):
                        results[piece] = result
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
    return results


def _drain(queue: int, runs: list[list[int]], work: Callable[[int], Result]) -> list[tuple[int, Result]]:
    done: list[tuple[int, Result]] = []
    while len(entry := os.read(queue, _NUMBER.size)) == _NUMBER.size:
        done.extend((piece, work(piece)) for piece in runs[_NUMBER.unpack(entry)[0]])
    return done
