"""Rich-text runs as ReportLab paragraph fragments, with no markup string in between.

ReportLab's Paragraph normally parses an XML-like markup string into styled fragments. We hand
it the fragments directly: no text is ever read as markup (a `<`, `&` or `<img>` in any value
is just characters, with nothing to escape or forget to escape), and no time goes to parsing,
which was a fifth of a one-page render. The fragments are the ones ReportLab's parser makes.
"""

from __future__ import annotations

import re

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.platypus.paraparser import ParaFrag

from ..richtext import RichText

# ReportLab's paragraph whitespace: Unicode whitespace except the no-break space, plus the
# zero-width space. Runs of it collapse to one space, as in a markup paragraph.
_SPACES = re.compile("(?:[^\\S\u00a0]|\u200b)+")


def fragments(rich: RichText, style) -> list[ParaFrag]:
    """The style's face with each run's bold/italic added, at the style's size and colour."""
    family, bold, italic = ps2tt(style.fontName)
    frags: list[ParaFrag] = []
    for run in rich:
        text = _SPACES.sub(" ", run.text)
        if not frags or frags[-1].text.endswith(" "):
            text = text.lstrip(" ")  # no space at the start, nor two in a row across runs
        if not text:
            continue
        strong, slanted = int(bold or run.bold), int(italic or run.italic)
        if frags and (frags[-1].bold, frags[-1].italic) == (strong, slanted):
            frags[-1].text += text  # one fragment per change of face, as the parser makes them
            continue
        frags.append(ParaFrag(text=text, fontName=tt2ps(family, strong, slanted), bold=strong, italic=slanted,
                              fontSize=style.fontSize, textColor=style.textColor, rise=0, greek=0, link=[],
                              us_lines=[]))
    while frags and frags[-1].text.endswith(" "):
        frags[-1].text = frags[-1].text.rstrip(" ")
        if not frags[-1].text:
            frags.pop()
    return frags
