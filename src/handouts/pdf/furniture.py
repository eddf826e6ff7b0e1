"""Page furniture every layout shares: the branded header band, the title lines, the footer and
the closing lines (reviewed date, sources, not-a-substitute)."""

from __future__ import annotations

from reportlab.lib.colors import white
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


def sources_line(handout: Handout) -> str:
    return f"{handout.labels['sections.sources']}: " + "; ".join(handout.sources) + "."


def closing_flowables(handout: Handout, style, parent: StructElem) -> list[Flowable]:
    """Reviewed date, sources and the not-a-substitute line, for the layouts that end with them."""
    labels = handout.labels
    return [text_para(f"{labels['footer.reviewed']}.", style, struct=parent.add("P")),
            text_para(sources_line(handout), style, struct=parent.add("P")),
            text_para(labels["small_print"], style, struct=parent.add("P"), foreign=handout.foreign)]


def footer_flowables(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    labels = handout.labels
    contact = " \u00b7 ".join(filter(None, (labels["footer.questions"], labels["footer.after_hours"])))
    return [text_para(contact, styles.small_bold, struct=parent.add("P")),
            text_para(f"{labels['footer.reviewed']}. {sources_line(handout)}", styles.small, struct=parent.add("P")),
            text_para(labels["small_print"], styles.small, struct=parent.add("P"), foreign=handout.foreign)]


def draw_footer(canvas, flowables: list[Flowable], styles: Styles, x: float, bottom: float, width: float) -> None:
    height = stack_height(flowables, width)
    canvas.saveState()
    with artifact(canvas):
        canvas.setStrokeColor(styles.palette.rule)
        canvas.setLineWidth(1)
        canvas.line(x, bottom + height + 5, x + width, bottom + height + 5)
    canvas.restoreState()
    draw_stack(canvas, flowables, x, bottom + height, width)
