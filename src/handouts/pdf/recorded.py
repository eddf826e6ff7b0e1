"""Vector artwork drawn from a recording: ReportLab's SVG renderer runs once per drawing and font,
and every later page replays the canvas calls it made.

A handout draws the clinic's logo, the procedure's figure and action icons; walking each
drawing's tree again for every handout of a batch cost more than the rest of the band. The
recording holds only public canvas calls (colours, widths, paths, shapes, transparency), so a
replay writes exactly what the renderer would have written, on any canvas.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.pathobject import PDFPathObject

from ..svgsafe import svg_drawing

Call = tuple[str, tuple, dict]
FILL_RULE = "_fillMode"


class _Recorder:
    """Stands in for a canvas: remembers every drawing call; paths are real path objects, reused on replay."""

    _fillMode = 0  # the renderer reads these three from the canvas it draws on
    _fontsize = 10

    def __init__(self, font_name: str) -> None:
        self._fontname = font_name
        self.calls: list[Call] = []

    def beginPath(self) -> PDFPathObject:  # noqa: N802 - canvas API
        return PDFPathObject()

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_fillMode":  # the renderer sets the fill rule straight on the canvas: so will the replay
            self.calls.append((FILL_RULE, (value,), {}))
        object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args, kwargs))

        return record


@lru_cache(maxsize=256)
def recording(data: bytes, font_name: str) -> tuple[Call, ...]:
    """The canvas calls that draw the vetted SVG `data` at its own size, origin at (0, 0)."""
    drawing = svg_drawing(data)
    drawing.initialFontName = font_name
    recorder = _Recorder(font_name)
    renderPDF.draw(drawing, recorder, 0, 0)
    return tuple(recorder.calls)


@lru_cache(maxsize=512)
def recoloured(data: bytes, font_name: str, swaps: tuple[tuple[str, str], ...]) -> tuple[Call, ...]:
    """The recording with fill and stroke colours swapped ("#000001" -> a clinic's "#0f5e6e")."""
    calls = recording(data, font_name)
    if not swaps:
        return calls
    table = {HexColor(old).int_rgb(): HexColor(new) for old, new in swaps}

    def swapped(call: Call) -> Call:
        name, args, kwargs = call
        colour = args[0] if name in ("setFillColor", "setStrokeColor") and args else None
        new = table.get(colour.int_rgb()) if hasattr(colour, "int_rgb") else None
        if new is None:
            return call
        return name, (Color(new.red, new.green, new.blue, alpha=colour.alpha), *args[1:]), kwargs

    return tuple(swapped(call) for call in calls)


def replay(canvas, calls: tuple[Call, ...]) -> None:
    for name, args, kwargs in calls:
        if name == FILL_RULE:
            canvas._fillMode = args[0]  # exactly as ReportLab's renderer does it
        else:
            getattr(canvas, name)(*args, **kwargs)
