"""Page-flow rules every layout shares, applied as keep-with-next chains before platypus fills frames.

Platypus keeps a flowable with the next one when asked; these chains ask so that a heading never
ends a column with less than HEAD_LINES of its text under it, and the last lines before a heading
(at least TAIL_LINES) travel together, so no one- or two-line scrap is stranded at the top of a
column or page. List items never split (blocks.Para.whole); a paragraph splits only leaving
HEAD_LINES behind and taking TAIL_LINES on (blocks.Para.split).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from .blocks import HEAD_LINES, TAIL_LINES


def is_heading(flowable: Flowable) -> bool:
    return getattr(flowable, "is_heading", False)


def _lines(flowable: Flowable, width: float) -> int:
    leading = getattr(getattr(flowable, "style", None), "leading", 0) or 0
    height = flowable.wrap(width, 1e6)[1]
    return max(1, round(height / leading)) if leading else TAIL_LINES  # a drawing counts as enough


def chain(story: list[Flowable], width: float) -> list[Flowable]:
    """Set keep-with-next on `story` (in place, and returned) for the head and tail rules."""
    lines = [0 if is_heading(f) else _lines(f, width) for f in story]
    for index, flowable in enumerate(story):
        if is_heading(flowable):
            _keep_head(story, lines, index)
            if index:
                _keep_tail(story, lines, index)
    return story


def _keep_head(story: list[Flowable], lines: list[int], heading: int) -> None:
    taken, index = 0, heading + 1
    while index < len(story) and not is_heading(story[index]):
        taken += lines[index]
        if taken >= HEAD_LINES:
            return
        story[index].keepWithNext = True
        index += 1


def _keep_tail(story: list[Flowable], lines: list[int], heading: int) -> None:
    taken, index = 0, heading - 1
    while index > 0 and not is_heading(story[index]):
        taken += lines[index]
        if taken >= TAIL_LINES or is_heading(story[index - 1]):
            return
        story[index - 1].keepWithNext = True
        index -= 1
