"""Large print for readers with low vision (after the ACB large-print guidelines).

Every piece of text is at least the body size (18 pt), including page numbers and footers;
one left-aligned column no wider than 6 inches; 1.5 line spacing; no italics; large solid
bullets; the call box kept whole. At most `layout.max_pages` pages.

Reading order: title, summary, the key points, the picture with its caption, the sections, the
call box, then the sources and the not-a-substitute line. Pages after the first repeat the title
at the top (a pagination artifact, so a screen reader reads the title once). Pages break by the
rules in line_groups.py: no list item split, no heading without the 2 lines that follow it, no
1-2 stranded lines at the top of a page.
"""

from __future__ import annotations

import dataclasses

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ..document import Handout
from ..errors import DoesNotFit
from ..models import Layout
from .appointment import AppointmentPanel
from .blocks import Para, para, section_flowables, text_para
from .callbox import CallBoxFlowable
from .doc import Overflow, RenderResult, new_doc, page_size
from .fonts import FontFamily
from .furniture import closing_flowables, draw_draft_mark, draw_stack, logo_alt, stack_height, title_flowables
from .key_points_box import KeyPointsBox
from .large_print_parts import captioned_figure
from .line_groups import HEADING, SECTION, TEXT, WHOLE, LineGroup, Piece, grouped
from .logo import draw_logo, fitted_size
from .pagecount import counting_canvas
from .styles import Styles, make_styles
from .tagging import StructElem, artifact, document, marked

MAX_LINE = 6 * 72.0  # ACB: lines no longer than about 6 inches
LOGO_HEIGHT = 44.0
# The picture's height, largest first: a smaller one is used when it saves a page, or keeps the
# sources from being alone on the last page. Its width follows from its shape.
FIGURE_HEIGHTS = (2.4 * 72, 2.0 * 72, 1.6 * 72)
# The picture shows what is done, so it follows "How is it done?" (or the key points, without it).
FIGURE_AFTER = "how_its_done"


def large_styles(layout: Layout, handout: Handout, family: FontFamily) -> Styles:
    """The standard styles at 18 pt, with bullets enlarged."""
    base = make_styles(layout, handout.brand, family, layout.sizes.body)
    size = base.size
    big_bullet = {"bulletFontSize": size * 1.3, "bulletFontName": family.bold}
    return dataclasses.replace(
        base,
        bullet=base.bullet.clone("lp_bullet", leftIndent=size * 1.3, bulletIndent=0, spaceAfter=size * 0.25,
                                 **big_bullet),
        call_item=base.call_item.clone("lp_call_item", leftIndent=size * 1.3, bulletIndent=0, **big_bullet),
        step=base.step.clone("lp_step", leftIndent=size * 1.6, spaceAfter=size * 0.3),
        small=base.small.clone("lp_small", textColor=base.body.textColor),
    )


def _story(handout: Handout, layout: Layout, styles: Styles, structure: StructElem, width: float,
           figure_height: float) -> tuple[list[Flowable], CallBoxFlowable]:
    """The story as page-flow groups, and the call box (to ask where it was drawn)."""
    place = FIGURE_AFTER if FIGURE_AFTER in layout.sections and handout.section(FIGURE_AFTER) else "key_points"

    def picture() -> list[Piece]:
        if handout.figure is None:
            return []
        return [Piece(captioned_figure(handout.figure, styles, structure, width, figure_height), WHOLE)]

    titles = title_flowables(handout, styles.title, styles.also_called, structure)
    summary = para(handout.summary, styles.body.clone("lp_summary", spaceBefore=styles.size * 0.3),
                   struct=structure.add("P"))
    titles[0].no_lone_word = summary.no_lone_word = True
    pieces = [*(Piece(f, _kind(f)) for f in titles), Piece(summary, TEXT)]
    if handout.appointment:
        pieces.append(Piece(AppointmentPanel(handout.appointment, styles, structure, label_share=0.4), SECTION))
    if handout.key_points:
        pieces.append(Piece(KeyPointsBox(handout.labels["key_points"], handout.key_points, styles, structure),
                            SECTION))
    if place == "key_points":
        pieces += picture()
    for key in layout.sections:
        section = handout.section(key)
        if section is not None:
            pieces += [Piece(f, _kind(f)) for f in
                       section_flowables(section, styles, structure, include_more=layout.show_more)]
        if place == key:
            pieces += picture()
    call_box = CallBoxFlowable(handout.call_box, styles, structure, handout.brand.after_hours_phone, columns=1,
                               show_more=layout.show_more, icons=handout.icons)
    call_box.spaceBefore = styles.size * 0.9
    # The sources and the not-a-substitute line stay together: split, they would leave a few lines
    # alone on the last page (the call box and they are too tall to share one page).
    closing = [Piece(f, WHOLE) for f in closing_flowables(handout, styles.body, structure.add("Div"))]
    pieces += [Piece(call_box, SECTION), Piece(LineGroup(closing, styles.body.leading), WHOLE)]
    return grouped(pieces, styles.body.leading), call_box


def _kind(flowable: Flowable) -> str:
    """What a paragraph is to the page flow, read from the structure element it is drawn as."""
    tag = flowable.struct.tag if isinstance(flowable, Para) and flowable.struct is not None else ""
    return HEADING if tag in ("H1", "H2", "H3") else WHOLE if tag == "LBody" else TEXT


def render_large_print(handout: Handout, layout: Layout, family: FontFamily, paper: str | None = None) -> RenderResult:
    """The largest picture that takes no more pages than a smaller one, preferring one that ends
    with the call box on the last page over one that leaves the sources alone there."""
    best, renders = None, 0
    for figure_height in FIGURE_HEIGHTS if handout.figure else FIGURE_HEIGHTS[:1]:
        result, call_box_page = _render(handout, layout, family, paper, figure_height)
        renders += 1
        score = (result.pages, call_box_page != result.pages)
        if best is None or score < best[0]:
            best = (score, result)
        if call_box_page == result.pages:
            break  # a smaller picture would not take fewer pages than this
    return dataclasses.replace(best[1], renders=renders)


def _render(handout: Handout, layout: Layout, family: FontFamily, paper: str | None,
            figure_height: float) -> tuple[RenderResult, int]:
    """One layout pass: the result, and the page the call box landed on."""
    page = page_size(layout, handout.brand, paper)
    width, height = page
    m = layout.margins
    styles = large_styles(layout, handout, family)
    content_w = min(width - m.left - m.right, MAX_LINE)
    labels = handout.labels
    footer = [text_para(labels["footer.questions"], styles.small_bold.clone("lp_foot", fontSize=styles.small.fontSize,
                                                                              leading=styles.small.leading)),
              text_para(labels["footer.after_hours"], styles.small)]
    footer_h = stack_height(footer, content_w) + 10
    widest_number = labels["footer.page"].replace("{page}", str(layout.max_pages)).replace("{pages}",
                                                                                           str(layout.max_pages))
    title_w = content_w - stringWidth(widest_number, styles.family.regular, styles.small.fontSize) - styles.size
    running_title = [text_para(handout.title, styles.small_bold.clone("lp_running", textColor=styles.palette.heading))]
    running_title[0].no_lone_word = True
    header_h = max(stack_height(running_title, title_w), styles.small.leading) + 6

    structure = document(handout.lang)
    header = structure.add("Div")  # the first page's logo and clinic name, drawn before the story

    def furniture(canvas, doc) -> None:
        """The running footer on every page: a pagination artifact."""
        with artifact(canvas, "Footer"):
            draw_stack(canvas, footer, m.left, m.bottom + footer_h - 10, content_w)
            canvas.saveState()
            canvas.setStrokeColor(styles.palette.rule)
            canvas.setLineWidth(1.5)
            canvas.line(m.left, m.bottom + footer_h - 4, m.left + content_w, m.bottom + footer_h - 4)
            canvas.restoreState()
        draw_draft_mark(canvas, handout, styles, page, m.left, width - m.left - content_w)

    def later_page(canvas, doc) -> None:
        """The footer, and the title at the top: a pagination artifact, read once as the H1."""
        furniture(canvas, doc)
        with artifact(canvas, "Header"):
            draw_stack(canvas, running_title, m.left, height - m.top, title_w)  # level with the page number

    def first_page(canvas, doc) -> None:
        furniture(canvas, doc)
        logo_w, _ = fitted_size(handout.brand.logo, 140, LOGO_HEIGHT) if handout.brand.logo.kind != "none" else (0, 0)
        if logo_w:
            with marked(canvas, header.add("Figure", alt=logo_alt(handout))):
                draw_logo(canvas, handout.brand.logo, m.left, height - m.top - LOGO_HEIGHT, logo_w, LOGO_HEIGHT,
                          styles.family.regular)
        name = [text_para(handout.brand.name, styles.heading.clone("lp_clinic", spaceBefore=0),
                          struct=header.add("P"))]
        name_x = m.left + (logo_w + 12 if logo_w else 0)
        name_w = m.left + content_w - name_x - 150
        draw_stack(canvas, name, name_x, height - m.top - LOGO_HEIGHT / 2 + stack_height(name, name_w) / 2, name_w)

    def number(canvas, page_number: int, total: int) -> None:
        label = labels["footer.page"].replace("{page}", str(page_number)).replace("{pages}", str(total))
        canvas.saveState()
        with artifact(canvas, "Header"):
            canvas.setFont(styles.family.regular, styles.small.fontSize)
            canvas.setFillColor(styles.body.textColor)
            canvas.drawRightString(m.left + content_w, height - m.top - styles.small.fontSize, label)
        canvas.restoreState()

    body_bottom = m.bottom + footer_h
    first = Frame(m.left, body_bottom, content_w, height - m.top - LOGO_HEIGHT - 14 - body_bottom, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(m.left, body_bottom, content_w, height - m.top - header_h - body_bottom, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc, buffer = new_doc(handout.meta, family, page, max_pages=layout.max_pages, structure=structure)
    doc.addPageTemplates([PageTemplate(id="first", frames=[first], onPage=first_page, autoNextPageTemplate="later"),
                          PageTemplate(id="later", frames=[later], onPage=later_page)])
    try:
        story, call_box = _story(handout, layout, styles, structure, content_w, figure_height)
        doc.build(story, canvasmaker=counting_canvas(number))
    except Overflow as exc:
        raise DoesNotFit(f"'{handout.procedure_id}' ({handout.lang}) needs more than {layout.max_pages} large-print "
                         f"pages for clinic '{handout.brand.clinic_id}': about {exc.lines(styles.body.leading)} "
                         f"lines too many at {styles.body.fontSize:g} pt; say it more briefly") from None
    except LayoutError:
        raise DoesNotFit(f"'{handout.procedure_id}' ({handout.lang}) has a block too tall for one large-print page "
                         f"for clinic '{handout.brand.clinic_id}'; split it into shorter items") from None
    call_box_page = next(kid[1] for kid in call_box.heading.struct.kids if isinstance(kid, tuple))
    return RenderResult(buffer.getvalue(), doc.page, styles.size, 1), call_box_page
