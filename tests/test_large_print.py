"""Large print, measured from the PDF: 18 pt or more everywhere, short lines, the call box before
the sources, the title on every page, the picture and key points, and pages that break cleanly.

The page-flow rules are checked over the whole shipped library (both clinics, both languages) by
reading the structure tree back with pikepdf (which element each piece of marked content belongs
to, on which page) and the text with pdfplumber (which line each character of it sits on).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from conftest import copy_workspace, edit_yaml
from handouts.compose import compose
from handouts.richtext import to_plain
from handouts.workspace import Workspace
from pdfread import fonts, reader, text, text_chars

HEADINGS = {"/H1", "/H2", "/H3"}
BLOCKS = ("/LI", "/P", "/Figure", *HEADINGS)  # the outermost of these owns a piece of marked content
KEY_POINTS = {"en": ["Do not eat for 6 hours before, but take your usual pills.",
                     "Bring an adult to drive you home.",
                     "Call us for fever, new weakness or a bad headache."],
              "es": ["No coma durante 6 horas antes, pero tome sus pastillas.",
                     "Traiga a un adulto que lo lleve a casa.",
                     "Llámenos si tiene fiebre, debilidad nueva o un dolor de cabeza fuerte."]}
WITH_KEY_POINTS = "epidural-steroid-injection"


@pytest.fixture(scope="module")
def large_print(tmp_path_factory) -> Path:
    """The demo workspace's large print, built once (the ESI with key points written in, until
    the content has them); returns the workspace folder."""
    from handouts.cli import cli as main

    ws = copy_workspace(tmp_path_factory.mktemp("lp") / "ws")
    for lang, points in KEY_POINTS.items():
        edit_yaml(ws / f"content/{lang}/{WITH_KEY_POINTS}.yaml", lambda data, p=points: data.update(key_points=p))
    result = CliRunner().invoke(main, ["--workspace", str(ws), "build", "-l", "large-print", "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ws


def library(ws: Path) -> list[Path]:
    files = sorted((ws / "out").rglob("*.large-print.pdf"))
    assert len(files) == 80  # 20 procedures x 2 languages x 2 clinics
    return files


def handout_of(ws: Path, path: Path):
    """The composed handout a built file came from: out/<clinic>/<lang>/<id>.large-print.pdf."""
    workspace = Workspace(ws)
    clinic = workspace.clinic(path.parent.parent.name)
    return compose(workspace.procedure(path.parent.name, path.name.split(".")[0]), clinic,
                   workspace.strings(path.parent.name), workspace_fonts=workspace.settings.fonts,
                   artwork=workspace.artwork(clinic))


# -- reading the page flow back ----------------------------------------------------------------

def marked_content(path: Path) -> list[tuple[int, int, list[tuple[tuple, str]]]]:
    """(page, MCID, ancestors as (id, tag) from the root down) for all tagged content, in
    structure order."""
    found = []
    with pikepdf.open(path) as pdf:
        page_of = {page.objgen: number for number, page in enumerate(pdf.pages)}

        def visit(node, chain):
            kids = node.get("/K")
            for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    found.append((page_of[kid.Pg.objgen], int(kid.MCID), chain))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                    visit(kid, chain + [(kid.objgen, str(kid.S))])
                elif isinstance(kid, int):
                    found.append((page_of[node.Pg.objgen], kid, chain))

        visit(pdf.Root.StructTreeRoot, [])
    return found


def pages_of_blocks(path: Path) -> dict[int, list[tuple[tuple, str, int]]]:
    """page -> [(block id, tag, lines of it on that page)] in reading order. A block is a list item,
    paragraph, heading or figure; its lines are the distinct baselines of its characters."""
    tops: dict[tuple[int, int], set[float]] = defaultdict(set)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None and char["text"].strip():
                    tops[(number, char["mcid"])].add(char["bottom"])
    pages: dict[int, dict[tuple, list]] = defaultdict(dict)
    for page, mcid, chain in marked_content(path):
        block, tag = next((item for item in chain if item[1] in BLOCKS), chain[-1])
        pages[page].setdefault(block, [tag, set()])[1].update(tops[(page, mcid)])
    return {page: [(block, tag, _lines(tag, bottoms)) for block, (tag, bottoms) in blocks.items()]
            for page, blocks in sorted(pages.items())}


def _lines(tag: str, bottoms: set[float]) -> int:
    """Baselines closer than 6 pt are one line (a bullet and its text sit a little apart)."""
    lines = 0
    last = None
    for bottom in sorted(bottoms):
        if last is None or bottom - last > 6:
            lines += 1
        last = bottom
    return max(lines, 3) if tag == "/Figure" else lines  # a picture is a tall block of its own


def flow_problems(path: Path) -> list[str]:
    """Every break that item 5 of issue 14 forbids in this file."""
    pages = pages_of_blocks(path)
    problems = []
    item_pages = defaultdict(set)
    for page, blocks in pages.items():
        for block, tag, _ in blocks:
            if tag == "/LI":
                item_pages[block].add(page)
    problems += [f"list item split across pages {sorted(p)}" for p in item_pages.values() if len(p) > 1]
    for page, blocks in pages.items():
        tags = [tag for _, tag, _ in blocks]
        if page + 1 < len(pages) and tags[-1] in HEADINGS:
            problems.append(f"page {page + 1} ends with a heading")
        if page > 0:  # page 1 starts with the clinic's name, then the title
            first = next((i for i, tag in enumerate(tags) if tag in HEADINGS), len(tags))
            above = sum(lines for _, _, lines in blocks[:first])
            if 0 < above < 3:
                problems.append(f"page {page + 1} starts with {above} stranded line(s) above its first heading")
        following = pages.get(page + 1, [])
        runs_on = bool(following) and following[0][1] not in HEADINGS
        last_heading = max((i for i, tag in enumerate(tags) if tag in HEADINGS), default=None)
        if runs_on and last_heading is not None:
            kept = sum(lines for _, _, lines in blocks[last_heading + 1:])
            if kept < 2:
                problems.append(f"page {page + 1}: its last heading keeps {kept} line(s) of what follows")
    return problems



def position(path: Path, phrase: str) -> tuple[int, float]:
    """(page, top) of the first place the words of `phrase` start."""
    first = phrase.split()[:3]
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            words = page.extract_words()
            for index in range(len(words) - len(first) + 1):
                if [w["text"] for w in words[index:index + len(first)]] == first:
                    return number, words[index]["top"]
    raise AssertionError(f"{phrase!r} not found in {path}")


# -- the tests ---------------------------------------------------------------------------------

def test_large_print_rules_hold_for_every_handout(large_print):
    for path in library(large_print):
        pdf = reader(path)
        assert 1 <= len(pdf.pages) <= 6, path
        for number in range(len(pdf.pages)):
            page_chars = text_chars(path, number)
            assert min(c["size"] for c in page_chars) >= 18 - 0.01, path  # body, footer and page numbers alike
            assert not any("Italic" in c["fontname"] for c in page_chars), path
            left, right = min(c["x0"] for c in page_chars), max(c["x1"] for c in page_chars)
            assert right - left <= 6 * 72 + 1, path  # lines no longer than 6 inches
            width = float(pdf.pages[number].mediabox.width)
            assert left >= 1.1 * 72 - 1 and right <= width - 1.1 * 72 + 1


def test_pages_break_cleanly_in_the_whole_library(large_print):
    """No list item split, no heading at the foot of a page or without 2 lines of what follows,
    no 1-2 stranded lines at the top of a page; over every clinic and language."""
    problems = {path.relative_to(large_print / "out").as_posix(): flow_problems(path)
                for path in library(large_print)}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_last_page_is_never_a_spill(large_print):
    """The last page holds the call box, or the sources and disclaimer whole (never a few lines
    of a paragraph split off the page before)."""
    for path in library(large_print):
        handout = handout_of(large_print, path)
        pages = len(reader(path).pages)
        box_page, _ = position(path, handout.call_box.heading)
        sources_page, _ = position(path, handout.labels["footer.updated"])
        assert box_page == pages - 1 or sources_page == pages - 1, path
        last = pages_of_blocks(path)[pages - 1]
        assert sum(lines for _, _, lines in last) >= 4, path


def test_call_box_comes_before_the_sources_and_disclaimer(large_print):
    for path in library(large_print):
        handout = handout_of(large_print, path)
        box = position(path, handout.call_box.heading)
        assert box < position(path, handout.labels["footer.updated"]), path
        assert box < position(path, handout.labels["small_print"]), path
        texts = structure_texts(path)  # and a screen reader meets them in the same order

        def starting(phrase: str) -> int:
            return next(i for i, found in enumerate(texts) if found.startswith(phrase))

        assert starting(handout.call_box.heading) < starting(handout.labels["footer.updated"]), path


def structure_texts(path: Path) -> list[str]:
    """The text of each piece of tagged content, in structure order."""
    text_of: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    text_of[(number, char["mcid"])] += char["text"]
    return [" ".join(text_of[(page, mcid)].split()) for page, mcid, _ in marked_content(path)]


def test_title_on_every_page(large_print):
    """Page 1 has the title as its H1; later pages repeat it at the top, in 18 pt, as a pagination
    artifact (so a screen reader reads it once)."""
    for path in library(large_print):
        handout = handout_of(large_print, path)
        title = "".join(handout.title.split())
        content, texts = marked_content(path), structure_texts(path)
        h1 = next(i for i, (_, _, chain) in enumerate(content) if chain[-1][1] == "/H1")
        assert content[h1][0] == 0 and texts[h1].replace(" ", "") == title, path
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[1:]:
                body_top = min(c["top"] for c in page.chars if c.get("mcid") is not None)
                number = handout.labels["footer.page"].replace("{page}", str(page.page_number)).replace(
                    "{pages}", str(len(pdf.pages)))
                number_x = min(w["x0"] for w in page.extract_words() if w["text"] == number.split()[0])
                header = sorted((c for c in page.chars if c["top"] < body_top and c["upright"] and c["text"].strip()
                                 and c["size"] < 30 and c["x1"] < number_x),  # not the number, not the DRAFT mark
                                key=lambda c: (round(c["top"]), c["x0"]))
                assert "".join(c["text"] for c in header) == title, (path, page.page_number)
                assert all(c["tag"] == "Artifact" and c["mcid"] is None and c["size"] >= 18 - 0.01 for c in header)


def test_figure_and_its_caption(large_print):
    """The procedure's picture is a Figure with its alt text and the drawing's paths in it; its
    caption follows it, on the same page, at 18 pt."""
    for path in library(large_print):
        handout = handout_of(large_print, path)
        content, texts = marked_content(path), structure_texts(path)
        figures = [i for i, (_, _, chain) in enumerate(content) if chain[-1][1] == "/Figure"]
        assert len(figures) == 4, path  # the clinic's logo, the picture, the call box's two icons
        index = figures[1]
        page, mcid, _ = content[index]
        with pikepdf.open(path) as pdf:
            alts = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure"]
            assert painted_in(pdf.pages[page], mcid) > 10, path
        assert alts == [f"{handout.brand.name} logo", handout.figure.alt, handout.call_box.clinic_icon_alt,
                        handout.call_box.emergency_icon_alt], path
        caption_page, caption_mcid, chain = content[index + 1]
        assert caption_page == page and chain[-1][1] == "/P", path
        assert texts[index + 1] == " ".join(to_plain(handout.figure.caption).split()), path
        with pdfplumber.open(path) as pdf:
            chars = [c for c in pdf.pages[page].chars if c.get("mcid") == caption_mcid and c["text"].strip()]
        assert min(c["size"] for c in chars) >= 18 - 0.01


def painted_in(page, mcid: int) -> int:
    """How many path-painting operators the marked content with this MCID holds."""
    count, depth, inside = 0, 0, False
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            depth += 1
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and operands[1].get("/MCID") == mcid:
                inside, depth = True, 1
        elif op == "EMC":
            depth -= 1
            if inside and depth == 0:
                return count
        elif inside and op in ("f", "F", "f*", "S", "s", "B", "B*", "b", "b*"):
            count += 1
    return count


def _elements(pdf: pikepdf.Pdf):
    def visit(node):
        kids = node.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield kid
                yield from visit(kid)
    yield from visit(pdf.Root.StructTreeRoot)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_key_points_come_first_as_a_list(large_print, lang):
    """ "Remember" (an H2) and the key points as list items, on page 1, before the first section."""
    path = large_print / f"out/riverbend/{lang}/{WITH_KEY_POINTS}.large-print.pdf"
    handout = handout_of(large_print, path)
    content, texts = marked_content(path), structure_texts(path)
    at = texts.index(handout.labels["key_points"])
    assert content[at][2][-1][1] == "/H2" and content[at][0] == 0
    items = [i for i in range(at + 1, len(content)) if content[i][2][-2][1] == "/LI"][:2 * len(KEY_POINTS[lang])]
    assert all(content[i][2][-3][1] == "/L" for i in items)
    assert [texts[i] for i in items if content[i][2][-1][1] == "/LBody"] == KEY_POINTS[lang]
    assert at < texts.index(handout.sections[0].heading)


def test_checklist_boxes_are_at_least_9_pt_and_sit_on_the_first_line(large_print):
    path = large_print / "out/riverbend/en/epidural-steroid-injection.large-print.pdf"
    boxes = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = defaultdict(list)
            for char in page.chars:
                if char["text"].strip() and char["size"] >= 17.9 and char["upright"]:
                    lines[round(char["bottom"])].append(char)
            for rect in page.rects:
                if abs(rect["width"] - rect["height"]) > 0.5 or rect["width"] > 30:
                    continue  # the box is a square the size of a capital letter; other rects are panels
                boxes += 1
                assert rect["width"] >= 9
                centre = (rect["top"] + rect["bottom"]) / 2
                line = min(lines.values(), key=lambda cs: abs((cs[0]["top"] + cs[0]["bottom"]) / 2 - centre))
                text_x = min(c["x0"] for c in line)
                assert rect["x1"] < text_x  # left of its text
                glyphs = [c for c in line if c["x0"] > rect["x1"]]
                assert glyphs and glyphs[0]["top"] - 3 <= centre <= glyphs[0]["bottom"] + 0  # level with the line
    assert boxes >= 3


def test_large_print_content_and_page_numbers(large_print):
    path = large_print / "out/riverbend/en/spinal-cord-stimulator-trial.large-print.pdf"
    body = text(path)
    for expected in ("Spinal Cord Stimulator Trial", "What is it?", "When should I call?",
                     "Updated December 2, 2026", "Page 1 of", "(541) 555-0142", "After hours: (541) 555-0199"):
        assert expected in body
    assert all(fonts(path).values())


def test_a_handout_too_long_for_large_print_says_by_how_much(run_cli, ws_path):
    import re

    extra = [f"Extra step number {n}: walk slowly around the room and rest a little." for n in range(50)]
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml", lambda d: d.update(aftercare=d["aftercare"] + extra))
    result = run_cli("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "large-print")
    assert result.exit_code == 1
    found = re.search(r"needs more than 6 large-print pages for clinic 'riverbend': about (\d+) lines too many at "
                      r"18 pt; say it more briefly", result.output)
    assert found, result.output
    assert 10 <= int(found.group(1)) <= 160  # an estimate: 50 items of 1-2 lines, less the room that was left


def test_line_groups_break_only_where_the_rules_allow():
    """The page-flow groups on their own: list items stay whole, a heading keeps 2 lines, the part
    that moves to the next page has at least 3 lines, a paragraph breaks with 2+ lines either side."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Frame, Paragraph

    from handouts.pdf.line_groups import HEADING, TEXT, WHOLE, LineGroup, Piece

    style = ParagraphStyle("t", fontSize=18, leading=27)

    def run(items: int) -> LineGroup:
        group = LineGroup([Piece(Paragraph("Heading", style), HEADING),
                           *[Piece(Paragraph(f"Item {n}", style), WHOLE) for n in range(items)]], 27)
        group._frame = Frame(0, 0, 400, 1000)
        group._frame._atTop = False
        return group

    first, _, rest = run(6).split(400, 27 * 5 + 1)  # room for the heading and 4 items, but then 2 would move
    assert [p.kind for p in first.pieces] == [HEADING, WHOLE, WHOLE, WHOLE] and len(rest.pieces) == 3
    assert run(4).split(400, 27 * 4 + 1) == []  # any break would strand 1-2 items: the run moves whole
    assert run(6).split(400, 27 * 2 + 1) == []  # a heading never goes with only 1 line
    long = LineGroup([Piece(Paragraph("word " * 200, style), TEXT)], 27)
    long._frame = run(1)._frame
    first, _, rest = long.split(400, 27 * 3 + 1)
    assert len(first.pieces[0].flowable.blPara.lines) == 3 and len(rest.pieces[0].flowable.blPara.lines) >= 3
