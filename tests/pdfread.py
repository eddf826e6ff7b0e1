"""Helpers that read produced PDFs back, the way a printer or a screen reader would."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


def reader(source: Path | bytes) -> PdfReader:
    return PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)


def text(source: Path | bytes) -> str:
    """All text, whitespace folded, so assertions do not depend on line breaks."""
    pages = [page.extract_text() or "" for page in reader(source).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def fonts(source: Path | bytes) -> dict[str, bool]:
    """Base font name -> whether a font file is embedded, for every font any page uses."""
    found: dict[str, bool] = {}
    for page in reader(source).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and any(k in descriptor.get_object() for k in
                                               ("/FontFile", "/FontFile2", "/FontFile3")))
            found[str(font["/BaseFont"])] = embedded
    return found


def _horizontal(obj: dict) -> bool:
    return obj.get("object_type") != "char" or tuple(obj["matrix"][1:3]) == (0, 0)


def words(source: Path | bytes, page: int = 0) -> list[dict]:
    """The page's words, without a draft's rotated DRAFT mark (page furniture, see text_chars)."""
    with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        return pdf.pages[page].filter(_horizontal).extract_words(extra_attrs=["fontname", "size"])


def chars(source: Path | bytes, page: int = 0) -> list[dict]:
    with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        return list(pdf.pages[page].chars)


def text_chars(source: Path | bytes, page: int = 0) -> list[dict]:
    """The page's horizontal, visible characters: its text, without a draft's rotated DRAFT mark
    (page furniture in the margins and across the page, for staff)."""
    return [c for c in chars(source, page) if c["text"].strip() and _horizontal(c)]
