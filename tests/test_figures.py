"""Procedure figures and action icons: found by name, clinic artwork first, safe, in clinic colours."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas as pdf_canvas

from handouts.colours import parse_hex
from handouts.figures import FigureError, figure_flowable, find_figure, load_figure
from handouts.models import Colours

REPO = Path(__file__).resolve().parent.parent
RIVERBEND = Colours(primary="#0f5e6e", accent="#d9692a")
NORTHSHORE = Colours(primary="#4b2a6b", accent="#b07d12")
TOKEN_COLOURS = ((0.0, 0.0, 1 / 255), (0.0, 0.0, 2 / 255))


def procedure_ids(lang: str) -> list[str]:
    return sorted(p.stem for p in (REPO / "content" / lang).glob("*.yaml"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace with the shipped figures and icons and two clinic folders."""
    root = tmp_path / "ws"
    for part in ("figures", "icons", "clinics"):
        shutil.copytree(REPO / part, root / part)
    return root


def own_figure(ws: Path, name: str, shapes: str, clinic: str = "riverbend") -> Path:
    """A clinic's own artwork for `name`: an SVG of 200 x 100 holding `shapes`."""
    folder = ws / "clinics" / clinic / "figures"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.svg"
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">{shapes}</svg>', encoding="utf-8")
    return path


def fill_colours(pdf: bytes) -> set[tuple[float, float, float]]:
    """Every RGB fill and stroke colour set on the first page, as a printer would read them.

    Black is left out: ReportLab's renderer sets it first for every drawing, used or not.
    """
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    data = page.get_contents().get_data().decode("latin-1")
    found = set()
    for match in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", data):
        found.add(tuple(round(float(v), 3) for v in match.groups()))
    return found - {(0.0, 0.0, 0.0)}


def rounded(rgb: tuple[float, float, float]) -> tuple[float, ...]:
    return tuple(round(c, 3) for c in rgb)


def render(flowable) -> bytes:
    """The flowable drawn alone on a page, as the layouts will draw it."""
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out, pagesize=(300, 200))
    flowable.wrapOn(canvas, 300, 200)
    flowable.drawOn(canvas, 10, 10)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_procedure_has_a_figure_that_loads(lang: str) -> None:
    ids = procedure_ids(lang)
    assert len(ids) == 20
    for proc_id in ids:
        logo = load_figure(REPO, proc_id, RIVERBEND)
        assert logo.kind == "svg", proc_id
        assert logo.width / logo.height == pytest.approx(220 / 140), proc_id
        assert dict(logo.colours) == {"#000001": RIVERBEND.primary, "#000002": RIVERBEND.accent}, proc_id


def test_figure_is_drawn_in_the_clinic_colours_and_fits_its_box() -> None:
    flowable = figure_flowable(REPO, "spinal-cord-stimulator-implant", NORTHSHORE, 158, 101, "Helvetica")
    assert flowable.wrap(500, 500)[0] <= 158 and flowable.wrap(500, 500)[1] <= 101
    colours = fill_colours(render(flowable))
    assert rounded(parse_hex(NORTHSHORE.primary)) in colours  # the device and wires
    assert rounded(parse_hex(NORTHSHORE.accent)) in colours  # the highlighted area
    assert not colours & {rounded(c) for c in TOKEN_COLOURS}
    assert rounded(parse_hex(RIVERBEND.primary)) not in colours


def test_a_file_is_read_and_converted_once_for_every_clinic_and_drawn_in_each_ones_colours() -> None:
    from handouts.svgsafe import svg_drawing

    first = load_figure(REPO, "kyphoplasty-vertebroplasty", RIVERBEND)
    other = load_figure(REPO, "kyphoplasty-vertebroplasty.svg", NORTHSHORE)
    assert other.data is first.data and svg_drawing(other.data) is svg_drawing(first.data)
    riverbend = fill_colours(render(figure_flowable(REPO, "kyphoplasty-vertebroplasty", RIVERBEND, 150, 100, "Helvetica")))
    northshore = fill_colours(render(figure_flowable(REPO, "kyphoplasty-vertebroplasty", NORTHSHORE, 150, 100,
                                                     "Helvetica")))
    assert rounded(parse_hex(NORTHSHORE.primary)) in northshore and rounded(parse_hex(NORTHSHORE.primary)) \
        not in riverbend


def test_a_clinic_figure_replaces_the_workspace_figure(ws: Path) -> None:
    own = own_figure(ws, "epidural-steroid-injection", '<rect width="200" height="100" fill="#123456"/>')
    assert find_figure(ws, "epidural-steroid-injection", "riverbend") == own
    riverbend = fill_colours(render(figure_flowable(ws, "epidural-steroid-injection", RIVERBEND, 150, 100,
                                                    "Helvetica", clinic_id="riverbend")))
    assert riverbend == {rounded(parse_hex("#123456"))}
    northshore = fill_colours(render(figure_flowable(ws, "epidural-steroid-injection", NORTHSHORE, 150, 100,
                                                     "Helvetica", clinic_id="northshore")))
    assert rounded(parse_hex(NORTHSHORE.primary)) in northshore  # the other clinic keeps the shipped figure
    assert find_figure(ws, "discography", "riverbend") == ws / "figures" / "discography.svg"


def test_an_edited_clinic_figure_is_read_again(ws: Path) -> None:
    own_figure(ws, "discography", '<rect width="200" height="100" fill="#000001"/>')
    drawn = fill_colours(render(figure_flowable(ws, "discography", RIVERBEND, 150, 100, "Helvetica", "riverbend")))
    assert drawn == {rounded(parse_hex(RIVERBEND.primary))}
    own_figure(ws, "discography", '<rect width="200" height="100" fill="#abcdef"/> ')
    drawn = fill_colours(render(figure_flowable(ws, "discography", RIVERBEND, 150, 100, "Helvetica", "riverbend")))
    assert drawn == {rounded(parse_hex("#abcdef"))}


@pytest.mark.parametrize("name", ["../clinics/riverbend/clinic", "/etc/passwd", "sub/discography", "..",
                                  "Discography", "discography.png", ""])
def test_a_name_that_is_a_path_is_refused(name: str) -> None:
    with pytest.raises(FigureError, match="not a figure name"):
        find_figure(REPO, name, "riverbend")


def test_a_clinic_id_that_is_a_path_is_refused() -> None:
    with pytest.raises(FigureError, match="not a clinic id"):
        find_figure(REPO, "discography", "../riverbend")


def test_a_link_out_of_the_workspace_is_refused(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1"/>', encoding="utf-8")
    own = own_figure(ws, "discography", "")
    own.unlink()
    own.symlink_to(outside)
    with pytest.raises(FigureError, match="points outside"):
        find_figure(ws, "discography", "riverbend")


def test_a_figures_folder_linked_out_of_the_workspace_is_refused(ws: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(REPO / "figures", elsewhere)
    (ws / "clinics" / "northshore" / "figures").symlink_to(elsewhere)
    with pytest.raises(FigureError, match="points outside"):
        find_figure(ws, "discography", "northshore")


def test_a_hostile_clinic_figure_is_refused_by_the_logo_checks(ws: Path) -> None:
    own_figure(ws, "discography", '<image href="file:///etc/passwd" width="2" height="1"/>')
    with pytest.raises(FigureError, match=r"discography.svg: the SVG contains <image>"):
        load_figure(ws, "discography", RIVERBEND, "riverbend")


def test_a_missing_figure_names_the_folders_searched() -> None:
    with pytest.raises(FigureError, match=r"no figure 'no-such-thing.svg' in clinics/riverbend/figures/ or figures/"):
        find_figure(REPO, "no-such-thing", "riverbend")


def test_every_icon_in_the_manifest_loads_in_the_primary_colour() -> None:
    manifest = json.loads((REPO / "icons" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package"] == "@iconify-json/healthicons" and manifest["licence"] == "MIT"
    assert (REPO / "icons" / "LICENSE.healthicons.txt").read_text(encoding="utf-8").startswith("MIT License")
    names = sorted(manifest["icons"])
    assert names == sorted(p.stem for p in (REPO / "icons").glob("*.svg"))
    for name in names:
        colours = fill_colours(render(figure_flowable(REPO, name, RIVERBEND, 24, 24, "Helvetica", kind="icons")))
        assert colours == {rounded(parse_hex(RIVERBEND.primary))}, name


def test_shipped_figures_are_small_plain_and_in_three_colours_at_most() -> None:
    for path in sorted((REPO / "figures").glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) < 8_000, path.name
        colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', text))
        brand = {c for c in colours if c in ("#000001", "#000002")}
        greys = {c for c in colours - brand if c[1:3] == c[3:5] == c[5:7]}
        assert colours == brand | greys, f"{path.name}: {sorted(colours - brand - greys)}"
        assert "#000001" in colours, path.name


def test_the_figures_match_the_script_that_draws_them() -> None:
    spec = importlib.util.spec_from_file_location("make_figures", REPO / "scripts" / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.FIGURES) == procedure_ids("en")
    for name, draw in module.FIGURES.items():
        assert (REPO / "figures" / f"{name}.svg").read_text(encoding="utf-8") == module.svg(draw()), name


def test_every_procedure_has_an_alt_text_and_an_easy_caption_in_both_languages() -> None:
    import yaml

    from handouts.readability import _score

    for lang in ("en", "es"):
        for proc_id in procedure_ids(lang):
            content = yaml.safe_load((REPO / "content" / lang / f"{proc_id}.yaml").read_text(encoding="utf-8"))
            figure = content["figure"]
            assert figure["image"] == f"{proc_id}.svg" and (REPO / "figures" / figure["image"]).is_file()
            assert figure["alt"].endswith(".") and figure["alt"].count(". ") == 0, (proc_id, lang)
            score = _score([figure["caption"]], lang)
            assert score.longest_words <= 20, (proc_id, lang, score)
            assert score.value <= 6 if lang == "en" else score.value >= 65, (proc_id, lang, score)


@pytest.mark.parametrize("name", sorted(str(p.relative_to(REPO)) for p in
                                        [*(REPO / "figures").glob("*.svg"), *(REPO / "icons").glob("*.svg"),
                                         *(REPO / "clinics").glob("*/*.svg")]))
def test_a_replayed_drawing_writes_the_same_bytes_as_the_renderer(name: str) -> None:
    """Logos, figures and icons are drawn from a recording of ReportLab's SVG renderer (once per
    process): the page must come out byte for byte as if the renderer had drawn it."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from handouts.pdf.recorded import recording, replay
    from handouts.svgsafe import svg_drawing

    data = (REPO / name).read_bytes()

    def page(draw) -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        canvas.rect(10, 10, 50, 50, fill=1)  # whatever comes after must not see a changed fill rule
        draw(canvas)
        canvas.roundRect(10, 10, 50, 50, 5, fill=1)
        canvas.showPage()
        return canvas.getpdfdata()

    def rendered(canvas) -> None:
        drawing = svg_drawing(data)
        drawing.initialFontName = "Helvetica"
        renderPDF.draw(drawing, canvas, 0, 0)

    assert page(lambda canvas: replay(canvas, recording(data, "Helvetica").calls)) == page(rendered)


@pytest.mark.parametrize("name", sorted(str(p.relative_to(REPO)) for p in
                                        [*(REPO / "figures").glob("*.svg"), *(REPO / "icons").glob("*.svg"),
                                         *(REPO / "clinics").glob("*/*.svg")]))
def test_copied_operators_write_the_same_bytes_as_a_replay(name: str) -> None:
    """Artwork whose operators are written once per process and copied into each page (recorded.draw)
    must come out byte for byte as a replay, in the clinic's colours, however often it is drawn."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from handouts.figures import ACCENT_TOKEN, PRIMARY_TOKEN
    from handouts.pdf.fonts import default_files, register_family
    from handouts.pdf.recorded import draw, recoloured, replay

    data = (REPO / name).read_bytes()
    font = register_family(default_files()).regular
    swaps = ((PRIMARY_TOKEN, "#0f5e6e"), (ACCENT_TOKEN, "#d9692a"))

    def page(paint) -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        for _ in range(2):  # the second time comes from the copy, as for every later handout
            canvas.saveState()  # as draw_logo draws it
            paint(canvas)
            canvas.restoreState()
            canvas.roundRect(10, 10, 50, 50, 5, fill=1)
        canvas.showPage()
        return canvas.getpdfdata()

    copied = page(lambda canvas: draw(canvas, data, font, swaps))
    assert copied == page(lambda canvas: replay(canvas, recoloured(data, font, swaps)))


@pytest.mark.parametrize("name", sorted(str(p.relative_to(REPO)) for p in
                                        [*(REPO / "figures").glob("*.svg"), *(REPO / "icons").glob("*.svg"),
                                         *(REPO / "clinics").glob("*/*.svg")]))
def test_the_quick_look_at_a_recording_agrees_with_what_a_replay_writes(name: str) -> None:
    """recorded._names_resources spares artwork with transparency a trial replay; it must say so
    exactly when a replay writes a document resource, or copies are lost (never wrong bytes)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from handouts.figures import ACCENT_TOKEN, PRIMARY_TOKEN
    from handouts.pdf.fonts import default_files, register_family
    from handouts.pdf.recorded import _NAMED, _names_resources, recoloured, replay

    data = (REPO / name).read_bytes()
    calls = recoloured(data, register_family(default_files()).regular,
                       ((PRIMARY_TOKEN, "#0f5e6e"), (ACCENT_TOKEN, "#d9692a")))
    canvas = Canvas(io.BytesIO())
    start = len(canvas._code)
    replay(canvas, calls)
    assert _names_resources(calls) == bool(_NAMED.search("\n".join(canvas._code[start:])))
