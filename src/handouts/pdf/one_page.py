"""The one-page handout: branded band, title, two columns, call box, footer - on exactly one page.

Fit search: the body size steps down from the layout's preferred size toward its minimum.
Each step is first estimated from wrapped heights (cheap); only a size the estimate accepts
is rendered, and the real render is the judge. A typical handout takes one render.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ..document import Handout
from ..errors import DoesNotFit
from ..models import Layout
from ..richtext import Run
from .blocks import para, section_flowables, text_para
from .callbox import CallBoxFlowable
from .doc import Overflow, RenderResult, new_doc, page_size
from .fonts import FontFamily
from .furniture import draw_band, draw_footer, draw_stack, footer_flowables, stack_height
from .styles import Styles, make_styles

BAND_HEIGHT = 58.0
GAP = 9.0
SIZE_STEP = 0.25


@dataclass
class _Plan:
    """Measured page regions for one body size."""

    styles: Styles
    title: list[Flowable]
    summary: Flowable
    call_box: CallBoxFlowable
    footer: list[Flowable]
    frames: list[tuple[float, float, float, float]]  # x, y, width, height
    title_top: float
    summary_top: float
    summary_h: float
    call_y: float
    footer_bottom: float


def _plan(handout: Handout, layout: Layout, family: FontFamily, size: float,
          page: tuple[float, float]) -> _Plan:
    styles = make_styles(layout, handout.brand, family, size)
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right
    title = [text_para(handout.title, styles.title)]
    if handout.also_called:
        label = Run(f"{handout.labels['also_called']}: ")
        title.append(para((label,) + handout.also_called, styles.also_called))
    summary = para(handout.summary, styles.summary)
    footer = footer_flowables(handout, styles)
    call_box = CallBoxFlowable(handout.call_box, styles, columns=2, show_more=layout.show_more)
    title_top = height - m.top - BAND_HEIGHT - GAP * 1.1
    title_h = stack_height(title, content_w)
    summary_top = title_top - title_h - styles.title.spaceAfter - 4
    summary_h = summary.wrap(content_w - 12, 1e6)[1]
    footer_h = stack_height(footer, content_w)
    call_h = call_box.wrap(content_w, 1e6)[1]
    call_y = m.bottom + footer_h + GAP
    body_top = summary_top - summary_h - GAP * 1.2
    body_bottom = call_y + call_h + GAP
    col_w = (content_w - layout.gutter * (layout.columns - 1)) / layout.columns
    frames = [(m.left + i * (col_w + layout.gutter), body_bottom, col_w, max(body_top - body_bottom, 1.0))
              for i in range(layout.columns)]
    return _Plan(styles, title, summary, call_box, footer, frames, title_top, summary_top, summary_h, call_y,
                 m.bottom)


def _body(handout: Handout, layout: Layout, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    for key in layout.sections:
        section = handout.section(key)
        if section is not None:
            story.extend(section_flowables(section, styles, include_more=layout.show_more))
    return story


def _estimate(story: list[Flowable], plan: _Plan) -> float:
    """Height the body needs beyond what the columns hold (negative: room to spare)."""
    col_w = plan.frames[0][2]
    needed = sum(f.getSpaceBefore() + f.wrap(col_w, 1e6)[1] + f.getSpaceAfter() for f in story)
    capacity = sum(frame[3] for frame in plan.frames)
    return needed - capacity


def _draw_page(handout: Handout, layout: Layout, plan: _Plan, page: tuple[float, float]):
    width, height = page
    m = layout.margins
    content_w = width - m.left - m.right

    def on_page(canvas, doc) -> None:
        styles = plan.styles
        draw_band(canvas, handout, styles, m.left, height - m.top, content_w, BAND_HEIGHT)
        draw_stack(canvas, plan.title, m.left, plan.title_top, content_w)
        canvas.saveState()
        canvas.setFillColor(styles.palette.accent)
        canvas.rect(m.left, plan.summary_top - plan.summary_h, 3.5, plan.summary_h, stroke=0, fill=1)
        canvas.restoreState()
        plan.summary.drawOn(canvas, m.left + 12, plan.summary_top - plan.summary_h)
        plan.call_box.drawOn(canvas, m.left, plan.call_y)
        draw_footer(canvas, plan.footer, styles, m.left, plan.footer_bottom, content_w)

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
    return (f"'{handout.procedure_id}' ({handout.lang}) does not fit one page for clinic '{handout.brand.clinic_id}' "
            f"with layout '{layout.name}' even at {layout.sizes.body_min:g} pt: it overflows by about {lines} "
            f"lines (~{words} words). Say it more briefly, or move detail to 'more:' for the booklet.")


def render_one_page(handout: Handout, layout: Layout, family: FontFamily, paper: str | None = None) -> RenderResult:
    page = page_size(layout, handout.brand, paper)
    renders = 0
    last_over = 0.0
    last_plan: _Plan | None = None
    sizes = _sizes(layout)
    for index, size in enumerate(sizes):
        plan = _plan(handout, layout, family, size, page)
        story = _body(handout, layout, plan.styles)
        over = _estimate(story, plan)
        last_over, last_plan = over, plan
        if over > 0 and index < len(sizes) - 1:
            continue  # clearly too long at this size: skip the render
        doc, buffer = new_doc(handout.meta, family, page, max_pages=layout.max_pages)
        frames = [Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"col{i}")
                  for i, (x, y, w, h) in enumerate(plan.frames)]
        doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=_draw_page(handout, layout, plan, page))])
        renders += 1
        try:
            doc.build(story)
        except (Overflow, LayoutError):
            last_over = max(last_over, plan.styles.size * layout.sizes.leading)
            continue
        return RenderResult(buffer.getvalue(), doc.page, size, renders)
    assert last_plan is not None
    raise DoesNotFit(_overflow_message(handout, layout, last_plan, last_over))
