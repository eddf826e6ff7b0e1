"""The personalised "Your appointment" panel read back from real PDFs: when to come, large and on
one line; the doctor's own instructions in a labelled box of their own, above the general advice;
every detail read by a screen reader as a labelled table cell; nothing taller than it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import sys

import pdfplumber
import pytest

from conftest import REPO
from handouts.compose import compose
from handouts.patient import Patient
from handouts.pdf.appointment import AppointmentPanel
from handouts.pdf.fonts import default_files, register_family
from handouts.pdf.styles import make_styles
from handouts.pdf.tagging import document
from handouts.workspace import Workspace
from pdfread import reader
from pdfread import words as pdf_words
from test_callbox import equipped, phrase, structure

NOTE = "Stop aspirin 5 days before, as Dr. Lee said."
PATIENT = Patient("Ana Ruiz", dt.date(2026, 12, 15), dt.time(7, 30), "Dr. Lee", NOTE)
LAYOUTS = ["one-page", "booklet", "large-print"]


def one_line(words: list[dict]) -> bool:
    return max(w["top"] for w in words) - min(w["top"] for w in words) < 3


@pytest.mark.parametrize("clinic", ["riverbend", "northshore"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_arrival_time_and_its_label_are_one_line_and_large(layout, lang, clinic):
    """The broken "Please arrive at:" / "7:30 AM" of the old panel: now label and time share one line,
    the time bold and larger than the text around it."""
    data, handout = equipped(layout, clinic=clinic, lang=lang, patient=PATIENT)
    words = pdf_words(data)
    labels = dict(handout.appointment.rows)
    arrive_label, arrive = handout.labels["appointment.arrive"], labels[handout.labels["appointment.arrive"]]
    label = phrase(words, f"{arrive_label}:")
    time = phrase(words, arrive)
    assert one_line(label + time), [(w["text"], w["top"]) for w in label + time]
    assert time[0]["x0"] > label[-1]["x1"]  # beside its label, not under it
    body = min(w["size"] for w in phrase(words, "Ana Ruiz"))
    assert all("Bold" in w["fontname"] and w["size"] >= body - 1e-6 for w in time)
    assert all("Bold" in w["fontname"] for w in phrase(words, labels[handout.labels["appointment.date"]]))


def test_one_page_arrival_time_prints_larger_than_the_body_and_the_date_bold():
    """In the one-page's narrow column beside the picture the date may drop to the body size (still
    bold) to share its row; the arrival time stays large."""
    data, handout = equipped("one-page", patient=PATIENT)
    words = pdf_words(data)
    body = phrase(words, "Ana Ruiz")[0]["size"]
    time = phrase(words, "7:30 AM")
    assert one_line(time) and all(w["size"] >= body * 1.1 for w in time)
    date = phrase(words, "Tuesday, December 15, 2026")
    assert all("Bold" in w["fontname"] and w["size"] >= body - 1e-6 for w in date)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_doctors_instructions_have_their_own_labelled_box_before_the_general_advice(layout, lang):
    data, handout = equipped(layout, lang=lang, patient=PATIENT)
    label = handout.labels["appointment.note"]
    prepare = handout.labels["sections.prepare"]
    pages = [pdf_words(data, number) for number in range(len(reader(data).pages))]
    where = lambda text: next((number, phrase(words, text)) for number, words in enumerate(pages)  # noqa: E731
                              if _has(words, text))
    label_page, label_words = where(label)
    note_page, note_words = where(NOTE)
    prepare_page, prepare_words = where(prepare)
    # Above (before, on an earlier page) the general advice on getting ready.
    assert (label_page, label_words[0]["top"]) < (prepare_page, prepare_words[0]["top"])
    assert (note_page, note_words[0]["top"]) < (prepare_page, prepare_words[0]["top"])
    assert all("Bold" in w["fontname"] for w in label_words)
    # Its own box: a filled bar in the clinic's colour down the box's left edge, beside the label and the note.
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rects = pdf.pages[label_page].rects
    top, bottom = label_words[0]["top"], max(w["bottom"] for w in note_words)
    bars = [r for r in rects if r["fill"] and r["width"] < 6 and r["x1"] <= label_words[0]["x0"]
            and r["top"] <= top + 1 and r["bottom"] >= bottom - 1]
    assert bars, "no highlighted box around the doctor's instructions"


def _has(words: list[dict], text: str) -> bool:
    try:
        phrase(words, text)
    except AssertionError:
        return False
    return True


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("layout", LAYOUTS)
def test_patient_details_read_as_a_labelled_table(layout, tmp_path):
    """A screen reader meets each detail as a row: a row header (the label) and its cell (the value)."""
    data, handout = equipped(layout, patient=PATIENT)
    tags = [(tag, scope) for tag, _, scope in structure(data)]
    tables = [index for index, (tag, _) in enumerate(tags) if tag == "/Table"]
    panel = tags[tables[0]:tables[1] if len(tables) > 1 else len(tags)]  # the first table (a diary may follow)
    assert panel.count(("/TH", "/Row")) == 4 and panel.count(("/TD", "")) == 4
    (tmp_path / "p.pdf").write_bytes(data)
    out = subprocess.run(["pdfinfo", "-struct-text", str(tmp_path / "p.pdf")], capture_output=True, text=True,
                         check=True).stdout
    spaced = lambda text: " ".join(text.split())  # noqa: E731 - no-break spaces read as spaces
    texts = [spaced(line.strip().strip('"')) for line in out.splitlines() if line.strip().startswith('"')]
    for label, value in handout.appointment.rows[:4]:
        assert texts[texts.index(spaced(f"{label}:")) + 1] == spaced(value)
    assert any(NOTE in text for text in texts)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
def test_personalised_handouts_pass_the_pdfua_checker(tmp_path):
    paths = []
    for layout in LAYOUTS:
        for lang in ("en", "es"):
            data, _ = equipped(layout, lang=lang, patient=PATIENT)
            paths.append(tmp_path / f"{layout}-{lang}.pdf")
            paths[-1].write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", *map(str, paths)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("PASS (no findings)") == len(paths)


def test_a_long_weekday_breaks_only_after_the_weekday_never_inside_a_word():
    """Where a date cannot stay whole (a long name and doctor beside it, a long weekday), it breaks
    after the weekday's comma, and no word is ever cut."""
    patient = Patient("Christopher Montgomery-Williams", dt.date(2026, 9, 30), dt.time(13, 45),
                      "Dr. Alexandra Nakamura-Smith", "Bring your inhaler.")
    for layout in LAYOUTS:
        data, handout = equipped(layout, lang="es", patient=patient)
        words = [w["text"] for w in pdf_words(data)]
        for word in ("miércoles,", "septiembre", "Montgomery-Williams", "Nakamura-Smith"):
            assert word in words, (layout, word)
        date = phrase(pdf_words(data), "30 de septiembre de 2026")
        assert one_line(date), layout


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_short_note_shares_the_second_row_of_a_full_width_panel(lang):
    """As compact as the old run-on panel across the page: with realistic names and a short note the
    details and the note box take two rows; the title gives way (the labels say it) rather than add
    a third, and comes back when it costs no row. (Measured on the flowable: the one-page now sets
    the panel beside the picture, narrower than this.)"""
    ws = Workspace(REPO)
    patient = Patient("Lee Brown", dt.date(2026, 12, 15), dt.time(7, 30), "Dr. Marcus Chen",
                      "Trial week: keep the pain diary.")
    layout = ws.layout("one-page")
    width = 612 - layout.margins.left - layout.margins.right
    for note, rows, titled in (("Trial week: keep the pain diary.", 2, False), ("", 2, True)):
        handout = compose(ws.procedure(lang, "medial-branch-block"), ws.clinic("riverbend"), ws.strings(lang),
                          patient=dataclasses.replace(patient, note=note), workspace_fonts=ws.settings.fonts)
        styles = make_styles(layout, handout.brand, register_family(handout.brand.fonts or default_files()), 11.5)
        panel = AppointmentPanel(handout.appointment, styles, document(lang), inline=True)
        height = panel.wrap(width, 1e6)[1]
        assert len(panel.rows) == rows and height < 38.0  # the old run-on panel: 38 pt for these details
        assert any(cell.kind == "title" for row in panel.rows for cell in row) == titled
