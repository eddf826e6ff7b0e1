"""Today's schedule: a CSV with one patient per row, read into checked rows or located problems.

A bad row is reported with its line and field and skipped; the other rows go ahead. Error
messages never repeat a patient's details: they name the line and the column, not the value
(procedure, language, layout and clinic codes are workspace words, not patient details).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .addresses import checked_address
from .errors import InvalidInput, Problem
from .patient import Patient, clean, parse_time
from .schedule_map import ScheduleMap, resolve_procedure
from .workspace import Workspace

REQUIRED_COLUMNS = ("procedure", "patient_name")
OPTIONAL_COLUMNS = ("id", "clinic", "lang", "layout", "date", "arrive", "physician", "note", "email",
                    "password", "dob", "plain_email")
MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 20_000
MAX_NOTE = 500
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_YES = ("yes", "y", "true", "1", "x", "sí", "si")
_NO = ("", "no", "n", "false", "0")


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    line: int  # line in the file, for messages
    key: str  # file-name stem: the id column, or "row-0007"
    clinic: str
    procedure: str
    lang: str
    layout: str
    patient: Patient
    dob: dt.date | None = None
    named: bool = True  # the key came from the id column (or --id); otherwise files get a fresh name
    plain_email: bool = False  # the patient asked for e-mail without a password (recorded in the schedule)

    def __repr__(self) -> str:
        return f"ScheduleRow(line={self.line}, key={self.key!r}, procedure={self.procedure!r})"


def _sniff(first_line: str, shown: str, mapping: ScheduleMap) -> str:
    for delimiter in (",", ";", "\t"):
        names = set(mapping.fields(next(csv.reader([first_line], delimiter=delimiter), [])))
        if all(column in names for column in REQUIRED_COLUMNS):
            return delimiter
    wanted = " and ".join(f"'{mapping.column_for(c)}'" + (f" ({c})" if mapping.column_for(c) != c else "")
                          for c in REQUIRED_COLUMNS)
    raise InvalidInput([Problem(shown, f"the first line must name the columns, at least {wanted}, separated by "
                                       "commas (semicolons or tabs also work); map an export's own column names "
                                       "in handouts.yaml (schedule.columns); see the README", line=1)])


def _text(shown: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput([Problem(shown, "not UTF-8 text; save the schedule as 'CSV UTF-8'", line=line)]) from None


class _RowReader:
    """Checks one row's cells, recording problems without quoting patient details."""

    def __init__(self, shown: str, line: int, cells: dict[str, str], mapping: ScheduleMap,
                 headers: list[str]) -> None:
        self.shown, self.line, self.cells, self.mapping, self.headers = shown, line, cells, mapping, headers
        self.problems: list[Problem] = []

    def fail(self, column: str, message: str) -> None:
        """A problem named by the column as the file calls it (the export's header, if mapped)."""
        self.problems.append(Problem(self.shown, message, self.line, self.mapping.column_for(column, self.headers)))

    def get(self, column: str) -> str:
        return clean(self.cells.get(column))

    def choose(self, column: str, known: list[str], default: str | None,
               synonyms: dict[str, str] | None = None) -> str:
        """One of `known`, matched without case (exports shout: RIVERBEND), or via `synonyms`."""
        value = self.get(column) or default or ""
        folded = {name.casefold(): name for name in known} | (synonyms or {})
        value = folded.get(value.casefold(), value)
        if not value:
            self.fail(column, "is empty and there is no default")
        elif value not in known:
            close = difflib.get_close_matches(value, known, n=1)
            self.fail(column, f"unknown {column}" + (f"; did you mean '{close[0]}'?" if close else ""))
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.get(column)
        if not value:
            return None
        parsed = self.mapping.parse_date(value)
        if parsed is None:
            self.fail(column, f"not a date; {self.mapping.date_hint()}")
        return parsed

    def yes(self, column: str) -> bool:
        value = self.get(column).lower()
        if value not in _YES + _NO:
            self.fail(column, "write yes, or leave it empty for no")
        return value in _YES


@functools.lru_cache(maxsize=8)
def _language_names(codes: tuple[str, ...]) -> dict[str, str]:
    """'spanish', 'español' -> 'es': exports name the language; we file it by code."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, str] = {}
    for code in codes:
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        for name in (locale.get_display_name("en"), locale.get_display_name(code)):
            if name:
                names[name.casefold()] = code
    return names


def _aliases(workspace: Workspace, lang: str) -> dict[str, str]:
    """Every alias of the language's procedures (folded case) -> its procedure id."""
    aliases: dict[str, str] = {}
    loaded = workspace.procedures(lang).items
    for proc_id, procedure in loaded.items():
        for alias in (procedure.title, *procedure.aliases):
            aliases.setdefault(alias.casefold(), proc_id)
    return aliases


def _procedure(workspace: Workspace, reader: _RowReader, lang: str) -> str:
    """The row's procedure id from our id, an alias or the clinic's mapped codes."""
    cell = reader.get("procedure")
    if not cell:
        reader.fail("procedure", "is empty")
        return ""
    if lang not in workspace.languages():
        return cell
    ids = workspace.procedure_ids(lang)
    if cell in ids:
        return cell
    found, problem = resolve_procedure(cell, ids, _aliases(workspace, lang), workspace.settings.schedule.codes)
    if problem:
        reader.fail("procedure", problem)
    return found or cell


def _row(workspace: Workspace, shown: str, line: int, number: int, cells: dict[str, str],
         headers: list[str]) -> ScheduleRow | list[Problem]:
    settings = workspace.settings
    reader = _RowReader(shown, line, cells, settings.schedule, headers)
    clinics = workspace.clinic_ids()
    default_clinic = settings.default_clinic or (clinics[0] if len(clinics) == 1 else None)
    clinic = reader.choose("clinic", clinics, default_clinic)
    lang = reader.choose("lang", workspace.languages(), settings.languages[0] if settings.languages else None,
                         _language_names(tuple(workspace.languages())))
    layout = reader.choose("layout", workspace.layout_names(), "one-page")
    procedure = _procedure(workspace, reader, lang)
    name = reader.get("patient_name")
    if not name:
        reader.fail("patient_name", "is empty")
    elif len(name) > 200:
        reader.fail("patient_name", "is longer than 200 characters")
    arrive_text = reader.get("arrive")
    arrive = parse_time(arrive_text) if arrive_text else None
    if arrive_text and arrive is None:
        reader.fail("arrive", "not a time; write it like 07:30, 7:30 AM or 0730")
    note = reader.get("note")
    if len(note) > MAX_NOTE:
        reader.fail("note", f"is longer than {MAX_NOTE} characters")
    email, email_problem = checked_address(reader.get("email"))
    if email_problem:
        reader.fail("email", email_problem)
    named = bool(reader.get("id"))
    key = reader.get("id") or f"row-{number:04d}"
    if not _ID.match(key):
        reader.fail("id", "must be letters, digits, '-' or '_' (at most 64), as it names the file")
    patient = Patient(name=name, date=reader.date("date"), arrive=arrive, physician=reader.get("physician"),
                      note=note, email=email, password=(cells.get("password") or "").strip())
    dob = reader.date("dob")
    plain_email = reader.yes("plain_email")
    if reader.problems:
        return reader.problems
    return ScheduleRow(line, key, clinic, procedure, lang, layout, patient, dob, named, plain_email)


def read_schedule(path: Path, workspace: Workspace, shown: str | None = None) -> tuple[list[ScheduleRow], list[Problem]]:
    """Every good row, and a problem for each bad one; raises InvalidInput if the file is unusable."""
    shown = shown or path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput([Problem(shown, f"the schedule is larger than {MAX_BYTES // 2**20} MB")])
        text = _text(shown, path.read_bytes())
    except OSError as exc:
        raise InvalidInput([Problem(shown, f"cannot read the schedule: {exc.strerror or exc}")]) from None
    first = text.split("\n", 1)[0]
    mapping = workspace.settings.schedule
    delimiter = _sniff(first, shown, mapping)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(records)
    header = mapping.fields(headers)
    duplicates = {name for name in header if header.count(name) > 1 and name}
    if duplicates:
        raise InvalidInput([Problem(shown, f"column '{sorted(duplicates)[0]}' appears twice", line=1)])
    rows: list[ScheduleRow] = []
    problems: list[Problem] = []
    keys: dict[str, int] = {}
    number = 0
    try:
        for cells in records:
            line = records.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not rows
            number += 1
            if number > MAX_ROWS:
                raise InvalidInput([Problem(shown, f"more than {MAX_ROWS:,} rows; split the schedule", line=line)])
            if len(cells) > len(header):
                problems.append(Problem(shown, f"has {len(cells)} cells but the header names {len(header)} columns; "
                                               f"is a value missing quotes?", line))
                continue
            row = _row(workspace, shown, line, number, dict(zip(header, cells)), headers)
            if isinstance(row, list):
                problems.extend(row)
                continue
            if row.key in keys:
                problems.append(Problem(shown, f"id '{row.key}' is also used on line {keys[row.key]}", line, "id"))
                continue
            keys[row.key] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(shown, f"not valid CSV ({exc})", records.line_num))
    return rows, problems


def read_columns(path: Path, workspace: Workspace, shown: str | None = None) -> list[tuple[str, str | None]]:
    """(the file's column header, the field it feeds or None): how a schedule will be read."""
    shown = shown or path.name
    try:
        first = _text(shown, path.read_bytes()[:65536]).split("\n", 1)[0].rstrip("\r")
    except OSError as exc:
        raise InvalidInput([Problem(shown, f"cannot read the schedule: {exc.strerror or exc}")]) from None
    mapping = workspace.settings.schedule
    headers = next(csv.reader([first], delimiter=_sniff(first, shown, mapping)), [])
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    return [(header, field if field in known else None) for header, field in zip(headers, mapping.fields(headers))]


def single_row(workspace: Workspace, cells: dict[str, str]) -> tuple[list[ScheduleRow], list[Problem]]:
    """One patient from command-line options, checked exactly like a schedule row."""
    cells = {key: value for key, value in cells.items() if value is not None}
    row = _row(workspace, "command line", 0, 1, cells, [])
    if isinstance(row, list):
        return [], [Problem(p.path, p.message, None, f"--{(p.field or '').replace('_', '-')}") for p in row]
    return [row], []
