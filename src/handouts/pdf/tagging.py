"""Tagged PDF (PDF/UA-1): marked content while drawing, the structure tree while saving.

How it fits together, and what any new flowable or piece of furniture calls:

- The layout builds a skeleton of `StructElem`s in reading order (Document -> H1, P, L, ...)
  while it builds its flowables, and hands each flowable the element it draws. Building the
  skeleton up front is what makes the tree follow the reading order even though platypus draws
  page furniture (band, call box, footer) before the columns.
- Drawing attaches content to those elements: `marked(canvas, elem)` around whatever a flowable
  draws (MCIDs are given out here only, so frames may wrap, split and retry freely),
  `artifact(canvas)` around decoration and running headers/footers, `Para` (blocks.py) marks its
  own text objects (bullet -> Lbl, text -> LBody; through `canvas.pending_text`, because
  ReportLab draws a paragraph's bullet and text as two text objects inside one drawOn), and
  `add_link(...)` makes a link annotation that belongs to a Link element.
  `Tagged(flowable, elem)` wraps any other flowable.
- `TaggedCanvas.save` writes StructTreeRoot, ParentTree, /StructParents, /Tabs, MarkInfo and the
  XMP packet with ReportLab's own PDF objects: no second pass over the file, and names come
  from counters, so the same input gives the same bytes.

On a plain ReportLab canvas (no structure attached) every helper here draws untagged.
"""

from __future__ import annotations

from typing import NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFPage, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
SPAN_CALLBACK = "handouts.span"  # the canvas callback a paragraph's inline language marks call


class StructElem:
    """One structure element: a tag, optional /Alt, /Lang, attributes, and its kids in order.

    Kids are elements, or content recorded while drawing: ("mcr", page, mcid) or ("objr", page,
    annotation number). An element knows its kids but not its parent (the writer finds parents
    as it walks the tree), so a spent tree is freed at once, not left to the cycle collector.
    """

    __slots__ = ("tag", "kids", "alt", "lang", "attributes", "ref")

    def __init__(self, tag: str, parent: StructElem | None = None, *, alt: str | None = None,
                 lang: str | None = None, attributes: dict | None = None) -> None:
        self.tag, self.alt, self.lang, self.attributes = tag, alt, lang, attributes
        self.kids: list = []
        self.ref = ""  # "n 0 R", once written
        if parent is not None:
            parent.kids.append(self)

    def add(self, tag: str, **kwargs) -> StructElem:
        return StructElem(tag, self, **kwargs)


def document(lang: str) -> StructElem:
    """The root of a handout's tree."""
    return StructElem("Document", lang=lang)


def list_item(parent: StructElem, label: bool = True) -> tuple[StructElem | None, StructElem]:
    """An LI under `parent` (an L), returning its (Lbl, LBody); no Lbl when the item has no label text."""
    item = parent.add("LI")
    return (item.add("Lbl") if label else None), item.add("LBody")


def is_tagging(canvas) -> bool:
    return getattr(canvas, "structure", None) is not None


class _Marks:
    """Writes `opening` before and EMC after what is drawn inside (a class, not a generator: it
    runs for every paragraph and piece of furniture on every page)."""

    __slots__ = ("canvas", "opening")

    def __init__(self, canvas, opening: str | None) -> None:
        self.canvas, self.opening = canvas, opening

    def __enter__(self) -> None:
        if self.opening is not None:
            self.canvas.addLiteral(self.opening)

    def __exit__(self, *exc) -> None:
        if self.opening is not None:
            self.canvas.addLiteral("EMC")


def marked(canvas, elem: StructElem | None, actual_text: str | None = None) -> _Marks:
    """Everything drawn inside becomes content of `elem` (one MCID on the current page); a drawing
    that stands for a character (a tick box) reads as `actual_text`."""
    if elem is None or not is_tagging(canvas):
        return _Marks(canvas, None)
    return _Marks(canvas, canvas.begin_content(elem, actual_text))


def artifact(canvas, pagination: str | None = None) -> _Marks:
    """Decoration, or with `pagination` ("Header"/"Footer") a running header or footer."""
    if not is_tagging(canvas):
        return _Marks(canvas, None)
    return _Marks(canvas, f"/Artifact <</Type /Pagination /Subtype /{pagination}>> BDC" if pagination
                  else "/Artifact BMC")


def add_link(canvas, elem: StructElem, rect: tuple[float, float, float, float], uri: str, contents: str) -> None:
    """A printable URI link annotation over `rect` (current coordinates) that belongs to `elem` (a Link)."""
    if not is_tagging(canvas):
        return
    canvas.add_link_annotation(elem, rect, uri, contents)


def tel_uri(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def web_uri(site: str) -> str:
    return site if "://" in site else f"https://{site}"


class Tagged(Flowable):
    """Any flowable, drawn as the content of one structure element (a Figure, a table cell ...)."""

    def __init__(self, inner: Flowable, elem: StructElem) -> None:
        super().__init__()
        self.inner, self.elem = inner, elem

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - platypus API
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - platypus API
        return self.inner.getSpaceAfter()

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 - platypus API
        with marked(canvas, self.elem):
            self.inner.drawOn(canvas, x, y, _sW)


class TaggedCanvas(Canvas):
    """A canvas that numbers marked content per page and writes the structure tree on save.

    Attach the tree with `canvas.structure = root` before drawing; without it, it is a plain
    canvas. The per-page state lives in dicts keyed by page number, so canvases that hold pages
    back and draw on them again at save time (page N of M) still tag correctly.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.structure: StructElem | None = None
        self.pending_text: list[StructElem] = []  # owners of the next text objects drawn, in order
        self._by_mcid: dict[int, list[StructElem]] = {}  # page number -> element of each MCID
        self._links: list[_Link] = []
        self._text_open: str | None = None  # the current text object's opening mark, once given out
        self.setNamedCB(SPAN_CALLBACK, _span)  # a function, not self._span: no canvas -> canvas cycle

    def begin_content(self, elem: StructElem, actual_text: str | None = None) -> str:
        """The BDC operator opening content of `elem`; `actual_text` is what a drawing reads as."""
        page = self.getPageNumber()
        owners = self._by_mcid.setdefault(page, [])
        owners.append(elem)
        elem.kids.append(("mcr", page, len(owners) - 1))
        spoken = f" /ActualText <FEFF{actual_text.encode('utf-16-be').hex().upper()}>" if actual_text else ""
        return f"/{elem.tag} <</MCID {len(owners) - 1}{spoken}>> BDC"

    def drawText(self, text_object) -> None:  # noqa: N802 - ReportLab API
        """A text object drawn as the content of the next pending element; the marks go inside
        BT..ET, so that spans marked within the text (see `span`) nest properly."""
        if self.pending_text:
            owner = self.pending_text.pop(0)
            opening, self._text_open = self._text_open or self.begin_content(owner), None
            code = text_object._code  # ["BT", ...]: ReportLab adds "ET" when it writes the object
            code.insert(1, opening)
            code.append("EMC")
        super().drawText(text_object)
        # Platypus binds a line drawer to the text object (a reference cycle); the object is written now.
        text_object.__dict__.pop("_do_line", None)

    def span(self, lang: str | None) -> None:
        """Paragraph callback from inside its text object: start a span in `lang`, or (None) return
        to the paragraph's own element. Content order is kept: the paragraph's first part is given
        its MCID here, before the span's."""
        if not is_tagging(self) or not self.pending_text:
            return
        owner = self.pending_text[0]
        if self._text_open is None:
            self._text_open = self.begin_content(owner)
        element = owner.add("Span", lang=lang) if lang else owner
        self._curr_tx_info["tx"]._code.append(f"EMC {self.begin_content(element)}")

    def add_link_annotation(self, elem: StructElem, rect, uri: str, contents: str) -> None:
        annotation = _Raw()  # its text is written with the tree, once its /StructParent is known
        self._addAnnotation(annotation, f"TagLink{len(self._links)}")
        elem.kids.append(("objr", self.getPageNumber(), len(self._links)))
        self._links.append(_Link(annotation, elem, self._absRect(rect, 1), uri, contents))

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        if self.structure is not None and any(self._by_mcid.values()):
            _write_tree(self)
        super().save()


def _span(canvas: TaggedCanvas, kind: str, lang: str | None) -> None:
    canvas.span(lang)


class _Link(NamedTuple):
    annotation: _Raw
    elem: StructElem
    rect: tuple[float, float, float, float]  # page coordinates
    uri: str
    contents: str


class _Raw(PDFObject):
    """An object whose bytes we write ourselves: ReportLab's generic dictionary formatting cost
    more than all the rest of tagging together for a tree of a few hundred elements."""

    def __init__(self, text: str = "") -> None:
        self.text = text

    def format(self, document) -> bytes:
        return self.text.encode("latin-1")


def _write_tree(canvas: TaggedCanvas) -> None:
    """StructTreeRoot, ParentTree, page keys, MarkInfo and XMP, registered with ReportLab's document.

    Every object is registered first (which numbers it), then written as text in one pass.
    """
    doc = canvas._doc
    numbers = doc.idToObjectNumberAndVersion
    pages = doc.Pages.pages
    page_refs = ["%d %d R" % numbers[doc.Reference(page).name] for page in pages]
    elems: list[StructElem] = []
    parents: list[StructElem | None] = []
    _collect(canvas.structure, None, elems, parents)
    objects = [_Raw() for _ in elems]
    for elem, ref in zip(elems, _register(doc, objects)):
        elem.ref = ref
    link_refs = []
    for number, link in enumerate(canvas._links):
        link.annotation.text = _link_text(link, len(pages) + number, doc)
        link_refs.append("%d %d R" % numbers[doc.Reference(link.annotation).name])
    tree_root, parent_tree = _Raw(), _Raw()
    root_ref = doc.Reference(tree_root, "StructTreeRoot")
    parent_tree_ref = "%d %d R" % numbers[doc.Reference(parent_tree, "ParentTree").name]
    root_text = "%d %d R" % numbers[root_ref.name]
    for elem, parent, raw in zip(elems, parents, objects):
        raw.text = _elem_text(elem, parent.ref if parent is not None else root_text, page_refs, link_refs, doc)
    nums = [f"{number - 1} [{' '.join(e.ref for e in canvas._by_mcid.get(number, ()))}]"
            for number in range(1, len(pages) + 1)]
    nums += [f"{len(pages) + number} {link.elem.ref}" for number, link in enumerate(canvas._links)]
    parent_tree.text = f"<< /Nums [{' '.join(nums)}] >>"
    tree_root.text = (f"<< /Type /StructTreeRoot /K {canvas.structure.ref} /ParentTree {parent_tree_ref} "
                      f"/ParentTreeNextKey {len(pages) + len(canvas._links)} >>")
    for number, page in enumerate(pages):
        page.__NoDefault__ = _PAGE_KEYS
        page.StructParents = number
        if page.Annots:
            page.Tabs = PDFName("S")
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = doc.Reference(xmp_stream(doc.info.title, canvas.structure.lang or "", doc), "XMPMetadata")


def _register(doc, objects: list[_Raw]) -> list[str]:
    """Number new objects in order exactly as `doc.Reference` does one by one, and return their
    "n 0 R" references; its checks for objects met before cost more than the tree's text."""
    counter = doc.objectcounter
    numbers, ids, owners = doc.idToObjectNumberAndVersion, doc.numberToId, doc.idToObject
    refs = []
    for obj in objects:
        counter += 1
        name = f"R{counter}"
        obj.__InternalName__ = name
        numbers[name], ids[counter], owners[name] = (counter, 0), name, obj
        refs.append(f"{counter} 0 R")
    doc.objectcounter = counter
    return refs


def _string(text: str, doc) -> str:
    return PDFString(text).format(doc).decode("latin-1")


def _link_text(link: _Link, struct_parent: int, doc) -> str:
    """A printable URI link annotation that belongs to its Link element."""
    return (f"<< /Type /Annot /Subtype /Link /Rect [{fp_str(*link.rect)}] /Border [0 0 0] /F 4 "
            f"/Contents {_string(link.contents, doc)} "
            f"/A << /Type /Action /S /URI /URI {_string(link.uri, doc)} >> /StructParent {struct_parent} >>")


def _collect(elem: StructElem, parent: StructElem | None, elems: list[StructElem],
             parents: list[StructElem | None]) -> bool:
    """Elements in reading order into `elems` (each one's parent into `parents`), leaving out those
    with no content (drawn nowhere)."""
    elems.append(elem)
    parents.append(parent)
    kids = elem.kids
    if len(kids) == 1 and type(kids[0]) is tuple:  # most elements: one piece of content
        return True
    if any(type(kid) is StructElem for kid in kids):
        kids = elem.kids = [kid for kid in kids
                            if type(kid) is not StructElem or _collect(kid, elem, elems, parents)]
    if not kids:
        elems.pop()  # nothing was appended after it: its kids are all gone
        parents.pop()
    return bool(kids)


def _elem_text(elem: StructElem, parent_ref: str, page_refs: list[str], link_refs: list[str], doc) -> str:
    kids = elem.kids
    if len(kids) == 1 and type(kids[0]) is tuple and kids[0][0] == "mcr" and elem.alt is elem.lang is None \
            and not elem.attributes:  # most elements: one paragraph's text on one page
        return f"<< /Type /StructElem /S /{elem.tag} /P {parent_ref} /Pg {page_refs[kids[0][1] - 1]} /K {kids[0][2]} >>"
    parts = [f"<< /Type /StructElem /S /{elem.tag} /P {parent_ref}"]
    first_page = next((kid[1] for kid in elem.kids if isinstance(kid, tuple)), None)
    if first_page is not None:
        parts.append(f"/Pg {page_refs[first_page - 1]}")
    kids = []
    for kid in elem.kids:
        if isinstance(kid, StructElem):
            kids.append(kid.ref)
        elif kid[0] == "mcr":
            kids.append(str(kid[2]) if kid[1] == first_page else
                        f"<< /Type /MCR /Pg {page_refs[kid[1] - 1]} /MCID {kid[2]} >>")
        else:
            kids.append(f"<< /Type /OBJR /Pg {page_refs[kid[1] - 1]} /Obj {link_refs[kid[2]]} >>")
    parts.append(f"/K {kids[0]}" if len(kids) == 1 else f"/K [{' '.join(kids)}]")
    if elem.alt is not None:
        parts.append("/Alt " + _string(elem.alt, doc))
    if elem.lang is not None:
        parts.append("/Lang " + _string(elem.lang, doc))
    if elem.attributes:
        parts.append("/A << " + " ".join(f"/{key} /{value}" for key, value in elem.attributes.items()) + " >>")
    return " ".join(parts) + " >>"


def xmp_stream(title: str, lang: str, doc) -> PDFStream:
    """The XMP packet: dc:title and dc:language for assistive technology, and the PDF/UA-1 claim."""
    info = doc.info
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(info.author or "")}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                     packet.encode("utf-8"), filters=[])
