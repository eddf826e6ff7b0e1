"""Booklet page flow: where a page may break inside a section, and a figure that floats.

The rules (issue 14, item 5): a list item is never split; a heading or sub-label never ends a
page and keeps at least 2 lines of what follows; what a page carries over to its top before the
next heading is nothing or at least 3 lines; a paragraph never leaves a single line behind.

ReportLab's own keep-with-next and widow control cover only parts of this, so a section's text
(its heading, sub-labels, paragraphs and list items) is one `Run` flowable that chooses its own
break: it always asks platypus to split it (like KeepTogether), then hands back its pieces with a
frame break at the latest place the rules allow that still fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import FrameBreak

from .blocks import HEAD_LINES, TAIL_LINES  # a split paragraph keeps 2 lines behind and takes 3 on

MIN_LEAD_LINES = 2  # a heading keeps at least this many lines of what follows
MIN_CARRY_LINES = 3  # text carried to a page top before the next heading: none, or at least this
_SLACK = 2.0  # points kept free, so platypus never meets a piece that does not quite fit


def is_heading(flowable: Flowable) -> bool:
    """A heading or sub-label: what must never end a page."""
    style = getattr(flowable, "style", None)
    return bool(getattr(style, "keepWithNext", 0)) and isinstance(flowable, Paragraph)


def splittable(flowable: Flowable) -> bool:
    """Plain paragraphs may break between lines; list items (with a bullet, a number or a tick box),
    pictures and panels never do."""
    struct = getattr(flowable, "struct", None)
    return isinstance(flowable, Paragraph) and not flowable.bulletText and getattr(struct, "tag", "") != "LBody"


@dataclass
class _Piece:
    flowable: Flowable
    height: float
    lines: int
    before: float
    after: float
    heading: bool


def _measure(flowable: Flowable, width: float) -> _Piece:
    height = flowable.wrap(width, 1e6)[1]
    if isinstance(flowable, Paragraph):
        lines = len(flowable.blPara.lines)
    else:  # a picture or a panel counts as a page of text: it is never a "scrap"
        lines = 100
    return _Piece(flowable, height, lines, flowable.getSpaceBefore(), flowable.getSpaceAfter(), is_heading(flowable))


class Run(Flowable):
    """A section's text, breaking between pages only where the rules allow.

    `floating` is a waiting figure (a Float that did not fit before this run): it goes right after
    this run's page break, at the top of the next page; if the run does not break, it tries again
    after the run.
    """

    def __init__(self, items: Sequence[Flowable]) -> None:
        super().__init__()
        self.items = list(items)
        self.floating: Float | None = None

    def getSpaceBefore(self) -> float:  # noqa: N802 - platypus API
        return self.items[0].getSpaceBefore() if self.items else 0.0

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width = avail_width
        return avail_width, 0xFFFFFF  # always split: the run hands back its pieces

    def split(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        pieces = [_measure(f, avail_width) for f in self.items]
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        waiting = [self.floating] if self.floating is not None else []
        room = avail_height - _SLACK
        if _stack(pieces) <= room:  # all of it fits; the figure tries again after it
            return [*self.items, *[w.again() for w in waiting]]
        candidates = _breaks(pieces, room)
        if not candidates:
            if not at_top:  # move the whole run on; a figure waiting for a page top goes first
                return [FrameBreak(), *[w.figure for w in waiting], Run(self.items)] if waiting else []
            candidates = [_any_break(pieces, room)]
        for index, lines in candidates:  # the latest allowed break whose paragraph agrees to split there
            first = [p.flowable for p in pieces[:index]]
            rest = [p.flowable for p in pieces[index:]]
            if lines:
                parts = rest[0].split(avail_width, lines * rest[0].style.leading + 0.5)
                if len(parts) != 2:
                    continue
                first.append(parts[0])
                rest[0] = parts[1]
            if first:
                return [*first, FrameBreak(), *[w.figure for w in waiting], Run(rest)]
        if not at_top:
            return [FrameBreak(), *[w.figure for w in waiting], Run(self.items)] if waiting else []
        return [*self.items, *[w.again() for w in waiting]]  # let platypus break it as best it can


def _lines_piece(piece: _Piece, lines: int) -> _Piece:
    leading = piece.flowable.style.leading
    return _Piece(piece.flowable, lines * leading, lines, piece.before, piece.after, False)


def _stack(pieces: Sequence[_Piece]) -> float:
    """Height of pieces set one after another as a frame sets them (space between = the larger
    of the two neighbours' spaces), without the first's space before and the last's space after."""
    total = 0.0
    for index, piece in enumerate(pieces):
        if index:
            total += max(piece.before, pieces[index - 1].after)
        total += piece.height
    return total


def _allowed(pieces: list[_Piece], index: int, lines: int) -> bool:
    """Whether the page may end after pieces[:index] plus `lines` lines of pieces[index]."""
    last_heading = next((i for i in range(index - 1, -1, -1) if pieces[i].heading), None)
    if last_heading is not None and sum(p.lines for p in pieces[last_heading + 1:index]) + lines < MIN_LEAD_LINES:
        return False  # a heading (or sub-label) would end the page, or keep only one line
    carried = 0 if pieces[index].heading else pieces[index].lines - lines
    for piece in pieces[index + 1:]:
        if piece.heading:
            break
        carried += piece.lines
    return carried == 0 or carried >= MIN_CARRY_LINES


def _breaks(pieces: list[_Piece], avail: float) -> list[tuple[int, int]]:
    """Every allowed break that fits in `avail`, latest first, as (index, lines): pieces[:index]
    (plus `lines` lines of pieces[index], a split paragraph) stay on this page."""
    found = []
    for index in range(len(pieces)):
        piece = pieces[index]
        options = [0] if index else []
        if splittable(piece.flowable):
            options += range(HEAD_LINES, piece.lines - TAIL_LINES + 1)
        for lines in options:
            staying = pieces[:index] + ([_lines_piece(piece, lines)] if lines else [])
            if _stack(staying) > avail:
                break
            if _allowed(pieces, index, lines):
                found.append((index, lines))
        if _stack(pieces[:index + 1]) > avail:
            break
    return found[::-1]


def _any_break(pieces: list[_Piece], avail: float) -> tuple[int, int]:
    """At a page top nothing is gained by moving on: break wherever the page is full (a run longer
    than a page), keeping whole items whole where that is possible."""
    for index in range(1, len(pieces) + 1):
        if _stack(pieces[:index]) > avail:
            piece = pieces[index - 1]
            if splittable(piece.flowable):
                fits = max(1, int((avail - _stack(pieces[:index - 1]) - piece.before) / piece.flowable.style.leading))
                return index - 1, min(fits, piece.lines - 1)
            return max(1, index - 1), 0
    return len(pieces), 0


class Float(Flowable):
    """A figure that goes where it stands if it fits there; otherwise the text of the runs after it
    fills the page and the figure takes the top of the next page (as a book sets its figures)."""

    def __init__(self, figure: Flowable, followers: Sequence[Run] = ()) -> None:
        super().__init__()
        self.figure, self.followers = figure, list(followers)
        self._placed: bool | None = None

    def again(self) -> Flowable:
        """The figure's next chance: right here, or after the next run."""
        return Float(self.figure, self.followers[1:])

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        width, height = self.figure.wrap(avail_width, avail_height)
        if self._placed is None:
            self._placed = height <= avail_height or not self.followers
            if not self._placed:
                self.followers[0].floating = self
        self.width, self.height = (width, height) if self._placed else (avail_width, 0.0)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - platypus API
        return self.figure.getSpaceBefore() if self._placed is not False else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.figure.getSpaceAfter() if self._placed is not False else 0.0

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - platypus API
        if self._placed:
            self.figure.drawOn(canvas, x, y, _sW)


def runs(flowables: Sequence[Flowable]) -> list[Flowable]:
    """A section's flowables as runs: its text as one Run; anything that is not text (a picture, a
    panel) stands on its own between runs."""
    out: list[Flowable] = []
    text: list[Flowable] = []
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            text.append(flowable)
            continue
        if text:
            out.append(Run(text))
            text = []
        out.append(flowable)
    if text:
        out.append(Run(text))
    return out
