"""Draw a clinic logo (PNG, JPEG or SVG) fitted into a box, from bytes already vetted at load."""

from __future__ import annotations

import copy
import io
from functools import lru_cache

from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.platypus import Flowable

from ..models import Logo
from .recorded import draw, recording


MAX_LOGO_PIXELS_WIDE = 480  # a logo prints at most about 1.8 inches wide: over 260 dpi at this size


@lru_cache(maxsize=16)
def _image(data: bytes) -> ImageReader:
    """The bitmap once per process, flattened on white and no larger than print needs.

    Logos always sit on a white tile, so transparency can be resolved here; a smaller, opaque
    image makes each PDF quicker to write and smaller, with no visible difference.
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail((MAX_LOGO_PIXELS_WIDE, MAX_LOGO_PIXELS_WIDE))
    return ImageReader(flat)


@lru_cache(maxsize=16)
def _image_object(data: bytes) -> PDFImageXObject:
    """The image as ReportLab's drawImage makes it for a document, made once per process.

    drawImage compresses the pixels again for every PDF (over a millisecond for a logo); each
    document gets a copy of this one instead, sharing the compressed bytes: the same PDF."""
    image = _image(data)
    name = _digester(image.getRGBData() + b"None")  # drawImage's name for these pixels, no mask
    made = PDFImageXObject(name, image, mask=None)
    made.name = name
    return made


def _draw_image(canvas, data: bytes, x: float, y: float, width: float, height: float) -> None:
    """What canvas.drawImage(_image(data), x, y, width, height) writes, without compressing again."""
    template = _image_object(data)
    doc = canvas._doc
    name = doc.getXObjectName(template.name)
    if not doc.idToObject.get(name):
        image = copy.copy(template)
        canvas._setXObjects(image)
        doc.Reference(image, name)
        doc.addForm(template.name, image)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(template.name)


def fitted_size(logo: Logo, max_width: float, max_height: float) -> tuple[float, float]:
    scale = min(max_width / logo.width, max_height / logo.height)
    return logo.width * scale, logo.height * scale


def draw_logo(canvas, logo: Logo, x: float, y: float, max_width: float, max_height: float,
              font_name: str) -> tuple[float, float]:
    """Draw with the bottom-left corner at (x, y); returns the size actually used.

    `font_name` becomes the drawing's initial font: otherwise ReportLab's renderer starts
    with an unembedded Helvetica, even for a logo without any text.
    """
    if logo.kind == "none":
        return 0.0, 0.0
    width, height = fitted_size(logo, max_width, max_height)
    if logo.kind == "svg":
        drawn = recording(logo.data, font_name)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(width / drawn.width, height / drawn.height)
        draw(canvas, logo.data, font_name, logo.colours)
        canvas.restoreState()
    else:
        _draw_image(canvas, logo.data, x, y, width, height)
    return width, height


class LogoFlowable(Flowable):
    """The logo as a flowable, fitted into a box and aligned left."""

    def __init__(self, logo: Logo, max_width: float, max_height: float, font_name: str) -> None:
        super().__init__()
        self.logo, self.font_name = logo, font_name
        self.width, self.height = fitted_size(logo, max_width, max_height)

    def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 - platypus API
        return self.width, self.height

    def draw(self) -> None:
        draw_logo(self.canv, self.logo, 0, 0, self.width, self.height, self.font_name)
