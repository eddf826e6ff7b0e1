"""Flowables the roomier layouts use: the day timeline, writing pages, a QR code, page padding."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import white
from reportlab.platypus import Flowable, Paragraph

from ..document import Timeline
from .blocks import bullet_list, text_para
from .styles import MUTED, Styles
from .tagging import StructElem, artifact


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


class WritingGrid(Flowable):
    """Ruled lines (optionally with column headings) that fill the rest of the frame, for writing."""

    def __init__(self, styles: Styles, parent: StructElem, headings: tuple[str, ...] = (),
                 fractions: tuple[float, ...] = (), row_height: float | None = None) -> None:
        """With headings, read as a table whose header row names the columns to fill in; the ruled
        lines are decoration."""
        super().__init__()
        self.styles = styles
        row = parent.add("Table").add("TR") if headings else None
        self.headings = [text_para(h, styles.label.clone("grid_head", spaceBefore=0, keepWithNext=0),
                                   struct=row.add("TH", attributes={"O": "Table", "Scope": "Column"}))
                         for h in headings]
        self.fractions = fractions or tuple(1 / max(len(headings), 1) for _ in headings)
        self.row_height = row_height or styles.size * 2.2

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width, self.height = avail_width, max(avail_height - 1, self.row_height * 2)
        return self.width, self.height

    def draw(self) -> None:
        canvas, width, top = self.canv, self.width, self.height
        head_h = 0.0
        x = 0.0
        for heading, fraction in zip(self.headings, self.fractions):
            h = heading.wrap(width * fraction - 4, 1e6)[1]
            head_h = max(head_h, h)
            heading.drawOn(canvas, x + 2, top - h)
            x += width * fraction
        canvas.saveState()
        with artifact(canvas):
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            if self.headings:
                head_h += 4
                canvas.setLineWidth(1.2)
                canvas.line(0, top - head_h, width, top - head_h)
                canvas.setLineWidth(0.6)
            y = top - head_h - self.row_height
            while y >= 0:
                canvas.line(0, y, width, y)
                y -= self.row_height
            if self.headings:
                x = 0.0
                for fraction in self.fractions[:-1]:
                    x += width * fraction
                    canvas.line(x, top, x, y + self.row_height)
        canvas.restoreState()


def qr_drawing(url: str, size: float, font_name: str) -> Drawing:
    """ReportLab's own QR widget as a drawing of `size` points, using only the embedded font."""
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), -x0, -y0])
    drawing.add(widget)
    drawing.initialFontName = font_name
    return drawing


class PadPages(Flowable):
    """Adds purposeful pages at layout time until the total (plus `after` pages) is a multiple of 4.

    Takes pages from `make_pages(n)`, which returns n pages' worth of flowables (each page ending
    in a page break). At least one page is always added: the notes page every booklet has.
    """

    def __init__(self, make_pages: Callable[[int], list[Flowable]], after: int = 1) -> None:
        super().__init__()
        self.make_pages, self.after = make_pages, after

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        if not getattr(self, "_done", False):
            self._done = True
            current = self._doctemplateAttr("page")  # the page we are starting now, counted from 1
            needed = (-(current - 1 + self.after)) % 4 or 4
            self._doctemplateAttr("frame").add_generated_content(*self.make_pages(needed))
        return 0, 0

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
