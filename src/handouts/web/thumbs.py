"""Thumbnails of real handout pages for the search page, cached by the build fingerprint.

The picture is the first page of the very PDF the front desk would print, drawn with pdfium.
A change to the content, clinic, layout, strings, fonts or code changes the fingerprint, so a
stale thumbnail is never shown.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from threading import Lock

MAX_CACHED = 400
WIDTH_PX = 240


class Thumbnails:
    def __init__(self, render_lock: Lock) -> None:
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = Lock()
        self._render_lock = render_lock  # pdfium, like ReportLab, must not run in two threads at once

    def get(self, fingerprint: str, make_pdf) -> bytes:
        """The cached picture, or a new one from `make_pdf()` (called under the render lock)."""
        with self._lock:
            if fingerprint in self._cache:
                self._cache.move_to_end(fingerprint)
                return self._cache[fingerprint]
        with self._render_lock:
            png = _first_page_png(make_pdf())
        with self._lock:
            self._cache[fingerprint] = png
            while len(self._cache) > MAX_CACHED:
                self._cache.popitem(last=False)
        return png


def _first_page_png(pdf: bytes) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = WIDTH_PX / page.get_width()
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
