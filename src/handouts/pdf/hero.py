"""The top of a one-page handout: the summary and the key points beside the procedure's picture.

A reader who stops after this row still knows what the procedure is, what it looks like, and the
three things to remember. The picture sits to the right so the text keeps the reading start.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..document import Figure, Handout
from .blocks import bullet_list, para, text_para
from .logo import LogoFlowable, fitted_size
from .styles import Styles
from .tagging import StructElem, artifact, marked

_PAD = 6.0
_BAR = 3.5  # the accent bar left of the summary
FIGURE_SHARES = (0.3, 0.34, 0.38, 0.42)  # of the row's width, for the figure and its caption
PANEL_SHARES = (0.2, 0.24, 0.27)  # narrower still, when a patient's panel needs the width more than the picture


class KeyPoints(Flowable):
    """A tinted box: "Remember", then up to three short bullet lines."""

    def __init__(self, handout: Handout, styles: Styles, parent: StructElem) -> None:
        super().__init__()
        sect = parent.add("Sect")
        self.styles = styles
        self.label = text_para(handout.labels["key_points"], styles.key_label, struct=sect.add("H2"))
        self.items = bullet_list(handout.key_points, styles.key_point, sect)

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        inner = avail_width - 2 * _PAD
        self.heights = [f.wrap(inner, 1e6)[1] for f in (self.label, *self.items)]
        self.width = avail_width
        self.height = sum(self.heights) + sum(f.getSpaceAfter() for f in self.items[:-1]) + 2 * _PAD - 1
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with artifact(canvas):
            canvas.saveState()
            canvas.setFillColor(self.styles.palette.callout_tint)
            canvas.setStrokeColor(self.styles.palette.rule)
            canvas.setLineWidth(0.8)
            canvas.roundRect(0, 0, self.width, self.height, 5, stroke=1, fill=1)
            canvas.restoreState()
        y = self.height - _PAD + 1
        for flowable, height in zip((self.label, *self.items), self.heights):
            flowable.drawOn(canvas, _PAD, y - height)
            y -= height + (flowable.getSpaceAfter() if flowable is not self.label else 0)


class FigureBlock(Flowable):
    """The procedure's drawing, fitted to a box, with its caption under it (Figure + caption P)."""

    def __init__(self, figure: Figure, styles: Styles, parent: StructElem, max_height: float) -> None:
        super().__init__()
        self.figure, self.styles, self.max_height = figure, styles, max_height
        self.elem = parent.add("Figure", alt=figure.alt)
        self.caption = para(figure.caption, styles.caption, struct=parent.add("P"))

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.art_w, self.art_h = fitted_size(self.figure.art, avail_width, self.max_height)
        self.caption_h = self.caption.wrap(avail_width, 1e6)[1]
        self.width = avail_width
        self.height = self.art_h + 3 + self.caption_h
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        art = LogoFlowable(self.figure.art, self.art_w, self.art_h, self.styles.family.regular)
        with marked(canvas, self.elem):
            art.drawOn(canvas, (self.width - self.art_w) / 2, self.height - self.art_h)
        self.caption.drawOn(canvas, 0, 0)


class Hero(Flowable):
    """Summary and key points on the left, the figure on the right; as tall as the taller side."""

    def __init__(self, handout: Handout, styles: Styles, parent: StructElem, figure_height: float,
                 lead: Flowable | None = None) -> None:
        """`lead` replaces the summary (a personalised page leads with the patient's appointment)."""
        super().__init__()
        self.styles = styles
        self.bar = lead is None
        self.summary = lead or para(handout.summary, styles.summary, struct=parent.add("P"))
        self.summary.no_lone_word = True
        self.key_points = KeyPoints(handout, styles, parent) if handout.key_points else None
        self.figure = FigureBlock(handout.figure, styles, parent, figure_height) if handout.figure else None

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        """The figure's share of the width that makes the row lowest: a long caption wants a wider
        picture column, long key points a wider text column (ties go to the usual share).

        Every fit-search plan wraps the hero, so shares that cannot win are not laid out: a share
        is at least as tall as its picture column, and its text column at least as tall as in any
        share that leaves the text more width (narrower text never takes fewer lines)."""
        if not self.figure:
            self.width, self.height = avail_width, self._layout(avail_width, 0.0)
            return self.width, self.height
        usual = FIGURE_SHARES[1]
        shares = sorted((PANEL_SHARES if not self.bar else ()) + FIGURE_SHARES, key=lambda share: abs(share - usual))
        pictures = {share: self.figure.wrap(avail_width * share, 1e6)[1] for share in shares}
        best: tuple[float, float] | None = None
        best_share = shares[0]
        texts: dict[float, float] = {}  # text column heights laid out so far, by share
        for share in shares:
            text_floor = max((h for s, h in texts.items() if s < share), default=0.0)
            floor = (round(max(pictures[share], text_floor), 1), abs(share - usual))
            if best is not None and floor > best:
                continue
            self._layout(avail_width, share)
            texts[share] = self.left
            key = (round(max(self.left, self.right), 1), abs(share - usual))
            if best is None or key < best:
                best, best_share = key, share
        self.width, self.height = avail_width, self._layout(avail_width, best_share)
        return self.width, self.height

    def _layout(self, avail_width: float, share: float) -> float:
        gap = self.styles.size * 1.2
        self.figure_w = avail_width * share
        self.text_w = avail_width - self.figure_w - (gap if self.figure else 0.0)
        self.indent = _BAR + 8.5 if self.bar else 0.0
        self.summary_h = self.summary.wrap(self.text_w - self.indent, 1e6)[1]
        self.key_h = self.key_points.wrap(self.text_w, 1e6)[1] if self.key_points else 0.0
        self.key_gap = self.styles.size * 0.5 if self.key_points else 0.0
        self.left = self.summary_h + self.key_gap + self.key_h
        self.right = self.figure.wrap(self.figure_w, 1e6)[1] if self.figure else 0.0
        return max(self.left, self.right)

    def draw(self) -> None:
        canvas, top = self.canv, self.height
        if self.bar:
            with artifact(canvas):
                canvas.saveState()
                canvas.setFillColor(self.styles.palette.accent)
                canvas.rect(0, top - self.summary_h, _BAR, self.summary_h, stroke=0, fill=1)
                canvas.restoreState()
        self.summary.drawOn(canvas, self.indent, top - self.summary_h)
        if self.key_points:
            self.key_points.drawOn(canvas, 0, top - self.summary_h - self.key_gap - self.key_h)
        if self.figure:
            self.figure.drawOn(canvas, self.width - self.figure_w, top - self.figure.height)
