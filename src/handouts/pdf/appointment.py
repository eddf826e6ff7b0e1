"""The "Your appointment" panel: filled in for a personalised handout, write-in lines otherwise.

Values are patient details: they are only ever plain-text runs, never parsed as markup.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.platypus import Flowable

from ..document import Appointment
from ..richtext import Run
from .blocks import para, text_para
from .styles import MUTED, Styles
from .tagging import StructElem, artifact

_PAD = 7.0


def inline_rows(appointment: Appointment, styles: Styles, parent: StructElem) -> list:
    """Compact form for the one-page handout: the title leads in, short details flow on one line,
    long ones (special instructions) follow."""
    style = styles.body.clone("appt_inline", spaceAfter=0)
    short = [(label, value) for label, value in appointment.rows if len(value) <= 40]
    long = [(label, value) for label, value in appointment.rows if len(value) > 40]
    runs: list[Run] = [Run(f"{appointment.title}:", bold=True)]
    for label, value in short:
        runs += [Run("\u00a0\u00a0 " + f"{label}: ", bold=True), Run(value)]
    paragraphs = [para(tuple(runs), style, struct=parent.add("P"))]
    paragraphs += [para((Run(f"{label}: ", bold=True), Run(value)), style, struct=parent.add("P"))
                   for label, value in long]
    return paragraphs


class AppointmentPanel(Flowable):
    """A bordered panel with a heading strip and label/value rows (or, `inline`, flowing details)."""

    def __init__(self, appointment: Appointment, styles: Styles, parent: StructElem, label_share: float = 0.36,
                 inline: bool = False) -> None:
        """Read as a section: its title (an H2 when drawn as a strip), then one labelled line per row."""
        super().__init__()
        self.styles, self.label_share = styles, label_share
        panel = parent.add("Sect")
        self.title = text_para(appointment.title, styles.call_heading.clone(
            "appt_title", fontSize=styles.size * 1.02, leading=styles.size * 1.25),
            struct=None if inline else panel.add("H2"))
        label_style = styles.body.clone("appt_label", fontName=styles.family.bold, spaceAfter=0)
        value_style = styles.body.clone("appt_value", spaceAfter=0)
        self.inline = inline_rows(appointment, styles, panel) if inline else []
        self.rows = []
        for label, value in ([] if inline else appointment.rows):
            row = panel.add("P")  # the label and the value (or the blank to write on) read as one line
            self.rows.append((text_para(f"{label}:", label_style, struct=row),
                              text_para(value, value_style, struct=row) if value else None))

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        inner = avail_width - 2 * _PAD
        self.label_w = inner * self.label_share
        self.value_w = inner - self.label_w - 4
        self.title_h = 0.0 if self.inline else self.title.wrap(inner, 1e6)[1] + _PAD
        self.row_heights = [p.wrap(inner, 1e6)[1] + 2 for p in self.inline]
        for label, value in self.rows:
            height = label.wrap(self.label_w, 1e6)[1]
            if value is not None:
                height = max(height, value.wrap(self.value_w, 1e6)[1])
            else:
                height = max(height, self.styles.size * 1.9)  # room to write by hand
            self.row_heights.append(height + 4)
        self.width = avail_width
        self.height = self.title_h + _PAD * 0.6 + sum(self.row_heights) + _PAD * 0.6
        return self.width, self.height

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
        if not self.inline:
            self.title.drawOn(canvas, _PAD, self.height - self.title_h + _PAD * 0.5)
        y = self.height - self.title_h - _PAD * 0.6
        for paragraph, row_h in zip(self.inline, self.row_heights):
            paragraph.drawOn(canvas, _PAD, y - row_h + 3)
            y -= row_h
        for (label, value), row_h in zip(self.rows, self.row_heights):
            label_h = label.wrap(self.label_w, 1e6)[1]
            if value is None:
                label.drawOn(canvas, _PAD, y - row_h + 4)
                canvas.saveState()
                with artifact(canvas):
                    canvas.setStrokeColor(MUTED)
                    canvas.setLineWidth(0.6)
                    canvas.line(_PAD + self.label_w, y - row_h + 5, self.width - _PAD, y - row_h + 5)
                canvas.restoreState()
            else:
                label.drawOn(canvas, _PAD, y - label_h)
                value.drawOn(canvas, _PAD + self.label_w + 4, y - value.wrap(self.value_w, 1e6)[1])
            y -= row_h
