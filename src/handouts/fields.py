"""Read marked YAML mappings into typed values, collecting every problem with its line.

Loaders for content, clinics, layouts and settings all use one FieldReader so every file
reports mistakes the same way: `path:line: field: message`, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Any

from .errors import InvalidInput, Problem
from .yamlio import MarkedDict, MarkedList

_MISSING = object()


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value; put the text in quotes)"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    return f"{type(value).__name__} {value!r}"


class FieldReader:
    """Reads fields of one mapping; nested readers share the problem list of their parent."""

    def __init__(self, shown: str, data: MarkedDict, prefix: str = "",
                 problems: list[Problem] | None = None) -> None:
        self.shown = shown
        self.data = data
        self.prefix = prefix
        self.problems: list[Problem] = [] if problems is None else problems

    # -- reporting -----------------------------------------------------------------------
    def field_name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def line_of(self, key: str) -> int:
        return self.data.line_of(key) if isinstance(self.data, MarkedDict) else 1

    def problem(self, key: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.shown, message, line=line if line is not None else
                                     (self.line_of(key) if key else getattr(self.data, "line", None)),
                                     field=self.field_name(key) if key else (self.prefix.rstrip(".") or None)))

    def finish(self) -> None:
        """Raise all collected problems together, sorted by line, if there are any."""
        if self.problems:
            raise InvalidInput(sorted(self.problems, key=lambda p: (p.path, p.line or 0)))

    # -- presence ------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                self.problem(key, "is required but missing" if key not in self.data else "is required but empty")
            return _MISSING
        return self.data[key]

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        """Unknown fields are usually typos; suggest the field the author probably meant."""
        allowed = list(allowed)
        for key in self.data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(allowed)}"
            self.problem(key, f"unknown field{hint}")

    # -- typed values ----------------------------------------------------------------------
    def _as_text(self, value: Any, key: str, line: int | None, label: str | None = None) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, f"expected text, found {_describe(value)}", line=line)
            return None
        text = str(value).strip()
        if not text:
            self.problem(key, "is empty", line=line)
            return None
        return text

    def text(self, key: str, required: bool = True, default: str | None = None) -> str | None:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        return self._as_text(value, key, self.line_of(key))

    def text_list(self, key: str, required: bool = True, allow_single: bool = False) -> tuple[str, ...]:
        """A list of non-empty texts; an empty list counts as missing when required."""
        value = self._get(key, required)
        if value is _MISSING:
            return ()
        if allow_single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, f"expected a list (lines starting with '- '), found {_describe(value)}")
            return ()
        if not value and required:
            self.problem(key, "is an empty list; add at least one item")
        items = []
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, MarkedList) else self.line_of(key)
            if isinstance(item, (dict, list)) or isinstance(item, bool) or item is None:
                self.problem(f"{key}[{index + 1}]", f"expected text, found {_describe(item)}", line=line)
                continue
            text = self._as_text(item, f"{key}[{index + 1}]", line)
            if text is not None:
                items.append(text)
        return tuple(items)

    def localized_text(self, key: str, required: bool = False) -> dict[str, str]:
        """Text for every language (`key: text`, stored under "*") or per language (`key: {en: .., es: ..}`)."""
        value = self._get(key, required)
        if value is _MISSING:
            return {}
        if isinstance(value, MarkedDict):
            texts = {}
            for lang, text in value.items():
                checked = self._as_text(text, f"{key}.{lang}", value.line_of(lang))
                if checked is not None:
                    texts[lang] = checked
            return texts
        text = self._as_text(value, key, self.line_of(key))
        return {"*": text} if text is not None else {}

    def date(self, key: str, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(key, f"expected a date as YYYY-MM-DD, found {_describe(value)}")
        return None

    def number(self, key: str, required: bool = True, default: float | None = None,
               minimum: float | None = None, maximum: float | None = None) -> float | None:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, f"expected a number, found {_describe(value)}")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problem(key, f"{value} is out of range ({minimum} to {maximum})")
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, found {_describe(value)}")
            return default
        return value

    def choice(self, key: str, options: Iterable[str], default: str | None = None,
               required: bool = False) -> str | None:
        options = list(options)
        value = self.text(key, required=required, default=default)
        if value is not None and value not in options:
            close = difflib.get_close_matches(value, options, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.problem(key, f"'{value}' is not one of {', '.join(options)}{hint}")
            return default
        return value

    def child(self, key: str, required: bool = True) -> FieldReader | None:
        """A reader for a nested group of fields, reporting into the same problem list."""
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, MarkedDict):
            self.problem(key, f"expected a group of fields, found {_describe(value)}")
            return None
        return FieldReader(self.shown, value, prefix=f"{self.field_name(key)}.", problems=self.problems)

    def raw(self, key: str) -> Any:
        return self.data.get(key)
