"""What every layout's document shares: metadata, reproducible bytes and a hard page limit."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, letter
from reportlab.platypus import BaseDocTemplate, KeepTogether, Paragraph

from .. import __version__
from ..document import Brand, Meta
from ..models import Layout
from .fonts import FontFamily
from .tagging import StructElem, TaggedCanvas

PAPER = {"letter": letter, "a4": A4}


class Overflow(Exception):
    """The story needs more pages than the layout allows; `over` is the height (points) of what
    was left to place, so a message can say by how much."""

    def __init__(self, page: int, over: float = 0.0) -> None:
        super().__init__(page)
        self.over = over

    def lines(self, leading: float) -> int:
        return max(1, round(self.over / leading))


@dataclass(frozen=True, slots=True)
class RenderResult:
    pdf: bytes
    pages: int
    body_size: float
    renders: int  # full layout passes it took, for the benchmark's fit statistics
    imposed: bytes | None = None  # the print-ready imposition, for layouts that have one


def paper_name(layout: Layout, brand: Brand, override: str | None = None) -> str:
    return override or (brand.paper if layout.page == "clinic" else layout.page)


def page_size(layout: Layout, brand: Brand, override: str | None = None) -> tuple[float, float]:
    return PAPER[paper_name(layout, brand, override)]


def _height(flowables, width: float) -> float:
    """Roughly how tall these flowables stand at `width`: what a message says was left over."""
    total = 0.0
    for flowable in flowables:
        try:
            total += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        except Exception:  # noqa: BLE001 - a flowable that can only be measured on a page adds nothing
            continue
    return total


class LimitedDoc(BaseDocTemplate):
    """A doc template that stops at once when content would start page `max_pages + 1`, and
    draws on a tagging canvas when given a structure tree."""

    def __init__(self, buffer, *, max_pages: int, created: str, structure: StructElem | None = None,
                 **kwargs) -> None:
        self.max_pages = max_pages
        self._created = created
        self.structure = structure
        super().__init__(buffer, **kwargs)

    def build(self, flowables, canvasmaker=TaggedCanvas) -> None:  # noqa: D401 - platypus API
        try:
            super().build(flowables, canvasmaker=canvasmaker)
        except Overflow as exc:  # platypus consumes the list as it places it: the rest did not fit
            exc.over = _height(flowables, self.frame.width if getattr(self, "frame", None) else self.width)
            raise
        finally:
            # Platypus keeps {"doc": self} for document scripts (we have none), and the canvas and
            # the template point at each other: reference cycles that would leave every page
            # object to the cycle collector instead of freeing it as soon as the bytes are out.
            self._nameSpace = {}
            self.__dict__.pop("canv", None)

    def handle_pageBegin(self) -> None:
        if self.page >= self.max_pages:
            raise Overflow(self.page)
        super().handle_pageBegin()

    def beforeDocument(self) -> None:
        # Creation date from the content's updated date: same inputs, same bytes.
        stamp = self._created
        self.canv.setDateFormatter(lambda *_: stamp)
        if self.structure is not None:
            self.canv.structure = self.structure


def new_doc(meta: Meta, family: FontFamily, pagesize: tuple[float, float], max_pages: int,
            structure: StructElem | None = None, **kwargs) -> tuple[LimitedDoc, io.BytesIO]:
    """A document for one render; with `structure` (a tree from tagging.document) it is tagged."""
    buffer = io.BytesIO()
    doc = LimitedDoc(
        buffer, max_pages=max_pages, created=meta.created.strftime("D:%Y%m%d000000+00'00'"), structure=structure,
        pagesize=pagesize, title=meta.title, author=meta.author, subject=meta.subject,
        keywords=list(meta.keywords), creator=f"handouts {__version__}", lang=meta.lang,
        invariant=1, pageCompression=1, initialFontName=family.regular, displayDocTitle=1,
        leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0, keepTogetherClass=KeepWithFirstLines, **kwargs,
    )
    return doc, buffer


class KeepWithFirstLines(KeepTogether):
    """keepWithNext that keeps a heading with the first two lines of what follows, not all of it.

    Plain KeepTogether moves a heading and its whole first paragraph to the next column when
    the paragraph does not fit, leaving a gap. This one stays put when there is room for the
    heading(s) and two lines of a splittable paragraph (two, so the paragraph never leaves a
    lone line behind); otherwise it behaves exactly like KeepTogether.
    """

    def split(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        content = self._content
        last = content[-1]
        if isinstance(last, Paragraph) and len(content) > 1:
            lead = sum(f.wrap(avail_width, avail_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                       for f in content[:-1])
            last_h = last.wrap(avail_width, avail_height)[1]
            needed = lead + last.getSpaceBefore() + min(last_h, 2 * last.style.leading) + 1
            if needed <= avail_height:
                return list(content)
        return super().split(avail_width, avail_height)
