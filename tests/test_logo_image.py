"""A bitmap logo's image is compressed once per process, and every PDF still gets exactly the
bytes ReportLab's own drawImage writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf.logo import _draw_image, _image, _image_object

REPO = Path(__file__).resolve().parents[1]


def _png_with_alpha() -> bytes:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(40, 260):
        for y in range(30, 90):
            image.putpixel((x, y), (15, 94, 110, 200 if x % 7 else 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 300), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _page(draw) -> bytes:
    """Two pages, the logo twice on the first: the document registers it once, as drawImage does."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    draw(canvas, 40, 700, 120, 48)
    draw(canvas, 300, 500, 60, 24)
    canvas.showPage()
    draw(canvas, 40, 700, 120, 48)
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("data", [(REPO / "clinics" / "northshore" / "logo.png").read_bytes(), _png_with_alpha(),
                                  _jpeg()], ids=["demo", "alpha", "jpeg"])
def test_the_same_pdf_as_draw_image(data):
    ours = [_page(lambda c, x, y, w, h: _draw_image(c, data, x, y, w, h)) for _ in range(2)]
    theirs = _page(lambda c, x, y, w, h: c.drawImage(_image(data), x, y, w, h))
    assert ours[0] == theirs
    assert ours[1] == theirs  # the second document reuses the image made for the first
    assert not hasattr(_image_object(data), "__InternalName__")  # no document ever owned the template
