"""Page flow for a one-column story: where a page may break, counted in lines.

Platypus only knows "keep with next" and a paragraph's own orphan and widow lines. Large print
needs more (issue 14, item 5): a list item never splits; a heading or sub-label never ends a page
and takes at least 2 lines of what follows with it; and what a page starts with above its first
heading is nothing or at least 3 lines (a section's last 1-line item alone at the top of a page
reads as if it belonged to the next heading).

So the story is cut into runs, each starting at a heading (or at a block that carries its own
heading, such as the call box), and each run becomes one `LineGroup`. A group draws whole when it
fits; otherwise it breaks at the lowest point where the part that stays has at least
`MIN_HEAD` lines after its headings and the part that moves has at least `MIN_TAIL` lines. A
paragraph may break inside (2 lines either side), a list item or a drawn block never does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import FrameBreak

MIN_HEAD = 2  # lines of text a heading keeps with it on its page
MIN_TAIL = 3  # lines a run carries to the top of the next page, if it breaks at all
MIN_PART = 2  # lines of a paragraph on either side of a break inside it
_FUZZ = 1e-6  # as platypus' Frame

# What a flowable is to the page flow.
HEADING = "heading"  # a heading or sub-label: starts a run, never ends a page
TEXT = "text"  # a paragraph that may break between its lines
WHOLE = "whole"  # a list item or a drawing: never broken
SECTION = "section"  # a drawn block with its own heading (call box, key points): starts a run, never broken


@dataclass(frozen=True, slots=True)
class Piece:
    flowable: Flowable
    kind: str


def runs(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """Cut the story before every heading (a chain of headings stays together) and every section."""
    cut: list[list[Piece]] = []
    for piece in pieces:
        starts = piece.kind == SECTION or piece.kind == HEADING and not (cut and cut[-1][-1].kind == HEADING)
        if starts or not cut:
            cut.append([])
        cut[-1].append(piece)
    return cut


def grouped(pieces: Iterable[Piece], leading: float) -> list[Flowable]:
    """The story as `LineGroup`s, one per run; `leading` turns drawn blocks' heights into lines."""
    return [LineGroup(run, leading) for run in runs(pieces)]


class LineGroup(Flowable):
    """A run of flowables that breaks across pages only where the rules above allow."""

    def __init__(self, pieces: list[Piece], leading: float) -> None:
        super().__init__()
        self.pieces, self.leading = pieces, leading
        for piece in pieces:  # the group decides what stays together; the doc template must not regroup
            piece.flowable.keepWithNext = 0

    def getSpaceBefore(self) -> float:  # noqa: N802 - platypus API
        return self.pieces[0].flowable.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.pieces[-1].flowable.getSpaceAfter()

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width = avail_width
        self.height = _stack_height([p.flowable for p in self.pieces], avail_width)
        return self.width, self.height

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - platypus API
        top = y + self.height
        previous = None
        for piece in self.pieces:
            flowable = piece.flowable
            if previous is not None:
                top -= max(previous.getSpaceAfter(), flowable.getSpaceBefore())
            height = flowable.wrap(self.width, 1e6)[1]
            flowable.drawOn(canvas, x, top - height, _sW)
            top -= height
            previous = flowable

    def split(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height + _FUZZ:
            return [self]
        frame = getattr(self, "_frame", None)
        at_top = frame is None or getattr(frame, "_atTop", False)
        best = self._best_break(avail_width, avail_height, strict=True)
        if best is None and at_top:  # taller than a page with no break the rules allow: break where it fits
            best = self._best_break(avail_width, avail_height, strict=False)
        if best is None:
            return []  # the whole run moves to the next page
        first, rest = best
        return [LineGroup(first, self.leading), FrameBreak(), LineGroup(rest, self.leading)]

    # -- choosing the break ------------------------------------------------------------------------

    def _lines(self, piece: Piece, width: float) -> int:
        flowable = piece.flowable
        if piece.kind == HEADING:
            return 0
        if isinstance(flowable, Paragraph):
            flowable.wrap(width, 1e6)
            return len(flowable.blPara.lines)
        return max(MIN_TAIL, math.ceil(flowable.wrap(width, 1e6)[1] / self.leading))

    def _candidates(self, width: float, height: float):
        """Every place the run could break, as (pieces that stay, pieces that move)."""
        pieces = self.pieces
        for index in range(1, len(pieces)):
            if pieces[index - 1].kind != HEADING:
                yield pieces[:index], pieces[index:]
        for index, piece in enumerate(pieces):
            if piece.kind != TEXT:
                continue
            paragraph = piece.flowable
            paragraph.wrap(width, 1e6)
            count = len(paragraph.blPara.lines)
            leading = paragraph.style.leading
            for keep in range(MIN_PART, count - MIN_PART + 1):
                parts = paragraph.split(width, keep * leading + _FUZZ)
                if len(parts) == 2:
                    yield (pieces[:index] + [Piece(parts[0], TEXT)], [Piece(parts[1], TEXT)] + pieces[index + 1:])
                paragraph.wrap(width, 1e6)  # split() drops the paragraph's line breaking; restore it

    def _best_break(self, width: float, height: float, strict: bool):
        best, best_height = None, -1.0
        for first, rest in self._candidates(width, height):
            used = _stack_height([p.flowable for p in first], width)
            if used > height + _FUZZ or used <= best_height:
                continue
            if strict:
                kept = sum(self._lines(p, width) for p in first)
                carried = sum(self._lines(p, width) for p in rest)
                if kept < MIN_HEAD or carried < MIN_TAIL:
                    continue
            best, best_height = (first, rest), used
        return best


def _stack_height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables placed one under another the way a platypus Frame places them
    (the space between two is the larger of one's space after and the next's space before)."""
    total, previous = 0.0, None
    for flowable in flowables:
        if previous is not None:
            total += max(previous.getSpaceAfter(), flowable.getSpaceBefore())
        total += flowable.wrap(width, 1e6)[1]
        previous = flowable
    return total
