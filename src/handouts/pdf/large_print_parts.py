"""The large print's own blocks: the key points box and the procedure's picture with its caption."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..document import Figure
from ..richtext import RichText
from .blocks import bullet_list, para, text_para
from .furniture import draw_stack, stack_height
from .line_groups import WHOLE, LineGroup, Piece
from .logo import LogoFlowable
from .styles import Styles
from .tagging import StructElem, Tagged, artifact


class KeyPointsBox(Flowable):
    """ "Remember" and up to 3 bulleted lines in a tinted box with a bar down its left edge.

    Read as a section: its heading (an H2), then a list; the box and the bar are decoration.
    """

    def __init__(self, heading: str, points: tuple[RichText, ...], styles: Styles, parent: StructElem) -> None:
        super().__init__()
        self.styles = styles
        sect = parent.add("Sect")
        self.pad = styles.size * 0.6
        self.bar = styles.size * 0.3
        self.content = [text_para(heading, styles.heading.clone("lp_remember", spaceBefore=0, keepWithNext=0),
                                  struct=sect.add("H2")),
                        *bullet_list(points, styles.bullet, sect)]

    def getSpaceBefore(self) -> float:  # noqa: N802 - platypus API
        return self.styles.size * 0.6

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.styles.size * 0.4

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


def captioned_figure(figure: Figure, styles: Styles, parent: StructElem, max_width: float,
                     max_height: float) -> LineGroup:
    """The picture (a Figure with its alt text) and, under it, its caption at body size: one
    block that never breaks between the two."""
    picture = Tagged(LogoFlowable(figure.art, max_width, max_height, styles.family.regular),
                     parent.add("Figure", alt=figure.alt))
    caption = para(figure.caption, styles.body.clone("lp_caption", spaceBefore=styles.size * 0.3),
                   struct=parent.add("P"))
    return LineGroup([Piece(picture, WHOLE), Piece(caption, WHOLE)], styles.body.leading)
