"""Safe SVG: checked and bounded before any converter sees it, then converted under a time budget.

Every SVG handouts draws (clinic logos today, procedure figures later) comes through here.
An SVG is untrusted: small files can expand enormously (`<use>` of a group of 1,000 paths,
used 1,000 times, is a million paths from 42 KB), so what the converter would have to draw is
measured first, with `<use>` expanded, and refused above fixed limits. Conversion itself then
runs with a time budget, so one hostile file cannot hold a build or the web page for minutes.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

MAX_ELEMENTS = 10_000  # after <use> expansion; a detailed logo has a few hundred
MAX_POINTS = 200_000  # numbers in path data and point lists, after <use> expansion
MAX_DEPTH = 40  # nesting of groups, <use> references included
CONVERT_SECONDS = 10.0

_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt)?\s*$")
_REFERENCE_TAGS = ("use",)


class SvgError(ValueError):
    """The SVG cannot be used; the message says why in the user's terms."""


@dataclass(frozen=True, slots=True)
class SvgInfo:
    width: float
    height: float
    elements: int
    points: int
    depth: int


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _parse(data: bytes):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SvgError(f"the SVG declares a DTD or entities, which are not allowed ({type(exc).__name__})") from None
    except Exception as exc:  # ParseError from the XML parser
        raise SvgError(f"the SVG is not well-formed XML ({exc})") from None
    if _local(root.tag) != "svg":
        raise SvgError("the file is XML but not an SVG image")
    return root


def _refuse_outside_content(root) -> None:
    """Only self-contained shapes: no scripts, images, text, linked files or stylesheets."""
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in ("image", "script", "foreignObject"):
            raise SvgError(f"the SVG contains <{tag}>, which could load outside content; embed shapes only")
        if tag in ("text", "tspan", "textPath"):
            raise SvgError("the SVG contains text; convert it to outlines (paths) so no unembedded font is used")
        for name, value in element.attrib.items():
            if _local(name) == "href" and not value.startswith("#"):
                raise SvgError(f"the SVG links to '{value[:60]}'; it must not reference other files")
        if tag == "style" and re.search(r"@import|url\s*\(", element.text or "", re.I):
            raise SvgError("the SVG stylesheet loads outside content (@import or url()); remove it")
        if re.search(r"url\s*\(\s*['\"]?(?!#)", element.get("style") or "", re.I):
            raise SvgError("the SVG style refers to an outside url(); remove it")


class _Meter:
    """Counts what drawing the tree would cost, expanding each `<use>` as a converter would."""

    def __init__(self, root) -> None:
        self.by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        self.memo: dict[int, tuple[int, int, int]] = {}
        self.active: set[int] = set()

    def measure(self, element, depth: int = 1) -> tuple[int, int, int]:
        """(elements, points, depth of the subtree), refusing as soon as a limit is passed."""
        if depth > MAX_DEPTH:
            raise SvgError(f"the SVG nests groups (or <use> references) more than {MAX_DEPTH} levels deep")
        key = id(element)
        if key in self.memo:
            return self._checked(self.memo[key], depth)
        if key in self.active:
            raise SvgError("the SVG has a <use> that refers to itself")
        self.active.add(key)
        elements, points, sub_depth = 1, _points(element), 1
        parts = list(element)
        if isinstance(element.tag, str) and _local(element.tag) in _REFERENCE_TAGS:
            target = self.by_id.get(_href(element).lstrip("#"))
            if target is not None:
                parts.append(target)
        for child in parts:
            child_elements, child_points, child_depth = self.measure(child, depth + 1)
            elements, points = elements + child_elements, points + child_points
            sub_depth = max(sub_depth, child_depth + 1)
            self._checked((elements, points, sub_depth), depth)
        self.active.discard(key)
        self.memo[key] = (elements, points, sub_depth)
        return elements, points, sub_depth

    @staticmethod
    def _checked(found: tuple[int, int, int], depth: int) -> tuple[int, int, int]:
        elements, points, sub_depth = found
        if elements > MAX_ELEMENTS:
            raise SvgError(f"the SVG draws more than {MAX_ELEMENTS:,} shapes once <use> copies are counted; "
                           f"simplify it")
        if points > MAX_POINTS:
            raise SvgError(f"the SVG's paths have more than {MAX_POINTS:,} coordinates once <use> copies are "
                           f"counted; simplify it")
        if depth + sub_depth - 1 > MAX_DEPTH:
            raise SvgError(f"the SVG nests groups (or <use> references) more than {MAX_DEPTH} levels deep")
        return found


def _href(element) -> str:
    for name, value in element.attrib.items():
        if _local(name) == "href":
            return value
    return ""


def _points(element) -> int:
    count = 0
    for name in ("d", "points"):
        value = element.get(name)
        if value:
            count += len(_NUMBER.findall(value.encode()))
    return count


def _size(root) -> tuple[float, float]:
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
            if 0 < width < float("inf") and 0 < height < float("inf"):
                return width, height
        except ValueError:
            pass
    sizes = [_LENGTH.match(root.get(attr) or "") for attr in ("width", "height")]
    if all(sizes):
        try:
            width, height = float(sizes[0].group(1)), float(sizes[1].group(1))  # type: ignore[union-attr]
        except ValueError:
            width = height = 0.0
        if width > 0 and height > 0:
            return width, height
    raise SvgError("the SVG needs a viewBox (or width and height) so it can be scaled")


def vet_svg(data: bytes) -> SvgInfo:
    """Parse, check for outside content and measure; raises SvgError naming the first problem."""
    root = _parse(data)
    _refuse_outside_content(root)
    elements, points, depth = _Meter(root).measure(root)
    width, height = _size(root)
    return SvgInfo(width, height, elements, points, depth)


@lru_cache(maxsize=256)  # every clinic's logo, figures and icons, in its colours: a batch reuses them all
def _converted(data: bytes) -> tuple[object | None, str]:
    """(drawing, "") or (None, why): failures are remembered too, so a slow file is tried once."""
    try:
        vet_svg(data)
    except SvgError as exc:
        return None, str(exc)
    outcome: list = []

    def convert() -> None:
        from svglib.svglib import svg2rlg

        try:
            outcome.append(svg2rlg(io.BytesIO(data), resolve_entities=False))
        except Exception as exc:  # noqa: BLE001 - the converter's own failure, reported below
            outcome.append(exc)

    # A daemon thread, so the caller (a build, or the web page holding its render lock) is free
    # again after the budget even though Python cannot stop the converter mid-way.
    worker = threading.Thread(target=convert, name="svg-convert", daemon=True)
    worker.start()
    worker.join(CONVERT_SECONDS)
    if worker.is_alive():
        return None, f"the SVG took longer than {CONVERT_SECONDS:g} s to convert; simplify it"
    drawing = outcome[0] if outcome else None
    if drawing is None or isinstance(drawing, Exception):
        reason = f" ({type(drawing).__name__})" if isinstance(drawing, Exception) else ""
        return None, f"the SVG could not be converted{reason}"
    return drawing, ""


def svg_drawing(data: bytes):
    """A ReportLab Drawing of a vetted SVG, converted once per process; SvgError if refused."""
    drawing, reason = _converted(data)
    if drawing is None:
        raise SvgError(reason)
    return drawing
