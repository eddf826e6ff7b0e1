"""Booklets, read back from the built PDFs: 4 or 8 half-sheet pages that each earn their place,
the figure, key points, starter questions and a diary that suits the procedure, page flow, and a
print file that folds correctly."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from conftest import copy_workspace, edit_yaml
from handouts.pdf.impose import sheet_order

from pdfread import reader, text

HALF_LETTER, A5 = (396, 612), (420.94, 595.28)
LETTER_LANDSCAPE, A4_LANDSCAPE = (792, 612), (841.89, 595.28)

KEY_POINTS = ["Bring a driver. You cannot drive home.", "Rate your pain each hour for 6 hours.",
              "Call us for a fever or new weakness."]
QUESTIONS = ["How will we know if the test worked?", "What happens if I get good relief?",
             "Which of my medicines should I stop, and when?"]
SHORT = "trigger-point-injection"  # cut down in the fixture so that it fits one folded sheet


def _short_content(data: dict) -> None:
    """A procedure with little to say: what a 4-page booklet is for."""
    data.update(what_it_is="A tight knot in a muscle can hurt. A shot can relax it.",
                how_its_done=["The doctor finds the knot.", "A thin needle puts medicine in it."],
                expected_relief="The muscle may feel better within days.",
                risks={"common": ["Soreness"], "serious": ["Infection"]},
                prepare=["Wear loose clothes."], aftercare=["Use ice for soreness."],
                call_us={"clinic": ["Fever"], "emergency": ["Trouble breathing"]},
                key_points=KEY_POINTS[:1], questions=QUESTIONS)
    for key in ("more", "timeline"):
        data.pop(key, None)


def _equip(ws: Path) -> None:
    """Key points, questions and diaries as the content helpers will write them (fixture only)."""
    for lang in ("en", "es"):
        content = ws / "content" / lang
        edit_yaml(content / "medial-branch-block.yaml",
                  lambda d: d.update(key_points=KEY_POINTS, questions=QUESTIONS, diary="hourly"))
        edit_yaml(content / "spinal-cord-stimulator-trial.yaml",
                  lambda d: d.update(key_points=KEY_POINTS[:2], questions=QUESTIONS, diary="trial"))
        edit_yaml(content / "epidural-steroid-injection.yaml",
                  lambda d: d.update(key_points=KEY_POINTS, questions=QUESTIONS))
        edit_yaml(content / f"{SHORT}.yaml", _short_content)


def _build(ws: Path, *args: str) -> None:
    from click.testing import CliRunner

    from handouts.cli import cli as main

    result = CliRunner().invoke(main, ["--workspace", str(ws), "build", "-l", "booklet", "--quiet", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def booklets(tmp_path_factory) -> Path:
    """Every booklet of the demo workspace, with three procedures equipped and one cut short."""
    ws = copy_workspace(tmp_path_factory.mktemp("booklets") / "ws")
    _equip(ws)
    _build(ws)
    return ws / "out"


# -- reading back ----------------------------------------------------------------------------------

def elements(path: Path):
    """(tag, element, page numbers from 1 of its own marked content) in structure order."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        found = []

        def visit(node, page):
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            own = node.get("/Pg")
            page = pages[own.objgen] if own is not None else page
            here = []
            for kid in kids:
                if isinstance(kid, int):
                    here.append(page)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    here.append(pages[kid.Pg.objgen])
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                    found.append(None)
                    index = len(found) - 1
                    found[index] = (str(kid.S)[1:], {str(k): v for k, v in kid.items() if k in ("/Alt", "/A")},
                                    visit(kid, page))
            return here

        visit(pdf.Root.StructTreeRoot.K, None)
        return found


def page_text(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader(path).pages]


def body_lines(page) -> list[tuple[float, str, bool]]:
    """(top, text, bold) for each line between the running header and footer of an inside page."""
    words = page.filter(lambda o: o.get("object_type") != "char" or tuple(o["matrix"][1:3]) == (0, 0)) \
        .extract_words(extra_attrs=["fontname", "size"])
    top, foot = 0.45 * 72 + 20, page.height - (0.4 * 72 + 30)
    lines: dict[int, list[dict]] = {}
    for word in words:
        if top < word["top"] < foot:
            lines.setdefault(round(word["top"] / 3), []).append(word)
    return [(ws[0]["top"], " ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])),
             all("Bold" in w["fontname"] for w in ws)) for _, ws in sorted(lines.items())]


# -- page counts and paper -------------------------------------------------------------------------

def test_sheet_order_formula():
    assert sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert sheet_order(4) == [(4, 1), (2, 3)]
    with pytest.raises(ValueError):
        sheet_order(6)


def test_booklets_are_one_or_two_folded_sheets_of_half_pages(booklets):
    files = sorted(booklets.rglob("*.booklet.pdf"))
    assert len(files) == 80
    for path in files:
        pdf = reader(path)
        expected = 4 if path.name.startswith(SHORT) else 8  # the shipped texts all need two sheets
        assert len(pdf.pages) == expected, path
        size = HALF_LETTER if "/riverbend/" in str(path) else A5
        for page in pdf.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.1)


def test_a_short_text_gets_one_folded_sheet_with_all_it_needs(booklets):
    pages = page_text(booklets / f"riverbend/en/{SHORT}.booklet.pdf")
    assert len(pages) == 4
    assert "Trigger Point Injection" in pages[0] and "Remember" in pages[0] and KEY_POINTS[0] in pages[0]
    inside = " ".join(pages[1:3])
    for expected in ("What is it?", "When should I call?", "My questions for the doctor", *QUESTIONS):
        assert expected in inside
    assert "How to reach us" in pages[3] and "Scan to visit our website" in pages[3]


# -- what the booklet shows ------------------------------------------------------------------------

def test_cover_has_title_key_points_and_appointment_but_no_qr_code(booklets):
    path = booklets / "riverbend/en/medial-branch-block.booklet.pdf"
    cover = page_text(path)[0]
    assert "Medial Branch Block" in cover and "Your appointment" in cover
    assert "Remember" in cover and all(point in cover for point in KEY_POINTS)
    assert "Scan to visit" not in cover
    tree = elements(path)
    remember = next(i for i, (tag, _, _) in enumerate(tree) if tag == "H2")
    assert tree[remember + 1][0] == "L"  # the key points are read as a list, right after "Remember"
    items = [pages for tag, _, pages in tree if tag == "LBody"][:3]
    assert items == [[1], [1], [1]]


def test_figure_is_large_with_its_caption_and_alternative_text(booklets):
    data = yaml.safe_load((booklets.parent / "content/en/medial-branch-block.yaml").read_text(encoding="utf-8"))
    path = booklets / "riverbend/en/medial-branch-block.booklet.pdf"
    figures = [(attrs["/Alt"], pages) for tag, attrs, pages in elements(path) if tag == "Figure"]
    assert (data["figure"]["alt"], [2]) in [(str(alt), pages) for alt, pages in figures]
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]
        lines = body_lines(page)
        caption = next(top for top, line, _ in lines if line.startswith(data["figure"]["caption"].split(",")[0][:30]))
        above = max(top for top, _, _ in lines if top < caption)
        assert caption - above >= 2 * 72  # the picture between them is at least 2 in tall
        drawn = [c for c in page.curves + page.rects if above < c["top"] and c["bottom"] < caption]
        assert drawn  # and it is drawn there (vector art)


def test_questions_page_shows_the_starter_questions_then_lines_to_write_on(booklets):
    path = booklets / "riverbend/en/epidural-steroid-injection.booklet.pdf"
    pages = page_text(path)
    number = next(i for i, p in enumerate(pages) if "My questions for the doctor" in p)
    assert all(question in pages[number] for question in QUESTIONS)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[number]
        last = max(top for top, line, _ in body_lines(page) if "bring this booklet" in line or "Write your" in line)
        ruled = [line for line in page.lines if line["top"] > last and line["width"] > page.width / 2]
        assert len(ruled) >= 3


def test_a_diagnostic_block_gets_an_hourly_diary(booklets):
    path = booklets / "riverbend/en/medial-branch-block.booklet.pdf"
    pages = page_text(path)
    assert not any("My pain diary" in p for p in pages)  # not the daily one
    number = next(i for i, p in enumerate(pages) if "My pain, hour by hour" in p)
    with pdfplumber.open(path) as pdf:
        lines = [line for _, line, _ in body_lines(pdf.pages[number])]
    start = next(i for i, line in enumerate(lines) if line.startswith("Before"))
    assert lines[start:start + 9] == ["Before", *map(str, range(1, 9))]  # the hours after, one row each
    headers = [attrs["/A"] for tag, attrs, _ in elements(path) if tag == "TH"]
    assert sum(str(a.get("/Scope")) == "/Row" for a in headers) == 9
    assert sum(str(a.get("/Scope")) == "/Column" for a in headers) >= 4


def test_the_stimulator_trial_gets_a_daily_trial_log(booklets):
    pages = page_text(booklets / "northshore/es/spinal-cord-stimulator-trial.booklet.pdf")
    log = next(p for p in pages if "Mi registro de la prueba" in p)
    for expected in ("Día", "Dolor 0-10", "% mejor", "cómo dormí"):
        assert expected in log
    assert re.search(r"\b1\b.*\b7\b", log)


def test_qr_code_once_and_the_clinic_name_once_on_the_back_cover(booklets):
    for path in sorted((booklets / "riverbend").rglob("*.booklet.pdf")):
        tree = elements(path)
        total = len(reader(path).pages)
        qr = [pages for tag, attrs, pages in tree if tag == "Figure" and str(attrs["/Alt"]).startswith("QR code")]
        assert qr == [[total]], path
        with pdfplumber.open(path) as pdf:
            back = " ".join(line for _, line, _ in body_lines(pdf.pages[-1]) + _top_lines(pdf.pages[-1]))
        assert back.count("Riverbend Pain & Spine Center") == 1, path


def _top_lines(page) -> list[tuple[float, str, bool]]:
    """The back cover has no running header: its first lines are content too."""
    words = page.filter(lambda o: o.get("object_type") != "char" or tuple(o["matrix"][1:3]) == (0, 0)) \
        .extract_words()
    return [(w["top"], w["text"], False) for w in words if w["top"] <= 0.45 * 72 + 20]


# -- page flow -------------------------------------------------------------------------------------

HEADINGS = {"H2", "H3"}


def test_page_flow_rules_hold_in_every_booklet(booklets):
    """No list item split across pages; no heading ends a page, and each keeps 2 lines of what
    follows; what a page carries over above its first heading is nothing or at least 3 lines; no
    near-empty page."""
    problems = []
    for path in sorted(booklets.rglob("*.booklet.pdf")):
        tree = elements(path)
        for tag, _, pages in tree:
            if tag == "LBody" and len(set(pages)) > 1:
                problems.append(f"{path.name}: a list item runs over pages {sorted(set(pages))}")
        content = [(tag, pages) for tag, _, pages in tree if pages]
        for (tag, pages), (_, following) in zip(content, content[1:]):
            if tag in HEADINGS and pages[-1] != following[0]:
                problems.append(f"{path.name}: a heading ends page {pages[-1]}")
        headings = {text.strip() for text in _heading_texts(path)}
        with pdfplumber.open(path) as pdf:
            tops = [body_lines(page) for page in pdf.pages]
            for number, page in enumerate(pdf.pages[1:-1], start=2):
                lines = tops[number - 1]
                last = max((i for i, (_, line, _) in enumerate(lines) if _is_heading(line, headings)), default=None)
                following = tops[number]
                continues = bool(following) and not _is_heading(following[0][1], headings)
                if last is not None and len(lines) - last - 1 < 2 and continues:
                    problems.append(f"{path.name}: page {number} ends with a heading and "
                                    f"{len(lines) - last - 1} line(s) of what follows")
                first = next((i for i, (_, line, _) in enumerate(lines) if _is_heading(line, headings)), None)
                pictured = first is not None and any(c["bottom"] <= lines[first][0] for c in page.curves)
                if first is not None and 0 < first < 3 and not pictured:  # a figure's caption is no scrap
                    problems.append(f"{path.name}: page {number} starts with {first} stranded line(s)")
                used = max([line["bottom"] for line in page.lines] + [top for top, _, _ in lines] + [0])
                if used < page.height * 0.4:
                    problems.append(f"{path.name}: page {number} is nearly empty")
    assert problems == []


def _is_heading(line: str, headings: set[str]) -> bool:
    return line in headings or any(line.startswith(f"{h} ") for h in headings if " " in h)


def _heading_texts(path: Path) -> list[str]:
    """The text of every H2 and H3, as poppler reads the structure."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    texts, tag = [], None
    for line in out.splitlines():
        body = line.strip()
        if body.startswith('"') and tag in HEADINGS:
            texts.append(body[1:-1])
        elif not body.startswith('"'):
            tag = body.split()[0] if body else None
    return texts


# -- the print file --------------------------------------------------------------------------------

def logical_number(fragment: str, total: int) -> int | None:
    """Which logical page a half-sheet shows, from its text (rotated text reads backwards)."""
    for candidate in (fragment, fragment[::-1]):
        found = re.search(r"Page (\d+) of (\d+)", candidate)
        if found and int(found.group(2)) == total:
            return int(found.group(1))
        if "Your appointment" in candidate:
            return 1
        if "How to reach us" in candidate:
            return total
    return None


def halves(path: Path) -> list[tuple[int | None, int | None]]:
    with pdfplumber.open(path) as pdf:
        total = len(pdf.pages) * 2
        sides = []
        for page in pdf.pages:
            width, height = page.width, page.height
            left = page.crop((0, 0, width / 2, height)).extract_text() or ""
            right = page.crop((width / 2, 0, width, height)).extract_text() or ""
            sides.append((logical_number(left, total), logical_number(right, total)))
    return sides


@pytest.mark.parametrize("clinic, size", [("riverbend", LETTER_LANDSCAPE), ("northshore", A4_LANDSCAPE)])
@pytest.mark.parametrize("procedure", ["radiofrequency-ablation", SHORT])
def test_print_file_is_imposed_for_short_edge_duplex(booklets, clinic, size, procedure):
    reading = booklets / f"{clinic}/en/{procedure}.booklet.pdf"
    printed = booklets / f"{clinic}/en/{procedure}.booklet-print.pdf"
    pages = len(reader(reading).pages)
    pdf = reader(printed)
    assert len(pdf.pages) == pages // 2  # two sides per sheet, two logical pages per side
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height and (width, height) == pytest.approx(size, abs=0.1)
    assert halves(printed) == sheet_order(pages)
    assert pdf.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert "Page 2 of" in text(printed)  # still text, not pictures of text


@pytest.mark.parametrize("procedure, pages", [("medial-branch-block", 8), (SHORT, 4)])
def test_long_edge_turns_the_back_sides(ws_path, procedure, pages):
    _equip(ws_path)
    _build(ws_path, procedure, "-c", "riverbend", "--lang", "en", "--duplex", "long-edge")
    printed = ws_path / f"out/riverbend/en/{procedure}.booklet-print.pdf"
    assert len(reader(ws_path / f"out/riverbend/en/{procedure}.booklet.pdf").pages) == pages
    expected = [(left, right) if side % 2 == 0 else (right, left)  # a turned side shows its halves swapped
                for side, (left, right) in enumerate(sheet_order(pages))]
    assert halves(printed) == expected
    assert reader(printed).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_booklet_fonts_embedded_and_text_inside_the_margins(booklets):
    from pdfread import fonts, text_chars

    path = booklets / "northshore/en/intrathecal-pump.booklet.pdf"
    assert all(fonts(path).values())
    margin = 0.45 * 72
    for number in range(len(reader(path).pages)):
        page_chars = text_chars(path, number)
        assert min(c["x0"] for c in page_chars) >= margin - 1
        assert max(c["x1"] for c in page_chars) <= A5[0] - margin + 1
        assert min(c["top"] for c in page_chars) >= 0.45 * 72 - 1


def test_equipped_booklets_pass_the_pdf_ua_checker(booklets):
    paths = [booklets / f"{clinic}/{lang}/{name}.booklet.pdf" for clinic in ("riverbend", "northshore")
             for lang in ("en", "es") for name in ("medial-branch-block", "spinal-cord-stimulator-trial", SHORT)]
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, paths)],
                            capture_output=True, text=True)
    reports = [__import__("json").loads(chunk) for chunk in re.split(r"(?m)^(?=\{)", result.stdout) if chunk.strip()]
    assert len(reports) == len(paths), result.stdout[:2000] + result.stderr[:2000]
    assert [(r["file"], r["findings"] + r["skipped"]) for r in reports if r["findings"] or r["skipped"]] == []


def test_booklet_has_sections_timeline_call_panel_and_back_cover(booklets):
    path = booklets / "riverbend/en/epidural-steroid-injection.booklet.pdf"
    pages = page_text(path)
    body = " ".join(pages[1:-1])
    for heading in ("What is it?", "How is it done?", "Your day, step by step", "Before", "During", "After",
                    "What relief can I expect?", "What are the risks?", "Before your procedure",
                    "What happens after?", "When should I call?", "My questions for the doctor"):
        assert heading in body, heading
    assert "How to reach us" in pages[-1] and "Updated December 2, 2026" in pages[-1]
    assert "does not replace advice from your doctor" in pages[-1]
    assert "the FDA has not approved them for this use" in body  # the longer text the one-page leaves out
    for page in pages[1:-1]:  # every inside page carries the clinic's phone and after-hours line
        assert "(541) 555-0142" in page and "After hours: (541) 555-0199" in page


def test_the_clinic_says_how_its_printer_flips_and_a_plain_build_keeps_it(run_cli, ws_path):
    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda d: d.update(duplex="long-edge"))
    printed = ws_path / "out/riverbend/en/medial-branch-block.booklet-print.pdf"
    select = ("medial-branch-block", "-c", "riverbend", "-l", "booklet", "--lang", "en")
    assert run_cli("build", *select).exit_code == 0
    assert reader(printed).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"
    again = run_cli("build", *select)
    assert "0 built" in again.output  # nothing silently turned back to short-edge
    assert run_cli("build", *select, "--duplex", "short-edge").exit_code == 0  # the option still wins
    assert reader(printed).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"


def test_an_unknown_duplex_setting_is_a_located_error(run_cli, ws_path):
    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda d: d.update(duplex="sideways"))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "clinics/riverbend/clinic.yaml:" in result.output and "duplex:" in result.output


def test_no_qr_code_when_the_clinic_has_no_qr_url(booklets):
    assert "Scan to visit" not in text(booklets / "northshore/en/epidural-steroid-injection.booklet.pdf")


def test_imposition_keeps_every_page_once(booklets):
    """The print file places each logical page exactly once, as a form XObject."""
    path = booklets / f"riverbend/en/{SHORT}.booklet-print.pdf"
    with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
        placed = [name for page in pdf.pages for name in page.Resources.XObject.keys()]
        forms = {page.Resources.XObject[name].objgen for page in pdf.pages for name in page.Resources.XObject.keys()}
    assert len(placed) == 4 and len(forms) == 4
