"""The "When should I call?" panel: one flowable that is never split and always stands out."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..document import CallBox
from ..richtext import to_plain
from .blocks import block_flowables, bullet_list, link_para, para, text_para
from .styles import Styles
from .tagging import StructElem, artifact, tel_uri

_PAD = 9.0
_RADIUS = 6.0


class CallBoxFlowable(Flowable):
    """Heading strip, then the clinic list and the emergency list side by side (or stacked)."""

    def __init__(self, box: CallBox, styles: Styles, parent: StructElem, after_hours_phone: str,
                 columns: int = 2, show_more: bool = False) -> None:
        super().__init__()
        self.box, self.styles, self.columns = box, styles, columns
        sect = parent.add("Sect")  # read as: heading, after-hours line, clinic list, emergency list, more
        self.heading = text_para(box.heading, styles.call_heading, struct=sect.add("H2"))
        # The after-hours line is a tel: link: one tap calls the number from a phone.
        self.after_hours = link_para(to_plain(box.after_hours), styles.call_note if columns == 2 else
                                     styles.call_note.clone("call_note_left", alignment=0), sect,
                                     tel_uri(after_hours_phone))
        self.groups = [self._group(styles.call_label, box.clinic_label, box.clinic_items, sect),
                       self._group(styles.call_emergency_label, box.emergency_label, box.emergency_items, sect)]
        self.more = [f for block in box.more for f in block_flowables(block, styles, sect)] if show_more else []

    def _group(self, label_style, label, items, parent: StructElem) -> list[Flowable]:
        return [para(label, label_style, struct=parent.add("P")), *bullet_list(items, self.styles.call_item, parent)]

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        inner = avail_width - 2 * _PAD
        strip_w = inner
        if self.columns == 2:
            heading_w = self.heading.wrap(strip_w * 0.5, 1e6)[1]
            after_w = self.after_hours.wrap(strip_w * 0.5, 1e6)[1]
            strip_h = max(heading_w, after_w)
        else:
            strip_h = self.heading.wrap(strip_w, 1e6)[1] + self.after_hours.wrap(strip_w, 1e6)[1] + 2
        self.strip_h = strip_h + 2 * (_PAD * 0.7)
        gutter = _PAD * 1.6
        col_w = (inner - gutter) / 2 if self.columns == 2 else inner
        heights = [sum(f.wrap(col_w, 1e6)[1] + f.getSpaceAfter() for f in group) for group in self.groups]
        more_h = sum(f.wrap(inner, 1e6)[1] + f.getSpaceAfter() for f in self.more)
        body_h = max(heights) if self.columns == 2 else sum(heights) + _PAD * 0.6
        self.col_w, self.gutter, self.inner = col_w, gutter, inner
        self.width = avail_width
        self.height = self.strip_h + _PAD + body_h + more_h + _PAD * 0.8
        return self.width, self.height

    def draw(self) -> None:
        canvas, styles = self.canv, self.styles
        w, h = self.width, self.height
        with artifact(canvas):
            self._draw_panel(w, h)
        pad_y = _PAD * 0.7
        if self.columns == 2:
            half = self.inner * 0.5
            hh = self.heading.wrap(half, 1e6)[1]
            self.heading.drawOn(canvas, _PAD, h - pad_y - hh)
            ah = self.after_hours.wrap(half, 1e6)[1]
            self.after_hours.drawOn(canvas, _PAD + half, h - pad_y - ah)
        else:
            hh = self.heading.wrap(self.inner, 1e6)[1]
            self.heading.drawOn(canvas, _PAD, h - pad_y - hh)
            ah = self.after_hours.wrap(self.inner, 1e6)[1]
            self.after_hours.drawOn(canvas, _PAD, h - pad_y - hh - 2 - ah)
        y_top = h - self.strip_h - _PAD
        if self.columns == 2:
            bottoms = [self._draw_group(group, _PAD + i * (self.col_w + self.gutter), y_top)
                       for i, group in enumerate(self.groups)]
            y = min(bottoms)
        else:
            y = self._draw_group(self.groups[0], _PAD, y_top) - _PAD * 0.6
            y = self._draw_group(self.groups[1], _PAD, y)
        for flowable in self.more:
            fh = flowable.wrap(self.inner, 1e6)[1]
            flowable.drawOn(canvas, _PAD, y - fh)
            y -= fh + flowable.getSpaceAfter()

    def _draw_panel(self, w: float, h: float) -> None:
        """The tinted, bordered box and its filled heading strip: decoration."""
        canvas, styles = self.canv, self.styles
        canvas.saveState()
        canvas.setFillColor(styles.palette.callout_tint)
        canvas.setStrokeColor(styles.palette.callout)
        canvas.setLineWidth(1.6)
        canvas.roundRect(0, 0, w, h, _RADIUS, stroke=1, fill=1)
        # Heading strip: a filled band across the top, square at the bottom edge.
        path = canvas.beginPath()
        top, strip_bottom = h, h - self.strip_h
        path.moveTo(0, strip_bottom)
        path.lineTo(0, top - _RADIUS)
        path.arcTo(0, top - 2 * _RADIUS, 2 * _RADIUS, top, startAng=180, extent=-90)
        path.lineTo(w - _RADIUS, top)
        path.arcTo(w - 2 * _RADIUS, top - 2 * _RADIUS, w, top, startAng=90, extent=-90)
        path.lineTo(w, strip_bottom)
        path.close()
        canvas.setFillColor(styles.palette.callout)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_group(self, group: list[Flowable], x: float, y: float) -> float:
        for flowable in group:
            fh = flowable.wrap(self.col_w, 1e6)[1]
            flowable.drawOn(self.canv, x, y - fh)
            y -= fh + flowable.getSpaceAfter()
        return y
