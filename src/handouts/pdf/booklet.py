"""The folded booklet: half-sheet pages in reading order, 4 pages (one folded sheet) or a multiple of 4.

Cover (logo, title, summary, the key points to remember, the appointment), every section with
its longer text and the procedure's picture, a picture of the day, "When should I call?", the
questions page with starter questions, a diary that suits the procedure, and a back cover with
the clinic's details and QR code. Where the sections end decides the page count (BackMatter);
where a page may break inside a section is booklet_flow's job. The print version is made from
these bytes by `impose`.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Spacer
from reportlab.platypus.doctemplate import LayoutError

from ..document import Appointment, Handout, Steps, Timeline
from ..errors import DoesNotFit
from ..models import Layout
from .appointment import AppointmentPanel
from .blocks import bullet_list, link_para, para, section_flowables, text_para
from .booklet_flow import Float, Run, runs
from .booklet_parts import (AtFoot, BackMatter, BackPart, FigureFlowable, Grid, IconLine,
                            TimelineFlowable, WritingBlock, qr_drawing)
from .callbox import CallBoxFlowable
from .doc import Overflow, RenderResult, new_doc, paper_name, PAPER
from .fonts import FontFamily
from .logo import LogoFlowable
from .furniture import closing_flowables, draw_band, draw_draft_mark, draw_stack, logo_alt, title_flowables
from .key_points_box import KeyPointsBox
from .impose import impose
from .pagecount import counting_canvas
from .styles import Styles, make_styles
from .tagging import StructElem, Tagged, artifact, document, tel_uri, web_uri

BAND_HEIGHT = 62.0
QR_SIZE = 72.0
FIGURE_MAX_H = 200.0  # points: about 2.8 in, twice the one-page's picture
FIGURE_MIN_H = 144.0  # 2 in: below this the picture waits for the next page top
HOURS_AFTER = 8  # rows of the hourly diary after a diagnostic block
TRIAL_DAYS = 7  # rows of the stimulator trial log


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


def phone_line(handout: Handout) -> str:
    """"Questions? Call us: <phone>": the clinic's name is already in the band or above it."""
    return f"{handout.labels['header.call']}: {handout.brand.phone}"


def _cover(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    title = styles.title.clone("cover_title", fontSize=styles.title.fontSize * 1.15,
                               leading=styles.title.fontSize * 1.3)
    titles = title_flowables(handout, title, styles.also_called, parent)
    titles[0].no_lone_word = True
    summary = para(handout.summary, styles.summary, struct=parent.add("P"))
    summary.no_lone_word = True
    flowables: list[Flowable] = [Spacer(1, 10), *titles, Spacer(1, 8), summary]
    if handout.key_points:
        item = styles.bullet.clone("remember_item", fontName=styles.family.bold, spaceAfter=styles.size * 0.25)
        flowables.append(KeyPointsBox(handout.labels["key_points"], handout.key_points, styles, parent, item=item,
                                      pad=0.7, bar=4.0, space_before=0.8))
    flowables += [Spacer(1, 14), AtFoot(AppointmentPanel(handout.appointment or _blank_appointment(handout), styles,
                                                         parent))]
    return flowables


def _blank_appointment(handout: Handout) -> Appointment:
    """Write-in lines for the visit, so an unpersonalised booklet still has a place for it."""
    labels = handout.labels
    return Appointment(labels["appointment.title"], tuple((labels[f"appointment.{key}"], "")
                                                          for key in ("date", "arrive", "physician")))


def _writing_parts(handout: Handout, styles: Styles, roomy: Styles) -> tuple[list[BackPart], list[BackPart]]:
    """The call panel and the writing pages: (parts in reading order, spare pages to fill up with)."""
    labels = handout.labels
    heading = styles.heading.clone("page_heading", spaceBefore=0, keepWithNext=0)
    hint = styles.body.clone("hint", spaceAfter=styles.size * 0.5)

    def part(title: str, hints: tuple[str, ...], grid: Grid, starters=(), required: bool = True) -> BackPart:
        def make(parent: StructElem, fill: bool) -> Flowable:
            sect = parent.add("Sect")
            head: list[Flowable] = [text_para(labels[title], heading, struct=sect.add("H2"))]
            for index, key in enumerate(hints):
                head.append(text_para(labels[key], hint, struct=sect.add("P")))
                if index == 0 and starters:
                    head += bullet_list(starters, styles.bullet, sect)
            return WritingBlock(head, grid, styles, sect, fill)
        return BackPart(make, required=required)

    def call_box(parent: StructElem, fill: bool) -> Flowable:
        return CallBoxFlowable(handout.call_box, roomy, parent, handout.brand.after_hours_phone, columns=1,
                               show_more=True, icons=handout.icons)

    pain, time, did = labels["booklet.diary_pain"], labels["booklet.diary_time"], labels["booklet.diary_activity"]
    if handout.diary == "hourly":
        diary = part("booklet.hourly_title", ("booklet.hourly_hint",), Grid(
            (labels["booklet.hourly_hours"], time, pain, did), (0.2, 0.17, 0.2, 0.43),
            (labels["booklet.before"], *(str(hour) for hour in range(1, HOURS_AFTER + 1)))))
    elif handout.diary == "trial":
        diary = part("booklet.trial_title", ("booklet.trial_hint",), Grid(
            (labels["booklet.trial_day"], pain, labels["booklet.trial_activity"], labels["booklet.trial_better"]),
            (0.13, 0.2, 0.45, 0.22), tuple(str(day) for day in range(1, TRIAL_DAYS + 1))))
    else:  # a daily diary is worth a page only where the booklet has one to spare
        diary = part("booklet.diary_title", ("booklet.diary_hint",), Grid(
            (labels["booklet.diary_date"], time, pain, did), (0.2, 0.17, 0.23, 0.4), min_rows=6), required=False)
    questions = part("booklet.notes_title", ("booklet.questions_intro", "booklet.notes_hint") if handout.questions
                     else ("booklet.notes_hint",), Grid(min_rows=3), starters=handout.questions)
    meds = part("booklet.meds_title", ("booklet.meds_hint",), Grid(
        (labels["booklet.meds_name"], labels["booklet.meds_dose"], labels["booklet.meds_when"]), (0.42, 0.22, 0.36)))
    notes = part("booklet.notes_more", (), Grid(min_rows=4))
    return [BackPart(call_box, stretches=False), questions, diary], [meds, notes]


def _back_cover(handout: Handout, styles: Styles, parent: StructElem) -> list[Flowable]:
    """How to reach the clinic: its name once, phones and addresses as links, the QR code once."""
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
    phone = handout.icons.get("phone")
    flowables += [Spacer(1, 8), *(IconLine(phone, link_para(text, strong, sect, tel_uri(number)), styles.family.regular)
                                  for text, number in ((phone_line(handout), brand.phone),
                                                       (labels["footer.after_hours"], brand.after_hours_phone)))]
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


def _sections(handout: Handout, layout: Layout, styles: Styles, structure: StructElem) -> list[Flowable]:
    """Every section as runs (booklet_flow), the figure after "What is it?" and the day's timeline
    after "How is it done?"."""
    story: list[Flowable] = []
    figure: Float | None = None
    timeline = _timeline(handout)
    for key in layout.sections:
        section = handout.section(key)
        if section is None:
            continue
        story.extend(runs(section_flowables(section, styles, structure, include_more=True)))
        if key == "what_it_is" and handout.figure is not None:
            figure = Float(FigureFlowable(handout.figure, styles, structure, FIGURE_MAX_H, FIGURE_MIN_H))
            story.append(figure)
        if key == "how_its_done" and timeline is not None:
            labels = handout.labels
            day = structure.add("Sect")
            story.append(KeepTogether([
                text_para(labels["booklet.timeline"], styles.heading, struct=day.add("H2")),
                TimelineFlowable(timeline, (labels["booklet.before"], labels["booklet.during"],
                                            labels["booklet.after"]), styles, day)]))
    if figure is not None:  # the runs that may fill a page before the figure, if it waits for a page top
        after = story[story.index(figure) + 1:]
        figure.followers = [f for f in after[:next((i for i, f in enumerate(after) if not isinstance(f, Run)),
                                                    len(after))]]
    return story


def _story(handout: Handout, layout: Layout, styles: Styles,
           structure: StructElem) -> tuple[list[Flowable], StructElem, BackMatter]:
    """The story, the element the cover's foot (the phones) fills when it is drawn, and the back
    matter (which knows the page count once laid out)."""
    story: list[Flowable] = [NextPageTemplate("inside"), *_cover(handout, styles, structure), PageBreak()]
    cover_foot = structure.add("Div")
    story += _sections(handout, layout, styles, structure)
    roomy = make_styles(layout, handout.brand, styles.family, styles.size * 1.1)
    parts, spare = _writing_parts(handout, styles, roomy)
    # laid out (and tagged) only once the sections are placed, but read before the back cover
    back_matter = BackMatter(parts, spare, structure.add("Div"), gap=styles.size * 1.2)
    story += [back_matter, NextPageTemplate("back"), PageBreak(), *_back_cover(handout, styles, structure)]
    return story, cover_foot, back_matter


def _templates(handout: Handout, layout: Layout, styles: Styles, page: tuple[float, float],
               cover_band: StructElem, cover_foot: StructElem) -> list[PageTemplate]:
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right
    furniture_h = styles.small.leading * 2 + 8
    cover_foot_h = styles.small_bold.leading * 2

    def cover(canvas, doc) -> None:
        draw_band(canvas, handout, styles, m.left, height - m.top, content_w, BAND_HEIGHT, cover_band, contact=False)
        lines = [text_para(phone_line(handout), styles.small_bold, struct=cover_foot.add("P")),
                 text_para(handout.labels["footer.after_hours"], styles.small_bold, struct=cover_foot.add("P"))]
        draw_stack(canvas, lines, m.left, m.bottom + cover_foot_h, content_w)
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
        "cover": Frame(m.left, m.bottom + cover_foot_h + 10, content_w, height - m.top - BAND_HEIGHT - m.bottom
                       - cover_foot_h - 20, id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
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
    story, cover_foot, back_matter = _story(handout, layout, styles, structure)
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
    if doc.page != back_matter.pages:  # the plan and the layout disagree: never print a booklet that cannot fold
        raise DoesNotFit(f"'{handout.procedure_id}' ({handout.lang}) came out at {doc.page} booklet pages for clinic "
                         f"'{handout.brand.clinic_id}' instead of {back_matter.pages}, so it cannot be folded; "
                         f"please report this as a bug in handouts")
    pdf = buffer.getvalue()
    return RenderResult(pdf, doc.page, styles.size, 1, imposed=impose(pdf, PAPER[sheet], duplex))
