"""Large print, measured from the PDF: 18 pt or more everywhere, short lines, at most 4 pages."""

from __future__ import annotations

from pdfread import fonts, reader, text, text_chars


def test_large_print_rules_hold_for_every_handout(demo_pdfs):
    files = sorted(demo_pdfs.rglob("*.large-print.pdf"))
    assert len(files) >= 40
    for path in files:
        pdf = reader(path)
        assert 1 <= len(pdf.pages) <= 4, path
        for number in range(len(pdf.pages)):
            page_chars = text_chars(path, number)
            assert min(c["size"] for c in page_chars) >= 18 - 0.01, path  # body, footer and page numbers alike
            assert not any("Italic" in c["fontname"] for c in page_chars), path
            left, right = min(c["x0"] for c in page_chars), max(c["x1"] for c in page_chars)
            assert right - left <= 6 * 72 + 1, path  # lines no longer than 6 inches
            width = float(pdf.pages[number].mediabox.width)
            assert left >= 1.1 * 72 - 1 and right <= width - 1.1 * 72 + 1


def test_large_print_content_and_page_numbers(demo_pdfs):
    path = demo_pdfs / "riverbend/en/spinal-cord-stimulator-trial.large-print.pdf"
    body = text(path)
    for expected in ("Spinal Cord Stimulator Trial", "What is it?", "When should I call?",
                     "Updated December 2, 2026", "Page 1 of", "(541) 555-0142", "After hours: (541) 555-0199"):
        assert expected in body
    assert all(fonts(path).values())


def test_a_handout_too_long_for_large_print_says_by_how_much(run_cli, ws_path):
    import re

    from conftest import edit_yaml

    extra = [f"Extra step number {n}: walk slowly around the room and rest a little." for n in range(30)]
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml", lambda d: d.update(aftercare=d["aftercare"] + extra))
    result = run_cli("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "large-print")
    assert result.exit_code == 1
    found = re.search(r"needs more than 4 large-print pages for clinic 'riverbend': about (\d+) lines too many at "
                      r"18 pt; say it more briefly", result.output)
    assert found, result.output
    assert 10 <= int(found.group(1)) <= 120  # an estimate: 30 items of 1-2 lines, less the room that was left
