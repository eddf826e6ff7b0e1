"""A practice system's schedule export, read as it comes: its own column names, its own
procedure codes and its own date format, mapped once in handouts.yaml (`schedule:`).

Billing codes (CPT) are licensed by the AMA and change every January, and one code often fits
several handouts (a transforaminal epidural or a selective nerve root block), so the project
ships no code table: each clinic maps the codes and visit types it uses to the handout it
means. Nothing here ever repeats a cell's value in a message: a wrong column can hold a name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .fields import FieldReader
from .yamlio import MarkedDict, MarkedList

SCHEDULE_FIELDS = ("procedure", "patient_name", "id", "clinic", "lang", "layout", "date", "arrive", "physician",
                   "note", "email", "password", "dob", "plain_email")
_SEPARATORS = re.compile(r"[,;]")
_SPACES = re.compile(r"\s+")
US_DATE = "%m/%d/%Y"


def normalise_header(header: str) -> str:
    """Header names compare without case, and spaces and hyphens count as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def fold_code(code: str) -> str:
    """Codes and visit types compare without case or extra spaces ("rfa  lumbar" = "RFA LUMBAR")."""
    return _SPACES.sub(" ", code.strip()).upper()


@dataclass(frozen=True, slots=True)
class ScheduleMap:
    """Our schedule field -> the export's header; code or visit type -> procedure id."""

    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    codes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # folded code -> id
    date_format: str | None = None

    def fields(self, headers: list[str]) -> list[str]:
        """The schedule field each of a file's columns feeds. A mapped export column wins when the
        file has it; a file that uses our own column names (the shipped sample) reads as before.
        Columns that feed nothing keep a name no field has, so they are never read."""
        names = [normalise_header(header) for header in headers]
        fields = list(names)
        for ours, theirs in self.columns.items():
            if normalise_header(theirs) not in names:
                continue
            for index, name in enumerate(names):
                if name == normalise_header(theirs):
                    fields[index] = ours
                elif name == ours and fields[index] == ours:
                    fields[index] = f"unused:{name}"
        return fields

    def column_for(self, ours: str, headers: list[str] | None = None) -> str:
        """What the file calls one of our fields, for messages the user can find in the file."""
        theirs = self.columns.get(ours)
        if theirs and (headers is None or normalise_header(theirs) in map(normalise_header, headers)):
            return theirs
        return ours

    def parse_date(self, value: str) -> dt.date | None:
        """ISO (2026-12-01), US (12/01/2026 or 12/1/2026), or the clinic's `date_format`."""
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in (US_DATE, *([self.date_format] if self.date_format else [])):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return None

    def date_hint(self) -> str:
        """How to write a date, in the words a message uses."""
        extra = f", or as {self.date_format}" if self.date_format else ""
        return f"write it as YYYY-MM-DD or MM/DD/YYYY{extra}"


def resolve_procedure(cell: str, ids: Iterable[str], aliases: Mapping[str, str],
                      codes: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(procedure id, None) or (None, problem) for a procedure cell: our id, an alias (exact, any
    case), a mapped code or visit type, or several of them ("64493, 64494") that agree."""
    known = set(ids)
    found: list[str] = []
    parts = [part for part in _SEPARATORS.split(cell) if part.strip()] or [cell]
    for part in parts:
        text = part.strip()
        folded = fold_code(text)
        match = text if text in known else aliases.get(text.casefold()) or codes.get(folded)
        if match is None:
            which = f"part {parts.index(part) + 1} of the cell" if len(parts) > 1 else "the cell"
            close = difflib.get_close_matches(text, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'? Or " if close else ""
            return None, (f"{which} is not a procedure id, alias or mapped code; {hint}add the code or visit type "
                          f"to schedule.codes in handouts.yaml (see docs/schedule-codes.md)")
        found.append(match)
    distinct = sorted(set(found))
    if len(distinct) > 1:
        return None, (f"the codes in this cell name different handouts ({', '.join(distinct)}); map them to one "
                      f"handout in schedule.codes, or give one code per row")
    return distinct[0], None


def read_schedule_map(reader: FieldReader) -> ScheduleMap:
    """The `schedule:` group of handouts.yaml, every problem reported with its line."""
    group = reader.child("schedule", required=False)
    if group is None:
        return ScheduleMap()
    group.reject_unknown(("columns", "codes", "date_format"))
    columns: dict[str, str] = {}
    mapped = group.child("columns", required=False)
    if mapped is not None:
        mapped.reject_unknown(SCHEDULE_FIELDS)
        for ours in mapped.data:
            theirs = mapped.text(ours) if ours in SCHEDULE_FIELDS else None
            if theirs:
                columns[ours] = theirs
    date_format = group.text("date_format", required=False)
    if date_format and not _valid_format(date_format):
        group.problem("date_format", "is not a date format; write it with %d, %m and %Y, e.g. %d.%m.%Y")
        date_format = None
    return ScheduleMap(MappingProxyType(columns), MappingProxyType(_codes(group)), date_format)


def _valid_format(fmt: str) -> bool:
    try:
        sample = dt.date(2031, 12, 25)
        return dt.datetime.strptime(sample.strftime(fmt), fmt).date() == sample
    except ValueError:
        return False


def _codes(group: FieldReader) -> dict[str, str]:
    """`codes:` either one line per code (`"64635": radiofrequency-ablation`) or one line per
    handout with its codes (`radiofrequency-ablation: [64635, 64636]`); a code may name one handout."""
    raw = group.raw("codes")
    if raw is None:
        return {}
    if not isinstance(raw, MarkedDict):
        group.problem("codes", "expected code: procedure-id lines, or procedure-id: [codes] lines")
        return {}
    codes: dict[str, str] = {}
    lines: dict[str, int] = {}

    def add(code: object, procedure: object, line: int) -> None:
        if isinstance(code, bool) or not isinstance(code, (str, int)) or not isinstance(procedure, str):
            group.problem("codes", "each code must be text or a number, mapped to a procedure id", line=line)
            return
        folded = fold_code(str(code))
        if folded in codes and codes[folded] != procedure:
            group.problem("codes", f"code '{code}' is mapped to both {codes[folded]} (line {lines[folded]}) and "
                                   f"{procedure}; a code may name one handout", line=line)
            return
        codes[folded], lines[folded] = procedure, line

    for key, value in raw.items():
        line = raw.line_of(key)
        if isinstance(value, MarkedList):
            for index, code in enumerate(value):
                add(code, key, value.line_of(index))
        else:
            add(key, value.strip() if isinstance(value, str) else value, line)
    return codes


def unknown_procedures(schedule: ScheduleMap, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(code, procedure) pairs whose procedure does not exist in the workspace."""
    known = set(ids)
    return sorted((code, procedure) for code, procedure in schedule.codes.items() if procedure not in known)
