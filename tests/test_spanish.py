"""Spanish as a full language: strings, dates, glyphs, readability gate, and a third language by files."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import edit_yaml
from handouts.compose import compose
from handouts.document import all_text
from handouts.workspace import Workspace

from pdfread import fonts, reader, text, words

ENGLISH_INTERFACE = ("What is it?", "How is it done?", "When should I call?", "Also called", "Updated",
                     "Sources", "After hours", "Questions?", "Page ", "Your appointment", "Common and mild",
                     "Interventional pain care", "This handout is general information")


@pytest.mark.parametrize("layout", ["one-page", "booklet", "large-print"])
def test_spanish_pages_have_no_english_interface(demo_pdfs, layout):
    path = demo_pdfs / f"riverbend/es/radiofrequency-ablation.{layout}.pdf"
    body = text(path)
    for english in ENGLISH_INTERFACE:
        assert english not in body, english
    for spanish in ("¿Qué es?", "¿Cuándo debo llamar?", "Actualizado el 2 de diciembre de 2026", "Fuentes",
                    "Fuera de horario", "No reemplaza los consejos"):
        assert spanish in body, spanish
    if layout != "large-print":  # large print has no band, so no tagline
        assert "Tratamiento intervencionista del dolor" in body
    assert "100.4 °F (38 °C)" in body
    assert reader(path).trailer["/Root"]["/Lang"] == "es"
    assert all(fonts(path).values())


def test_every_spanish_glyph_renders_in_the_embedded_font(ws_path):
    from handouts.pdf import render

    sample = "¿Qué pasó? ¡Sí! El pingüino Ñandú comió acción, también AÉÍÓÚ Ü á é í ó ú ñ ü."
    edit_yaml(ws_path / "content/es/medial-branch-block.yaml", lambda d: d.update(summary=sample))
    ws = Workspace(ws_path)
    handout = compose(ws.procedure("es", "medial-branch-block"), ws.clinic("riverbend"), ws.strings("es"))
    pdf = render(handout, ws.layout("booklet")).pdf
    assert sample in text(pdf)
    assert all(fonts(pdf).values())


def test_accented_words_are_never_split(demo_pdfs):
    from conftest import REPO

    ws = Workspace(REPO)
    handout = compose(ws.procedure("es", "sympathetic-nerve-block"), ws.clinic("riverbend"), ws.strings("es"))
    source_words = set(re.findall(r"[\wáéíóúñüÁÉÍÓÚÑÜ]+", all_text(handout)))
    path = demo_pdfs / "riverbend/es/sympathetic-nerve-block.one-page.pdf"
    page_words = [w["text"] for w in words(path)]
    assert any(ch in "".join(page_words) for ch in "áéíóú")
    for word in page_words:
        for piece in re.findall(r"[^\W\d_]+", word):  # words made of letters: numbers are not content
            assert piece in source_words, f"'{piece}' is not a whole word of the handout (split or mangled)"


def test_missing_spanish_string_is_an_error_not_an_english_fallback(run_cli, ws_path):
    strings = ws_path / "strings/es.yaml"
    strings.write_text(strings.read_text(encoding="utf-8").replace('  call_us: "¿Cuándo debo llamar?"\n', ""),
                       encoding="utf-8")
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "error: strings/es.yaml: sections.call_us: missing string; every language needs it" in result.output
    result = run_cli("build", "medial-branch-block", "--lang", "es", "-c", "riverbend", "-l", "one-page")
    assert result.exit_code == 1 and "sections.call_us: missing string" in result.output


def test_clinic_text_needs_every_language(run_cli, ws_path):
    edit_yaml(ws_path / "clinics/northshore/clinic.yaml", lambda d: d["tagline"].pop("es"))
    result = run_cli("check", "--no-fit", "--lang", "es")
    assert result.exit_code == 1
    assert "clinics/northshore/clinic.yaml: tagline: has no 'es' text" in result.output


def test_inflesz_gate(run_cli, ws_path):
    hard = ("La administración intervencionista de corticoesteroides epidurales constituye una alternativa "
            "terapéutica considerablemente controvertida.")

    def harder(data):  # enough hard text to pull the whole handout (booklet text included) below 65
        data["what_it_is"] = " ".join([hard] * 4)
        data["expected_relief"] = " ".join([hard] * 4)
    edit_yaml(ws_path / "content/es/medial-branch-block.yaml", harder)
    result = run_cli("check", "--no-fit", "--lang", "es")
    assert result.exit_code == 1
    assert "error: content/es/medial-branch-block.yaml: INFLESZ readability is" in result.output
    assert "the minimum is 65 ('bastante fácil')" in result.output


def test_inflesz_limit_cannot_go_below_the_floor(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d["readability"].update(min_inflesz=40))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1 and "readability.min_inflesz: 40 is below the floor of 55" in result.output


def test_missing_translation_and_length_differences_are_reported(run_cli, ws_path):
    (ws_path / "content/es/trigger-point-injection.yaml").unlink()
    edit_yaml(ws_path / "content/es/medial-branch-block.yaml",
              lambda d: d.update(what_it_is="Es una prueba.", expected_relief=d["expected_relief"] * 3))
    result = run_cli("check", "--no-fit")
    assert "note: trigger-point-injection exists in en but not in es" in result.output
    assert re.search(r"note: content/es/medial-branch-block.yaml: section 'what_it_is' has 3 words, 0\.\d times "
                     r"the en version", result.output)
    assert re.search(r"section 'expected_relief' has \d+ words, [23]\.\d times the en version", result.output)


def test_a_third_language_is_only_files(run_cli, ws_path):
    """Vietnamese stand-in: content, strings, a font family per language in handouts.yaml. No code."""
    import fontpkg_be_vietnam_pro as package
    from pathlib import Path

    source = Path(package.__file__).parent / "files"
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(source / f"BeVietnamPro-{face}.ttf", ws_path / "fonts" / f"BeVietnamPro-{face}.ttf")
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(languages=["en", "es", "vi"], fonts={"vi": {
        "regular": "BeVietnamPro-Regular.ttf", "bold": "BeVietnamPro-Bold.ttf", "italic": "BeVietnamPro-Italic.ttf",
        "bold_italic": "BeVietnamPro-BoldItalic.ttf"}}))
    (ws_path / "content/vi").mkdir()
    shutil.copy(ws_path / "content/en/medial-branch-block.yaml", ws_path / "content/vi/medial-branch-block.yaml")
    shutil.copy(ws_path / "strings/en.yaml", ws_path / "strings/vi.yaml")
    edit_yaml(ws_path / "strings/vi.yaml", lambda d: d.update(locale="vi_VN"))
    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda d: d["tagline"].update(vi="Điều trị đau"))
    result = run_cli("build", "medial-branch-block", "--lang", "vi", "-c", "riverbend", "-l", "one-page")
    assert result.exit_code == 0, result.output
    path = ws_path / "out/riverbend/vi/medial-branch-block.one-page.pdf"
    used = fonts(path)
    assert used and all("BeVietnamPro" in name for name in used) and all(used.values())
    assert "Điều trị đau" in text(path)
    assert reader(path).trailer["/Root"]["/Lang"] == "vi"


def test_glyph_the_font_lacks_is_refused(run_cli, ws_path):
    edit_yaml(ws_path / "content/es/medial-branch-block.yaml", lambda d: d.update(summary="Prueba ☃ de nervios."))
    result = run_cli("build", "medial-branch-block", "--lang", "es", "-c", "riverbend", "-l", "one-page")
    assert result.exit_code == 1
    assert "uses characters the font cannot print: ☃ (U+2603)" in result.output
