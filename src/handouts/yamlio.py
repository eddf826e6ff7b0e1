"""Safe YAML reading that remembers line numbers, so every later error can point at a line.

Only PyYAML's SafeLoader family is used. On top of it this loader refuses what a hand-edited
content file never needs and an attacker would use: anchors and aliases (the "billion laughs"
bomb), duplicate keys (the second silently wins in plain YAML), non-string keys, oversized
files and bytes that are not UTF-8.

Speed: a batch reads every procedure file, and PyYAML's pure-Python scanner costs about 12 ms a
file. Text that cannot hold an anchor or alias (no `&` or `*` anywhere) is read by libyaml's C
parser with the same constructor, which keeps the line marks and the key rules. Anything else, and
any text the C parser rejects, goes through the pure-Python loader, so refusals and syntax errors
read exactly the same whichever parser saw the file first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput, Problem
from .yamlwords import plain_words

DEFAULT_MAX_BYTES = 256 * 1024
MAX_NUMBER_DIGITS = 100


class MarkedDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class MarkedList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Refused(yaml.MarkedYAMLError):
    """A construct the safe subset does not allow, reported at its position."""

    field: str | None = None  # the field it sits in, e.g. "risks.common[2]", when known


def _in_field(exc: _Refused, name: str) -> _Refused:
    """Prefix the field an inner refusal happened in with the key (or index) that holds it."""
    inner = exc.field
    exc.field = name if inner is None else (f"{name}{inner}" if inner.startswith("[") else f"{name}.{inner}")
    return exc


class _MarkedConstruction:
    """Mappings and sequences that record their lines; duplicate and non-string keys refused."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        result = MarkedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _Refused(None, None, f"keys must be text, found {key!r}", key_node.start_mark)
            if key in result:
                raise _Refused(None, None, f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                               key_node.start_mark)
            try:
                result[key] = self.construct_object(value_node, deep=True)
            except _Refused as exc:
                raise _in_field(exc, key) from None
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_yaml_int(self, node):  # type: ignore[override]
        """Numbers stay small: Python refuses to read or print integers over 4,300 digits, so a
        longer one must be a clear error here, not a ValueError wherever it is first used."""
        text = str(node.value).lstrip("+-").replace("_", "")
        digits = len(text) - (2 if text[:2].lower() in ("0x", "0o", "0b") else 0)
        if digits > MAX_NUMBER_DIGITS:
            raise _Refused(None, None, f"a number with {digits:,} digits; numbers may have at most "
                                       f"{MAX_NUMBER_DIGITS} (put text in quotes)", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        result = MarkedList()
        for index, child in enumerate(node.value):
            try:
                result.append(self.construct_object(child, deep=True))
            except _Refused as exc:
                raise _in_field(exc, f"[{index + 1}]") from None
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _MarkedLoader(_MarkedConstruction, yaml.SafeLoader):
    """The pure-Python loader: it sees every event, so it refuses an anchor or alias where it is."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(None, None, "anchors and aliases (&name / *name) are not allowed; write the text out",
                           event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused(None, None, "anchors and aliases (&name / *name) are not allowed; write the text out",
                           event.start_mark)
        return super().compose_node(parent, index)


class _FastLoader(_MarkedConstruction, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser, only for text with no `&` or `*`, where no anchor or alias can be."""


for _loader in (_MarkedLoader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _loader.construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _loader.construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:int", _loader.construct_yaml_int)


def read_text(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file as text, refusing oversized files and non-UTF-8 bytes with the line they are on."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput([Problem(shown, f"file is {size:,} bytes; the limit is {max_bytes:,}")])
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem(shown, f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput([Problem(shown, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                                    line=line)]) from None


def _tab_problem(text: str, shown: str) -> Problem | None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(shown, "tab used for indentation; YAML needs spaces", line=number)
    return None


def parse_yaml(text: str, shown: str) -> Any:
    """Parse YAML text into plain values with line marks, or raise InvalidInput."""
    tab = _tab_problem(text, shown)
    if tab:
        raise InvalidInput([tab])
    if "&" not in text and "*" not in text:
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a (C)SafeLoader subclass
        except (yaml.YAMLError, RecursionError):
            pass  # reported below, in the pure-Python loader's words
    try:
        return yaml.load(text, Loader=_MarkedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if isinstance(exc, _Refused):
            message = exc.problem or exc.context or "invalid YAML"
        else:
            message, line = plain_words(text, exc.problem or "", exc.context or "", line)
        raise InvalidInput([Problem(shown, message, line=line, field=getattr(exc, "field", None))]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(shown, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise InvalidInput([Problem(shown, "nested too deeply")]) from None


def load_mapping(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> MarkedDict:
    """Load a YAML file whose top level must be a mapping of fields."""
    data = parse_yaml(read_text(path, shown, max_bytes), shown)
    if data is None:
        raise InvalidInput([Problem(shown, "file is empty; expected fields such as 'id: ...'")])
    if not isinstance(data, MarkedDict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise InvalidInput([Problem(shown, f"the top level is {kind}; expected fields (key: value)", line=1)])
    return data
