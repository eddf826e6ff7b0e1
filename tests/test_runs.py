"""Paragraph fragments built from runs match what ReportLab's own markup parser makes."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from reportlab.platypus.paragraph import Paragraph

from handouts.fontfiles import default_files
from handouts.pdf.fonts import register_family
from handouts.pdf.runs import fragments
from handouts.richtext import Run, parse

FAMILY = register_family(default_files())


def _style(font: str):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("t", fontName=font, fontSize=11.75, leading=14, textColor=HexColor("#123456"))


def _as_markup(rich) -> str:
    parts = []
    for run in rich:
        text = escape(run.text)
        text = f"<i>{text}</i>" if run.italic else text
        parts.append(f"<b>{text}</b>" if run.bold else text)
    return "".join(parts)


def _merged(frags) -> list[tuple]:
    """(text, font, size, colour) per change of face; the parser also splits at entities."""
    out: list[tuple] = []
    for f in frags:
        key = (f.fontName, f.fontSize, f.textColor.hexval(), f.rise, f.bold, f.italic)
        if out and out[-1][1:] == key:
            out[-1] = (out[-1][0] + f.text, *key)
        else:
            out.append((f.text, *key))
    return out


CASES = [
    "Plain words only.",
    "Call <b>911</b> if you <i>cannot</i> breathe.",
    "<b>Bold with <i>bold italic</i> inside</b>, then plain.",
    "  Spaces   at the   edges and\nnew lines\t\tand tabs  ",
    "Ampersands & angle brackets: 5 < 6 > 4, \"quotes\" and the spine's joints.",
    "No-break\u00a0spaces\u00a0\u00a0stay, zero-width\u200bspace breaks.",
    "<b>Word</b>, <i>word</i>; <b>end</b>",
    "Acentos: inyección epidural, ¿Cuándo llamar? ¡Llame!",
]


@pytest.mark.parametrize("markup", CASES)
@pytest.mark.parametrize("face", ["regular", "bold", "italic"])
def test_fragments_match_the_markup_parser(markup, face):
    style = _style(getattr(FAMILY, face))
    rich = parse(markup)
    assert _merged(fragments(rich, style)) == _merged(Paragraph(_as_markup(rich), style).frags)


def test_text_that_looks_like_markup_is_only_text():
    style = _style(FAMILY.regular)
    hostile = '<img src="http://example.com/x.png"/> <a href="javascript:alert(1)">x</a> &amp; <font size=40>'
    frags = fragments((Run(hostile),), style)
    assert [f.text for f in frags] == [hostile]
    paragraph = Paragraph(hostile, style, frags=frags)
    paragraph.wrap(400, 1000)
    assert paragraph.getPlainText() == hostile


def test_empty_and_blank_runs_make_no_fragments():
    style = _style(FAMILY.regular)
    assert fragments((), style) == []
    assert fragments((Run("  \n "), Run(" ", bold=True)), style) == []
