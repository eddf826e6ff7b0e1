"""Page flow (issue 14, item 5): every built handout read back against the flow rules.

The library test builds the whole shipped workspace once (every clinic, language and layout)
and checks each reading-order PDF with `flowcheck`; a failure lists every violation with file,
page and column, parametrized per layout and clinic so it says where to look.

The checker's own tests build small tagged PDFs with ReportLab, the project's tagging canvas and
paragraph helpers, one with each kind of break and one without, so each rule is shown to catch
what it should and to leave good pages alone.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, FrameBreak, PageBreak, PageTemplate

from conftest import REPO
from flowcheck import Checker, UnreadableHandout, Violation, check_pdf, reading_order_files
from handouts.compose import compose
from handouts.pdf import render
from handouts.pdf.blocks import bullet_list, link_para, text_para
from handouts.pdf.doc import LimitedDoc
from handouts.pdf.tagging import StructElem, document
from handouts.richtext import Run
from handouts.workspace import Workspace

LAYOUTS = ("one-page", "booklet", "large-print")
CLINICS = tuple(sorted(path.name for path in (REPO / "clinics").iterdir() if (path / "clinic.yaml").is_file()))


# -- the shipped library --------------------------------------------------------------------------

@dataclass(frozen=True)
class Library:
    out: Path
    log: str  # what the build printed: why a handout was not built


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Library:
    """Every shipped handout, built once for the session."""
    out = tmp_path_factory.mktemp("flow") / "out"
    build = subprocess.run([sys.executable, "-m", "handouts", "--workspace", str(REPO), "build", "--force", "-q",
                            "-j2", "-o", str(out)], check=False, capture_output=True, text=True, timeout=600)
    return Library(out, build.stdout + build.stderr)


def _expected(layout: str, clinic: str) -> list[Path]:
    settings = Workspace(REPO).settings
    return [Path(clinic) / lang / f"{path.stem}.{layout}.pdf" for lang in settings.languages
            for path in sorted((REPO / "content" / lang).glob("*.yaml"))]


@pytest.mark.parametrize("clinic", CLINICS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_library_flows(library: Library, layout: str, clinic: str) -> None:
    problems = []
    for relative in _expected(layout, clinic):
        path = library.out / relative
        if not path.is_file():
            lang, procedure = relative.parts[1], relative.name.split(".")[0]
            why = next((line.strip() for line in library.log.splitlines()
                        if f"{procedure} [{clinic}, {lang}, {layout}]" in line), "no message")
            problems.append(f"{relative}: not built: {why}")
            continue
        problems += [violation.line() for violation in check_pdf(path, name=str(relative))]
    assert not problems, f"{len(problems)} page-flow problems:\n" + "\n".join(problems)


def test_library_is_read_whole(library: Library) -> None:
    """The checker takes every reading-order file the build wrote, and not the printer's imposed ones."""
    files = reading_order_files(library.out)
    written = sorted(path for path in library.out.rglob("*.pdf") if not path.name.endswith(".booklet-print.pdf"))
    assert files == written and any(path.name.endswith(".booklet.pdf") for path in files)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_real_handout_flow_is_found(layout: str) -> None:
    """On a handout the project renders (checked from its bytes), the flow holds every section
    heading the layout prints, in order, and none of the furniture: not the clinic's band, not the
    footer, and on the one-page not the call box."""
    ws = Workspace(REPO)
    handout = compose(ws.procedure("en", "medial-branch-block"), ws.clinic("riverbend"), ws.strings("en"),
                      workspace_fonts=ws.settings.fonts)
    spec = ws.layout(layout)
    checker = Checker(render(handout, spec).pdf, kind=layout)
    flow_headings = [block.text() for block in checker.blocks if block.tag == "H2"
                     and block.text() != handout.labels["key_points"]]  # large print: "Remember" first
    printed = [handout.section(key).heading for key in spec.sections if handout.section(key) is not None]
    assert flow_headings[:len(printed)] == printed
    flow_text = " ".join(block.text() for block in checker.blocks)
    assert handout.brand.name not in flow_text  # band and footer are furniture
    call_heading = handout.call_box.heading
    assert (call_heading in flow_text) == (layout == "large-print")  # the call box travels with large print only
    assert checker.run() == check_pdf(render(handout, spec).pdf, kind=layout)


# -- small tagged PDFs, built to order -------------------------------------------------------------

LEADING = 14.0
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=LEADING, spaceBefore=0, spaceAfter=0)
HEADING = ParagraphStyle("heading", parent=BODY, fontName="Helvetica-Bold")
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=12, bulletIndent=2)
COLUMN_W = 200.0
PAGE = (460.0, 600.0)


def words(count: int, start: int = 0) -> str:
    return " ".join(f"word{n}" for n in range(start, start + count))


def lines_text(count: int, style=BODY) -> str:
    """A text that wraps to exactly `count` lines in a column (and as long as it can)."""
    n = 1
    while _line_count(words(n + 1), style) <= count:
        n += 1
    assert _line_count(words(n), style) == count
    return words(n)


def _line_count(text: str, style) -> int:
    paragraph = text_para(text, style)
    return round(paragraph.wrap(COLUMN_W - style.leftIndent, 1e6)[1] / style.leading)


class Synthetic:
    """A tagged handout skeleton: title and summary first, then a body of sections in frames.

    `kind` names the file as the checker expects: one-page (two columns under a full-width top),
    booklet (a cover page, then one frame a page) or large-print (one frame a page, from the
    title on).
    """

    def __init__(self, kind: str, frame_lines: float = 12, summary: str = "A short summary.") -> None:
        self.kind = kind
        self.root = document("en")
        self.story: list = [text_para("Synthetic handout", HEADING, struct=self.root.add("H1")),
                            text_para(summary, BODY, struct=self.root.add("P"))]
        self.frame_h = frame_lines * LEADING + 0.5
        if kind == "booklet":
            self.story.append(PageBreak())
        elif kind == "one-page":
            self.story.append(FrameBreak())
        self.body = self.root.add("Div") if kind == "one-page" else self.root
        self.sect: StructElem | None = None
        self.has_call_box = False

    def heading(self, text: str = "A heading", tag: str = "H2") -> Synthetic:
        if tag == "H2":
            self.sect = self.body.add("Sect")
        self.story.append(text_para(text, HEADING, struct=self.sect.add(tag)))
        return self

    def para(self, lines: int) -> Synthetic:
        self.story.append(text_para(lines_text(lines), BODY, struct=self.sect.add("P")))
        return self

    def items(self, *lines: int, splittable: bool = False) -> Synthetic:
        items = bullet_list([_runs(lines_text(n, BULLET)) for n in lines], BULLET, self.sect)
        for item in items:
            item.whole = not splittable  # a layout keeps items whole; a broken one lets platypus split them
        self.story += items
        return self

    def brk(self) -> Synthetic:
        self.story.append(PageBreak() if self.kind != "one-page" else FrameBreak())
        return self

    def call_box(self, label: str) -> Synthetic:
        """The call box's tree: H2, the after-hours link, a label and its list (drawn in the flow here)."""
        self.has_call_box = True
        sect = self.root.add("Sect")
        self.story += [text_para("When should I call?", HEADING, struct=sect.add("H2")),
                       link_para("After hours: 555-0100", BODY, sect, "tel:5550100"),
                       text_para(label, HEADING, struct=sect.add("P")),
                       *bullet_list([_runs("Fever")], BULLET, sect)]
        return self

    def build(self, folder: Path, name: str = "synthetic", call_box: bool = True) -> Path:
        """The PDF; a handout always has a call box, so one goes on a page of its own after the body."""
        if call_box and not self.has_call_box:
            self.story.append(PageBreak())
            self.call_box("Call us if you have:")
        path = folder / f"{name}.{self.kind}.pdf"
        with path.open("wb") as out:
            doc = LimitedDoc(out, max_pages=8, created="D:20260101000000+00'00'", structure=self.root,
                             pagesize=PAGE, leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
            doc.addPageTemplates([PageTemplate(id="page", frames=self._frames())])
            doc.build(self.story)
        return path

    def _frames(self) -> list[Frame]:
        left, bottom = 20.0, 40.0

        def frame(x: float, y: float, w: float, h: float, name: str) -> Frame:
            return Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)

        if self.kind == "one-page":
            top_y = bottom + self.frame_h + 10
            return [frame(left, top_y, PAGE[0] - 2 * left, PAGE[1] - top_y - 20, "top"),
                    frame(left, bottom, COLUMN_W, self.frame_h, "col1"),
                    frame(PAGE[0] - left - COLUMN_W, bottom, COLUMN_W, self.frame_h, "col2")]
        return [frame(left, bottom, COLUMN_W, self.frame_h, "page")]


def _runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def rules(violations: list[Violation]) -> list[str]:
    return [violation.rule for violation in violations]


@pytest.fixture
def build(tmp_path: Path):
    def make(synthetic: Synthetic, name: str = "synthetic") -> list[Violation]:
        return check_pdf(synthetic.build(tmp_path, name))
    return make


def test_a_list_item_split_across_columns(build) -> None:
    # 12-line columns: 10 lines, then a 5-line item of which 2 lines fit.
    split = Synthetic("one-page").heading().para(9).items(5, splittable=True).para(3).heading().para(4)
    whole = Synthetic("one-page").heading().para(9).items(1, 1).para(3).heading().para(4)
    found = build(split, "split")
    assert [(v.rule, v.page, v.column) for v in found if v.rule == "a"] == [("a", 1, 1)]
    assert "a" not in rules(build(whole, "whole"))


def test_a_list_item_split_across_pages(build) -> None:
    split = Synthetic("large-print").heading().para(7).items(5, splittable=True).heading().para(8)
    found = build(split)
    assert ("a", 1) in [(v.rule, v.page) for v in found]


def test_b_heading_that_ends_a_column(build) -> None:
    stranded = Synthetic("one-page").heading().para(10).heading("Ends here").brk().para(4).heading().para(3)
    kept = Synthetic("one-page").heading().para(10).brk().heading("Ends here").para(4).heading().para(3)
    found = [v for v in build(stranded, "stranded") if v.rule == "b"]
    assert [(v.page, v.column) for v in found] == [(1, 1)] and "Ends here" in found[0].text
    assert "b" not in rules(build(kept, "kept"))


def test_b_heading_whose_sub_label_starts_the_next_column(build) -> None:
    split = (Synthetic("one-page").heading().para(10).heading("What are the risks?").brk()
             .heading("Common and mild", "H3").items(1, 1).heading().para(3))
    together = (Synthetic("one-page").heading().para(7).heading("What are the risks?")
                .heading("Common and mild", "H3").items(1, 1).brk().heading().para(3))
    found = [v for v in build(split, "split") if v.rule == "b"]
    assert [(v.page, v.column) for v in found] == [(1, 1)] and "What are the risks?" in found[0].text
    assert "b" not in rules(build(together, "together"))


def test_b_sub_label_keeps_two_lines_of_its_list(build) -> None:
    one_line = (Synthetic("one-page").heading().para(9).heading("Rare but serious", "H3").items(1).brk()
                .items(1, 2).heading().para(3))
    two_lines = (Synthetic("one-page").heading().para(8).heading("Rare but serious", "H3").items(1, 1).brk()
                 .items(1, 3).heading().para(3))
    found = [v for v in build(one_line, "one") if v.rule == "b"]
    assert len(found) == 1 and "Rare but serious" in found[0].text and "keeps 1 of 4" in found[0].text
    assert "b" not in rules(build(two_lines, "two"))


def test_b_short_content_need_not_fill_two_lines(build) -> None:
    """A heading over a one-line paragraph, all in one column, keeps all of what follows it."""
    short = Synthetic("large-print").heading().para(1).heading().para(5)
    assert "b" not in rules(build(short))


def test_c_short_text_above_the_first_heading_of_a_column(build) -> None:
    two = Synthetic("one-page").heading().para(10).brk().para(2).heading().para(5)
    three = Synthetic("one-page").heading().para(10).brk().para(3).heading().para(4)
    none = Synthetic("one-page").heading().para(10).brk().heading().para(7)
    found = [v for v in build(two, "two") if v.rule == "c"]
    assert [(v.page, v.column) for v in found] == [(1, 2)] and "(2 lines)" in found[0].text
    assert "c" not in rules(build(three, "three"))
    assert "c" not in rules(build(none, "none"))


def test_c_stranded_item_at_a_page_top(build) -> None:
    stranded = Synthetic("booklet").heading().para(9).items(2).brk().items(1).heading().para(8)
    found = [v for v in build(stranded) if v.rule == "c"]
    assert [(v.page, v.column) for v in found] == [(3, None)]


def test_d_columns_end_within_three_lines(build) -> None:
    uneven = Synthetic("one-page").heading().para(11).brk().heading().para(7)  # ends 4 lines higher
    even = Synthetic("one-page").heading().para(11).brk().heading().para(9)  # 2 lines higher
    found = [v for v in build(uneven, "uneven") if v.rule == "d"]
    assert [(v.page, v.column) for v in found] == [(1, 2)]
    assert "d" not in rules(build(even, "even"))


def test_d_only_on_the_one_page(build) -> None:
    assert "d" not in rules(build(Synthetic("large-print").heading().para(11).brk().heading().para(2)))


def _lone(style=HEADING) -> tuple[str, str]:
    """Two texts for a column: one whose last line is a single word (the shortest text that wraps:
    all but its last word fill one line), and one word more, whose last line has two."""
    count = next(n for n in range(2, 60) if _line_count(words(n), style) == 2)
    return words(count), words(count + 1)


def test_e_lone_word_in_a_heading(build) -> None:
    lone, fine = _lone()
    assert [v.rule for v in build(Synthetic("large-print").heading(lone).para(5), "lone")] == ["e"]
    assert rules(build(Synthetic("large-print").heading(fine).para(5), "fine")) == []


def test_e_lone_word_in_a_call_box_label_and_the_summary(build) -> None:
    lone, fine = _lone()
    label = Synthetic("large-print").heading().para(3).call_box(lone)
    found = build(label, "label")
    assert rules(found) == ["e"] and found[0].text.startswith(repr(lone.split()[-1]))
    assert rules(build(Synthetic("large-print").heading().para(3).call_box(fine), "fine")) == []
    lone_body, _ = _lone(BODY)
    summary = build(Synthetic("large-print", summary=lone_body).heading().para(3), "summary")
    assert rules(summary) == ["e"]


def test_f_near_empty_page(build) -> None:
    spill = Synthetic("booklet").heading().para(11).brk().para(2)
    filled = Synthetic("booklet").heading().para(11).brk().para(4)
    found = [v for v in build(spill, "spill") if v.rule == "f"]
    assert [v.page for v in found] == [3] and "(2 lines)" in found[0].text
    assert "f" not in rules(build(filled, "filled"))


def test_handout_without_call_box_is_refused(tmp_path: Path) -> None:
    """The call box ends the booklet's flow: without it the checker would judge the writing pages."""
    path = Synthetic("booklet").heading().para(3).build(tmp_path, call_box=False)
    with pytest.raises(UnreadableHandout, match="no call box"):
        check_pdf(path)


def test_untagged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.one-page.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 700, "Hello")
    canvas.save()
    with pytest.raises(UnreadableHandout):
        check_pdf(path)
