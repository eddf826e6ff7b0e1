"""The "When should I call?" box read back from real PDFs: it must survive a black-and-white copier
(the emergency tier at least as dark as the clinic tier in grey), print the after-hours number
bold and at least 12 pt, carry its icons as Figures with /Alt, and never end a label on a lone word.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageStat

from conftest import REPO
from handouts.compose import compose
from handouts.pdf import render
from handouts.pdf.callbox import CallBoxFlowable
from handouts.pdf.fonts import default_files, register_family
from handouts.pdf.styles import make_styles
from handouts.pdf.tagging import document
from handouts.richtext import to_plain
from handouts.workspace import Workspace
from pdfread import reader
from pdfread import words as pdf_words

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
CASES = [(clinic, lang) for clinic in ("riverbend", "northshore") for lang in ("en", "es")]
PROCEDURE = "medial-branch-block"  # fits one page in both languages for both clinics


def equipped(layout: str = "one-page", clinic: str = "riverbend", lang: str = "en", procedure: str = PROCEDURE,
             patient=None):
    """(pdf bytes, handout) composed as the CLI does: with the clinic's figure and icons."""
    ws = Workspace(REPO)
    clinic_obj = ws.clinic(clinic)
    handout = compose(ws.procedure(lang, procedure), clinic_obj, ws.strings(lang), patient=patient,
                      workspace_fonts=ws.settings.fonts, artwork=ws.artwork(clinic_obj))
    return render(handout, ws.layout(layout)).pdf, handout


def box_words(data: bytes, handout) -> tuple[list[dict], float]:
    """The call box's words (from its heading down to the footer) and the page's middle."""
    words = pdf_words(data)
    heading = handout.call_box.heading.split()[0]
    top = max(w["top"] for w in words if w["text"] == heading) - 2  # the box is below the body
    footer = min(w["top"] for w in words if w["top"] > top + 40 and w["size"] < 9)
    width = float(reader(data).pages[0].mediabox.width)
    return [w for w in words if top <= w["top"] < footer - 2], width / 2


def phrase(words: list[dict], text: str) -> list[dict]:
    """The consecutive words that spell `text` (no-break spaces split words too; a label's closing
    colon may be there or not)."""
    tokens = [token.rstrip(":") for token in text.split()]
    texts = [w["text"].rstrip(":") for w in words]
    for start in range(len(texts) - len(tokens) + 1):
        if texts[start:start + len(tokens)] == tokens:
            return words[start:start + len(tokens)]
    raise AssertionError(f"{text!r} not found in {' '.join(texts)[:400]}")


def tier_labels(data: bytes, handout) -> tuple[list[dict], list[dict]]:
    words, mid = box_words(data, handout)
    left = [w for w in words if w["x0"] < mid]
    right = [w for w in words if w["x0"] >= mid]
    return (phrase(left, to_plain(handout.call_box.clinic_label)),
            phrase(right, to_plain(handout.call_box.emergency_label)))


def darkness(image: Image.Image, words: list[dict], scale: float) -> float:
    """Mean darkness (0 white .. 1 black) of the box around the words, as a grey copier sees it."""
    box = (min(w["x0"] for w in words) * scale, min(w["top"] for w in words) * scale,
           max(w["x1"] for w in words) * scale, max(w["bottom"] for w in words) * scale)
    return 1 - ImageStat.Stat(image.crop(tuple(round(v) for v in box))).mean[0] / 255


@needs_poppler
@pytest.mark.parametrize("clinic,lang", CASES)
def test_emergency_tier_prints_at_least_as_dark_as_the_clinic_tier_in_grey(clinic, lang, tmp_path):
    data, handout = equipped(clinic=clinic, lang=lang)
    (tmp_path / "h.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", "144", "-singlefile", str(tmp_path / "h.pdf"),
                    str(tmp_path / "grey")], check=True)
    image = Image.open(tmp_path / "grey.png").convert("L")
    clinic_label, emergency_label = tier_labels(data, handout)
    clinic_dark, emergency_dark = darkness(image, clinic_label, 2), darkness(image, emergency_label, 2)
    assert emergency_dark >= clinic_dark, (emergency_dark, clinic_dark)
    assert emergency_dark > 0.5  # a solid dark band, not just dark letters on a pale tint
    assert all("Bold" in w["fontname"] for w in clinic_label + emergency_label)


@pytest.mark.parametrize("layout", ["one-page", "booklet", "large-print"])
def test_after_hours_number_in_the_box_is_bold_and_at_least_12_pt(layout):
    data, handout = equipped(layout)
    pages = range(len(reader(data).pages))
    heading = handout.call_box.heading.split()[0]
    page = next(p for p in pages if any(w["text"] == heading for w in pdf_words(data, p)))
    words = pdf_words(data, page)
    top = max(w["top"] for w in words if w["text"] == heading)
    line = phrase([w for w in words if abs(w["top"] - top) < 30], to_plain(handout.call_box.after_hours))
    assert handout.brand.after_hours_phone.split()[-1] in [w["text"] for w in line]
    for word in line:
        assert "Bold" in word["fontname"] and word["size"] >= 12 - 1e-6, word


def structure(data: bytes) -> list[tuple[str, str, str]]:
    """(tag, /Alt, /Scope) of every structure element, in tree order."""
    found = []

    def visit(node):
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                attributes = kid.get("/A", pikepdf.Dictionary())
                found.append((str(kid.get("/S")), str(kid.get("/Alt", "")), str(attributes.get("/Scope", ""))))
                visit(kid)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        visit(pdf.Root.StructTreeRoot)
    return found


def figures(data: bytes) -> list[str]:
    """The /Alt of every Figure in the structure tree, in tree order."""
    return [alt for tag, alt, _ in structure(data) if tag == "/Figure"]


@pytest.mark.parametrize("lang,alts", [("en", ["Phone", "Ambulance"]), ("es", ["Teléfono", "Ambulancia"])])
@pytest.mark.parametrize("layout", ["one-page", "large-print"])
def test_tier_icons_are_figures_with_alt_text_in_the_handouts_language(layout, lang, alts):
    data, handout = equipped(layout, lang=lang)
    assert set(handout.icons) >= {"phone", "ambulance"}
    found = figures(data)
    assert [alt for alt in found if alt in alts] == alts  # the phone first: the clinic tier is read first


def test_a_handout_without_icons_still_has_its_band_and_no_empty_figures():
    ws = Workspace(REPO)
    handout = compose(ws.procedure("en", PROCEDURE), ws.clinic("riverbend"), ws.strings("en"),
                      workspace_fonts=ws.settings.fonts)  # no artwork: no icons
    data = render(handout, ws.layout("one-page")).pdf
    assert not [alt for alt in figures(data) if alt in ("Phone", "Ambulance")]


@pytest.mark.parametrize("clinic,lang", CASES)
def test_no_call_box_label_or_heading_ends_on_a_lone_word(clinic, lang):
    data, handout = equipped(clinic=clinic, lang=lang)
    for label in tier_labels(data, handout):
        last_top = max(w["top"] for w in label)
        assert len([w for w in label if abs(w["top"] - last_top) < 2]) >= 2, [w["text"] for w in label]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_icons_cost_the_box_no_height(lang):
    """Icons beside the first line only and a band reaching into the gutter: with or without the
    icons the box is as tall, for every procedure at the one-page's smallest size (11.5 pt)."""
    ws = Workspace(REPO)
    layout = ws.layout("one-page")
    width = 612 - layout.margins.left - layout.margins.right
    for clinic_id in ("riverbend", "northshore"):
        clinic = ws.clinic(clinic_id)
        for procedure in ws.procedure_ids(lang):
            handout = compose(ws.procedure(lang, procedure), clinic, ws.strings(lang),
                              workspace_fonts=ws.settings.fonts, artwork=ws.artwork(clinic))
            styles = make_styles(layout, handout.brand, register_family(handout.brand.fonts or default_files()), 11.5)
            heights = [CallBoxFlowable(handout.call_box, styles, document(lang), handout.brand.after_hours_phone,
                                       icons=icons).wrap(width, 1e6)[1] for icons in (handout.icons, None)]
            assert heights[0] == heights[1], (clinic_id, procedure)
