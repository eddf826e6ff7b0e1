"""Vector artwork drawn from a recording: ReportLab's SVG renderer runs once per drawing and font,
and every later page replays the canvas calls it made.

A handout draws the clinic's logo, the procedure's figure and action icons; walking each
drawing's tree again for every handout of a batch cost more than the rest of the band. The
recording holds only public canvas calls (colours, widths, paths, shapes, transparency), so a
replay writes exactly what the renderer would have written, on any canvas.

Most artwork goes one step further: the operators a replay writes are the same on every canvas
(nothing in them names a document resource such as a font or a transparency state), so they
are written once per process and copied into each page as they are.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas, ExtGState
from reportlab.pdfgen.pathobject import PDFPathObject

from .. import artwork_store
from ..artwork_store import Call, Recording
from ..svgsafe import svg_drawing

FILL_RULE = "_fillMode"
# Operators that refer to a document's named resources (graphics states, fonts, images, shadings,
# colour spaces) or write text: their bytes depend on the document, so they cannot be copied.
_NAMED = re.compile(r"(?<![^\s])(gs|Tf|Do|BT|BI|sh|cs|CS|scn|SCN|BDC|BMC)(?![^\s])")


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
def recording(data: bytes, font_name: str) -> Recording:
    """The canvas calls that draw the vetted SVG `data` at its own size, origin at (0, 0): from
    the store when an earlier process kept them, else converted and recorded (and kept)."""
    stored = artwork_store.load(data, font_name)
    if stored is not None:
        return stored
    drawing = svg_drawing(data)
    drawing.initialFontName = font_name
    recorder = _Recorder(font_name)
    renderPDF.draw(drawing, recorder, 0, 0)
    made = Recording(float(drawing.width), float(drawing.height), tuple(recorder.calls))
    artwork_store.save(data, font_name, made)
    return made


@lru_cache(maxsize=512)
def recoloured(data: bytes, font_name: str, swaps: tuple[tuple[str, str], ...]) -> tuple[Call, ...]:
    """The recording with fill and stroke colours swapped ("#000001" -> a clinic's "#0f5e6e")."""
    calls = recording(data, font_name).calls
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


def draw(canvas, data: bytes, font_name: str, swaps: tuple[tuple[str, str], ...]) -> None:
    """Draw the recording of `data` in the clinic colours `swaps`: its operators copied when they
    are the same on every canvas, otherwise a replay."""
    copy = _operators(data, font_name, swaps, canvas._fillMode) if _at_defaults(canvas) else None
    if copy is None:
        replay(canvas, recoloured(data, font_name, swaps))
        return
    code, version = copy
    canvas._code.append(code)
    doc = canvas._doc  # what the replay asked of the document (transparency needs PDF 1.4)
    doc._pdfVersion = max(doc._pdfVersion, version)


def _at_defaults(canvas) -> bool:
    """True when transparency, overprint and blending are as a fresh page has them, as they were
    when the operators were written (a replay would have written a state change otherwise)."""
    state = canvas._extgstate._d
    return all(value == ExtGState.defaults[key] for key, value in state.items())


@lru_cache(maxsize=512)
def _operators(data: bytes, font_name: str, swaps: tuple[tuple[str, str], ...],
               fill_mode: int) -> tuple[str, tuple[int, int]] | None:
    """What a replay writes on a fresh canvas with this fill rule, and the PDF version it needs;
    None when it names resources."""
    calls = recoloured(data, font_name, swaps)
    if _names_resources(calls):
        return None
    scratch = Canvas(io.BytesIO())
    scratch._fillMode = fill_mode
    start = len(scratch._code)
    scratch.saveState()  # the replay's changes to the canvas's own state end with it, as on a page
    replay(scratch, calls)
    scratch.restoreState()
    code = "\n".join(scratch._code[start + 1:-1])
    return None if _NAMED.search(code) else (code, scratch._doc._pdfVersion)


def _names_resources(calls: tuple[Call, ...]) -> bool:
    """True when a replay surely names a document resource: transparency or overprint (a graphics
    state), a font ReportLab writes as one, or a call outside the renderer's plain set. False only
    means "try": `_operators` still checks what the replay wrote. (Saying True wrongly would only
    replay artwork that could have been copied: the same bytes either way.)"""
    for name, args, _ in calls:
        if name not in artwork_store.RENDERER_CALLS:
            return True
        if name in ("setFillAlpha", "setStrokeAlpha") and args[0] != 1:
            return True
        if name in ("setFillColor", "setStrokeColor") and getattr(args[0], "alpha", None) not in (None, 1):
            return True
        if name in ("setFillOverprint", "setStrokeOverprint", "setOverprintMask") and args[0]:
            return True
        if name == "setFont" and not getattr(getFont(args[0]), "_dynamicFont", False):
            return True
    return False
