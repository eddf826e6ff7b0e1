"""Flowables the roomier layouts use: the day timeline, the figure, the key points, writing pages,
a QR code, and the booklet's back matter that fills its pages to a multiple of 4."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import white
from reportlab.platypus import Flowable, Paragraph

from ..document import Figure, Timeline
from ..models import Logo
from .blocks import bullet_list, para, text_para
from .logo import draw_logo, fitted_size
from .styles import MUTED, Styles
from .tagging import StructElem, artifact, marked


class TimelineFlowable(Flowable):
    """Before / during / after as three labelled columns joined by arrows, a picture of the day."""

    def __init__(self, timeline: Timeline, labels: tuple[str, str, str], styles: Styles,
                 parent: StructElem) -> None:
        """Read as three sub-headed lists (H3 + L), in order: before, during, after."""
        super().__init__()
        self.styles = styles
        item_style = styles.bullet.clone("timeline_item", fontSize=styles.size * 0.92,
                                         leading=styles.size * 0.92 * 1.25, leftIndent=styles.size * 0.85,
                                         bulletIndent=0, spaceAfter=2)
        self.pill_style = styles.label.clone("pill", textColor=white, alignment=1, spaceBefore=0, spaceAfter=0)
        self.labels, self.columns = [], []
        for label, items in zip(labels, (timeline.before, timeline.during, timeline.after)):
            self.labels.append(text_para(label, self.pill_style, struct=parent.add("H3")))
            self.columns.append(bullet_list(items, item_style, parent))

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.gap = self.styles.size * 1.6
        self.col_w = (avail_width - 2 * self.gap) / 3
        self.pill_h = self.styles.size * 1.9
        heights = [sum(p.wrap(self.col_w, 1e6)[1] + p.getSpaceAfter() for p in column) for column in self.columns]
        self.width, self.height = avail_width, self.pill_h + 6 + max(heights)
        return self.width, self.height

    def draw(self) -> None:
        canvas, palette = self.canv, self.styles.palette
        top = self.height
        for index, (label, column) in enumerate(zip(self.labels, self.columns)):
            x = index * (self.col_w + self.gap)
            canvas.saveState()
            with artifact(canvas):  # the pill and the arrow to the next step
                canvas.setFillColor(palette.heading)
                canvas.roundRect(x, top - self.pill_h, self.col_w, self.pill_h, self.pill_h / 2, stroke=0, fill=1)
                if index < 2:  # arrow to the next step
                    canvas.setStrokeColor(palette.accent)
                    canvas.setFillColor(palette.accent)
                    canvas.setLineWidth(2)
                    mid, start, end = top - self.pill_h / 2, x + self.col_w + 3, x + self.col_w + self.gap - 3
                    canvas.line(start, mid, end - 5, mid)
                    path = canvas.beginPath()
                    path.moveTo(end, mid)
                    path.lineTo(end - 6, mid + 4)
                    path.lineTo(end - 6, mid - 4)
                    path.close()
                    canvas.drawPath(path, stroke=0, fill=1)
            canvas.restoreState()
            label_h = label.wrap(self.col_w, self.pill_h)[1]
            label.drawOn(canvas, x, top - self.pill_h / 2 - label_h / 2 + 1)
            y = top - self.pill_h - 6
            for paragraph in column:
                height = paragraph.wrap(self.col_w, 1e6)[1]
                paragraph.drawOn(canvas, x, y - height)
                y -= height + paragraph.getSpaceAfter()


@dataclass(frozen=True, slots=True)
class Grid:
    """Ruled rows to write in: column headings (none: plain lines), their shares of the width,
    labels already printed in the first column (e.g. the hours after a block), and the fewest
    rows that make the page worth having."""

    headings: tuple[str, ...] = ()
    fractions: tuple[float, ...] = ()
    row_labels: tuple[str, ...] = ()
    min_rows: int = 3


class WritingBlock(Flowable):
    """A writing page: its text (heading, hints, starter questions) and a grid under it that, with
    `fill`, runs to the foot of the frame; never split, so a heading never ends a page.

    Read as its text, then a table whose header row names the columns and whose row headers are
    the printed labels; the ruled lines are decoration.
    """

    def __init__(self, head: list[Flowable], grid: Grid, styles: Styles, parent: StructElem,
                 fill: bool = True) -> None:
        super().__init__()
        self.head, self.grid, self.styles, self.fill = head, grid, styles, fill
        self.row_height = styles.size * 2.2
        table = parent.add("Table") if grid.headings else None
        head_row = table.add("TR") if table else None
        cell = styles.label.clone("grid_head", spaceBefore=0, keepWithNext=0)
        self.headings = [text_para(h, cell, struct=head_row.add("TH", attributes={"O": "Table", "Scope": "Column"}))
                         for h in grid.headings]
        row_style = styles.body.clone("grid_row", spaceAfter=0)
        self.labels = [text_para(label, row_style, struct=table.add("TR").add(
            "TH", attributes={"O": "Table", "Scope": "Row"}) if table else None) for label in grid.row_labels]
        self.fractions = grid.fractions or tuple(1 / max(len(grid.headings), 1) for _ in grid.headings)

    def _head_height(self, width: float) -> float:
        from .furniture import stack_height

        return stack_height(self.head, width) + (self.styles.size * 0.5 if self.head else 0.0)

    def _grid_head_height(self, width: float) -> float:
        heights = [h.wrap(width * f - 4, 1e6)[1] for h, f in zip(self.headings, self.fractions)]
        return max(heights) + 4 if heights else 0.0

    def min_height(self, width: float) -> float:
        rows = max(self.grid.min_rows, len(self.labels))
        return self._head_height(width) + self._grid_head_height(width) + rows * self.row_height

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        least = self.min_height(avail_width)
        self.width, self.height = avail_width, max(least, avail_height - 1) if self.fill else least
        return self.width, self.height

    def draw(self) -> None:
        from .furniture import draw_stack

        canvas, width = self.canv, self.width
        top = draw_stack(canvas, self.head, 0, self.height, width) - (self.styles.size * 0.5 if self.head else 0)
        head_h = self._grid_head_height(width)
        x = 0.0
        for heading, fraction in zip(self.headings, self.fractions):
            heading.drawOn(canvas, x + 2, top - heading.wrap(width * fraction - 4, 1e6)[1])
            x += width * fraction
        rows_top = top - head_h
        for index, label in enumerate(self.labels):
            label_h = label.wrap(width * self.fractions[0] - 6, 1e6)[1]
            label.drawOn(canvas, 3, rows_top - (index + 1) * self.row_height + (self.row_height - label_h) / 2)
        canvas.saveState()
        with artifact(canvas):
            canvas.setStrokeColor(MUTED)
            if self.headings:
                canvas.setLineWidth(1.2)
                canvas.line(0, rows_top, width, rows_top)
            canvas.setLineWidth(0.6)
            y = rows_top - self.row_height
            while y >= -0.01:
                canvas.line(0, y, width, y)
                y -= self.row_height
            x = 0.0
            for fraction in self.fractions[:-1]:
                x += width * fraction
                canvas.line(x, top, x, y + self.row_height)
        canvas.restoreState()


class FigureFlowable(Flowable):
    """The procedure's picture, centred, as large as the page allows between `min_h` and `max_h`,
    with its caption under it. Read as a Figure (its alt text), then the caption."""

    def __init__(self, figure: Figure, styles: Styles, parent: StructElem, max_h: float, min_h: float) -> None:
        super().__init__()
        self.art, self.styles, self.max_h, self.min_h = figure.art, styles, max_h, min_h
        self.elem = parent.add("Figure", alt=figure.alt)
        caption = styles.body.clone("caption", alignment=1, textColor=MUTED, spaceAfter=0)
        self.caption = para(figure.caption, caption, struct=parent.add("P")) if figure.caption else None
        self.gap = styles.size * 0.4
        self.spaceBefore, self.spaceAfter = styles.size * 0.6, styles.size * 0.8

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.caption_h = self.caption.wrap(avail_width * 0.9, 1e6)[1] + self.gap if self.caption else 0.0
        natural = avail_width * self.art.height / self.art.width
        room = max(self.min_h, min(self.max_h, natural, avail_height - self.caption_h))
        self.art_w, self.art_h = fitted_size(self.art, avail_width, room)
        self.width, self.height = avail_width, self.art_h + self.caption_h
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with marked(canvas, self.elem):
            draw_logo(canvas, self.art, (self.width - self.art_w) / 2, self.caption_h, self.art_w, self.art_h,
                      self.styles.family.regular)
        if self.caption:
            self.caption.drawOn(canvas, self.width * 0.05, 0)


class IconLine(Flowable):
    """A line of text with an action icon before it (a phone by a number to call). The icon repeats
    what the words say, so it is decoration to a screen reader."""

    def __init__(self, icon: Logo | None, text: Flowable, font_name: str) -> None:
        super().__init__()
        self.icon, self.text, self.font_name = icon, text, font_name

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        leading = getattr(getattr(self.text, "style", None), "leading", 14.0)
        self.side = leading * 1.05 if self.icon else 0.0
        self.indent = self.side * 1.35
        self.text_h = self.text.wrap(avail_width - self.indent, avail_height)[1]
        self.width, self.height = avail_width, max(self.text_h, self.side)
        return self.width, self.height

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.text.getSpaceAfter()

    def draw(self) -> None:
        if self.icon:
            with artifact(self.canv):
                draw_logo(self.canv, self.icon, 0, self.height - self.side, self.side, self.side, self.font_name)
        self.text.drawOn(self.canv, self.indent, self.height - self.text_h)


class AtFoot(Flowable):
    """Sets `inner` at the foot of the space left in the frame (the appointment panel on the cover)."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        width, height = self.inner.wrap(avail_width, avail_height)
        self.inner_h = height
        self.width, self.height = width, max(height, avail_height - 1)
        return self.width, self.height

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - platypus API
        self.inner.drawOn(canvas, x, y, _sW)


@lru_cache(maxsize=8)
def qr_drawing(url: str, size: float, font_name: str) -> Drawing:
    """ReportLab's own QR widget as a drawing of `size` points, using only the embedded font.
    Encoding the code costs more than the rest of a booklet's drawing: once per clinic and process."""
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), -x0, -y0])
    drawing.add(widget)
    drawing.initialFontName = font_name
    return drawing


@dataclass(frozen=True, slots=True)
class BackPart:
    """One part of the booklet's back matter: `make(parent, fill)` builds it under `parent` (with
    `fill`, stretched to the foot of its page). A part that does not `stretch` (the call panel) is
    set at its own height. An optional part goes in only where it costs no extra page."""

    make: Callable[[StructElem, bool], Flowable]
    stretches: bool = True
    required: bool = True


_SLACK = 2.0  # points: a part planned into a space never meets one it does not quite fit
_Placed = tuple[BackPart, bool, bool]  # (part, fill the rest of its page, starts a new page)


class BackMatter(Flowable):
    """Lays out what follows the sections (call panel, questions, diary, more writing pages) once
    it knows where the sections ended, so that the booklet has no wasted page.

    A 4-page booklet (one folded sheet) when the required parts fit by page 3; otherwise the
    smallest multiple of 4 that holds them, each writing part filling the rest of its page and the
    pages up to the back cover given to optional parts, then to `spare` parts (medicines, notes).
    When the call panel does not fit under the last section but the next writing part does, that
    part fills the page first, so no page holds only a few lines.
    """

    def __init__(self, parts: list[BackPart], spare: list[BackPart], parent: StructElem, gap: float) -> None:
        super().__init__()
        self.parts, self.spare, self.parent, self.gap = parts, spare, parent, gap
        self.pages: int | None = None  # the booklet's page count, once planned

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        if self.pages is None:
            frame = self._doctemplateAttr("frame")
            page = self._doctemplateAttr("page")
            full = frame._aH  # a whole inside page
            sizes = {id(part): part.make(StructElem("Div"), False).wrap(avail_width, full)[1]
                     for part in self.parts + self.spare}
            room = avail_height - self.gap - _SLACK  # a gap separates the first part from the last section
            plan = self._plan(page, room, full, sizes, four=True) if page <= 3 else None
            self.pages, placed = plan or self._plan(page, room, full, sizes, four=False)
            frame.add_generated_content(*self._flowables(placed))
        return 0, 0

    def _plan(self, page: int, room: float, full: float, sizes: dict[int, float],
              four: bool) -> tuple[int, list[_Placed]] | None:
        """(page count, parts in order), or None when one folded sheet cannot hold the required parts."""
        placed: list[_Placed] = []
        broke = False

        def put(part: BackPart, fill: bool) -> None:
            nonlocal page, room, broke
            placed.append((part, fill, broke))
            broke = False
            if fill:
                page, room, broke = page + 1, full, True
            else:
                room -= sizes[id(part)] + self.gap

        queue = [part for part in self.parts if part.required]
        while queue:
            if sizes[id(queue[0])] <= room - _SLACK:
                part = queue.pop(0)
            elif (not broke and len(queue) > 1 and queue[1].stretches and sizes[id(queue[1])] <= room - _SLACK
                  and room >= full * 0.3):
                part = queue.pop(1)  # it fills this page; the panel takes the top of the next
            else:
                page, room, broke = page + 1, full, True
                if four and page > 3:
                    return None
                continue
            put(part, part.stretches and not four)
        optional = [part for part in self.parts if not part.required]
        if four:
            for part in optional:
                if page <= 3 and sizes[id(part)] <= room - _SLACK:
                    put(part, False)
            if placed and placed[-1][0].stretches:
                placed[-1] = (placed[-1][0], True, placed[-1][2])  # the last part runs to the foot of page 3
            return 4, placed
        if not broke:
            page, broke = page + 1, True
        pages = -(-page // 4) * 4  # `page` is now the first free page: the back cover, unless spares come first
        extra = optional + self.spare
        for index in range(pages - page):  # each part once; more pages than parts get more note pages
            put(extra[min(index, len(extra) - 1)], True)
        return pages, placed

    def _flowables(self, placed: list[_Placed]) -> list[Flowable]:
        from reportlab.platypus import PageBreak, Spacer

        out: list[Flowable] = []
        for part, fill, new_page in placed:
            out.append(PageBreak() if new_page else Spacer(1, self.gap))
            out.append(part.make(self.parent, fill))
        return out

    def draw(self) -> None:
        pass

class FitFirst(Flowable):
    """Places `main` and `filler` in whichever order wastes less of the current page.

    When `main` (kept whole, like the call box) will not fit in the space left, as much of
    `filler` as fits goes first and fills the gap instead of leaving it blank; the rest follows
    `main`.
    """

    def __init__(self, main: Flowable, filler: list[Flowable]) -> None:
        super().__init__()
        self.main, self.filler = main, filler

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        if not getattr(self, "_done", False):
            self._done = True
            main_h = self.main.wrap(avail_width, avail_height)[1]
            fitting, used = 0, 0.0
            if main_h > avail_height:
                for flowable in self.filler:
                    height = flowable.wrap(avail_width, avail_height)[1]
                    used += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
                    if used > avail_height:
                        # a paragraph may start here and run on, if two of its lines fit (no lone line)
                        leading = getattr(getattr(flowable, "style", None), "leading", 0)
                        fitting += int(isinstance(flowable, Paragraph) and used - avail_height <= height - 2 * leading)
                        break
                    fitting += 1
            order = [*self.filler[:fitting], self.main, *self.filler[fitting:]]
            self._doctemplateAttr("frame").add_generated_content(*order)
        return 0, 0

    def draw(self) -> None:
        pass
