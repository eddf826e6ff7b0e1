"""Page-flow checker (issue 14, item 5): reads a built, tagged handout PDF back and reports breaks
a reader would trip over.

How it reads a file:
- The structure tree (pikepdf) says what each piece of text is (H1/H2/H3, P, LI, Figure ...) and
  in which order it is read; the marked-content ids (MCIDs) tie each element to what is drawn.
- PDFium (pypdfium2, in C) gives every drawn text object with its MCID, baseline and extent;
  pdfplumber would give the same per glyph, but fifty times slower for the whole library.
- A *line* is one baseline of one element in one frame; a *frame* is a page (booklet, large
  print) or a page column (the one-page has two, told apart by x: left or right of the middle).
- The *flow* is what platypus pours from frame to frame: on the one-page the body Div between
  the summary and the call box; in the booklet the section pages between the cover and the call
  box page; in large print everything from the title on (the call box travels with the text).
  Band, title block, call box panel, footers and running headers are furniture, not flow.
  A flowable that draws several elements side by side (the booklet's day timeline, a call box
  with two columns) is one block: its parts overlap vertically in one frame.

Rules (letters as in the issue):
  a  a list item is never split across columns or pages
  b  a heading or sub-label never ends a column or page and keeps at least 2 lines of what
     follows it in its frame (all of it when what follows is shorter)
  c  the text above the first heading at the top of a column or page is nothing or 3+ lines
  d  one-page: the two body columns end within 3 body lines of each other
  e  no lone word on the last line of a heading, the summary, or a call-box heading or label
  f  booklet / large print: no page whose flow holds only 1-2 lines

A file whose tree does not look like a handout (no flow found) raises `UnreadableHandout`, so
a layout change that hides the text from the checker fails loudly instead of passing.
"""

from __future__ import annotations

import ctypes
import io
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

RULES = {
    "a": "list item split",
    "b": "heading stranded",
    "c": "short text above first heading",
    "d": "columns unbalanced",
    "e": "lone word on last line",
    "f": "near-empty page",
}
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
BLOCKS = HEADINGS + ("P", "LI", "Figure", "Table", "Caption", "BlockQuote", "Formula", "Form")
ALSO_CALLED = re.compile(r"^[^:.!?]{1,40}:\s")  # "Also called: ..." / "También se llama: ..."
BASELINE_TOLERANCE = 2.0  # points: a bigger bullet glyph may sit a little off its text's baseline
FIGURE_LINES = 2  # a picture after a heading counts as enough of what follows


class UnreadableHandout(Exception):
    """The file's structure tree has no recognisable flow: the checker cannot judge it."""


@dataclass(frozen=True, slots=True)
class Violation:
    file: str
    page: int  # from 1
    column: int | None  # from 1 on the one-page; None in single-column layouts
    rule: str  # a letter of RULES
    text: str

    def line(self) -> str:
        where = f"page {self.page}" + (f" column {self.column}" if self.column else "")
        return f"{self.file}: {where}: {self.rule} {RULES[self.rule]}: {self.text}"


# -- what is drawn ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Drawn:
    """One text object (or a picture's extent) drawn as content of an MCID."""

    page: int  # from 0
    baseline: float
    x0: float
    x1: float
    bottom: float
    top: float
    text: str | None  # None for a picture


def _object_text(obj, textpage) -> str:
    size = pdfium_raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
    return bytes(buffer)[:size - 2].decode("utf-16-le", errors="replace")


def read_drawn(source: Path | bytes) -> tuple[dict[tuple[int, int], list[Drawn]], list[tuple[float, float]]]:
    """(page, MCID) -> what is drawn as its content, and each page's (width, height)."""
    document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    drawn: dict[tuple[int, int], list[Drawn]] = defaultdict(list)
    sizes = []
    try:
        for index in range(len(document)):
            page = document[index]
            sizes.append(page.get_size())
            textpage = page.get_textpage()
            for obj in page.get_objects(max_depth=4):
                mcid = pdfium_raw.FPDFPageObj_GetMarkedContentID(obj.raw)
                if mcid < 0:
                    continue  # an artifact: decoration, running header or footer, DRAFT mark
                left, bottom, right, top = obj.get_bounds()
                if obj.type == pdfium_raw.FPDF_PAGEOBJ_TEXT:
                    text = _object_text(obj, textpage)
                    if not text.strip():
                        continue
                    drawn[(index, mcid)].append(Drawn(index, obj.get_matrix().f, left, right, bottom, top, text))
                else:
                    drawn[(index, mcid)].append(Drawn(index, bottom, left, right, bottom, top, None))
            textpage.close()
            page.close()
    finally:
        document.close()
    return drawn, sizes


# -- the structure tree ---------------------------------------------------------------------------

@dataclass(eq=False)
class Node:
    """A structure element: its tag, kids in reading order, and its own content (page, MCID)."""

    tag: str
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    parent: Node | None = None

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_content(self) -> list[tuple[int, int]]:
        return [pair for node in self.walk() for pair in node.content]

    def has(self, tag: str) -> bool:
        return any(node.tag == tag for node in self.walk())


def read_tree(source: Path | bytes, name: str) -> Node:
    with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            raise UnreadableHandout(f"{name}: no structure tree (not a tagged reading-order PDF)")
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

        def visit(elem, parent: Node | None, page: int | None) -> Node:
            if "/Pg" in elem:
                page = pages.get(elem.Pg.objgen, page)
            node = Node(str(elem.get("/S", "/?"))[1:], parent=parent)
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            for kid in kids:
                if isinstance(kid, int):
                    node.content.append((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary):
                    kind = kid.get("/Type")
                    if kind == "/MCR":
                        node.content.append((pages[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)))
                    elif kind != "/OBJR":
                        node.kids.append(visit(kid, node, page))
            return node

        top = root.K
        top = top[0] if isinstance(top, pikepdf.Array) else top
        return visit(top, None, None)


# -- blocks, lines, frames -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Line:
    frame: tuple[int, int]  # (page, column), both from 0
    baseline: float
    x0: float
    text: str  # "" for a picture


@dataclass(eq=False)
class Block:
    """A unit of the flow: a heading, a paragraph, a list item, a picture, or a composite flowable."""

    tag: str  # the element's tag, or "Composite"
    order: int  # position in reading order
    lines: list[Line]
    heading: bool  # a heading, or a composite that starts with one
    node: Node

    def frames(self) -> list[tuple[int, int]]:
        return sorted({line.frame for line in self.lines})

    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines if line.text).strip()


class Columns:
    """Which frame column an x belongs to: the one-page has two, split at the middle of the page."""

    def __init__(self, sizes: list[tuple[float, float]], columns: int) -> None:
        self.sizes, self.columns = sizes, columns

    def column(self, page: int, x0: float) -> int:
        if self.columns == 1:
            return 0
        width = self.sizes[page][0]
        return min(self.columns - 1, max(0, int(x0 // (width / self.columns))))


def lines_of(node: Node, drawn, geometry: Columns) -> list[Line]:
    """The element's lines: its text objects grouped by frame and baseline, top to bottom,
    each line's text in x order. A picture is one line at its bottom edge."""
    by_frame: dict[tuple[int, int], list[Drawn]] = defaultdict(list)
    for page, mcid in node.all_content():
        for item in drawn.get((page, mcid), ()):
            by_frame[(page, geometry.column(page, item.x0))].append(item)
    lines: list[Line] = []
    for frame, items in sorted(by_frame.items()):
        texts = [item for item in items if item.text is not None]
        pictures = [item for item in items if item.text is None]
        groups: list[list[Drawn]] = []
        for item in sorted(texts, key=lambda d: -d.baseline):
            if groups and abs(groups[-1][0].baseline - item.baseline) <= BASELINE_TOLERANCE:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            group.sort(key=lambda d: d.x0)
            lines.append(Line(frame, max(d.baseline for d in group), group[0].x0,
                              re.sub(r"\s+", " ", "".join(d.text for d in group)).strip()))
        if pictures and not texts:
            lines.append(Line(frame, min(d.bottom for d in pictures), min(d.x0 for d in pictures), ""))
    return lines


def leaf_blocks(node: Node) -> list[Node]:
    """Block-level elements under `node` in reading order (an LI with its Lbl and LBody is one)."""
    if node.tag in BLOCKS:
        return [node]
    return [leaf for kid in node.kids for leaf in leaf_blocks(kid)]


def _overlap(a: list[Line], b: list[Line]) -> bool:
    """Two blocks drawn side by side: in a frame they share, their baseline ranges overlap."""
    for frame in {line.frame for line in a} & {line.frame for line in b}:
        a_base = [line.baseline for line in a if line.frame == frame]
        b_base = [line.baseline for line in b if line.frame == frame]
        if max(min(a_base), min(b_base)) <= min(max(a_base), max(b_base)) + 0.5:
            return True
    return False


def is_call_box(node: Node) -> bool:
    """The "When should I call?" panel: a section with both a list and a link (the after-hours line).
    Content sections have no links; the back cover's contact section has no list."""
    return node.tag == "Sect" and node.has("L") and node.has("Link")


def flow_blocks(roots: list[Node], drawn, geometry: Columns) -> list[Block]:
    """The flow's blocks in reading order; a call box, or a section whose parts are drawn side by
    side, is one composite block."""
    blocks: list[Block] = []

    def add(node: Node) -> None:
        if node.tag in BLOCKS:
            blocks.append(Block(node.tag, len(blocks), lines_of(node, drawn, geometry), node.tag in HEADINGS, node))
            return
        if node.tag == "Sect":
            leaves = leaf_blocks(node)
            parts = [lines_of(leaf, drawn, geometry) for leaf in leaves]
            side_by_side = any(_overlap(parts[i], parts[j]) for i in range(len(parts))
                               for j in range(i + 1, len(parts)) if parts[i] and parts[j])
            if side_by_side or is_call_box(node):
                first = next((leaf for leaf, lines in zip(leaves, parts) if lines), None)
                blocks.append(Block("Composite", len(blocks), lines_of(node, drawn, geometry),
                                    first is not None and first.tag in HEADINGS, node))
                return
        for kid in node.kids:
            add(kid)

    for root in roots:
        add(root)
    return [block for block in blocks if block.lines]


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of a block that lies in one frame."""

    block: Block
    frame: tuple[int, int]
    lines: tuple[Line, ...]

    @property
    def top(self) -> float:
        return max(line.baseline for line in self.lines)

    def text(self) -> str:
        return " ".join(line.text for line in self.lines if line.text)

    def count(self) -> int:
        return sum(FIGURE_LINES if not line.text else 1 for line in self.lines)

    def text_lines(self) -> int:
        return sum(1 for line in self.lines if line.text)

    def picture(self) -> bool:
        return any(not line.text for line in self.lines)


def pieces_in_order(blocks: list[Block]) -> list[Piece]:
    """Every block's part per frame, in the order a reader meets them: frame by frame, top down."""
    pieces = []
    for block in blocks:
        for frame in block.frames():
            pieces.append(Piece(block, frame, tuple(line for line in block.lines if line.frame == frame)))
    return sorted(pieces, key=lambda p: (p.frame, -p.top, p.block.order))


# -- finding the parts of a handout ---------------------------------------------------------------

def layout_kind(path: Path) -> str:
    name = Path(path).name
    for kind in ("one-page", "booklet", "large-print"):
        if name.endswith(f".{kind}.pdf"):
            return kind
    raise UnreadableHandout(f"{path}: cannot tell the layout from the file name")


def first_page(node: Node) -> int | None:
    pages = [page for page, _ in node.all_content()]
    return min(pages) if pages else None


def call_box_labels(box: Node) -> list[Node]:
    """The call box's own lines: a P that introduces a list ("Call 911 if you have:") or holds
    the after-hours link; not the longer paragraphs a booklet adds under the lists."""
    labels = []
    for node in box.walk():
        kids = node.kids
        labels += [kid for index, kid in enumerate(kids) if kid.tag == "P"
                   and (kid.has("Link") or (index + 1 < len(kids) and kids[index + 1].tag == "L"))]
    return labels


def flow_roots(document: Node, kind: str) -> list[Node]:
    """The elements platypus pours from frame to frame (see the module's docstring)."""
    kids = document.kids
    if kind == "one-page":  # the Div of sections (not the band's, nor the footer's)
        sections = {id(kid): sum(k.tag == "Sect" for k in kid.kids) for kid in kids if kid.tag == "Div"}
        body = max((kid for kid in kids if sections.get(id(kid))), key=lambda kid: sections[id(kid)], default=None)
        return [body] if body is not None else []
    if kind == "booklet":
        roots, started = [], False
        for kid in kids:
            if is_call_box(kid) or any(is_call_box(node) for node in kid.walk()):
                break  # the booklet's back matter (call box, questions, diaries) follows the sections
            page = first_page(kid)
            started = started or (page is not None and page > 0)
            if started:
                roots.append(kid)
        return roots
    titles = [index for index, kid in enumerate(kids) if kid.tag == "H1"]
    return kids[titles[0]:] if titles else []


def summary_node(document: Node, text_of) -> Node | None:
    """The P after the title (skipping an "Also called: ..." line)."""
    kids = document.kids
    for index, kid in enumerate(kids):
        if kid.tag == "H1":
            for after in kids[index + 1:index + 3]:
                if after.tag != "P":
                    return None
                if not ALSO_CALLED.match(text_of(after)):
                    return after
            return None
    return None


# -- the rules ------------------------------------------------------------------------------------

class Checker:
    """One file's flow, read once; `run` applies every rule that fits its layout."""

    def __init__(self, source: Path | bytes, kind: str | None = None, name: str | None = None) -> None:
        if isinstance(source, bytes):
            if kind is None:
                raise ValueError("a PDF given as bytes needs its layout kind")
            self.name = name or f"<{kind}>"
        else:
            source = Path(source)
            self.name = name or source.name
        self.kind = kind or layout_kind(source)
        self.drawn, sizes = read_drawn(source)
        self.geometry = Columns(sizes, 2 if self.kind == "one-page" else 1)
        self.single = Columns(sizes, 1)
        self.document = read_tree(source, self.name)
        if not any(is_call_box(node) for node in self.document.walk()):
            # Without it the booklet's flow would run on into the writing pages and back cover.
            raise UnreadableHandout(f"{self.name}: no call box (a Sect with a list and a link) in the structure tree")
        roots = flow_roots(self.document, self.kind)
        self.blocks = flow_blocks(roots, self.drawn, self.geometry)
        if not self.blocks or not any(block.heading for block in self.blocks):
            raise UnreadableHandout(f"{self.name}: no flow with headings found in the structure tree")
        self.pieces = pieces_in_order(self.blocks)
        self.found: list[Violation] = []

    def report(self, rule: str, frame: tuple[int, int], text: str) -> None:
        column = frame[1] + 1 if self.geometry.columns > 1 else None
        self.found.append(Violation(self.name, frame[0] + 1, column, rule, _short(text)))

    def run(self) -> list[Violation]:
        self.items_whole()
        self.headings_keep()
        self.column_tops()
        if self.kind == "one-page":
            self.columns_balanced()
        self.lone_words()
        if self.kind in ("booklet", "large-print"):
            self.pages_filled()
        return sorted(self.found, key=lambda v: (v.page, v.column or 0, v.rule))

    def items_whole(self) -> None:
        """a: a list item lies in one frame."""
        for block in self.blocks:
            frames = block.frames()
            if block.tag == "LI" and len(frames) > 1:
                self.report("a", frames[0], block.text())

    def headings_keep(self) -> None:
        """b: a heading is followed, in its own frame, by 2 lines of what follows (or all of it)."""
        pieces = self.pieces
        for index, piece in enumerate(pieces):
            block = piece.block
            if not block.heading or block.tag == "Composite":
                if block.heading and len(block.frames()) > 1:
                    self.report("b", block.frames()[0], block.text())
                continue
            if piece.frame != block.frames()[0]:
                continue  # the rest of a heading split across frames: reported with its first part
            if len(block.frames()) > 1:
                self.report("b", piece.frame, f"{block.text()} (split)")
                continue
            following = []
            for after in pieces[index + 1:]:
                if after.block.heading:
                    break
                following.append(after)
            total = sum(p.count() for p in following)
            here = sum(p.count() for p in following if p.frame == piece.frame)
            if total == 0:
                next_heading = pieces[index + 1] if index + 1 < len(pieces) else None
                if next_heading is None or next_heading.frame != piece.frame:
                    self.report("b", piece.frame, f"{block.text()} (ends the {self._frame_word()})")
            elif here < min(2, total):
                self.report("b", piece.frame, f"{block.text()} (keeps {here} of {total} lines here)")

    def column_tops(self) -> None:
        """c: at the top of every frame but the first, 0 or 3+ lines come before the first heading."""
        by_frame: dict[tuple[int, int], list[Piece]] = defaultdict(list)
        for piece in self.pieces:
            by_frame[piece.frame].append(piece)
        for frame in sorted(by_frame)[1:]:
            above: list[Piece] = []
            for piece in by_frame[frame]:
                if piece.block.heading:
                    break
                above.append(piece)
            else:
                continue  # no heading in this frame: the rules for near-empty pages and columns apply
            if any(p.picture() for p in above):
                continue  # a picture and its caption, not text run on from the frame before
            count = sum(p.text_lines() for p in above)
            if 0 < count < 3:
                self.report("c", frame, f"({count} lines) " + " / ".join(p.text() for p in above))

    def columns_balanced(self) -> None:
        """d: the two columns of page 1 end within 3 body lines of each other."""
        lines = [line for block in self.blocks for line in block.lines if line.frame[0] == 0]
        if not lines:
            return
        leading = self._leading()
        top = max(line.baseline for line in lines)
        ends = []
        for column in range(self.geometry.columns):
            baselines = [line.baseline for line in lines if line.frame[1] == column]
            ends.append(min(baselines) if baselines else top + leading)
        gap = max(ends) - min(ends)
        if gap > 3 * leading + 0.5:
            shorter = ends.index(max(ends))
            self.report("d", (0, shorter), f"column {shorter + 1} ends {gap / leading:.1f} lines above the other")

    def _leading(self) -> float:
        """The body's line spacing: the commonest gap between lines of one paragraph or item."""
        gaps = []
        for block in self.blocks:
            if block.tag in ("P", "LI"):
                for a, b in zip(block.lines, block.lines[1:]):
                    if a.frame == b.frame and a.text and b.text:
                        gaps.append(round(a.baseline - b.baseline, 1))
        if not gaps:
            return 14.4
        return statistics.mode(gaps)

    def lone_words(self) -> None:
        """e: headings everywhere, the summary, the call box's heading and labels."""
        targets = [node for node in self.document.walk() if node.tag in HEADINGS]
        summary = summary_node(self.document, lambda node: " ".join(
            line.text for line in lines_of(node, self.drawn, self.single)))
        if summary is not None:
            targets.append(summary)
        for box in (node for node in self.document.walk() if is_call_box(node)):
            targets += call_box_labels(box)
        for node in targets:
            lines = [line for line in lines_of(node, self.drawn, self.single) if line.text]
            if len(lines) >= 2 and len(lines[-1].text.split()) == 1:
                column = self.geometry.column(lines[-1].frame[0], lines[0].x0)
                self.report("e", (lines[-1].frame[0], column),
                            f"{lines[-1].text!r} alone below: {' / '.join(line.text for line in lines[:-1])}")

    def pages_filled(self) -> None:
        """f: no page after the flow's first holds only 1 or 2 lines of it."""
        by_page: dict[int, set[float]] = defaultdict(set)
        pictures = {piece.frame[0] for piece in self.pieces if piece.picture()}
        for piece in self.pieces:
            by_page[piece.frame[0]].update(round(line.baseline, 1) for line in piece.lines if line.text)
        for page in sorted(by_page)[1:]:
            if len(by_page[page]) <= 2 and page not in pictures:
                text = " / ".join(p.text() for p in self.pieces if p.frame[0] == page)
                self.report("f", (page, 0), f"({len(by_page[page])} lines) {text}")

    def _frame_word(self) -> str:
        return "column" if self.geometry.columns > 1 else "page"


def _short(text: str, limit: int = 100) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_pdf(source: Path | bytes, kind: str | None = None, name: str | None = None) -> list[Violation]:
    """Every page-flow violation in one handout PDF: a file (its name gives the layout), or the
    bytes a render returned with `kind` ("one-page", "booklet" or "large-print")."""
    return Checker(source, kind, name).run()


def reading_order_files(folder: Path) -> list[Path]:
    """The one-page, booklet and large-print files under `folder` (not the imposed print files)."""
    return sorted(path for path in Path(folder).rglob("*.pdf")
                  if any(path.name.endswith(f".{kind}.pdf") for kind in ("one-page", "booklet", "large-print")))


def check_folder(folder: Path) -> list[Violation]:
    folder = Path(folder)
    found: list[Violation] = []
    for path in reading_order_files(folder):
        found += check_pdf(path, name=str(path.relative_to(folder)))
    return found
