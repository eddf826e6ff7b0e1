"""The "When should I call?" panel: one flowable that is never split and always stands out.

It must survive a black-and-white copier: the emergency tier's label is white bold text on a
solid dark band (the darkest thing in the box in any grey), the clinic tier's a bold black label,
each with its icon (phone, ambulance); the after-hours number is bold and at least 12 pt.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.colors import white
from reportlab.platypus import Flowable

from ..document import CallBox
from ..models import Logo
from ..richtext import RichText, to_plain
from .blocks import block_flowables, bullet_list, link_para, para, text_para
from .logo import draw_logo
from .nobreak import no_lone_last_word, no_lone_last_word_rich
from .styles import EMERGENCY, Styles
from .tagging import StructElem, artifact, marked, tel_uri

_PAD = 9.0
_RADIUS = 6.0
CLINIC_ICON, EMERGENCY_ICON = "phone", "ambulance"  # names in Handout.icons


class _Tier:
    """One tier: its icon, its label (on a band for the emergency tier) and its list."""

    def __init__(self, label: RichText, items, label_style, styles: Styles, parent: StructElem,
                 icon: Logo | None, alt: str, band: bool, level_with_band: bool) -> None:
        self.styles, self.icon, self.band = styles, icon, band
        size = label_style.fontSize
        # The icon stands beside the first line only, and the band reaches a little past its
        # column (into the gutter and the box's padding): a label narrowed any further would take
        # another line in Spanish, and the one-page has no line to spare.
        self.icon_side = label_style.leading * 0.95 if icon is not None else 0.0
        # Side by side, both tiers keep the band's vertical padding, so their first lines stay level.
        self.band_pad = (size * 0.16 if band or level_with_band else 0.0, size * 0.22 if band else 0.0)
        self.bleed = _PAD * 0.55 if band else 0.0
        style = label_style.clone(f"{label_style.name}_tier", leftIndent=self.band_pad[1],
                                  rightIndent=self.band_pad[1],
                                  firstLineIndent=self.icon_side + size * 0.3 if icon is not None else 0.0)
        # The icon reads before its label: "Ambulance. Call 911 or go to the emergency room if you have:".
        self.figure = parent.add("Figure", alt=alt or None) if icon is not None and alt else None
        self.label = para(no_lone_last_word_rich(label), style, struct=parent.add("P"))
        self.items = bullet_list(items, styles.call_item, parent)

    def wrap(self, width: float) -> float:
        self.width = width
        self.label_h = self.label.wrap(width + 2 * self.bleed, 1e6)[1] + 2 * self.band_pad[0]
        self.heights = [f.wrap(width, 1e6)[1] for f in self.items]
        return (self.label_h + self.label.getSpaceAfter()
                + sum(h + f.getSpaceAfter() for f, h in zip(self.items, self.heights)))

    def draw(self, canvas, x: float, y: float) -> float:
        """Draw with the top-left corner at (x, y); returns the y below the last item."""
        label_top, label_bottom = y, y - self.label_h
        if self.band:
            canvas.saveState()
            with artifact(canvas):
                canvas.setFillColor(EMERGENCY)
                canvas.roundRect(x - self.bleed, label_bottom, self.width + 2 * self.bleed, self.label_h, 3,
                                 stroke=0, fill=1)
            canvas.restoreState()
        text_h = self.label.wrap(self.width + 2 * self.bleed, 1e6)[1]
        text_top = label_top - self.band_pad[0]
        if self.icon is not None:
            self._draw_icon(canvas, x - self.bleed + self.band_pad[1], text_top - self.label.style.leading / 2)
        self.label.drawOn(canvas, x - self.bleed, text_top - text_h)
        y = label_bottom - self.label.getSpaceAfter()
        for flowable, height in zip(self.items, self.heights):
            flowable.drawOn(canvas, x, y - height)
            y -= height + flowable.getSpaceAfter()
        return y

    def _draw_icon(self, canvas, x: float, middle: float) -> None:
        """The icon, centred on the label; on the band it sits on a white tile so any colour shows."""
        side = self.icon_side
        bottom = middle - side / 2
        if self.band:
            canvas.saveState()
            with artifact(canvas):
                canvas.setFillColor(white)
                canvas.roundRect(x, bottom, side, side, 2, stroke=0, fill=1)
            canvas.restoreState()
            inset = side * 0.06
            x, bottom, side = x + inset, bottom + inset, side - 2 * inset
        with marked(canvas, self.figure) if self.figure is not None else artifact(canvas):
            draw_logo(canvas, self.icon, x, bottom, side, side, self.styles.family.regular)


class CallBoxFlowable(Flowable):
    """Heading strip, then the clinic tier and the emergency tier side by side (or stacked).

    `icons` is the handout's icons by name (Handout.icons); a tier whose icon is missing goes
    without one.
    """

    def __init__(self, box: CallBox, styles: Styles, parent: StructElem, after_hours_phone: str,
                 columns: int = 2, show_more: bool = False, icons: Mapping[str, Logo] | None = None) -> None:
        super().__init__()
        self.box, self.styles, self.columns = box, styles, columns
        icons = icons or {}
        sect = parent.add("Sect")  # read as: heading, after-hours line, clinic list, emergency list, more
        self.heading = text_para(no_lone_last_word(box.heading), styles.call_heading, struct=sect.add("H2"))
        # The after-hours line is a tel: link: one tap calls the number from a phone.
        self.after_hours = link_para(to_plain(box.after_hours), styles.call_after_hours if columns == 2 else
                                     styles.call_after_hours.clone("call_after_hours_left", alignment=0), sect,
                                     tel_uri(after_hours_phone))
        self.tiers = [
            _Tier(box.clinic_label, box.clinic_items, styles.call_label, styles, sect, icons.get(CLINIC_ICON),
                  box.clinic_icon_alt, band=False, level_with_band=columns == 2),
            _Tier(box.emergency_label, box.emergency_items, styles.call_emergency_label, styles, sect,
                  icons.get(EMERGENCY_ICON), box.emergency_icon_alt, band=True, level_with_band=True),
        ]
        self.more = [f for block in box.more for f in block_flowables(block, styles, sect)] if show_more else []

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
        heights = [tier.wrap(col_w) for tier in self.tiers]
        more_h = sum(f.wrap(inner, 1e6)[1] + f.getSpaceAfter() for f in self.more)
        body_h = max(heights) if self.columns == 2 else sum(heights) + _PAD * 0.6
        self.col_w, self.gutter, self.inner = col_w, gutter, inner
        self.width = avail_width
        # The band's padding comes out of the gaps above and below the tiers: the one-page has no
        # point to spare, so the box is no taller than it was without the band.
        band_pad = self.tiers[1].band_pad[0]
        self.body_gap = _PAD - band_pad
        self.height = self.strip_h + self.body_gap + body_h + more_h + _PAD * 0.8 - band_pad
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
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
        y_top = h - self.strip_h - self.body_gap
        if self.columns == 2:
            y = min(tier.draw(canvas, _PAD + i * (self.col_w + self.gutter), y_top)
                    for i, tier in enumerate(self.tiers))
        else:
            y = self.tiers[0].draw(canvas, _PAD, y_top) - _PAD * 0.6
            y = self.tiers[1].draw(canvas, _PAD, y)
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
