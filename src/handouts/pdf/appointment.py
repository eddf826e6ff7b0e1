"""The "Your appointment" panel: filled in for a personalised handout, write-in lines otherwise.

Labelled cells: each detail beside its bold label, the date and arrival time large and never
broken inside, and the doctor's own instructions in a highlighted box of their own, so they
stand first, and apart from, the handout's general advice. A screen reader meets a table (TH
with /Scope /Row, then TD) and then the instructions as a labelled paragraph.

Values are patient details: they are only ever plain-text runs, never parsed as markup.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.platypus import Flowable

from ..document import Appointment
from ..richtext import Run
from .blocks import para, text_para
from .nobreak import unbroken
from .styles import MUTED, Styles
from .tagging import StructElem, artifact

_PAD = 7.0
LARGE = frozenset({"date", "arrive"})  # schedule columns (Appointment.columns) printed large
NOTE = "note"  # the doctor's own instructions: their own box
_BAR = 4.0  # the note box's coloured left edge


def large_value(value: str, column: str) -> str:
    """No break inside a time ("7:30 AM"); a date breaks, only if it must, after its weekday."""
    weekday, comma, rest = value.partition(", ")
    if column == "date" and comma:
        return f"{unbroken(weekday)}, {unbroken(rest)}"
    return unbroken(value)


def _natural(paragraph) -> float:
    """The width of the paragraph on one line (or its widest line, where it must break)."""
    paragraph.wrap(1e6, 1e6)
    return max(paragraph.getActualLineWidths0() or [0.0]) + 0.01  # wrapped at exactly this, it stays one line


class _Placed:
    """One cell of the one-page panel's flow: the title, a field (index into fields) or the note."""

    __slots__ = ("kind", "index", "x", "width", "height", "first_line")

    def __init__(self, kind: str, index: int = 0) -> None:
        self.kind, self.index = kind, index
        self.x = self.width = self.height = self.first_line = 0.0


class AppointmentPanel(Flowable):
    """A bordered panel: its title, the labelled details, then the doctor's instructions.

    `inline` (the one-page, where every point counts): the cells flow in rows, the title and the
    date and time first, then the name, the doctor and, when it fits there, the instructions box.
    Otherwise: a heading strip, one row per detail (label beside value), the instructions below.
    """

    def __init__(self, appointment: Appointment, styles: Styles, parent: StructElem, label_share: float = 0.36,
                 inline: bool = False) -> None:
        """Read as a section: its title (an H2), a table of labelled details, the instructions."""
        super().__init__()
        self.styles, self.label_share, self.inline = styles, label_share, inline
        size = styles.size
        panel = parent.add("Sect")
        title_style = styles.call_heading.clone("appt_title", fontSize=size * 1.02, leading=size * 1.25)
        if inline:
            title_style = title_style.clone("appt_title_inline", textColor=styles.palette.heading, leading=size * 1.2)
        self.title = text_para(appointment.title, title_style, struct=panel.add("H2"))
        columns = appointment.columns or ("",) * len(appointment.rows)
        rows = [(label, value, column) for (label, value), column in zip(appointment.rows, columns)]
        details = [row for row in rows if row[2] != NOTE]
        if inline:  # the first row holds what the patient must not get wrong: when to come
            details.sort(key=lambda row: row[2] not in LARGE)
        table = panel.add("Table") if details and all(value for _, value, _ in details) else None
        self.fields = [self._field(label, value, column, table, panel) for label, value, column in details]
        self.as_built = list(self.fields)  # each wrap fits the large values to its own width afresh
        self.note = next((self._note(label, value, panel) for label, value, column in rows if column == NOTE), [])

    def _field(self, label: str, value: str, column: str, table: StructElem | None, panel: StructElem):
        """(label paragraph, value paragraph or None for a write-in line, column, the value's text)."""
        styles, size = self.styles, self.styles.size
        label_style = styles.body.clone("appt_label", fontName=styles.family.bold, spaceAfter=0)
        label_text = unbroken(f"{label}:")  # "Please arrive at:" on one line
        if table is None:  # write-in lines: each label is a paragraph of its own
            return text_para(label_text, label_style, struct=panel.add("P")), None, column, value
        value_style = styles.body.clone("appt_value", spaceAfter=0)
        text = value
        if column in LARGE:
            big = size * 1.15
            value_style = value_style.clone("appt_value_large", fontName=styles.family.bold, fontSize=big,
                                            leading=big * 1.1)
            value = large_value(value, column)
        row = table.add("TR")
        header = row.add("TH", attributes={"O": "Table", "Scope": "Row"})
        return (text_para(label_text, label_style, struct=header),
                para((Run(value),), value_style, struct=row.add("TD")), column, text)

    def _note(self, label: str, value: str, panel: StructElem) -> list:
        """The doctor's instructions: one paragraph led by its bold label, read as one labelled text."""
        body = self.styles.body.clone("appt_note", spaceAfter=0)
        label_run = Run(unbroken(f"{label}:") + " ", bold=True)  # the label never breaks inside
        return [para((label_run, Run(value)), body, struct=panel.add("Div").add("P"))]

    # -- measuring ----------------------------------------------------------------------------

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        size = self.styles.size
        inner = avail_width - 2 * _PAD
        self.width = avail_width
        self.fields = list(self.as_built)
        self.blank_h = size * 1.9  # room to write by hand
        self.note_pad = size * 0.1
        self.gap = size * 0.9
        if self.inline:
            self.title_h = 0.0
            body_h = self._flow(inner)
            self.note_h = self.note_gap = 0.0  # the note is one of the flow's cells
        else:
            self.title_h = self.title.wrap(inner, 1e6)[1] + _PAD
            body_h = self._measure_rows(inner)
            self.note_h = self._note_height(inner) if self.note else 0.0
            self.note_gap = size * 0.3 if self.note else 0.0
        self.height = self.title_h + 2 * self._pad_y() + body_h + self.note_gap + self.note_h
        return self.width, self.height

    def _pad_y(self) -> float:
        return _PAD * 0.3 if self.inline else _PAD * 0.6

    def _note_height(self, width: float) -> float:
        text_w = width - _BAR - self.styles.size  # the bar, and half the size of room either side
        return sum(p.wrap(text_w, 1e6)[1] + p.getSpaceAfter() for p in self.note) + 2 * self.note_pad

    def _measure_rows(self, inner: float) -> float:
        """Label beside value: the label column as wide as its widest label needs (up to
        `label_share`, more only for a label that would otherwise break), the rest for values."""
        size = self.styles.size
        widest = max((_natural(label) for label, *_ in self.fields), default=0.0)
        self.label_w = min(widest + size * 0.6, max(inner * self.label_share, widest), inner * 0.5)
        self.value_w = inner - self.label_w - 4
        self._fit_large([self.value_w] * len(self.fields))
        self.row_heights = [max(label.wrap(self.label_w, 1e6)[1],
                                value.wrap(self.value_w, 1e6)[1] if value is not None else self.blank_h) + 4
                            for label, value, *_ in self.fields]
        return sum(self.row_heights)

    def _flow(self, inner: float) -> float:
        """Place the one-page's cells in rows, left to right, each at its natural width; a cell that
        does not fit starts the next row. The instructions box takes the rest of its row when its
        text fits there on one line, else a row of its own, full width. Returns the height."""
        size = self.styles.size
        cells = [_Placed("title")] + [_Placed("field", i) for i in range(len(self.fields))]
        cells += [_Placed("note")] if self.note else []
        # The title and the date and time on the first row: if they do not fit, the date goes to
        # the body size (still bold) when that is enough; in a narrower panel the cells flow on.
        self.title_w = _natural(self.title)
        over = self._first_row(cells) - inner
        if over > 0:
            self._fit_large([_natural(value) - (over if column == "date" else 0.0) if value is not None else 0.0
                             for _, value, column, _ in self.fields])
            if self._first_row(cells) > inner:
                self.fields = list(self.as_built)
        # The title is the one thing the labels already say: where it alone would push the
        # instructions onto a row of their own, the panel goes without it (and its H2 with it).
        titled_rows = len(self._place(cells, inner))
        untitled = self._place(cells[1:], inner)  # placing sets each cell's place: the last call wins
        self.rows = untitled if len(untitled) < titled_rows else self._place(cells, inner)
        cells = [cell for row in self.rows for cell in row]
        value_ws = {c.index: c.width - _natural(self.fields[c.index][0]) - 4 for c in cells if c.kind == "field"}
        self._fit_large([value_ws[index] for index in range(len(self.fields))])
        for row in self.rows:
            for cell in row:
                self._measure_cell(cell)
        self.row_gap = size * 0.06  # the large values' leading is most of the air between rows
        return sum(self._row_height(row) for row in self.rows) + self.row_gap * (len(self.rows) - 1)

    def _place(self, cells: list[_Placed], inner: float) -> list[list[_Placed]]:
        """Rows of cells at their natural widths, the note box taking the rest of its row."""
        rows: list[list[_Placed]] = [[]]
        x = 0.0
        for cell in cells:
            start = x + self.gap if rows[-1] else 0.0
            natural = self._cell_natural(cell)
            if rows[-1] and start + natural > inner:
                rows.append([])
                start = 0.0
            cell.x = start
            cell.width = inner - start if cell.kind == "note" else min(natural, inner - start)
            rows[-1].append(cell)
            x = start + cell.width
        return rows

    def _first_row(self, cells: list[_Placed]) -> float:
        return self.title_w + sum(self._cell_natural(cell) + self.gap for cell in cells
                                  if cell.kind == "field" and self.fields[cell.index][2] in LARGE)

    def _cell_natural(self, cell: _Placed) -> float:
        if cell.kind == "title":
            return self.title_w
        if cell.kind == "note":
            return sum(_natural(p) for p in self.note) + _BAR + self.styles.size
        label, value, *_ = self.fields[cell.index]
        return _natural(label) + 4 + (_natural(value) if value is not None else self.styles.size * 8)

    def _measure_cell(self, cell: _Placed) -> None:
        """Its height at its width, and the height of its first line (to line cells up by it)."""
        if cell.kind == "title":
            cell.height, cell.first_line = self.title.wrap(cell.width, 1e6)[1], self.title.style.leading
        elif cell.kind == "note":
            cell.height = self._note_height(cell.width)
            cell.first_line = self.note_pad + self.note[0].style.leading
        else:
            label, value, *_ = self.fields[cell.index]
            label_w = _natural(label)
            value_h = value.wrap(cell.width - label_w - 4, 1e6)[1] if value is not None else self.blank_h
            cell.height = max(label.wrap(label_w, 1e6)[1], value_h)
            cell.first_line = value.style.leading if value is not None else label.style.leading

    def _row_height(self, row: list[_Placed]) -> float:
        first = max(cell.first_line for cell in row)
        return max(first - cell.first_line + cell.height for cell in row)

    def _fit_large(self, widths: list[float]) -> None:
        """A date or time that its cell cannot hold whole at the large size: whole at the body size
        (still bold) if that fits, else large and broken where allowed (after the weekday), and
        only on a page too narrow even for that, at the body size wherever it must break, rather
        than cut inside a word."""
        size = self.styles.size
        for index, ((label, value, column, text), width) in enumerate(zip(self.fields, widths)):
            if value is None or column not in LARGE or _natural(value) <= width:
                continue
            body = value.style.clone("appt_value_body", fontSize=size, leading=self.styles.body.leading)
            smaller = para((Run(large_value(text, column)),), body, struct=value.struct)
            if _natural(smaller) <= width:
                value = smaller
            elif value.minWidth() > width:
                value = para((Run(text),), body, struct=value.struct)
            self.fields[index] = (label, value, column, text)

    # -- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas, palette = self.canv, self.styles.palette
        canvas.saveState()
        with artifact(canvas):
            canvas.setStrokeColor(palette.heading)
            canvas.setLineWidth(1.4)
            canvas.setFillColor(palette.callout_tint if self.inline else white)
            canvas.roundRect(0, 0, self.width, self.height, 5, stroke=1, fill=1)
            if not self.inline:
                canvas.setFillColor(palette.heading)
                canvas.rect(0, self.height - self.title_h, self.width, self.title_h, stroke=0, fill=1)
        canvas.restoreState()
        y = self.height - self.title_h - self._pad_y()
        if self.inline:
            self._draw_flow(y)
            return
        self.title.drawOn(canvas, _PAD, self.height - self.title_h + _PAD * 0.5)
        y = self._draw_rows(y)
        if self.note:
            self._draw_note(_PAD, y - self.note_gap, self.width - 2 * _PAD, self.note_h)

    def _draw_flow(self, y: float) -> None:
        for row in self.rows:
            first = max(cell.first_line for cell in row)
            for cell in row:
                top, x = y - (first - cell.first_line), _PAD + cell.x
                if cell.kind == "title":
                    self.title.drawOn(self.canv, x, top - self.title.wrap(cell.width, 1e6)[1])
                elif cell.kind == "note":
                    self._draw_note(x, top, cell.width, cell.height)
                else:
                    label, value, *_ = self.fields[cell.index]
                    label_w = _natural(label)
                    # The label sits on the (larger) value's first line.
                    label_top = top - max(cell.first_line - label.style.leading, 0.0)
                    label.drawOn(self.canv, x, label_top - label.wrap(label_w, 1e6)[1])
                    self._draw_value(value, x + label_w + 4, top, cell.width - label_w - 4)
            y -= self._row_height(row) + self.row_gap

    def _draw_rows(self, y: float) -> float:
        for (label, value, *_), row_h in zip(self.fields, self.row_heights):
            if value is None:
                label.wrap(self.label_w, 1e6)
                label.drawOn(self.canv, _PAD, y - row_h + 4)
                self._write_in_line(_PAD + self.label_w, y - row_h + 5, self.width - _PAD)
            else:
                label_top = y - max(value.style.leading - label.style.leading, 0.0)  # on the value's first line
                label.drawOn(self.canv, _PAD, label_top - label.wrap(self.label_w, 1e6)[1])
                self._draw_value(value, _PAD + self.label_w + 4, y, self.value_w)
            y -= row_h
        return y

    def _draw_value(self, value, x: float, top: float, width: float) -> None:
        if value is None:
            self._write_in_line(x, top - self.blank_h + 2, x + width)
            return
        value.drawOn(self.canv, x, top - value.wrap(width, 1e6)[1])

    def _write_in_line(self, x0: float, y: float, x1: float) -> None:
        canvas = self.canv
        canvas.saveState()
        with artifact(canvas):
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(x0, y, x1, y)
        canvas.restoreState()

    def _draw_note(self, x: float, top: float, width: float, height: float) -> None:
        """A box of its own: white on the tinted one-page panel, tinted on the white strip panel,
        with a bar in the clinic's colour down its left edge."""
        canvas, palette, size = self.canv, self.styles.palette, self.styles.size
        canvas.saveState()
        with artifact(canvas):
            canvas.setFillColor(white if self.inline else palette.callout_tint)
            canvas.setStrokeColor(palette.heading)
            canvas.setLineWidth(0.8)
            canvas.roundRect(x, top - height, width, height, 3, stroke=1, fill=1)
            canvas.setFillColor(palette.heading)
            canvas.rect(x, top - height, _BAR, height, stroke=0, fill=1)
        canvas.restoreState()
        y = top - self.note_pad
        for paragraph in self.note:
            paragraph_h = paragraph.wrap(width - _BAR - size, 1e6)[1]
            paragraph.drawOn(canvas, x + _BAR + size * 0.5, y - paragraph_h)
            y -= paragraph_h + paragraph.getSpaceAfter()
