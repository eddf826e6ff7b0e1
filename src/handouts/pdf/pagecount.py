"""A canvas that holds each page back until the end, so furniture can say "Page 2 of 8".

This is ReportLab's documented recipe for total page counts: a Canvas subclass that saves
each page's state in showPage() and draws the deferred parts in save().
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from reportlab.pdfgen.canvas import Canvas

from .tagging import TaggedCanvas

PageHook = Callable[[Canvas, int, int], None]  # (canvas, page number from 1, total pages)


class CountingCanvas(TaggedCanvas):
    """Holds every page back, then calls `hook` on each at save time, knowing the total."""

    def __init__(self, *args, hook: PageHook, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._hook = hook
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._hook(self, number, total)
            super().showPage()
        super().save()
        self._held.clear()  # each held state refers to this list: a cycle, and they are drawn now


def counting_canvas(hook: PageHook) -> Callable[..., Canvas]:
    """A (tagging) canvas maker, as platypus' `canvasmaker`, that calls `hook` on every page at save
    time. One class for every document (a class made per call is a reference cycle of its own)."""
    return partial(CountingCanvas, hook=hook)
