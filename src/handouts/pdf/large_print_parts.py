"""The large print's own block: the procedure's picture with its caption."""

from __future__ import annotations

from ..document import Figure
from .blocks import para
from .line_groups import WHOLE, LineGroup, Piece
from .logo import LogoFlowable
from .styles import Styles
from .tagging import StructElem, Tagged


def captioned_figure(figure: Figure, styles: Styles, parent: StructElem, max_width: float,
                     max_height: float) -> LineGroup:
    """The picture (a Figure with its alt text) and, under it, its caption at body size: one
    block that never breaks between the two."""
    picture = Tagged(LogoFlowable(figure.art, max_width, max_height, styles.family.regular),
                     parent.add("Figure", alt=figure.alt))
    caption = para(figure.caption, styles.body.clone("lp_caption", spaceBefore=styles.size * 0.3),
                   struct=parent.add("P"))
    return LineGroup([Piece(picture, WHOLE), Piece(caption, WHOLE)], styles.body.leading)
