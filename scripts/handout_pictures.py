"""Pictures of real handouts for the README: a one-page and an open booklet spread.

    python scripts/handout_pictures.py       # writes docs/screenshots/one-page.png and booklet-spread.png

Builds the shipped demo (Riverbend, English, epidural steroid injection) into a temporary folder
with this checkout's `handouts`, and renders the pages with poppler's pdftoppm, so the README
always shows what the tool prints today.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PROCEDURE, CLINIC = "epidural-steroid-injection", "riverbend"
DPI = 80


def render(pdf: Path, page: int, stem: Path) -> Image.Image:
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True)
    with Image.open(f"{stem}.png") as image:
        return image.convert("RGB")


def framed(pages: list[Image.Image]) -> Image.Image:
    """The pages side by side, touching like an open booklet, with a hairline round each, on a light
    grey table."""
    margin = 24
    width = sum(page.width + 2 for page in pages) + 2 * margin
    height = max(page.height for page in pages) + 2 + 2 * margin
    sheet = Image.new("RGB", (width, height), (236, 236, 236))
    x = margin
    for page in pages:
        bordered = Image.new("RGB", (page.width + 2, page.height + 2), (170, 170, 170))
        bordered.paste(page, (1, 1))
        sheet.paste(bordered, (x, margin))
        x += page.width + 2
    return sheet


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    handouts = Path(sys.executable).with_name("handouts")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run([str(handouts), "build", PROCEDURE, "-c", CLINIC, "--lang", "en", "-l", "one-page", "-l",
                        "booklet", "-o", str(out)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        folder = out / CLINIC / "en"
        framed([render(folder / f"{PROCEDURE}.one-page.pdf", 1, Path(tmp) / "one")]).save(OUT / "one-page.png")
        spread = [render(folder / f"{PROCEDURE}.booklet.pdf", page, Path(tmp) / f"b{page}") for page in (2, 3)]
        framed(spread).save(OUT / "booklet-spread.png")
    print(f"wrote {OUT / 'one-page.png'} and {OUT / 'booklet-spread.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
