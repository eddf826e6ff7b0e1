"""Register TrueType families with ReportLab once per process, and check glyph coverage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..fontfiles import default_files  # noqa: F401 - re-exported for the renderers
from ..models import FontFiles


@dataclass(frozen=True, slots=True)
class FontFamily:
    """Registered ReportLab font names of one family's four faces."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@lru_cache(maxsize=32)
def register_family(files: FontFiles) -> FontFamily:
    """Register (once) and return the family; names are stable so output bytes are too."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    stem = Path(files.regular).stem.split("-")[0][:24]
    digest = hashlib.sha1("|".join((files.regular, files.bold, files.italic, files.bold_italic)).encode()).hexdigest()
    base = stem if files == default_files() else f"{stem}{digest[:6]}"
    family = FontFamily(base, f"{base}-Bold", f"{base}-Italic", f"{base}-BoldItalic")
    for name, path in zip((family.regular, family.bold, family.italic, family.bold_italic),
                          (files.regular, files.bold, files.italic, files.bold_italic)):
        pdfmetrics.registerFont(TTFont(name, path))
    addMapping(base, 0, 0, family.regular)
    addMapping(base, 1, 0, family.bold)
    addMapping(base, 0, 1, family.italic)
    addMapping(base, 1, 1, family.bold_italic)
    return family


def missing_glyphs(text: str, family: FontFamily) -> list[str]:
    """Characters the regular face cannot draw (ReportLab would print an empty box for them)."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(family.regular).face
    return sorted(ch for ch in set(text) - set(" \t\r\n") if ord(ch) not in face.charToGlyph)
