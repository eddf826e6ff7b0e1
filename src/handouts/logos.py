"""Read and vet a clinic logo, so a broken, huge or hostile image fails at load, not mid-print."""

from __future__ import annotations

import io

from .artwork_store import converted_before
from .models import Logo
from .svgsafe import SvgError, svg_drawing, vet_svg

MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000  # e.g. 5000 x 5000; far beyond what a 2-inch logo needs


class LogoError(ValueError):
    """The logo cannot be used; the message says why in the user's terms."""


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"<svg" in data[:4096].lower():
        return "svg"
    return None


def _bitmap(data: bytes, kind: str) -> Logo:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                raise LogoError(f"image is {width} x {height} pixels; the limit is {MAX_LOGO_PIXELS:,} pixels")
            image.load()  # decodes fully, so a truncated or corrupt file fails here
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise LogoError(f"the {kind.upper()} file is damaged or not an image ({exc})") from None
    return Logo(kind, data, float(width), float(height))


def _svg(data: bytes) -> Logo:
    """Checked and bounded by the shared SVG loader, and converted once so a slow file fails here
    (unless this very file was converted before and its recording kept)."""
    try:
        info = vet_svg(data)
        if not converted_before(data):
            svg_drawing(data)
    except SvgError as exc:
        raise LogoError(str(exc)) from None
    return Logo("svg", data, info.width, info.height)


def read_logo(data: bytes) -> Logo:
    """Validate logo bytes by content (not by file name) and measure them."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"file is {len(data):,} bytes; the limit is {MAX_LOGO_BYTES:,}")
    kind = _sniff(data)
    if kind is None:
        raise LogoError("not a PNG, JPEG or SVG image")
    return _svg(data) if kind == "svg" else _bitmap(data, kind)
