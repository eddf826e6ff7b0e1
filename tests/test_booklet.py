"""Booklets: reading order padded to a multiple of 4, and a print file that folds correctly."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from handouts.pdf.impose import sheet_order

from pdfread import reader, text

HALF_LETTER, A5 = (396, 612), (420.94, 595.28)
LETTER_LANDSCAPE, A4_LANDSCAPE = (792, 612), (841.89, 595.28)


def logical_number(fragment: str, total: int) -> int | None:
    """Which logical page a half-sheet shows, from its text (rotated text reads backwards)."""
    for candidate in (fragment, fragment[::-1]):
        found = re.search(r"Page (\d+) of (\d+)", candidate)
        if found and int(found.group(2)) == total:
            return int(found.group(1))
        if "Your appointment" in candidate or "tnemtniopp" in candidate[::-1] and "Your appointment" in candidate[::-1]:
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


def test_sheet_order_formula():
    assert sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert sheet_order(4) == [(4, 1), (2, 3)]
    with pytest.raises(ValueError):
        sheet_order(6)


def test_reading_order_booklets_are_padded_to_a_multiple_of_4_on_half_sheets(demo_pdfs):
    files = sorted(demo_pdfs.rglob("*.booklet.pdf"))
    assert len(files) >= 40
    for path in files:
        pdf = reader(path)
        assert len(pdf.pages) % 4 == 0, path
        expected = HALF_LETTER if "/riverbend/" in str(path) else A5
        for page in pdf.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(expected, abs=0.1)


def test_booklet_has_cover_sections_timeline_call_panel_notes_and_back_cover(demo_pdfs):
    path = demo_pdfs / "riverbend/en/epidural-steroid-injection.booklet.pdf"
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in reader(path).pages]
    assert "Epidural Steroid Injection" in pages[0] and "Your appointment" in pages[0]
    assert "Scan to visit our website" in pages[0]
    body = " ".join(pages[1:-1])
    for heading in ("What is it?", "How is it done?", "Your day, step by step", "Before", "During", "After",
                    "What relief can I expect?", "What are the risks?", "How do I get ready?",
                    "What happens after?", "My questions for the doctor"):
        assert heading in body, heading
    call_page = next(p for p in pages if "When should I call?" in p)
    assert "What is it?" not in call_page  # the call box has a panel of its own
    assert "How to reach us" in pages[-1] and "Updated December 2, 2026" in pages[-1]
    assert "does not replace advice from your doctor" in pages[-1]
    # the booklet carries the longer text the one-page handout leaves out
    assert "the FDA has not approved them for this use" in body
    # every inside page carries the clinic's phone and after-hours line
    for page in pages[1:-1]:
        assert "(541) 555-0142" in page and "After hours: (541) 555-0199" in page


def test_no_qr_code_when_the_clinic_has_no_qr_url(demo_pdfs):
    first = text(demo_pdfs / "northshore/en/epidural-steroid-injection.booklet.pdf").split("Page 2 of")[0]
    assert "Scan to visit" not in first


@pytest.mark.parametrize("clinic, size", [("riverbend", LETTER_LANDSCAPE), ("northshore", A4_LANDSCAPE)])
def test_print_file_is_imposed_for_short_edge_duplex(demo_pdfs, clinic, size):
    reading = demo_pdfs / f"{clinic}/en/radiofrequency-ablation.booklet.pdf"
    printed = demo_pdfs / f"{clinic}/en/radiofrequency-ablation.booklet-print.pdf"
    pages = len(reader(reading).pages)
    pdf = reader(printed)
    assert len(pdf.pages) == pages // 2  # two sides per sheet, two logical pages per side
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height and (width, height) == pytest.approx(size, abs=0.1)
    assert halves(printed) == sheet_order(pages)
    assert pdf.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert "Radiofrequency Ablation" in text(printed)  # still text, not pictures of text
    assert not any("/Image" in str(page.get("/Resources", {})) and "/XObject" not in str(page) for page in pdf.pages)


def test_long_edge_turns_the_back_sides(run_cli, ws_path):
    result = run_cli("build", "medial-branch-block", "-c", "riverbend", "-l", "booklet", "--duplex", "long-edge")
    assert result.exit_code == 0, result.output
    printed = ws_path / "out/riverbend/en/medial-branch-block.booklet-print.pdf"
    pages = len(reader(ws_path / "out/riverbend/en/medial-branch-block.booklet.pdf").pages)
    expected = [(left, right) if side % 2 == 0 else (right, left)  # a turned side shows its halves swapped
                for side, (left, right) in enumerate(sheet_order(pages))]
    assert halves(printed) == expected
    assert reader(printed).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_booklet_fonts_embedded_and_text_inside_the_margins(demo_pdfs):
    from pdfread import fonts, text_chars

    path = demo_pdfs / "northshore/en/intrathecal-pump.booklet.pdf"
    assert all(fonts(path).values())
    margin = 0.45 * 72
    for number in range(len(reader(path).pages)):
        page_chars = text_chars(path, number)
        assert min(c["x0"] for c in page_chars) >= margin - 1
        assert max(c["x1"] for c in page_chars) <= A5[0] - margin + 1
        assert min(c["top"] for c in page_chars) >= 0.45 * 72 - 1


def test_the_clinic_says_how_its_printer_flips_and_a_plain_build_keeps_it(run_cli, ws_path):
    from conftest import edit_yaml

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
    from conftest import edit_yaml

    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda d: d.update(duplex="sideways"))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "clinics/riverbend/clinic.yaml:" in result.output and "duplex:" in result.output
