"""Page furniture every layout shares: the branded header band, the title lines, the footer, the
closing lines (approval, updated date, sources, not-a-substitute) and a draft's DRAFT mark."""

from __future__ import annotations

import math

from reportlab.lib.colors import HexColor, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..document import Handout
from ..richtext import Run
from .blocks import link_para, para, text_para
from .logo import draw_logo, fitted_size
from .styles import Styles
from .tagging import StructElem, artifact, marked, tel_uri, web_uri


def stack_height(flowables: list[Flowable], width: float) -> float:
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceAfter() for f in flowables) - (
        flowables[-1].getSpaceAfter() if flowables else 0)


def draw_stack(canvas, flowables: list[Flowable], x: float, top: float, width: float) -> float:
    """Draw flowables downwards from `top`; returns the y where the stack ends."""
    y = top
    for index, flowable in enumerate(flowables):
        if index:
            y -= flowable.getSpaceBefore()
        height = flowable.wrap(width, 1e6)[1]
        flowable.drawOn(canvas, x, y - height)
        y -= height + flowable.getSpaceAfter()
    return y


def logo_alt(handout: Handout) -> str:
    return f"{handout.brand.name} logo"


def draw_band(canvas, handout: Handout, styles: Styles, x: float, top: float, width: float, height: float,
              parent: StructElem, contact: bool = True) -> None:
    """Coloured band with the logo on a white tile, the clinic's name, and (if `contact`) its phone.

    Drawn as content of `parent`, in reading order: logo, name, tagline, phone, website.
    """
    brand = handout.brand
    pad = height * 0.14
    canvas.saveState()
    tile_h = height - 2 * pad
    logo_w, _ = fitted_size(brand.logo, width * 0.24, tile_h - 10) if brand.logo.kind != "none" else (0, 0)
    text_x = x + pad
    with artifact(canvas):
        canvas.setFillColor(styles.palette.band)
        canvas.roundRect(x, top - height, width, height, 7, stroke=0, fill=1)
        if logo_w:
            canvas.setFillColor(white)
            canvas.roundRect(x + pad, top - height + pad, logo_w + 12, tile_h, 5, stroke=0, fill=1)
    if logo_w:
        with marked(canvas, parent.add("Figure", alt=logo_alt(handout))):
            draw_logo(canvas, brand.logo, x + pad + 6, top - height + pad + 5, logo_w, tile_h - 10,
                      styles.family.regular)
        text_x = x + pad + logo_w + 12 + pad * 1.2
    canvas.restoreState()
    right_w = width * 0.27 if contact else 0.0
    name_w = x + width - pad - right_w - text_x - (pad if contact else 0)
    name = [text_para(brand.name, styles.band_name, struct=parent.add("P"))]
    if brand.tagline:
        name.append(text_para(brand.tagline, styles.band_tagline, struct=parent.add("P")))
    middle = top - height / 2
    draw_stack(canvas, name, text_x, middle + stack_height(name, name_w) / 2, name_w)
    if contact:
        phone = [text_para(handout.labels["header.call"], styles.band_tagline.clone("call_label", alignment=2),
                           struct=parent.add("P")),
                 link_para(brand.phone, styles.band_phone, parent, tel_uri(brand.phone))]
        if brand.website:
            phone.append(link_para(brand.website, styles.band_tagline.clone("site", alignment=2), parent,
                                   web_uri(brand.website)))
        draw_stack(canvas, phone, x + width - pad - right_w, middle + stack_height(phone, right_w) / 2, right_w)


def title_flowables(handout: Handout, title_style, also_called_style, parent: StructElem,
                    also_called: bool = True) -> list[Flowable]:
    """The title (the H1), and its "Also called: ..." line when the content has other names (and it is wanted)."""
    flowables = [text_para(handout.title, title_style, struct=parent.add("H1"))]
    if handout.also_called and also_called:
        flowables.append(para((Run(f"{handout.labels['also_called']}: "),) + handout.also_called, also_called_style,
                              struct=parent.add("P")))
    return flowables


class SideBySide(Flowable):
    """Two flowables on one line: the first at the left, the second right-aligned on the same
    baseline (a title and its "Also called" line, when both fit)."""

    def __init__(self, left: Flowable, right: Flowable, gap: float) -> None:
        super().__init__()
        self.left, self.right, self.gap = left, right, gap

    def fits(self, width: float) -> bool:
        """Whether both stay single lines side by side in `width`."""
        left_w = _line_width(self.left)
        return left_w + self.gap + _line_width(self.right) <= width

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width = avail_width
        self.left_h = self.left.wrap(avail_width, 1e6)[1]
        self.right_w = _line_width(self.right)
        self.right_h = self.right.wrap(self.right_w + 1, 1e6)[1]
        self.height = self.left_h
        return self.width, self.height

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.left.getSpaceAfter()

    def draw(self) -> None:
        self.left.drawOn(self.canv, 0, 0)
        # Baselines agree: each paragraph's last line sits its descent above its bottom.
        drop = self.left.style.fontSize * 0.22 - self.right.style.fontSize * 0.22
        self.right.drawOn(self.canv, self.width - self.right_w - 1, drop)


def _line_width(paragraph) -> float:
    return sum(stringWidth(frag.text, frag.fontName, frag.fontSize) for frag in paragraph.frags)


def title_row(handout: Handout, title_style, also_called_style, parent: StructElem, width: float) -> list[Flowable]:
    """The title with its "Also called" line beside it when both fit on one line, else stacked."""
    stacked = title_flowables(handout, title_style, also_called_style, parent)
    if len(stacked) == 2:
        row = SideBySide(stacked[0], stacked[1], gap=title_style.fontSize)
        if row.fits(width):
            return [row]
    return stacked


def sources_line(handout: Handout) -> str:
    """When the text last changed, and where its facts come from."""
    labels = handout.labels
    return f"{labels['footer.updated']}. {labels['sections.sources']}: " + "; ".join(handout.sources) + "."


def approval_line(handout: Handout) -> str:
    """"Approved for <clinic> by <name> on <date>". A draft says so in its DRAFT mark on every
    page instead, which takes no room from the text."""
    return f"{handout.approval.line}." if handout.approval and not handout.approval.draft else ""


def provenance_line(handout: Handout) -> str:
    """Approval, updated date and sources as one paragraph: a separate approval line would cost the
    large print a whole line more than the "Reviewed ..." line it replaces."""
    return " ".join(filter(None, (approval_line(handout), sources_line(handout))))


def closing_flowables(handout: Handout, style, parent: StructElem) -> list[Flowable]:
    """Approval, updated date, sources and the not-a-substitute line, for the layouts that end with them."""
    return [text_para(provenance_line(handout), style, struct=parent.add("P")),
            text_para(handout.labels["small_print"], style, struct=parent.add("P"), foreign=handout.foreign)]


def footer_flowables(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    """Provenance and the not-a-substitute line; the band and the call box above already give both numbers."""
    labels = handout.labels
    return [text_para(provenance_line(handout), styles.small, struct=parent.add("P")),
            text_para(labels["small_print"], styles.small, struct=parent.add("P"), foreign=handout.foreign)]


DRAFT_RED = HexColor("#B3261E")
DRAFT_WORD_ALPHA = 0.09  # pale enough to read the text through, plain enough to see from across a desk
DRAFT_LINE_SIZE = 10.0


def draw_draft_mark(canvas, handout: Handout, styles: Styles, page: tuple[float, float], left: float,
                    right: float, notice: StructElem | None = None) -> None:
    """On a handout the clinic has not approved: a pale diagonal DRAFT across the page and the
    full "DRAFT - not yet approved by <clinic>" up both side margins. Page furniture only: it is
    drawn in the margins and behind the text, so it takes no room from the text.

    With `notice` (an element first in reading order), the left margin line is its text, so a
    screen reader says the handout is a draft before anything else; the rest is a watermark."""
    mark = handout.approval
    if mark is None or not mark.draft:
        return
    with artifact(canvas, "Watermark"):  # tagged as a watermark: a screen reader does not read it
        _draw_draft_word(canvas, mark, styles, page)
    size = _draft_line_size(mark, styles, page, left, right)
    with marked(canvas, notice) if notice is not None else artifact(canvas, "Watermark"):
        _draw_draft_line(canvas, mark, styles, page, left / 2, size)
    with artifact(canvas, "Watermark"):
        _draw_draft_line(canvas, mark, styles, page, page[0] - right / 2, size)


def draft_notice(handout: Handout, parent: StructElem) -> StructElem | None:
    """The draft's notice element, first of `parent`'s kids, when the handout is a draft."""
    if handout.approval is None or not handout.approval.draft:
        return None
    notice = parent.add("P")
    parent.kids.insert(0, parent.kids.pop())
    return notice


def _draw_draft_word(canvas, mark, styles: Styles, page: tuple[float, float]) -> None:
    width, height = page
    font = styles.family.bold
    canvas.saveState()
    canvas.setFillColor(DRAFT_RED, alpha=DRAFT_WORD_ALPHA)
    diagonal = math.hypot(width, height)
    size = min(140.0, diagonal * 0.6 / max(stringWidth(mark.word, font, 1.0), 1e-6))
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.setFont(font, size)
    canvas.drawCentredString(0, -size * 0.35, mark.word)
    canvas.restoreState()


def _draft_line_size(mark, styles: Styles, page: tuple[float, float], left: float, right: float) -> float:
    # No smaller than the layout's fine print (large print: 18 pt, like all its text).
    return min(max(DRAFT_LINE_SIZE, styles.small.fontSize), left * 0.45, right * 0.45,
               page[1] * 0.9 / max(stringWidth(mark.line, styles.family.bold, 1.0), 1e-6))


def _draw_draft_line(canvas, mark, styles: Styles, page: tuple[float, float], centre: float, size: float) -> None:
    canvas.saveState()
    canvas.translate(centre + size * 0.35, page[1] / 2)  # glyphs sit left of a rotated baseline
    canvas.rotate(90)
    canvas.setFillColor(DRAFT_RED)
    canvas.setFont(styles.family.bold, size)
    canvas.drawCentredString(0, 0, mark.line)
    canvas.restoreState()


def draw_footer(canvas, flowables: list[Flowable], styles: Styles, x: float, bottom: float, width: float) -> None:
    height = stack_height(flowables, width)
    canvas.saveState()
    with artifact(canvas):
        canvas.setStrokeColor(styles.palette.rule)
        canvas.setLineWidth(1)
        canvas.line(x, bottom + height + 5, x + width, bottom + height + 5)
    canvas.restoreState()
    draw_stack(canvas, flowables, x, bottom + height, width)
