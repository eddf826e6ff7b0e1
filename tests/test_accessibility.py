"""Tagged PDF (PDF/UA-1): the structure tree read back as a screen reader would meet it.

The tree is read with pikepdf, the text of each element with poppler (`pdfinfo -struct-text`),
visible words and their positions with pdfplumber, and the whole file is checked by the
independent `pdfua` checker from PyPI, run as a real subprocess.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import REPO
from handouts.compose import compose
from handouts.patient import Patient
from handouts.pdf import render
from handouts.richtext import to_plain
from handouts.workspace import Workspace
from pdfread import reader
from pdfread import words as pdf_words

LAYOUTS = ("one-page", "booklet", "large-print")
PAINT = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")


def _handout(lang: str = "en", procedure: str = "epidural-steroid-injection", clinic: str = "riverbend",
             patient: Patient | None = None):
    ws = Workspace(REPO)
    return ws, compose(ws.procedure(lang, procedure), ws.clinic(clinic), ws.strings(lang), patient=patient,
                       workspace_fonts=ws.settings.fonts, artwork=ws.artwork(ws.clinic(clinic)))


def _pdf(layout: str, **kwargs) -> tuple[bytes, object]:
    ws, handout = _handout(**kwargs)
    return render(handout, ws.layout(layout)).pdf, handout


PATIENT = Patient("Ana Ruiz", dt.date(2026, 12, 1), dt.time(7, 30), "Dr. Patel", "Stop aspirin 5 days before.")


# -- reading the tree back -----------------------------------------------------------------------

def walk(pdf: pikepdf.Pdf):
    """(depth, element) for every structure element, in tree order."""
    def visit(node, depth):
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield depth, kid
                yield from visit(kid, depth + 1)
    yield from visit(pdf.Root.StructTreeRoot, 0)


def struct_text(data: bytes, tmp_path: Path, join_parts: bool = False) -> list[tuple[str, str]]:
    """(tag, text) for each element that holds text, in structure order, as poppler reads it.
    `join_parts`: one text per element (poppler prints a paragraph split across pages, or a label
    and its value, as one quoted line per marked-content part)."""
    path = tmp_path / "tagged.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    pairs, tags = [], []
    joined = False  # poppler prints an element split across pages as one quoted line per page
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if body.startswith('"') and body.endswith('"'):
            if joined and join_parts:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + body[1:-1])
            else:
                pairs.append((tags[depth - 1] if depth else "", body[1:-1]))
            joined = True
        elif body and not body.startswith(("/", "Object ")):
            del tags[depth:]
            tags.append(body.split(" ")[0].rstrip(":"))
            joined = False
    return [(tag, text) for tag, text in pairs if text]


def words_of(text: str) -> list[str]:
    return text.split()


def unmarked_paint(data: bytes) -> list[str]:
    """Painting operators outside any marked content (neither tagged nor an artifact), marked
    content nested in tagged content or tagged content inside an artifact, and MCIDs the content
    and the ParentTree do not agree on."""
    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages):
            depth, mcids, open_marks = 0, [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    depth += 1
                    tagged = op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
                    if tagged:
                        mcids.append((str(operands[0]), int(operands[1].MCID)))
                    if open_marks and (tagged or open_marks[-1]):
                        problems.append(f"page {number + 1}: {operands[0]} nested in other marked content")
                    open_marks.append(tagged or str(operands[0]) != "/Artifact")
                elif op == "EMC":
                    depth -= 1
                    open_marks.pop()
                elif op in PAINT and depth == 0:
                    problems.append(f"page {number + 1}: {op} outside marked content")
            owners = parents[int(page.StructParents)]
            if [m for _, m in mcids] != list(range(len(owners))):
                problems.append(f"page {number + 1}: MCIDs {mcids} but {len(owners)} ParentTree entries")
            for tag, mcid in mcids:
                if str(owners[mcid].S) != tag:
                    problems.append(f"page {number + 1}: MCID {mcid} marked {tag}, owned by {owners[mcid].S}")
    return problems


# -- the tree ------------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_catalogue_declares_a_tagged_pdf_ua_document(layout, lang):
    data, handout = _pdf(layout, lang=lang)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        meta = pdf.open_metadata()
        assert meta["dc:title"] == handout.title
        assert meta["pdfuaid:part"] == "1"
        assert lang in meta["dc:language"]
        for page in pdf.pages:
            assert "/StructParents" in page
            if "/Annots" in page:
                assert page.Tabs == "/S"
    assert unmarked_paint(data) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_headings_start_at_the_title_and_never_skip_a_level(layout, tmp_path):
    data, handout = _pdf(layout, patient=PATIENT if layout == "large-print" else None)
    headings = [(int(tag[1]), text) for tag, text in struct_text(data, tmp_path) if re.fullmatch(r"H[1-6]", tag)]
    assert headings[0] == (1, handout.title)
    assert [level for level, _ in headings].count(1) == 1
    for (before, _), (after, text) in zip(headings, headings[1:]):
        assert after <= before + 1, f"heading {text!r} jumps from H{before} to H{after}"
    section_headings = [text for level, text in headings if level == 2]
    assert [s.heading for s in handout.sections if s.heading in section_headings] == \
        [h for h in section_headings if h in {s.heading for s in handout.sections}]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_lists_are_labelled_items(layout):
    data, _ = _pdf(layout)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elements = [element for _, element in walk(pdf)]
        lists = [e for e in elements if e.S == "/L"]
        assert lists
        for element in lists:
            items = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            assert all(item.S == "/LI" for item in items)
            for item in items:
                assert [kid.S for kid in item.K] == ["/Lbl", "/LBody"]


def test_every_figure_has_alternative_text():
    data, handout = _pdf("booklet")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        alts = [str(e.Alt) for _, e in walk(pdf) if e.S == "/Figure"]
    logo = f"{handout.brand.name} logo"
    qr = f"QR code: {handout.brand.qr_url}"
    icons = [handout.call_box.clinic_icon_alt, handout.call_box.emergency_icon_alt]  # beside the call box's tiers
    # cover band, the procedure's picture, the call box's icons, back cover logo and QR
    assert alts == [logo, handout.figure.alt, *icons, logo, qr]


@pytest.mark.parametrize("layout", ["one-page", "booklet"])
def test_every_link_annotation_belongs_to_a_link_element(layout):
    data, handout = _pdf(layout)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        uris = []
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.Subtype == "/Link" and annot.F == 4 and str(annot.Contents)
                link = parents[int(annot.StructParent)]
                assert link.S == "/Link"
                kids = link.K if isinstance(link.K, pikepdf.Array) else [link.K]
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                           and k.Obj.objgen == annot.objgen for k in kids)
                uris.append(str(annot.A.URI))
    site, phone, after_hours = f"https://{handout.brand.website}", "tel:5415550142", "tel:5415550199"
    assert uris == ([phone, site, after_hours] if layout == "one-page" else
                    [after_hours, phone, after_hours, site, "mailto:frontdesk@riverbend-pain.example"])


# -- reading order -------------------------------------------------------------------------------

def _lines(words: list[dict]) -> list[dict]:
    """Words top to bottom, left to right within a line (a line: tops within 3 pt)."""
    ordered, line = [], []
    for word in sorted(words, key=lambda w: w["top"]):
        if line and word["top"] - line[0]["top"] > 3:
            ordered += sorted(line, key=lambda w: w["x0"])
            line = []
        line.append(word)
    return ordered + sorted(line, key=lambda w: w["x0"])


def reading_order(data: bytes, handout) -> list[str]:
    """The one-page as a sighted reader reads it: the band (name, then the phone block), title and
    summary, column 1, column 2, the call box (its strip, then its left and right lists), footer."""
    words = pdf_words(data)  # horizontal text only: a draft's DRAFT watermark is an artifact
    mid = float(reader(data).pages[0].mediabox.width) / 2

    def top_of(text: str) -> float:
        return next(w["top"] for w in words if w["text"] == text.split()[0])

    title = top_of(handout.title)
    body = min(w["top"] for w in words if w["text"] == handout.sections[0].heading.split()[0])
    box = top_of(handout.call_box.heading)
    # the tiers' labels start the box's body (the emergency label's band may sit a little higher)
    box_body = min(w["top"] for w in words if w["top"] > box + 8)
    footer = max(w["top"] for w in words if w["text"] == handout.labels["footer.updated"].split()[0])
    zone = lambda lo, hi: [w for w in words if lo <= w["top"] < hi]  # noqa: E731
    band = zone(0, title - 2)
    contact = set(words_of(f"{handout.labels['header.call']} {handout.brand.phone} {handout.brand.website}"))
    phone_x = min(w["x0"] for w in band if w["text"] in contact)
    ordered = _lines([w for w in band if w["x0"] < phone_x]) + _lines([w for w in band if w["x0"] >= phone_x])
    ordered += _lines(zone(title - 2, body - 2))
    columns = zone(body - 2, box - 2)
    ordered += _lines([w for w in columns if w["x0"] < mid]) + _lines([w for w in columns if w["x0"] >= mid])
    ordered += _lines(zone(box - 2, box_body - 2))
    boxed = zone(box_body - 2, footer - 2)
    ordered += _lines([w for w in boxed if w["x0"] < mid]) + _lines([w for w in boxed if w["x0"] >= mid])
    ordered += _lines(zone(footer - 2, 1e9))
    return [w["text"] for w in ordered]


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("clinic", ["riverbend", "northshore"])
def test_structure_reads_like_the_page(lang, clinic, tmp_path):
    """Every visible word once, in reading order, none glued to the next at a line break."""
    data, handout = _pdf("one-page", lang=lang, clinic=clinic)
    tagged = [word for _, text in struct_text(data, tmp_path) for word in words_of(text)]
    # A draft first says so (its margin line, turned on its side, is not in the horizontal text).
    notice = words_of(handout.approval.line) if handout.approval and handout.approval.draft else []
    assert tagged == notice + reading_order(data, handout)


@needs_poppler
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_paragraph_reads_whole_with_its_spaces(layout, tmp_path):
    """poppler joins an element's lines as a screen reader does: each paragraph of the content
    must come back word for word ("this briefing", never "thisbriefing")."""
    data, handout = _pdf(layout)
    texts = {re.sub(r"\s+", " ", text) for _, text in struct_text(data, tmp_path, join_parts=True)}
    expected = [to_plain(handout.summary)]
    for section in handout.sections:
        for block in section.blocks + (section.more if layout == "booklet" else ()):
            expected += [to_plain(item) for item in getattr(block, "items", ())]
            if hasattr(block, "text"):
                expected.append(to_plain(block.text))
    for paragraph in expected:
        assert re.sub(r"\s+", " ", paragraph).strip() in texts


@needs_poppler
def test_patient_panel_reads_as_labelled_text(tmp_path):
    data, _ = _pdf("large-print", patient=PATIENT)
    texts = [text for _, text in struct_text(data, tmp_path)]
    start = texts.index("Your appointment")
    assert texts[start + 1:start + 3] == ["Name:", "Ana Ruiz"]


@needs_poppler
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_note_in_another_language_is_a_span_in_that_language(layout, tmp_path):
    """Riverbend prints "Se habla español." on English pages too; a screen reader must switch voice."""
    data, _ = _pdf(layout)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        spans = [(str(e.get("/Lang")), e) for _, e in walk(pdf) if e.S == "/Span"]
    assert [lang for lang, _ in spans] == ["es"]
    assert ("Span", "Se habla español.") in struct_text(data, tmp_path)
    spanish, _ = _pdf(layout, lang="es")
    with pikepdf.open(io.BytesIO(spanish)) as pdf:
        assert not [e for _, e in walk(pdf) if e.S == "/Span"]  # the same language: nothing to switch


@needs_poppler
def test_symbols_read_back_as_themselves(tmp_path):
    """Every font is embedded with a ToUnicode map that covers the bullets and the degree sign."""
    data, _ = _pdf("one-page")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            assert "/ToUnicode" in font and "/FontFile2" in font.FontDescriptor
    texts = [text for _, text in struct_text(data, tmp_path)]
    assert texts.count("\u2022") >= 10
    assert any("100.4 \u00b0F (38 \u00b0C)" in text for text in texts)


# -- the independent checker ---------------------------------------------------------------------

def pdfua_findings(paths: list[Path]) -> dict[str, list]:
    """Run `pdfua check` (PyPI) as its own process; findings and skipped rules per file."""
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, paths)],
                            capture_output=True, text=True)
    assert result.returncode in (0, 1, 2, 3), result.stderr
    reports = [json.loads(chunk) for chunk in re.split(r"(?m)^(?=\{)", result.stdout) if chunk.strip()]
    assert len(reports) == len(paths), result.stdout[:2000]
    return {Path(r["file"]).name: r["findings"] + r["skipped"] for r in reports if r["findings"] or r["skipped"]}


def test_pdfua_checker_finds_nothing_in_any_layout_or_language(demo_pdfs, tmp_path):
    ws, personal = _handout("es", "medial-branch-block", "northshore", patient=PATIENT)
    personalised = []
    for layout in LAYOUTS:
        path = tmp_path / f"personal.{layout}.pdf"
        path.write_bytes(render(personal, ws.layout(layout)).pdf)
        personalised.append(path)
    files = sorted(demo_pdfs.glob("*/*/*.pdf"))
    reading = [f for f in files if not f.name.endswith(".booklet-print.pdf")]
    assert len(reading) == 240  # 2 clinics x 20 procedures x 2 languages x 3 layouts: every reading-order file
    assert pdfua_findings(reading + personalised) == {}


def test_untagged_file_is_caught_by_the_checker(tmp_path):
    """The checker gate is real: the imposed print file (exempt, untagged) has findings."""
    ws, handout = _handout()
    imposed = render(handout, ws.layout("booklet")).imposed
    path = tmp_path / "print.pdf"
    path.write_bytes(imposed)
    assert pdfua_findings([path])


def test_print_imposition_says_it_is_exempt():
    ws, handout = _handout()
    with pikepdf.open(io.BytesIO(render(handout, ws.layout("booklet")).imposed)) as pdf:
        assert "not tagged" in str(pdf.docinfo["/Accessibility"])
        assert "booklet.pdf" in str(pdf.docinfo["/Accessibility"])
        assert "/StructTreeRoot" not in pdf.Root


@pytest.mark.parametrize("layout", ["booklet", "large-print"])
def test_tagged_output_is_byte_identical_across_processes(layout, demo_pdfs):
    """The demo build ran in worker processes; the structure tree must not differ by a byte."""
    data, _ = _pdf(layout, lang="es", procedure="medial-branch-block")
    assert data == (demo_pdfs / f"riverbend/es/medial-branch-block.{layout}.pdf").read_bytes()


def test_tree_objects_are_numbered_as_reportlab_numbers_them():
    """The structure tree registers its objects in one go; the document must end up exactly as if
    each had gone through ReportLab's own Reference, down to the saved bytes."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts.pdf.tagging import _Raw, _register

    def saved(register) -> tuple:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        canvas.drawString(72, 72, "text")
        canvas._doc.Reference(_Raw("<< /Before true >>"))
        refs = register(canvas._doc, [_Raw(f"<< /N {n} >>") for n in range(5)])
        canvas._doc.Reference(_Raw("<< /After true >>"))
        numbers = dict(canvas._doc.idToObjectNumberAndVersion)
        canvas.save()
        return refs, numbers, buffer.getvalue()

    def one_by_one(doc, objects):
        numbers = doc.idToObjectNumberAndVersion
        return ["%d %d R" % numbers[doc.Reference(obj).name] for obj in objects]

    assert saved(_register) == saved(one_by_one)
