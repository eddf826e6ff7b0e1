"""Document blocks to platypus flowables; shared by every layout kind."""

from __future__ import annotations

from reportlab.lib.abag import ABag
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paraparser import ParaFrag

from ..document import Block, Bullets, Checklist, Paragraph as TextBlock, Section, Steps
from ..richtext import RichText, Run
from .runs import fragments
from .styles import Styles
from .tagging import SPAN_CALLBACK, StructElem, add_link, artifact, is_tagging, list_item, marked

BULLET = "\u2022"
TICK_BOX = "\u2610"  # what a screen reader hears for a drawn tick box: a ballot box
HEAD_LINES = 2  # lines of a split paragraph that must stay at the foot of a column or page
TAIL_LINES = 3  # lines that must go on to the top of the next one


def para(rich: RichText, style, bullet: str | None = None, struct: StructElem | None = None,
         label: StructElem | None = None) -> Paragraph:
    """A paragraph built from runs, never from markup (see runs.py); its text is the content of
    `struct`, and its bullet the content of `label` (a list item's Lbl)."""
    paragraph = Para("".join(run.text for run in rich), style, bulletText=bullet, frags=fragments(rich, style))
    paragraph.struct, paragraph.label = struct, label
    return paragraph


def text_para(text: str, style, struct: StructElem | None = None,
              foreign: tuple[tuple[str, str], ...] = ()) -> Paragraph:
    """A plain-text paragraph; a `foreign` text in it, (text, language), is tagged as a span in its
    own language, so a screen reader switches voice for it."""
    paragraph = para((Run(text),), style, struct=struct)
    found = next(((text.find(span), span, lang) for span, lang in foreign if text.find(span) > 0), None)
    if found is None or struct is None:
        return paragraph
    at, span, lang = found
    frags = fragments((Run(text[:at]),), style)
    frags[-1].text += " "
    frags += [_span_mark(lang, style), *fragments((Run(span),), style)]
    rest = fragments((Run(text[at + len(span):]),), style)
    if rest:  # back to the paragraph's language (at the end, closing the text object ends the span)
        rest[0].text = " " + rest[0].text
        frags += [_span_mark(None, style), *rest]
    paragraph = Para(text, style, frags=frags)
    paragraph.struct = struct
    return paragraph


def _span_mark(lang: str | None, style) -> ParaFrag:
    """A zero-width inline mark: a span in `lang` starts here (None: it ends here). ReportLab calls the
    canvas back while it writes the paragraph's text object, which is where the mark must go."""
    mark = fragments((Run("x"),), style)[0]
    mark.text, mark.cbDefn = "", ABag(kind="onDraw", name=SPAN_CALLBACK, label=lang)
    return mark


def link_para(text: str, style, parent: StructElem, uri: str) -> Paragraph:
    """A paragraph that is one link (a phone number, a web address): P -> Link -> text + annotation."""
    paragraph = text_para(text, style, struct=parent.add("P").add("Link"))
    paragraph.link = (uri, text)
    return paragraph


def bullet_list(items, style, parent: StructElem) -> list[Flowable]:
    """A bulleted list: L -> LI -> Lbl (the bullet) + LBody (the text)."""
    bullets = parent.add("L", attributes={"O": "List", "ListNumbering": "Disc"})
    return [_list_para(item, style, BULLET, bullets) for item in items]


def _list_para(item: RichText, style, bullet: str, list_elem: StructElem) -> Paragraph:
    label, body = list_item(list_elem)
    paragraph = para(item, style, bullet, struct=body, label=label)
    paragraph.whole = True
    return paragraph


def checklist(items, style, parent: StructElem) -> list[Flowable]:
    """Tick-box items: L -> LI -> Lbl (the drawn box, read as a ballot box) + LBody."""
    boxes = parent.add("L", attributes={"O": "List", "ListNumbering": "None"})
    flowables = []
    for item in items:
        label, body = list_item(boxes)
        flowable = CheckItem("".join(run.text for run in item), style, frags=fragments(item, style))
        flowable.struct, flowable.label, flowable.whole = body, label, True
        flowables.append(flowable)
    return flowables


def block_flowables(block: Block, styles: Styles, parent: StructElem) -> list[Flowable]:
    """Each list item is its own flowable, so a heading keeps with its first item, not the whole list."""
    if isinstance(block, TextBlock):
        return [para(block.text, styles.body, struct=parent.add("P"))]
    if isinstance(block, Steps):
        steps = parent.add("L", attributes={"O": "List", "ListNumbering": "Decimal"})
        return [_list_para(item, styles.step, f"{number}.", steps) for number, item in enumerate(block.items, start=1)]
    if isinstance(block, Checklist):
        return checklist(block.items, styles.check, parent)
    if isinstance(block, Bullets):
        flowables: list[Flowable] = [_heading(para(block.label, styles.label, struct=parent.add("H3")))] if block.label else []
        flowables.extend(bullet_list(block.items, styles.bullet, parent))
        return flowables
    raise TypeError(f"unknown block {type(block).__name__}")


def _heading(paragraph: Paragraph) -> Paragraph:
    """A heading or sub-label: the page-flow rules (flow.py) keep text with it."""
    paragraph.is_heading = paragraph.no_lone_word = True
    return paragraph


def section_flowables(section: Section, styles: Styles, parent: StructElem,
                      include_more: bool = False) -> list[Flowable]:
    sect = parent.add("Sect")
    flowables: list[Flowable] = [_heading(text_para(section.heading, styles.heading, struct=sect.add("H2")))]
    for block in section.blocks + (section.more if include_more else ()):
        flowables.extend(block_flowables(block, styles, sect))
    return flowables


class Para(Paragraph):
    """A Paragraph that remembers its line breaking per width.

    Fit estimation, keep-with-next grouping and page furniture ask the same paragraph for its
    height several times at the same width; platypus breaks the lines again each time. The text
    and style of a paragraph never change, so the first answer is reused.
    """

    def wrap(self, avail_width, avail_height):  # noqa: D401 - platypus API
        cache = self.__dict__.setdefault("_wrapped", {})
        hit = cache.get(avail_width)
        if hit is not None:
            self.width, self.height, self.blPara, self._wrapWidths = hit
            return self.width, self.height
        width, height = super().wrap(avail_width, avail_height)
        if self.no_lone_word and self._lone_last_word():
            self._bind_last_words()
            width, height = super().wrap(avail_width, avail_height)
        cache[avail_width] = (self.width, self.height, self.blPara, self._wrapWidths)
        return width, height

    no_lone_word: bool = False  # a heading or summary: its last line never holds a single word

    def _lone_last_word(self) -> bool:
        lines = self.blPara.lines
        if len(lines) < 2:
            return False
        last = lines[-1]
        words = last[1] if self.blPara.kind == 0 else [w for w in last.words if getattr(w, "text", "").strip()]
        text = " ".join(words) if self.blPara.kind == 0 else "".join(w.text for w in words)
        return len(text.split()) == 1

    def _bind_last_words(self) -> None:
        """A no-break space between the last two words, so they wrap together."""
        for frag in reversed(self.frags):
            at = frag.text.rstrip().rfind(" ")
            if at > 0:
                frag.text = frag.text[:at] + "\u00a0" + frag.text[at + 1:]
                self.__dict__.pop("_wrapped", None)
                return

    # Tagging: the paragraph's text object is the content of `struct`, its bullet that of `label`.
    struct: StructElem | None = None
    label: StructElem | None = None
    link: tuple[str, str] | None = None  # (uri, description) when the whole paragraph is a link
    continues: bool = False  # a part of a split paragraph whose text goes on in the next column or page

    whole: bool = False  # a list item: moves to the next column or page rather than split

    def split(self, avail_width, avail_height):  # noqa: D401 - platypus API
        """Split so at least HEAD_LINES stay behind and at least TAIL_LINES go on: no scrap of a
        paragraph is left alone at a column's foot or stranded at the next one's top."""
        if self.whole:
            return []
        parts = super().split(avail_width, avail_height)
        if len(parts) == 2:
            total = len(self.blPara.lines) if hasattr(self, "blPara") else 0
            head = len(parts[0].blPara.lines)
            if total - head < TAIL_LINES:
                head = total - TAIL_LINES
                parts = super().split(avail_width, head * self.style.leading + 0.01) if head >= HEAD_LINES else []
            if parts and len(parts[0].blPara.lines) < HEAD_LINES:
                parts = []
        for index, part in enumerate(parts):  # the parts of a split paragraph are content of the same elements
            part.struct, part.label, part.link = self.struct, self.label, self.link
            part.continues = index < len(parts) - 1 or self.continues  # its last line breaks mid-text too
        return parts

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - platypus API
        if self.struct is None or not is_tagging(canvas):
            super().drawOn(canvas, x, y, _sW)
            return
        self._keep_line_end_spaces()
        # The bullet and the text are drawn as separate text objects: the Lbl's and the LBody's.
        canvas.pending_text = [self.label, self.struct] if self.bulletText and self.label is not None else [self.struct]
        super().drawOn(canvas, x, y, _sW)
        canvas.pending_text = []
        if self.link is not None:
            widths = self.getActualLineWidths0() or [0.0]
            width = max(widths)
            left = x + (self.width - width if self.style.alignment == 2 else
                        (self.width - width) / 2 if self.style.alignment == 1 else 0.0) + self.style.leftIndent
            add_link(canvas, self.struct, (left, y, left + width, y + self.height), *self.link)

    def _keep_line_end_spaces(self) -> None:
        """Give each wrapped line back the space the line break took, so extracted and read-aloud
        text says "this briefing", not "thisbriefing". The space is drawn past the line's end."""
        lines = self.blPara.lines
        if getattr(self.blPara, "_spaced", False):
            return
        self.blPara._spaced = True
        for line in lines if self.continues else lines[:-1]:
            if self.blPara.kind == 0:
                if line[1] and line[1][-1] != "":
                    line[1].append("")
            else:
                last = next((word for word in reversed(line.words) if not hasattr(word, "cbDefn")), None)
                if last is not None and not last.text.endswith(" "):
                    last.text += " "


class CheckItem(Para):
    """A checklist line: a square drawn at the bullet's place, at least 9 pt, for a pen tick."""

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - platypus API
        super().drawOn(canvas, x, y, _sW)
        style = self.style
        side = max(9.0, style.fontSize * 0.8)
        top = y + self.height - (style.leading - style.fontSize) / 2 - style.fontSize * 0.05
        canvas.saveState()
        with marked(canvas, self.label, TICK_BOX) if self.label is not None else artifact(canvas):
            canvas.setStrokeColor(style.bulletColor)
            canvas.setLineWidth(max(0.9, style.fontSize * 0.08))
            canvas.rect(x + style.bulletIndent, top - side, side, side, stroke=1, fill=0)
        canvas.restoreState()
