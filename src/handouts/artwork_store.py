"""Artwork recordings kept on disk, so a new process draws a figure without converting its SVG again.

Converting an SVG with svglib costs more than everything else a handout does with its figure: in a
batch it was paid for every figure, icon and logo in every new process (each build, each worker).
The recording of an SVG (the few canvas calls that draw it) is saved here as JSON under the
user's cache folder, named by the SHA-256 of the SVG bytes and the versions that made it. Reading
one back checks every call against the short list the renderer makes, with the argument types
each takes, so a damaged or altered file is ignored (and written again), never obeyed: it can
only ever draw lines, curves and colours, as the SVG itself could.

`HANDOUTS_CACHE_DIR` names the folder (empty: keep nothing on disk); otherwise
`$XDG_CACHE_HOME/handouts` or `~/.cache/handouts`. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from reportlab import Version as REPORTLAB_VERSION
from reportlab.lib.colors import Color
from reportlab.pdfgen.pathobject import PDFPathObject

from .atomicio import write_atomic

FORMAT = 1
Call = tuple[str, tuple, dict]
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # far beyond any recording the SVG limits allow


class Recording(NamedTuple):
    """An SVG's canvas calls at its own size (origin at 0, 0), and that size."""

    width: float
    height: float
    calls: tuple[Call, ...]


# What each call the renderer makes takes: n number, i integer, b true/false, c colour, p path,
# d dash pattern, f the drawing's font (stored as null: the font is the caller's, not the file's).
_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "saveState": (), "restoreState": (), "_fillMode": ("i",),
    "setLineWidth": ("n",), "setLineCap": ("i",), "setLineJoin": ("i",), "setDash": ("d", "n"),
    "setFillAlpha": ("n",), "setStrokeAlpha": ("n",), "setFillColor": ("c",), "setStrokeColor": ("c",),
    "setFillOverprint": ("b",), "setStrokeOverprint": ("b",), "setOverprintMask": ("i",),
    "transform": ("n",) * 6, "setFont": ("f", "n"), "drawPath": ("p",), "line": ("n",) * 4,
    "rect": ("n",) * 4, "roundRect": ("n",) * 5, "ellipse": ("n",) * 4, "circle": ("n",) * 3,
}
RENDERER_CALLS = frozenset(_ARGUMENTS)  # every canvas call ReportLab's SVG renderer makes for plain shapes
_SHAPE_OPTIONS = {"fill", "stroke", "fillMode"}  # keyword arguments, each 0/1 or true/false
_PATH_STEP = re.compile(r"(?:-?\d+(?:\.\d+)? )*[mlcvyhn]|(?:-?\d+(?:\.\d+)? ){4}re")


class _Refused(ValueError):
    """A call the store does not keep (or will not obey)."""


def _folder() -> Path | None:
    chosen = os.environ.get("HANDOUTS_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) / "artwork" if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handouts" / "artwork"


@lru_cache(maxsize=1)
def _versions() -> str:
    """Read from the installed package's metadata: importing svglib costs more than a whole
    handout, and a build that finds all its artwork here never needs it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        svglib = version("svglib")
    except PackageNotFoundError:
        svglib = "?"
    return f"{FORMAT}-{REPORTLAB_VERSION}-{svglib}"


def _entry(data: bytes) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    return folder / f"{hashlib.sha256(data).hexdigest()}.{_versions()}.json"


def _is_number(value: Any) -> bool:
    kind = type(value)  # exactly int or float: not bool, not a subclass
    return kind is int or (kind is float and math.isfinite(value))


def _number(value: Any) -> Any:
    if _is_number(value):
        return value
    raise _Refused("not a number")


def _is_integer(value: Any) -> bool:
    return type(value) is int


def _is_switch(value: Any) -> bool:
    return type(value) is bool


def _integer(value: Any) -> int:
    if _is_integer(value):
        return value
    raise _Refused("not an integer")


def _switch(value: Any) -> bool:
    if _is_switch(value):
        return value
    raise _Refused("not true or false")


def _dash(value: Any) -> list:
    if type(value) is list and all(_is_number(v) for v in value):
        return list(value)
    raise _Refused("not a dash pattern")


def _font(value: Any) -> None:
    if value is None:
        return None  # the caller's font goes in here (`load`)
    raise _Refused("a font of its own")


def _colour(value: Any) -> Color:
    if type(value) is list and len(value) == 4 and all(_is_number(v) for v in value):
        red, green, blue, alpha = value
        return Color(red, green, blue, alpha=alpha)
    raise _Refused("not a colour")


def _path(value: Any) -> PDFPathObject:
    if type(value) is list and all(type(step) is str and _PATH_STEP.fullmatch(step) for step in value):
        path = PDFPathObject()
        path._code.extend(value)
        return path
    raise _Refused("not a path")


_READERS = {"n": _number, "i": _integer, "b": _switch, "d": _dash, "f": _font, "c": _colour, "p": _path}
_SIGNATURES = {name: tuple(_READERS[kind] for kind in kinds) for name, kinds in _ARGUMENTS.items()}
_PLAIN_VALUE = {"n": _is_number, "i": _is_integer, "b": _is_switch}  # the readers' own checks
# Calls whose arguments are all of one plain kind (or none): checked in place, kept as they are.
_PLAIN_CALLS = {name: _PLAIN_VALUE[kinds[0] if kinds else "n"] for name, kinds in _ARGUMENTS.items()
                if len(set(kinds)) <= 1 and set(kinds) <= set(_PLAIN_VALUE)}


def _encode(kind: str, value: Any, font_name: str) -> Any:
    if kind == "f":
        if value != font_name:
            raise _Refused("a font of its own")
        return None
    if kind == "c":
        if type(value) is not Color:
            raise _Refused("a colour that is not plain RGB")
        return [value.red, value.green, value.blue, value.alpha]
    if kind == "p":
        if type(value) is not PDFPathObject:
            raise _Refused("a path of another kind")
        return list(value._code)
    _READERS[kind](value)  # the checks a read makes: nothing is kept that would be refused
    return value


def _options(kwargs: Any) -> dict:
    if type(kwargs) is not dict:
        raise _Refused("options that are not named")
    if kwargs and not (set(kwargs) <= _SHAPE_OPTIONS and all(type(v) in (int, bool) and v in (0, 1)
                                                              for v in kwargs.values())):
        raise _Refused("options other than fill, stroke and fill rule on or off")
    return dict(kwargs)


def _arity(name: Any, args: Any) -> int:
    """How many arguments `name` takes here (setDash() is the renderer's "no dash")."""
    kinds = _ARGUMENTS.get(name) if type(name) is str else None
    if kinds is None:
        raise _Refused(f"the call {name!r}")
    if type(args) not in (list, tuple) or len(args) not in (len(kinds), 0 if name == "setDash" else -1):
        raise _Refused(f"{name} with arguments of the wrong number")
    return len(args)


def _dump(recording: Recording, font_name: str) -> str:
    calls = [[name, [_encode(kind, arg, font_name) for kind, arg in zip(_ARGUMENTS[name][:_arity(name, args)], args)],
              _options(kwargs)] for name, args, kwargs in recording.calls]
    return json.dumps({"format": FORMAT, "width": recording.width, "height": recording.height, "calls": calls},
                      separators=(",", ":"))


def _load(text: str) -> Recording:
    stored = json.loads(text)
    if type(stored) is not dict or stored.get("format") != FORMAT or type(stored.get("calls")) is not list:
        raise _Refused("not a recording")
    width, height = stored.get("width"), stored.get("height")
    if not (_is_number(width) and _is_number(height) and width > 0 and height > 0):
        raise _Refused("no size")
    return Recording(float(width), float(height), tuple([_read_call(call) for call in stored["calls"]]))


def _read_call(call: Any) -> Call:
    """One stored call, checked whole. Most take only plain numbers, integers or switches (or
    nothing), and a figure holds hundreds of calls: those are checked in place."""
    if type(call) is not list or len(call) != 3:
        raise _Refused("a call of the wrong shape")
    name, args, kwargs = call
    count = _arity(name, args)  # first: it refuses names the renderer never calls
    plain = _PLAIN_CALLS.get(name)
    if plain is not None:
        for arg in args:
            if not plain(arg):
                raise _Refused(f"{name} with an argument of the wrong kind")
        values = tuple(args)
    else:
        values = tuple([read(arg) for read, arg in zip(_SIGNATURES[name][:count], args)])
    return name, values, _options(kwargs)


@lru_cache(maxsize=256)
def _stored(data: bytes) -> Recording | None:
    """Read and checked once per process; its font is still a blank (None)."""
    entry = _entry(data)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as handle:
            text = handle.read(MAX_ENTRY_BYTES + 1)
        if len(text) > MAX_ENTRY_BYTES:
            return None
        return _load(text.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, TypeError):  # json and _Refused are ValueErrors
        return None


def load(data: bytes, font_name: str) -> Recording | None:
    """The stored recording of this SVG drawn in `font_name`, or None (nothing stored, unreadable
    or refused)."""
    stored = _stored(data)
    if stored is None or not any(name == "setFont" for name, _, _ in stored.calls):
        return stored
    calls = tuple((name, (font_name, *args[1:]), kwargs) if name == "setFont" else (name, args, kwargs)
                  for name, args, kwargs in stored.calls)
    return stored._replace(calls=calls)


def save(data: bytes, font_name: str, recording: Recording) -> None:
    """Keep a recording for the next process; quietly nothing when it cannot or should not be kept."""
    entry = _entry(data)
    if entry is None:
        return
    try:
        text = _dump(recording, font_name)
    except _Refused:
        return  # e.g. a logo with text in a font of its own: converted each time, as before
    try:
        # Folders 0700, the file whole or not at all; a lost race writes the same bytes.
        write_atomic(entry, text.encode("utf-8"), private=True)
    except OSError:
        pass  # a store that cannot be written only costs time


def converted_before(data: bytes) -> bool:
    """True when this exact SVG has a stored recording that reads back whole: it was converted
    with these versions, so it converts now."""
    return _stored(data) is not None
