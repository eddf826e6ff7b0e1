"""Read and vet a clinic logo, so a broken, huge or hostile image fails at load, not mid-print."""

from __future__ import annotations

import io
import re

from .models import Logo

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


_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt)?\s*$")


def _svg_size(root) -> tuple[float, float]:
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
            if width > 0 and height > 0:
                return width, height
        except ValueError:
            pass
    sizes = [_LENGTH.match(root.get(attr) or "") for attr in ("width", "height")]
    if all(sizes):
        return float(sizes[0].group(1)), float(sizes[1].group(1))  # type: ignore[union-attr]
    raise LogoError("the SVG needs a viewBox (or width and height) so it can be scaled")


def _svg(data: bytes) -> Logo:
    """Only self-contained SVG: no DTD or entities, no linked files, images or stylesheets."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise LogoError(f"the SVG declares a DTD or entities, which are not allowed ({type(exc).__name__})") from None
    except Exception as exc:  # ParseError from the XML parser
        raise LogoError(f"the SVG is not well-formed XML ({exc})") from None
    if not root.tag.endswith("svg"):
        raise LogoError("the file is XML but not an SVG image")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("image", "script", "foreignObject"):
            raise LogoError(f"the SVG contains <{tag}>, which could load outside content; embed shapes only")
        if tag in ("text", "tspan", "textPath"):
            raise LogoError("the SVG contains text; convert it to outlines (paths) so no unembedded font is used")
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] == "href" and not value.startswith("#"):
                raise LogoError(f"the SVG links to '{value[:60]}'; logos must not reference other files")
        if tag == "style" and re.search(r"@import|url\s*\(", element.text or "", re.I):
            raise LogoError("the SVG stylesheet loads outside content (@import or url()); remove it")
        style = element.get("style") or ""
        if re.search(r"url\s*\(\s*['\"]?(?!#)", style, re.I):
            raise LogoError("the SVG style refers to an outside url(); remove it")
    width, height = _svg_size(root)
    return Logo("svg", data, width, height)


def read_logo(data: bytes) -> Logo:
    """Validate logo bytes by content (not by file name) and measure them."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"file is {len(data):,} bytes; the limit is {MAX_LOGO_BYTES:,}")
    kind = _sniff(data)
    if kind is None:
        raise LogoError("not a PNG, JPEG or SVG image")
    return _svg(data) if kind == "svg" else _bitmap(data, kind)
