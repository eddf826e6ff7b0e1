"""The "Remember" box of the booklet and the large print: a heading and the key points in a tinted
box with a bar in the clinic's accent colour down its left edge.

Read as a section: its heading (an H2), then a list; the box and the bar are decoration.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from ..richtext import RichText
from .blocks import bullet_list, text_para
from .furniture import draw_stack, stack_height
from .styles import Styles
from .tagging import StructElem, artifact


class KeyPointsBox(Flowable):
    """Sizes scale with the body size (`pad`, `space_before`); `bar` is the bar's width in points,
    by default a proportion of the body size too; `item` is the key points' style."""

    def __init__(self, heading: str, points: tuple[RichText, ...], styles: Styles, parent: StructElem, *,
                 item: ParagraphStyle | None = None, pad: float = 0.6, bar: float | None = None,
                 space_before: float = 0.6) -> None:
        super().__init__()
        self.styles = styles
        sect = parent.add("Sect")
        self.pad = styles.size * pad
        self.bar = styles.size * 0.3 if bar is None else bar
        self.spaceBefore, self.spaceAfter = styles.size * space_before, styles.size * 0.4
        self.content = [text_para(heading, styles.heading.clone("remember", spaceBefore=0, keepWithNext=0),
                                  struct=sect.add("H2")),
                        *bullet_list(points, item or styles.bullet, sect)]

    def _inner(self, width: float) -> float:
        return width - self.bar - 2 * self.pad

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width = avail_width
        self.height = stack_height(self.content, self._inner(avail_width)) + 2 * self.pad
        return self.width, self.height

    def draw(self) -> None:
        canvas, palette = self.canv, self.styles.palette
        canvas.saveState()
        with artifact(canvas):
            canvas.setFillColor(palette.callout_tint)
            canvas.roundRect(0, 0, self.width, self.height, 6, stroke=0, fill=1)
            canvas.setFillColor(palette.accent)
            canvas.rect(0, 0, self.bar, self.height, stroke=0, fill=1)
        canvas.restoreState()
        draw_stack(canvas, self.content, self.bar + self.pad, self.height - self.pad, self._inner(self.width))
