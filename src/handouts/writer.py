"""Finished handouts are written on one background thread while the next one renders.

Rendering is CPU work; writing a PDF safely is mostly waiting for the disk (each file is flushed
to disk before it is renamed into place, so a crash never leaves half a file). Done one after
the other, that wait is paid per handout on the critical path; done on a thread, it overlaps the
next render. One thread keeps every manifest change in submission order, so nothing else about
writing changes: same journal, same atomic renames, outcomes reported in the same order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class OrderedWriter(Generic[T]):
    """Runs write steps one at a time, off the caller's thread; yields their results in order."""

    def __init__(self, window: int = 8) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handouts-writer")
        self._pending: deque[Future[T]] = deque()
        self._window = window  # bounds the rendered bytes held in memory while the disk catches up

    def submit(self, step: Callable[[], T]) -> list[T]:
        """Queue a step; returns the results ready now, in order (waiting only if the queue is full)."""
        self._pending.append(self._pool.submit(step))
        ready = []
        while self._pending and (self._pending[0].done() or len(self._pending) > self._window):
            ready.append(self._pending.popleft().result())
        return ready

    def drain(self) -> Iterator[T]:
        """Every remaining result, in order, waiting for each."""
        while self._pending:
            yield self._pending.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> OrderedWriter[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
