"""The one-page handout: branded band, title, two columns, call box, footer - on exactly one page.

Fit search: the body size steps down from the layout's preferred size toward its minimum.
Sizes that are far too big are ruled out from font metrics alone; the rest are estimated by
replaying platypus' column filling from wrapped heights (which agreed with the real render
for every handout, clinic and size of the shipped library). Only a size the estimate accepts
is rendered, and the render stays the judge. A handout takes one render.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from ..document import Bullets, Checklist, Handout, Steps
from ..errors import DoesNotFit
from ..models import Layout
from ..richtext import plain
from .appointment import AppointmentPanel
from .blocks import HEAD_LINES, TAIL_LINES, section_flowables
from .callbox import CallBoxFlowable
from .doc import Overflow, RenderResult, new_doc, page_size
from .fonts import FontFamily
from .flow import chain, is_heading
from .hero import Hero
from .furniture import (draft_notice, draw_band, draw_draft_mark, draw_footer, draw_stack, footer_flowables,
                        stack_height, title_flowables, title_row)
from .styles import Styles, make_styles
from .tagging import StructElem, document

BAND_HEIGHT = 58.0
FIGURE_HEIGHT = 1.2 * 72  # the procedure's picture: big enough to read at a glance, small enough to leave the text room
GAP = 9.0
SIZE_STEP = 0.25
HEADING_WEIGHT = 4.0  # how much more of a short column's spare room goes above a heading than between items


@dataclass
class _Plan:
    """Measured page regions for one body size."""

    styles: Styles
    title: list[Flowable]
    summary: Hero  # summary (or the appointment panel on a personalised page), key points and figure
    call_box: CallBoxFlowable
    footer: list[Flowable]
    frames: list[tuple[float, float, float, float]]  # x, y, width, height
    title_top: float
    summary_top: float
    summary_h: float
    call_y: float
    footer_bottom: float
    structure: StructElem  # the tree, in reading order: band, title, summary, body, call box, footer
    band: StructElem  # filled when the band is drawn
    body: StructElem  # filled by the story
    notice: StructElem | None  # a draft's "not yet approved" notice, read first


def _plan(handout: Handout, layout: Layout, family: FontFamily, size: float,
          page: tuple[float, float]) -> _Plan:
    styles = make_styles(layout, handout.brand, family, size)
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right
    structure = document(handout.lang)
    notice = draft_notice(handout, structure)
    band = structure.add("Div")
    # A personalised page needs the also-called line's room for the patient.
    title = (title_row(handout, styles.title, styles.also_called, structure, content_w) if not handout.appointment
             else title_flowables(handout, styles.title, styles.also_called, structure, also_called=False))
    # On a personalised page the appointment is the message up front, in the summary's place.
    lead = AppointmentPanel(handout.appointment, styles, structure, inline=True) if handout.appointment else None
    summary = Hero(handout, styles, structure, FIGURE_HEIGHT, lead=lead)
    body = structure.add("Div")
    call_box = CallBoxFlowable(handout.call_box, styles, structure, handout.brand.after_hours_phone, columns=2, show_more=layout.show_more)
    footer = footer_flowables(handout, styles, structure.add("Div"))
    title_top = height - m.top - BAND_HEIGHT - GAP * 1.1
    title_h = stack_height(title, content_w)
    summary_top = title_top - title_h - styles.title.spaceAfter - 4
    summary_h = summary.wrap(content_w, 1e6)[1]
    footer_h = stack_height(footer, content_w)
    call_h = call_box.wrap(content_w, 1e6)[1]
    call_y = m.bottom + footer_h + GAP
    body_top = summary_top - summary_h - GAP * 1.2
    body_bottom = call_y + call_h + GAP
    col_w = (content_w - layout.gutter * (layout.columns - 1)) / layout.columns
    frames = [(m.left + i * (col_w + layout.gutter), body_bottom, col_w, max(body_top - body_bottom, 1.0))
              for i in range(layout.columns)]
    return _Plan(styles, title, summary, call_box, footer, frames, title_top, summary_top, summary_h, call_y,
                 m.bottom, structure, band, body, notice)


def _body(handout: Handout, layout: Layout, plan: _Plan) -> list[Flowable]:
    story: list[Flowable] = []
    for key in layout.sections:
        section = handout.section(key)
        if section is not None:
            story.extend(section_flowables(section, plan.styles, plan.body, include_more=layout.show_more))
    return chain(story, plan.frames[0][2])


def _rough_lines(rich, font: FontFamily, size: float, width: float) -> int:
    """Greedy word wrap from font metrics alone: what platypus will do, without building a Paragraph."""
    space = stringWidth(" ", font.regular, size)
    lines, line = 1, 0.0
    for run in rich:
        face = font.bold if run.bold else font.regular
        for word in run.text.split():
            advance = stringWidth(word, face, size)
            if line and line + space + advance > width:
                lines, line = lines + 1, advance
            else:
                line += (space if line else 0.0) + advance
    return lines


def _rough_body_height(handout: Handout, layout: Layout, styles: Styles, col_w: float) -> float:
    """The body's height from metrics alone; good to a line or two, and far cheaper than a plan."""
    family, total = styles.family, 0.0
    body = styles.body

    def height(rich, style, indent: float = 0.0) -> float:
        return (_rough_lines(rich, family, style.fontSize, col_w - indent) * style.leading
                + style.spaceBefore + style.spaceAfter)

    for key in layout.sections:
        section = handout.section(key)
        if section is None:
            continue
        total += height(plain(section.heading), styles.heading)
        for block in section.blocks + (section.more if layout.show_more else ()):
            if isinstance(block, Steps):
                total += sum(height(item, styles.step, styles.step.leftIndent) for item in block.items)
            elif isinstance(block, Checklist):
                total += sum(height(item, styles.check, styles.check.leftIndent) for item in block.items)
            elif isinstance(block, Bullets):
                total += height(block.label, styles.label) if block.label else 0.0
                total += sum(height(item, styles.bullet, styles.bullet.leftIndent) for item in block.items)
            else:
                total += height(block.text, body)
    return total


def _estimate(story: list[Flowable], plan: _Plan, ends: list[float] | None = None,
              column_height: float | None = None, breaks: list[int] | None = None) -> float:
    """How far the body overflows the columns (negative: room left), by replaying platypus' column
    filling from wrapped heights, the way Frame._add does: keep-with-next groups move together, a
    paragraph may split when two lines stay behind, space before is dropped at the top of a column
    and overlaps the space after above it, and the last space after need not fit.

    `ends` receives how far down each column is filled, `breaks` the index of the flowable that starts
    each next column (-1: a paragraph split across); `column_height` tries shorter columns."""
    col_w = plan.frames[0][2]
    heights = [f.wrap(col_w, 1e6)[1] for f in story]
    after = [f.getSpaceAfter() for f in story]
    columns = [column_height or frame[3] for frame in plan.frames]
    ends = [] if ends is None else ends
    breaks = [] if breaks is None else breaks
    column, room, index = 0, columns[0], 0
    previous_after: float | None = None  # None at the top of a column
    carried = 0.0  # the rest of a paragraph split at the foot of the previous column

    def rest() -> float:
        return carried + sum(h + f.getSpaceBefore() + a for f, h, a in zip(story[index:], heights[index:],
                                                                            after[index:]))

    while True:
        if carried:
            take = min(carried, room)
            carried, room = carried - take, room - take
            if carried:
                ends.append(columns[column] - room)
                breaks.append(-1)
                column += 1
                if column == len(columns):
                    return rest()
                room, previous_after = columns[column], None
                continue
            previous_after = after[index - 1] if index else 0.0
            room = max(room - previous_after, 0.0)
        if index == len(story):
            ends.append(columns[column] - room)
            return -(room + sum(columns[column + 1:]))
        group = [index]
        while story[group[-1]].getKeepWithNext() and group[-1] + 1 < len(story):
            group.append(group[-1] + 1)
        need, prior = 0.0, previous_after
        for i in group:
            before = 0.0 if prior is None else max(story[i].getSpaceBefore() - prior, 0.0)
            need += before + heights[i] + (after[i] if i != group[-1] else 0.0)
            prior = after[i]
        if need <= room:
            room = max(room - need - after[group[-1]], 0.0)
            previous_after, index = after[group[-1]], group[-1] + 1
            continue
        last = story[group[-1]]
        leading = getattr(getattr(last, "style", None), "leading", 0)
        lead = need - heights[group[-1]]
        lines_here = int((room - lead) // leading) if leading else 0
        lines_total = round(heights[group[-1]] / leading) if leading else 0
        lines_here = min(lines_here, lines_total - TAIL_LINES)
        if isinstance(last, Paragraph) and not getattr(last, "whole", False) and lines_here >= HEAD_LINES:
            carried = (lines_total - lines_here) * leading
            room, index = 0.0, group[-1] + 1
            continue
        ends.append(columns[column] - room)
        breaks.append(index)
        column += 1
        if column == len(columns):
            return rest()
        room, previous_after = columns[column], None


def _feather(story: list[Flowable], plan: _Plan, column_height: float, line: float) -> None:
    """Loosen the shorter column's gaps above its headings so both columns end on the same line.

    Whole list items and headings that keep their text travel in groups, so the best break can
    still leave one column several lines short; vertical justification closes the difference
    without touching the break."""
    ends: list[float] = []
    breaks: list[int] = []
    if _estimate(story, plan, ends, column_height, breaks) > 0 or len(ends) != 2 or breaks[0] <= 0:
        return
    gap = abs(ends[0] - ends[1])
    if gap <= line:
        return
    column = range(1, breaks[0]) if ends[0] < ends[1] else range(breaks[0] + 1, len(story))
    # Most of the room goes above headings, between sections; a little between items, so no one
    # gap opens into a hole and each list stays together under its heading.
    weights = {index: HEADING_WEIGHT if is_heading(story[index]) else 1.0 for index in column}
    if not weights:
        return
    unit = (gap - 1.0) / sum(weights.values())
    short = list(weights)
    for index, weight in weights.items():
        flowable = story[index]
        flowable.spaceBefore = max(flowable.getSpaceBefore(), story[index - 1].getSpaceAfter()) + unit * weight
    moved: list[int] = []
    if _estimate(story, plan, None, column_height, moved) > 0 or moved != breaks:
        for index in short:  # the looser column would break elsewhere: keep it as it was
            del story[index].spaceBefore


def _draw_page(handout: Handout, layout: Layout, plan: _Plan, page: tuple[float, float]):
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right

    def on_page(canvas, doc) -> None:
        styles = plan.styles
        draw_band(canvas, handout, styles, m.left, height - m.top, content_w, BAND_HEIGHT, plan.band)
        draw_stack(canvas, plan.title, m.left, plan.title_top, content_w)
        plan.summary.drawOn(canvas, m.left, plan.summary_top - plan.summary_h)
        plan.call_box.drawOn(canvas, m.left, plan.call_y)
        draw_footer(canvas, plan.footer, styles, m.left, plan.footer_bottom, content_w)
        draw_draft_mark(canvas, handout, styles, page, m.left, m.right, plan.notice)

    return on_page


def _sizes(layout: Layout) -> list[float]:
    sizes, size = [], layout.sizes.body
    while size >= layout.sizes.body_min - 1e-6:
        sizes.append(round(size, 2))
        size -= SIZE_STEP
    return sizes or [layout.sizes.body_min]


def _overflow_message(handout: Handout, layout: Layout, plan: _Plan, over: float) -> str:
    size = plan.styles.size
    lines = max(1, round(over / (size * layout.sizes.leading)))
    words = max(1, round(lines * plan.frames[0][2] / (size * 2.9)))
    if handout.appointment:
        return (f"'{handout.procedure_id}' ({handout.lang}) with its 'Your appointment' panel does not fit one page "
                f"for clinic '{handout.brand.clinic_id}' even at {layout.sizes.body_min:g} pt (about {lines} lines "
                f"over). Say the handout more briefly (a personalised page gives room to the appointment), shorten the doctor's instructions, or use the booklet layout for this patient.")
    return (f"'{handout.procedure_id}' ({handout.lang}) does not fit one page for clinic '{handout.brand.clinic_id}' "
            f"with layout '{layout.name}' even at {layout.sizes.body_min:g} pt: it overflows by about {lines} "
            f"lines (~{words} words). Say it more briefly, or move detail to 'more:' for the booklet.")


def _most_room(first: _Plan, size: float) -> float:
    """At most how much column length a smaller `size` can give, from the first (largest) size's plan:
    only the title block, the top row and the call box shrink with the type, and at most in proportion
    (an "Also called" line that moves up beside the title counts in full)."""
    scale = 1 - size / first.styles.size
    _, bottom, width, height = first.frames[0]
    title_block = first.title_top - (bottom + height)  # title, also-called line and top row
    stacked = first.title[1:]  # an "Also called" line under the title may move up beside it
    jump = sum(f.wrap(width * 2, 1e6)[1] + f.getSpaceAfter() for f in stacked)
    saved = (first.call_box.height + title_block) * scale + jump
    return sum(frame[3] for frame in first.frames) + len(first.frames) * saved


def _balanced_height(story: list[Flowable], plan: _Plan, line: float) -> float | None:
    """The shortest column height that still holds the body, so both columns end near the same line
    (within a line or two: whole list items and keep-together groups move as one). None when the
    columns are already full."""
    full = plan.frames[0][3]
    low, high = full / len(plan.frames) * 0.9, full
    if _estimate(story, plan, column_height=full - line) > 0:
        return None
    while high - low > 1.0:
        middle = (low + high) / 2
        if _estimate(story, plan, column_height=middle) > 0:
            low = middle
        else:
            high = middle
    return high + 0.5  # a hair of slack against rounding in platypus' own arithmetic


def _render(handout: Handout, layout: Layout, plan: _Plan, story: list[Flowable], page: tuple[float, float],
            family: FontFamily, column_height: float | None) -> tuple[bytes, int] | None:
    """The page, with columns `column_height` tall (top-aligned), or None when the body does not fit."""
    doc, buffer = new_doc(handout.meta, family, page, max_pages=layout.max_pages, structure=plan.structure)
    frames = [Frame(x, y + h - (column_height or h), w, column_height or h, leftPadding=0, rightPadding=0,
                    topPadding=0, bottomPadding=0, id=f"col{i}") for i, (x, y, w, h) in enumerate(plan.frames)]
    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=_draw_page(handout, layout, plan, page))])
    try:
        doc.build(story)
    except (Overflow, LayoutError):
        return None
    return buffer.getvalue(), doc.page


def render_one_page(handout: Handout, layout: Layout, family: FontFamily, paper: str | None = None) -> RenderResult:
    page = page_size(layout, handout.brand, paper)
    renders = 0
    last_over = 0.0
    last_plan: _Plan | None = None
    sizes = _sizes(layout)
    rough_at_first: float | None = None
    first: _Plan | None = None
    for index, size in enumerate(sizes):
        last = index == len(sizes) - 1
        if first is not None and not last and rough_at_first is not None:
            rough = rough_at_first * (size / sizes[0]) ** 2  # lines and leading both scale with the size
            # The metric estimate runs at most a line long (measured), and column breaks only add:
            # more than a line over means the real layout cannot fit either. Known without a plan.
            if rough - _most_room(first, size) > size * layout.sizes.leading:
                continue
        plan = _plan(handout, layout, family, size, page)
        if first is None:
            first = plan
            if not last:
                rough_at_first = _rough_body_height(handout, layout, plan.styles, plan.frames[0][2])
                if rough_at_first - _most_room(plan, size) > size * layout.sizes.leading:
                    continue
        story = _body(handout, layout, plan)
        over = _estimate(story, plan)
        last_over, last_plan = over, plan
        if over > 0 and not last:
            continue  # too long at this size: skip the render
        balanced = _balanced_height(story, plan, size * layout.sizes.leading)
        _feather(story, plan, balanced or plan.frames[0][3], size * layout.sizes.leading)
        for column_height in (balanced, None) if balanced else (None,):
            if balanced and column_height is None:  # the balanced try failed: its story and tree are spent
                plan = _plan(handout, layout, family, size, page)
                story = _body(handout, layout, plan)
            renders += 1
            result = _render(handout, layout, plan, story, page, family, column_height)
            if result is not None:
                return RenderResult(result[0], result[1], size, renders)
        last_over = max(last_over, plan.styles.size * layout.sizes.leading)
    assert last_plan is not None
    raise DoesNotFit(_overflow_message(handout, layout, last_plan, last_over))
