"""Clinic branding: colours, contrast, logos and paths are vetted when the clinic loads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from handouts.clinic import load_clinic
from handouts.errors import InvalidInput


def load(ws: Path, clinic: str = "riverbend"):
    return load_clinic(ws / "clinics" / clinic, f"clinics/{clinic}/clinic.yaml", ws / "fonts")


def edit(ws: Path, old: str, new: str, clinic: str = "riverbend") -> None:
    path = ws / "clinics" / clinic / "clinic.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def problems(ws: Path, clinic: str = "riverbend") -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        load(ws, clinic)
    return [str(p) for p in exc.value.problems]


def test_demo_clinics_load_with_distinct_branding(ws_path):
    riverbend, northshore = load(ws_path), load(ws_path, "northshore")
    assert riverbend.paper == "letter" and northshore.paper == "a4"
    assert riverbend.colours != northshore.colours
    assert {riverbend.logo.kind, northshore.logo.kind} == {"svg", "png"}


def test_colour_that_is_not_a_colour(ws_path):
    edit(ws_path, 'primary: "#0f5e6e"', 'primary: "teal-ish"')
    assert any("colours.primary: 'teal-ish' is not a colour" in m for m in problems(ws_path))


def test_footer_note_language_must_be_a_language_code(ws_path):
    edit(ws_path, "footer_note_lang: es", "footer_note_lang: Spanish")
    assert any(m.startswith("clinics/riverbend/clinic.yaml:") and
               "footer_note_lang: 'Spanish' is not a language code such as es or vi" in m for m in problems(ws_path))


def test_colour_with_too_little_contrast(ws_path):
    edit(ws_path, 'primary: "#0f5e6e"', 'primary: "#f5d76e"')
    assert any("colours.primary: #f5d76e has contrast 1.4:1 against white; text and the header band need at "
               "least 4.5:1" in m for m in problems(ws_path))


def test_accent_with_too_little_contrast_reads_as_plain_english(ws_path):
    edit(ws_path, 'accent: "#d9692a"', 'accent: "#f5f5f5"')
    assert any("colours.accent: #f5f5f5 has contrast 1.1:1 against white; rules and borders need at least 3:1"
               in m for m in problems(ws_path))


def test_missing_logo(ws_path):
    (ws_path / "clinics/riverbend/logo.svg").unlink()
    assert any("logo: logo file 'logo.svg' does not exist" in m for m in problems(ws_path))


def test_corrupt_logo(ws_path):
    path = ws_path / "clinics/northshore/logo.png"
    path.write_bytes(path.read_bytes()[:200])
    assert any("logo: logo.png: the PNG file is damaged" in m for m in problems(ws_path, "northshore"))


def test_huge_logo_is_capped_by_pixels(ws_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, "PNG")
    (ws_path / "clinics/northshore/logo.png").write_bytes(buffer.getvalue())
    assert any("6000 x 6000 pixels; the limit is 25,000,000" in m for m in problems(ws_path, "northshore"))


@pytest.mark.parametrize("svg, expected", [
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" '
     'viewBox="0 0 10 10"><path d="M0 0h10v10z"/></svg>', "declares a DTD or entities"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
     '<image xlink:href="file:///etc/hosts" width="10" height="10"/></svg>', "contains <image>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href="http://example.com/a.svg#x"/></svg>',
     "links to 'http://example.com/a.svg#x'"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(http://x/y.css);</style>'
     '</svg>', "@import or url()"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>Clinic</text></svg>', "contains text"),
])
def test_hostile_or_unusable_svg_logos(ws_path, svg, expected):
    (ws_path / "clinics/riverbend/logo.svg").write_text(svg)
    assert any(expected in m for m in problems(ws_path))


def test_logo_path_may_not_escape_the_clinic_folder(ws_path):
    edit(ws_path, "logo: logo.svg", "logo: ../../../etc/passwd")
    assert any("logo: '../../../etc/passwd' must be a file inside the clinic's own folder" in m
               for m in problems(ws_path))


def test_logo_symlink_pointing_outside_is_refused(ws_path, tmp_path):
    outside = tmp_path / "outside.svg"
    outside.write_text((ws_path / "clinics/riverbend/logo.svg").read_text())
    (ws_path / "clinics/riverbend/logo.svg").unlink()
    (ws_path / "clinics/riverbend/logo.svg").symlink_to(outside)
    assert any("must be a file inside the clinic's own folder" in m for m in problems(ws_path))


def test_font_path_outside_fonts_folder_and_cff_fonts(ws_path):
    edit(ws_path, "paper: letter", "paper: letter\nfonts:\n  default:\n    regular: /etc/passwd\n"
                                   "    bold: x.otf\n    italic: x.otf\n    bold_italic: x.otf")
    (ws_path / "fonts").mkdir(exist_ok=True)
    (ws_path / "fonts/x.otf").write_bytes(b"OTTO" + b"\0" * 100)
    got = problems(ws_path)
    assert any("fonts.default.regular: '/etc/passwd' must be a file inside the workspace's fonts/ folder" in m
               for m in got)
    assert any("fonts/x.otf is not a TrueType (.ttf) font" in m for m in got)


def test_unknown_field_suggests(ws_path):
    edit(ws_path, "after_hours_phone:", "after_hour_phone:")
    got = problems(ws_path)
    assert any("after_hour_phone: unknown field; did you mean 'after_hours_phone'?" in m for m in got)
