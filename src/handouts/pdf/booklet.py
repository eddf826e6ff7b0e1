"""The folded booklet: half-sheet pages in reading order, padded to a multiple of 4.

Cover (logo, title, what is inside, QR code), every section with its longer text, a picture
of the day, "When should I call?" on its own panel, writing pages (questions, pain diary,
medicines) so the count reaches a multiple of 4, and a back cover with the clinic's details.
The print version is made from these bytes by `impose`.
"""

from __future__ import annotations

from reportlab.platypus import (Flowable, Frame, KeepTogether, NextPageTemplate, PageBreak,
                                PageTemplate, Spacer)
from reportlab.platypus.doctemplate import LayoutError

from ..document import Appointment, Handout, Steps, Timeline
from ..errors import DoesNotFit
from ..models import Layout
from .appointment import AppointmentPanel
from .blocks import link_para, para, section_flowables, text_para
from .booklet_parts import PadPages, TimelineFlowable, WritingGrid, qr_drawing
from .callbox import CallBoxFlowable
from .doc import Overflow, RenderResult, new_doc, paper_name, PAPER
from .fonts import FontFamily
from .logo import LogoFlowable
from .furniture import (closing_flowables, draw_band, draw_draft_mark, draw_stack, logo_alt, stack_height,
                        title_flowables)
from .impose import impose
from .pagecount import counting_canvas
from .styles import Styles, make_styles
from .tagging import StructElem, Tagged, artifact, document, marked, tel_uri, web_uri

BAND_HEIGHT = 62.0
QR_SIZE = 72.0


def logical_page(paper: str) -> tuple[float, float]:
    """Half the clinic's sheet: half-letter (5.5 x 8.5 in) or A5."""
    width, height = PAPER[paper]
    return height / 2, width


def _timeline(handout: Handout) -> Timeline | None:
    """The content's own timeline, or one drawn from the steps when the content has none."""
    if handout.timeline:
        return handout.timeline
    section = handout.section("how_its_done")
    steps = next((b.items for b in section.blocks if isinstance(b, Steps)), ()) if section else ()
    if len(steps) < 3:
        return None
    return Timeline(steps[:1], steps[1:-1], steps[-1:])


def qr_alt(url: str) -> str:
    return f"QR code: {url}"


def _cover(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    title = styles.title.clone("cover_title", fontSize=styles.title.fontSize * 1.15,
                               leading=styles.title.fontSize * 1.3)
    flowables: list[Flowable] = [Spacer(1, 10), *title_flowables(handout, title, styles.also_called, parent)]
    flowables += [Spacer(1, 8), para(handout.summary, styles.summary, struct=parent.add("P")), Spacer(1, 12),
                  text_para(handout.labels["booklet.inside"], styles.body.clone("inside", textColor=styles.palette.heading,
                                                                                  fontName=styles.family.bold),
                            struct=parent.add("P")),
                  Spacer(1, 16), AppointmentPanel(handout.appointment or _blank_appointment(handout), styles, parent)]
    return flowables


def _blank_appointment(handout: Handout) -> Appointment:
    """Write-in lines for the visit, so an unpersonalised booklet still has a place for it."""
    labels = handout.labels
    return Appointment(labels["appointment.title"], tuple((labels[f"appointment.{key}"], "")
                                                          for key in ("date", "arrive", "physician")))


def _writing_pages(handout: Handout, styles: Styles, parent: StructElem):
    labels = handout.labels
    heading = styles.heading.clone("page_heading", spaceBefore=0)
    hint = styles.body.clone("hint", spaceAfter=10)

    def page(title: str, hint_text: str | None, *grid) -> list[Flowable]:
        """One writing page, read as a section: heading, hint, and the grid's column headings."""
        sect = parent.add("Sect")
        flowables: list[Flowable] = [text_para(labels[title], heading, struct=sect.add("H2"))]
        if hint_text:
            flowables.append(text_para(labels[hint_text], hint, struct=sect.add("P")))
        return flowables + [WritingGrid(styles, sect, *grid)]

    pages = [
        page("booklet.notes_title", "booklet.notes_hint"),
        page("booklet.diary_title", "booklet.diary_hint",
             (labels["booklet.diary_date"], labels["booklet.diary_time"], labels["booklet.diary_pain"],
              labels["booklet.diary_activity"]), (0.2, 0.17, 0.23, 0.4)),
        page("booklet.meds_title", "booklet.meds_hint",
             (labels["booklet.meds_name"], labels["booklet.meds_dose"], labels["booklet.meds_when"]),
             (0.42, 0.22, 0.36)),
        page("booklet.notes_more", None),
    ]

    def make(count: int) -> list[Flowable]:
        flowables: list[Flowable] = []
        for index in range(count):
            if index:
                flowables.append(PageBreak())
            flowables.extend(pages[index % len(pages)])
        return flowables

    return make


def _back_cover(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    brand, labels = handout.brand, handout.labels
    name = styles.heading.clone("back_name", spaceBefore=0)
    strong = styles.body.clone("back_strong", fontName=styles.family.bold, spaceAfter=2)
    sect = parent.add("Sect")
    flowables: list[Flowable] = []
    if brand.logo.kind != "none":
        flowables += [Tagged(LogoFlowable(brand.logo, 150, 56, styles.family.regular),
                             sect.add("Figure", alt=logo_alt(handout))), Spacer(1, 14)]
    flowables += [text_para(labels["booklet.contact"], name, struct=sect.add("H2")),
                  text_para(brand.name, strong, struct=sect.add("P"))]
    flowables += [text_para(line, styles.body.clone("addr", spaceAfter=0), struct=sect.add("P"))
                  for line in brand.address]
    flowables += [Spacer(1, 8), link_para(labels["footer.questions"], strong, sect, tel_uri(brand.phone)),
                  link_para(labels["footer.after_hours"], strong, sect, tel_uri(brand.after_hours_phone))]
    if brand.website:
        flowables.append(link_para(f"{labels['booklet.website']}: {brand.website}", styles.body, sect,
                                   web_uri(brand.website)))
    if brand.email:
        flowables.append(link_para(f"{labels['booklet.email']}: {brand.email}", styles.body, sect,
                                   f"mailto:{brand.email}"))
    if brand.qr_url:
        flowables += [Spacer(1, 6), Tagged(qr_drawing(brand.qr_url, QR_SIZE, styles.family.regular),
                                           sect.add("Figure", alt=qr_alt(brand.qr_url))),
                      text_para(labels["booklet.scan"], styles.small, struct=sect.add("P"))]
    flowables += [Spacer(1, 14), *closing_flowables(handout, styles.small.clone("back_small", spaceAfter=3), sect)]
    return flowables


def _story(handout: Handout, layout: Layout, styles: Styles,
           structure: StructElem) -> tuple[list[Flowable], StructElem]:
    """The story, and the element the cover's foot (QR code, phones) fills when it is drawn."""
    story: list[Flowable] = [NextPageTemplate("inside"), *_cover(handout, styles, structure), PageBreak()]
    cover_foot = structure.add("Div")
    timeline = _timeline(handout)
    for key in layout.sections:
        section = handout.section(key)
        if section is None:
            continue
        story.extend(section_flowables(section, styles, structure, include_more=True))
        if key == "how_its_done" and timeline is not None:
            labels = handout.labels
            day = structure.add("Sect")
            story.append(KeepTogether([
                text_para(labels["booklet.timeline"], styles.heading, struct=day.add("H2")),
                TimelineFlowable(timeline, (labels["booklet.before"], labels["booklet.during"],
                                            labels["booklet.after"]), styles, day)]))
    roomy = make_styles(layout, handout.brand, styles.family, styles.size * 1.1)
    story += [PageBreak(), CallBoxFlowable(handout.call_box, roomy, structure, handout.brand.after_hours_phone, columns=1, show_more=True, icons=handout.icons),
              PageBreak(), PadPages(_writing_pages(handout, styles, structure.add("Div")), after=1),
              NextPageTemplate("back"), PageBreak(), *_back_cover(handout, styles, structure)]
    return story, cover_foot


def _templates(handout: Handout, layout: Layout, styles: Styles, page: tuple[float, float],
               cover_band: StructElem, cover_foot: StructElem) -> list[PageTemplate]:
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right
    furniture_h = styles.small.leading * 2 + 8

    def cover(canvas, doc) -> None:
        draw_band(canvas, handout, styles, m.left, height - m.top, content_w, BAND_HEIGHT, cover_band, contact=False)
        if handout.brand.qr_url:
            qr = qr_drawing(handout.brand.qr_url, QR_SIZE, styles.family.regular)
            with marked(canvas, cover_foot.add("Figure", alt=qr_alt(handout.brand.qr_url))):
                qr.drawOn(canvas, m.left, m.bottom)
            caption = [text_para(handout.labels["booklet.scan"], styles.small, struct=cover_foot.add("P"))]
        lines = [text_para(handout.labels["footer.questions"], styles.small_bold, struct=cover_foot.add("P")),
                 text_para(handout.labels["footer.after_hours"], styles.small_bold, struct=cover_foot.add("P"))]
        if handout.brand.qr_url:
            caption += lines
            draw_stack(canvas, caption, m.left + QR_SIZE + 10, m.bottom + QR_SIZE - 4, content_w - QR_SIZE - 10)
        else:
            draw_stack(canvas, lines, m.left, m.bottom + stack_height(lines, content_w), content_w)
        draft(canvas, doc)

    def draft(canvas, doc) -> None:
        draw_draft_mark(canvas, handout, styles, page, m.left, m.right)

    def inside(canvas, doc) -> None:
        """Running header (the title) and footer (the phones) on inside pages: pagination artifacts."""
        canvas.saveState()
        with artifact(canvas, "Header"):
            canvas.setFont(styles.family.bold, styles.small.fontSize)
            canvas.setFillColor(styles.palette.heading)
            canvas.drawString(m.left, height - m.top - styles.small.fontSize, handout.title)
            canvas.setStrokeColor(styles.palette.rule)
            canvas.line(m.left, height - m.top - styles.small.leading - 3, width - m.right,
                        height - m.top - styles.small.leading - 3)
        with artifact(canvas, "Footer"):
            canvas.line(m.left, m.bottom + furniture_h - 4, width - m.right, m.bottom + furniture_h - 4)
        canvas.restoreState()
        contact = [text_para(handout.labels["footer.questions"], styles.small_bold),
                   text_para(handout.labels["footer.after_hours"], styles.small)]
        with artifact(canvas, "Footer"):
            draw_stack(canvas, contact, m.left, m.bottom + furniture_h - 8, content_w * 0.72)
        draft(canvas, doc)

    top_gap = styles.small.leading + 12
    frames = {
        "cover": Frame(m.left, m.bottom + (QR_SIZE if handout.brand.qr_url else 30) + 10, content_w,
                       height - m.top - BAND_HEIGHT - m.bottom - (QR_SIZE if handout.brand.qr_url else 30) - 20,
                       id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
        "inside": Frame(m.left, m.bottom + furniture_h, content_w, height - m.top - top_gap - m.bottom - furniture_h,
                        id="inside", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
        "back": Frame(m.left, m.bottom, content_w, height - m.top - m.bottom, id="back",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
    }
    return [PageTemplate(id="cover", frames=[frames["cover"]], onPage=cover),
            PageTemplate(id="inside", frames=[frames["inside"]], onPage=inside),
            PageTemplate(id="back", frames=[frames["back"]], onPage=draft)]


def render_booklet(handout: Handout, layout: Layout, family: FontFamily, paper: str | None = None,
                   duplex: str = "short-edge") -> RenderResult:
    sheet = paper_name(layout, handout.brand, paper)
    page = logical_page(sheet)
    styles = make_styles(layout, handout.brand, family, layout.sizes.body)
    m = layout.margins
    page_label = handout.labels["footer.page"]

    def number(canvas, page_number: int, total: int) -> None:
        if 1 < page_number < total:
            label = page_label.replace("{page}", str(page_number)).replace("{pages}", str(total))
            canvas.saveState()
            with artifact(canvas, "Footer"):
                canvas.setFont(styles.family.regular, styles.small.fontSize)
                canvas.setFillColor(styles.small.textColor)
                canvas.drawRightString(page[0] - m.right, m.bottom + styles.small.fontSize * 0.4, label)
            canvas.restoreState()

    structure = document(handout.lang)
    cover_band = structure.add("Div")  # filled when the cover is drawn
    story, cover_foot = _story(handout, layout, styles, structure)
    doc, buffer = new_doc(handout.meta, family, page, max_pages=layout.max_pages, structure=structure)
    doc.addPageTemplates(_templates(handout, layout, styles, page, cover_band, cover_foot))
    try:
        doc.build(story, canvasmaker=counting_canvas(number))
    except Overflow as exc:
        raise DoesNotFit(f"'{handout.procedure_id}' ({handout.lang}) needs more than {layout.max_pages} booklet "
                         f"pages for clinic '{handout.brand.clinic_id}': about {exc.lines(styles.body.leading)} "
                         f"lines too many; shorten its 'more:' text") from None
    except LayoutError:
        raise DoesNotFit(f"'{handout.procedure_id}' ({handout.lang}) has a block too tall for one booklet page "
                         f"for clinic '{handout.brand.clinic_id}'; split it into shorter items") from None
    pdf = buffer.getvalue()
    return RenderResult(pdf, doc.page, styles.size, 1, imposed=impose(pdf, PAPER[sheet], duplex))
