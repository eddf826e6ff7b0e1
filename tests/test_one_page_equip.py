"""What a one-page gives a patient to act on, read back from every shipped one-page: the picture
with its caption, the key points, and a checklist with real tick boxes, all at 11.5 pt or more."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from pdfread import text

REPO = Path(__file__).resolve().parents[1]
MIN_BOX = 9.0  # a tick box a pen can tick


def one_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.one-page.pdf"))


def content(path: Path) -> dict:
    lang, procedure = path.parent.name, path.name.split(".")[0]
    return yaml.safe_load((REPO / "content" / lang / f"{procedure}.yaml").read_text(encoding="utf-8"))


def tick_boxes(path: Path) -> list[dict]:
    """Stroked, unfilled squares of at least 9 pt: the checklist's boxes."""
    with pdfplumber.open(path) as pdf:
        return [r for r in pdf.pages[0].rects if r["stroke"] and not r["fill"]
                and abs(r["width"] - r["height"]) < 0.5 and r["width"] >= MIN_BOX]


def figures(path: Path) -> list[str]:
    """The /Alt of every Figure element in the structure tree."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        def walk(node) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if node.S == "/Figure":
                    found.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node.K)
        walk(pdf.Root.StructTreeRoot.K)
    return found


def test_every_one_page_shows_its_figure_with_caption(demo_pdfs):
    files = one_pages(demo_pdfs)
    assert len(files) == 80
    for path in files:
        figure = content(path)["figure"]
        assert figure["alt"] in figures(path), path
        assert " ".join(figure["caption"].split()) in text(path), path


def test_every_one_page_has_a_checklist_with_a_tick_box_per_item(demo_pdfs):
    for path in one_pages(demo_pdfs):
        boxes = tick_boxes(path)
        assert len(boxes) >= 3, (path, len(boxes))
        assert len(boxes) == len(content(path)["prepare"]), path


def key_points(path: Path) -> list[str]:
    """The key points as printed: placeholders such as {{ clinic.emergency_number }} filled for the clinic."""
    from handouts.compose import compose
    from handouts.richtext import to_plain
    from handouts.workspace import Workspace

    ws = Workspace(REPO)
    lang, procedure, clinic = path.parent.name, path.name.split(".")[0], path.parent.parent.name
    handout = compose(ws.procedure(lang, procedure), ws.clinic(clinic), ws.strings(lang))
    return [to_plain(point) for point in handout.key_points]


def test_every_one_page_leads_with_its_key_points(demo_pdfs):
    for path in one_pages(demo_pdfs):
        points = key_points(path)
        assert 1 <= len(points) <= 3, path
        body = text(path)
        first_section = body.find("What is it?") if "/en/" in str(path) else body.find("¿Qué es?")
        for point in points:
            at = body.replace("\u00a0", " ").find(" ".join(point.split()))
            assert 0 <= at < first_section, (path, point)


def test_tick_boxes_sit_beside_the_first_line_of_their_item(demo_pdfs):
    path = demo_pdfs / "riverbend/en/epidural-steroid-injection.one-page.pdf"
    with pdfplumber.open(path) as pdf:
        # Words, not text lines: a line of the left column at the same height would swallow the item's line.
        words = pdf.pages[0].extract_words()
    for box in tick_boxes(path):
        beside = [word for word in words if word["x0"] > box["x1"] and word["x0"] - box["x1"] < 12
                  and word["top"] - 3 <= box["top"] <= word["bottom"]]
        assert beside, box
