"""Paragraph styles and colours for one layout, clinic and body size.

Every style names the embedded family explicitly (bullets included), so ReportLab's
unembedded Helvetica can never sneak into a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..colours import tint
from ..document import Brand
from ..models import Layout
from .fonts import FontFamily

INK = HexColor("#1b1b1b")
MUTED = HexColor("#3f3f3f")
EMERGENCY = HexColor("#9b1c1c")  # dark red, 7.6:1 with white; always paired with words
AFTER_HOURS_MIN_SIZE = 12.0  # the number a patient dials at night: bold and never smaller than this


@dataclass(frozen=True, slots=True)
class Palette:
    band: object
    heading: object
    callout: object
    callout_tint: object
    accent: object
    rule: object


def palette(layout: Layout, brand: Brand) -> Palette:
    colours = {"primary": brand.colours.primary, "accent": brand.colours.accent}
    callout = colours[layout.callout_colour]
    return Palette(
        band=HexColor(colours[layout.band_colour]),
        heading=HexColor(colours[layout.heading_colour]),
        callout=HexColor(callout),
        callout_tint=HexColor(tint(callout, 0.09)),
        accent=HexColor(brand.colours.accent),
        rule=HexColor(tint(brand.colours.accent, 0.55)),
    )


@dataclass(frozen=True, slots=True)
class Styles:
    family: FontFamily
    palette: Palette
    size: float
    body: ParagraphStyle
    heading: ParagraphStyle
    label: ParagraphStyle
    step: ParagraphStyle
    bullet: ParagraphStyle
    check: ParagraphStyle  # a checklist item: room at the left for a drawn tick box
    title: ParagraphStyle
    also_called: ParagraphStyle
    summary: ParagraphStyle
    key_label: ParagraphStyle  # "Remember", over the key points
    key_point: ParagraphStyle
    caption: ParagraphStyle  # under the procedure's figure
    call_heading: ParagraphStyle
    call_label: ParagraphStyle
    call_emergency_label: ParagraphStyle  # white on a solid EMERGENCY band: darkest thing in the box, even in grey
    call_item: ParagraphStyle
    call_after_hours: ParagraphStyle
    band_name: ParagraphStyle
    band_tagline: ParagraphStyle
    band_phone: ParagraphStyle
    small: ParagraphStyle
    small_bold: ParagraphStyle


@lru_cache(maxsize=128)
def make_styles(layout: Layout, brand: Brand, family: FontFamily, size: float) -> Styles:
    """Styles scaled from the body size, so the fit search only has to change one number.

    Made once per process for each layout, clinic and size: a batch asks for the same few sizes
    for every handout of a clinic, and nothing changes a style once it is made."""
    sizes = layout.sizes
    lead = sizes.leading
    colours = palette(layout, brand)
    base = ParagraphStyle("body", fontName=family.regular, fontSize=size, leading=size * lead, textColor=INK,
                          alignment=TA_LEFT, spaceAfter=size * 0.3, bulletFontName=family.regular,
                          hyphenationLang="", embeddedHyphenation=0, uriWasteReduce=0)
    indent = size * 1.45

    def derive(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    heading_size = sizes.heading * size / sizes.body
    small = sizes.small
    return Styles(
        family=family, palette=colours, size=size, body=base,
        heading=derive("heading", fontName=family.bold, fontSize=heading_size, leading=heading_size * 1.2,
                       textColor=colours.heading, spaceBefore=size * 0.55, spaceAfter=size * 0.2, keepWithNext=1),
        label=derive("label", fontName=family.bold, spaceBefore=size * 0.1, spaceAfter=size * 0.1, keepWithNext=1),
        step=derive("step", leftIndent=indent, bulletIndent=0, bulletFontName=family.bold, bulletFontSize=size,
                    bulletColor=colours.heading, spaceAfter=size * 0.15),
        bullet=derive("bullet", leftIndent=size * 1.1, bulletIndent=size * 0.15, bulletFontName=family.bold,
                      bulletFontSize=size,
                      bulletColor=colours.heading, spaceAfter=size * 0.1),
        check=derive("check", leftIndent=max(9.0, size * 0.8) + size * 0.55, bulletIndent=size * 0.05,
                     bulletColor=colours.heading, spaceAfter=size * 0.2),
        title=derive("title", fontName=family.bold, fontSize=sizes.title, leading=sizes.title * 1.12,
                     textColor=colours.heading, spaceAfter=2),
        # Upright, like all our own text: slanted letters are harder to read for low vision and
        # dyslexia, and a whole extra face to embed for one line was a tenth of a page's render.
        also_called=derive("also", textColor=MUTED, spaceAfter=size * 0.25),
        summary=derive("summary", fontSize=size * 1.08, leading=size * 1.08 * lead, spaceAfter=0),
        key_label=derive("key_label", fontName=family.bold, textColor=colours.heading, spaceAfter=0),
        key_point=derive("key_point", fontName=family.bold, leftIndent=size * 1.1, bulletIndent=size * 0.15,
                         bulletFontName=family.bold, bulletFontSize=size, bulletColor=colours.heading,
                         spaceAfter=size * 0.1),
        caption=derive("caption", fontSize=max(size * 0.85, 10), leading=max(size * 0.85, 10) * 1.2,
                       textColor=MUTED, spaceAfter=0, alignment=1),
        call_heading=derive("call_heading", fontName=family.bold, fontSize=heading_size, leading=heading_size * 1.2,
                            textColor=white, spaceAfter=0),
        call_label=derive("call_label", fontName=family.bold, spaceAfter=size * 0.2),
        call_emergency_label=derive("call_emergency", fontName=family.bold, textColor=white,
                                    spaceAfter=size * 0.2),
        call_item=derive("call_item", leftIndent=size * 1.1, bulletIndent=size * 0.15, bulletFontName=family.bold,
                         bulletFontSize=size,
                         bulletColor=INK, spaceAfter=size * 0.05),
        call_after_hours=derive("call_after_hours", fontName=family.bold,
                                fontSize=max(size * 0.92, small, AFTER_HOURS_MIN_SIZE),
                                # one line in the strip: no taller than the heading beside it
                                leading=max(size * 0.92, small, AFTER_HOURS_MIN_SIZE) * 1.15,
                                textColor=white, spaceAfter=0, alignment=2),
        band_name=derive("band_name", fontName=family.bold, fontSize=16, leading=18.5, textColor=white, spaceAfter=0),
        band_tagline=derive("band_tagline", fontSize=10, leading=12.5, textColor=white, spaceAfter=0),
        band_phone=derive("band_phone", fontName=family.bold, fontSize=12, leading=14.5, textColor=white,
                          spaceAfter=0, alignment=2),
        small=derive("small", fontSize=small, leading=small * 1.3, textColor=MUTED, spaceAfter=0),
        small_bold=derive("small_bold", fontName=family.bold, fontSize=small, leading=small * 1.3, textColor=INK,
                          spaceAfter=0),
    )
