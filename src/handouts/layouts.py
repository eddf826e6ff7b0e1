"""Layout specs: YAML files that cascade (`extends:`), read into a Layout the renderers interpret."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InvalidInput, Problem
from .fields import FieldReader
from .models import SECTION_KEYS, Layout, Margins, TypeSizes
from .paths import LINKED_OUT, contained, is_valid_id
from .yamlio import MarkedDict, load_mapping

LAYOUT_KINDS: tuple[str, ...] = ("one-page", "booklet", "large-print")
LAYOUT_FIELDS: tuple[str, ...] = (
    "extends", "kind", "description", "page", "margins", "columns", "gutter", "type", "sections",
    "colours", "show_more", "max_pages",
)
TYPE_FIELDS: tuple[str, ...] = ("body", "body_min", "leading", "heading", "title", "small")
MIN_BODY_SIZE = {"one-page": 11.5, "booklet": 11.5, "large-print": 18.0}
_UNITS = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54}
_LENGTH = re.compile(r"^\s*(-?[0-9]*\.?[0-9]+)\s*(pt|in|mm|cm)?\s*$")


def parse_length(value: object) -> float | None:
    """Points from `36`, `36pt`, `0.5in`, `12mm` or `1.2cm`; None if it is not a length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(value) if isinstance(value, str) else None
    return float(match.group(1)) * _UNITS[match.group(2) or "pt"] if match else None


def _merge(base: MarkedDict, override: MarkedDict) -> MarkedDict:
    """Deep-merge two layout mappings: the overriding file only states what differs."""
    merged = MarkedDict(base)
    merged.line, merged.key_lines = override.line, {**base.key_lines, **override.key_lines}
    for key, value in override.items():
        if isinstance(value, MarkedDict) and isinstance(base.get(key), MarkedDict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _length(reader: FieldReader, key: str, default: float | None = None) -> float | None:
    raw = reader.raw(key)
    if raw is None:
        if default is None:
            reader.problem(key, "is required but missing")
        return default
    value = parse_length(raw)
    if value is None or value < 0:
        reader.problem(key, f"'{raw}' is not a length; write e.g. 0.5in, 12mm or 36pt")
        return default
    return value


def _margins(reader: FieldReader) -> Margins:
    raw = reader.raw("margins")
    if isinstance(raw, MarkedDict):
        sub = reader.child("margins")
        assert sub is not None
        sub.reject_unknown(("top", "right", "bottom", "left"))
        return Margins(*(_length(sub, side) or 0.0 for side in ("top", "right", "bottom", "left")))
    value = _length(reader, "margins") or 0.0
    return Margins(value, value, value, value)


def _sizes(reader: FieldReader, kind: str) -> TypeSizes:
    group = reader.child("type")
    if group is None:
        return TypeSizes(12, 12, 1.3, 14, 24, 9)
    group.reject_unknown(TYPE_FIELDS)
    body = group.number("body", minimum=6, maximum=48) or 12.0
    body_min = group.number("body_min", required=False, default=body, minimum=6, maximum=48) or body
    floor = MIN_BODY_SIZE.get(kind, 11.5)
    if body_min < floor:
        group.problem("body_min", f"{body_min:g} pt is below the smallest allowed body size for a {kind} "
                                  f"layout ({floor:g} pt)")
    if body_min > body:
        group.problem("body_min", f"{body_min:g} pt is larger than the preferred body size {body:g} pt")
    return TypeSizes(
        body=body, body_min=body_min,
        leading=group.number("leading", required=False, default=1.3, minimum=1.0, maximum=2.5) or 1.3,
        heading=group.number("heading", minimum=6, maximum=72) or 14.0,
        title=group.number("title", minimum=6, maximum=96) or 24.0,
        small=group.number("small", minimum=6, maximum=24) or 9.0,
    )


def _sections(reader: FieldReader) -> tuple[str, ...]:
    sections = reader.text_list("sections")
    for index, key in enumerate(sections):
        if key not in SECTION_KEYS:
            reader.problem(f"sections[{index + 1}]", f"unknown section '{key}'; known: {', '.join(SECTION_KEYS)}")
    return tuple(key for key in sections if key in SECTION_KEYS)


def _read_chain(folder: Path, name: str, seen: tuple[str, ...] = ()) -> tuple[MarkedDict, tuple[str, ...]]:
    shown = f"layouts/{name}.yaml"
    if name in seen:
        raise InvalidInput([Problem(shown, f"'extends' forms a loop: {' -> '.join(seen + (name,))}")])
    if not is_valid_id(name) or not (folder / f"{name}.yaml").is_file():
        raise InvalidInput([Problem(f"layouts/{seen[-1]}.yaml" if seen else shown,
                                    f"layout '{name}' does not exist", field="extends" if seen else None)])
    if contained(folder, f"{name}.yaml") is None:
        raise InvalidInput([Problem(shown, LINKED_OUT)])
    data = load_mapping(folder / f"{name}.yaml", shown)
    parent = data.get("extends")
    if parent is None:
        return data, (f"{name}.yaml",)
    if not isinstance(parent, str):
        raise InvalidInput([Problem(shown, "expected the name of another layout", data.line_of("extends"), "extends")])
    base, files = _read_chain(folder, parent, seen + (name,))
    return _merge(base, data), (f"{name}.yaml",) + files


def load_layout(folder: Path, name: str) -> Layout:
    """The named layout with everything it extends merged in; raises InvalidInput on problems."""
    shown = f"layouts/{name}.yaml"
    data, files = _read_chain(folder, name)
    reader = FieldReader(shown, data)
    reader.reject_unknown(LAYOUT_FIELDS)
    kind = reader.choice("kind", LAYOUT_KINDS, required=True) or "one-page"
    colours = reader.child("colours", required=False)
    colour_of = {}
    for key in ("band", "headings", "callout"):
        colour_of[key] = (colours.choice(key, ("primary", "accent"), default="primary") if colours else None) or "primary"
    if colours:
        colours.reject_unknown(("band", "headings", "callout"))
    layout = Layout(
        name=name,
        kind=kind,
        page=reader.choice("page", ("clinic", "letter", "a4"), default="clinic") or "clinic",
        margins=_margins(reader),
        columns=int(reader.number("columns", required=False, default=1, minimum=1, maximum=3) or 1),
        gutter=_length(reader, "gutter", default=18.0) or 18.0,
        sizes=_sizes(reader, kind),
        sections=_sections(reader),
        band_colour=colour_of["band"],
        heading_colour=colour_of["headings"],
        callout_colour=colour_of["callout"],
        show_more=reader.boolean("show_more", default=kind != "one-page"),
        max_pages=int(reader.number("max_pages", required=False, default=1, minimum=1, maximum=64) or 1),
        path=shown,
        files=files,
        description=reader.text("description", required=False, default=name) or name,
    )
    reader.finish()
    return layout
