"""The one-page PDFs, read back: one page, right paper, embedded fonts, metadata, full text."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from handouts.compose import compose
from handouts.errors import DoesNotFit
from handouts.pdf import render
from handouts.workspace import Workspace

from pdfread import chars, fonts, reader, text, text_chars

LETTER, A4 = (612, 792), (595.28, 841.89)


def demo_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.one-page.pdf"))


def test_every_handout_is_exactly_one_page_on_its_clinics_paper(demo_pdfs):
    files = demo_files(demo_pdfs)
    assert len(files) >= 6
    for path in files:
        pdf = reader(path)
        assert len(pdf.pages) == 1, path
        box = pdf.pages[0].mediabox
        expected = LETTER if "/riverbend/" in str(path) else A4
        assert (float(box.width), float(box.height)) == pytest.approx(expected, abs=0.1), path


def test_only_embedded_atkinson_fonts(demo_pdfs):
    for path in demo_files(demo_pdfs):
        found = fonts(path)
        assert found and all(found.values()), (path, found)
        assert all("AtkinsonHyperlegible" in name for name in found), (path, found)


def test_metadata(demo_pdfs):
    path = demo_pdfs / "riverbend/en/epidural-steroid-injection.one-page.pdf"
    pdf = reader(path)
    meta = pdf.metadata
    assert meta.title == "Epidural Steroid Injection"
    assert meta.author == "Riverbend Pain & Spine Center"
    assert meta.subject.startswith("This shot puts medicine")
    assert "ESI" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20261202")
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_text_a_patient_needs_is_all_there(demo_pdfs):
    body = text(demo_pdfs / "riverbend/en/epidural-steroid-injection.one-page.pdf")
    for expected in ["Riverbend Pain & Spine Center", "Epidural Steroid Injection", "Also called: ESI",
                     "What is it?", "How is it done?", "What relief can I expect?", "What are the risks?",
                     "Before your procedure", "What happens after?", "When should I call?",
                     "Call us at (541) 555-0142 if you have:", "Call 911 or go to the emergency room",
                     "After hours: (541) 555-0199", "Updated December 2, 2026",
                     "does not replace advice from your doctor", "Sources:", "Food and Drug Administration",
                     "100.4 °F (38 °C)"]:
        assert expected in body, expected


def test_body_text_is_at_least_the_layout_minimum_and_inside_the_margins(demo_pdfs):
    for path in demo_files(demo_pdfs):
        page_chars = text_chars(path)
        body_size = Counter(round(c["size"], 2) for c in page_chars).most_common(1)[0][0]
        assert body_size >= 11.5, (path, body_size)
        width = LETTER[0] if "/riverbend/" in str(path) else A4[0]
        margin = 0.45 * 72
        assert min(c["x0"] for c in page_chars) >= margin - 1
        assert max(c["x1"] for c in page_chars) <= width - margin + 1


def test_identical_bytes_when_built_twice(demo_pdfs, tmp_path):
    from conftest import REPO

    ws = Workspace(REPO)
    clinic = ws.clinic("northshore")
    handout = compose(ws.procedure("en", "medial-branch-block"), clinic, ws.strings("en"), artwork=ws.artwork(clinic))
    first = render(handout, ws.layout("one-page")).pdf
    second = render(handout, ws.layout("one-page")).pdf
    assert first == second
    assert first == (demo_pdfs / "northshore/en/medial-branch-block.one-page.pdf").read_bytes()


def test_fit_search_steps_down_from_the_preferred_size(ws_path):
    ws = Workspace(ws_path)
    layout = dataclasses.replace(ws.layout("one-page"), sizes=dataclasses.replace(
        ws.layout("one-page").sizes, body=14.0, body_min=11.5))
    handout = compose(ws.procedure("en", "epidural-steroid-injection"), ws.clinic("riverbend"), ws.strings("en"))
    result = render(handout, layout)
    assert 11.5 <= result.body_size < 14.0 and result.pages == 1
    assert result.renders <= 2


def test_overflow_names_procedure_clinic_language_and_amount(ws_path):
    ws = Workspace(ws_path)
    procedure = ws.procedure("en", "medial-branch-block")
    long = dataclasses.replace(procedure, aftercare=procedure.aftercare * 6)
    handout = compose(long, ws.clinic("riverbend"), ws.strings("en"))
    with pytest.raises(DoesNotFit) as exc:
        render(handout, ws.layout("one-page"))
    message = exc.value.format_message()
    assert "'medial-branch-block' (en) does not fit one page for clinic 'riverbend'" in message
    assert "even at 11.5 pt" in message and "overflows by about" in message and "lines" in message


def test_clinic_values_are_escaped_not_interpreted(ws_path):
    clinic_file = ws_path / "clinics/riverbend/clinic.yaml"
    clinic_file.write_text(clinic_file.read_text().replace(
        'name: "Riverbend Pain & Spine Center"', 'name: "Riverbend <img src=\'/etc/hosts\'/> & <b>Co</b>"'))
    ws = Workspace(ws_path)
    handout = compose(ws.procedure("en", "medial-branch-block"), ws.clinic("riverbend"), ws.strings("en"))
    body = text(render(handout, ws.layout("one-page")).pdf)
    assert "Riverbend <img src='/etc/hosts'/> & <b>Co</b>" in body


def test_updated_date_sets_creation_date(ws_path):
    ws = Workspace(ws_path, today=dt.date(2026, 12, 2))
    handout = compose(ws.procedure("en", "radiofrequency-ablation"), ws.clinic("riverbend"), ws.strings("en"))
    assert reader(render(handout, ws.layout("one-page")).pdf).metadata["/CreationDate"] == "D:20261202000000+00'00'"
