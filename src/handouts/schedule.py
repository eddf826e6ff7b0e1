"""Today's schedule: a CSV with one patient per row, read into checked rows or located problems.

A bad row is reported with its line and field and skipped; the other rows go ahead. Error
messages never repeat a patient's details: they name the line and the column, not the value
(procedure, language, layout and clinic codes are workspace words, not patient details).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInput, Problem
from .patient import Patient, clean, parse_time
from .workspace import Workspace

REQUIRED_COLUMNS = ("procedure", "patient_name")
OPTIONAL_COLUMNS = ("id", "clinic", "lang", "layout", "date", "arrive", "physician", "note", "email",
                    "password", "dob")
MAX_BYTES = 16 * 1024 * 1024
MAX_ROWS = 20_000
MAX_NOTE = 500
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[A-Za-z]{2,}$")


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

    def __repr__(self) -> str:
        return f"ScheduleRow(line={self.line}, key={self.key!r}, procedure={self.procedure!r})"


def _normalise(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _sniff(first_line: str, shown: str) -> str:
    for delimiter in (",", ";", "\t"):
        names = {_normalise(name) for name in next(csv.reader([first_line], delimiter=delimiter), [])}
        if all(column in names for column in REQUIRED_COLUMNS):
            return delimiter
    raise InvalidInput([Problem(shown, "the first line must name the columns, at least "
                                       f"{' and '.join(REQUIRED_COLUMNS)}, separated by commas (semicolons or tabs "
                                       "also work); see the README for all columns", line=1)])


def _text(shown: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput([Problem(shown, "not UTF-8 text; save the schedule as 'CSV UTF-8'", line=line)]) from None


class _RowReader:
    """Checks one row's cells, recording problems without quoting patient details."""

    def __init__(self, shown: str, line: int, cells: dict[str, str]) -> None:
        self.shown, self.line, self.cells = shown, line, cells
        self.problems: list[Problem] = []

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.shown, message, self.line, column))

    def get(self, column: str) -> str:
        return clean(self.cells.get(column))

    def choose(self, column: str, known: list[str], default: str | None) -> str:
        value = self.get(column) or default or ""
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
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(column, "not a date; write it as YYYY-MM-DD")
            return None


def _row(workspace: Workspace, shown: str, line: int, number: int, cells: dict[str, str]) -> ScheduleRow | list[Problem]:
    settings = workspace.settings
    reader = _RowReader(shown, line, cells)
    clinics = workspace.clinic_ids()
    default_clinic = settings.default_clinic or (clinics[0] if len(clinics) == 1 else None)
    clinic = reader.choose("clinic", clinics, default_clinic)
    lang = reader.choose("lang", workspace.languages(), settings.languages[0] if settings.languages else None)
    layout = reader.choose("layout", workspace.layout_names(), "one-page")
    procedure = reader.get("procedure")
    if not procedure:
        reader.fail("procedure", "is empty")
    elif lang in workspace.languages() and procedure not in workspace.procedure_ids(lang):
        reader.choose("procedure", workspace.procedure_ids(lang), None)
    name = reader.get("patient_name")
    if not name:
        reader.fail("patient_name", "is empty")
    elif len(name) > 200:
        reader.fail("patient_name", "is longer than 200 characters")
    arrive_text = reader.get("arrive")
    arrive = parse_time(arrive_text) if arrive_text else None
    if arrive_text and arrive is None:
        reader.fail("arrive", "not a time; write it like 07:30 or 7:30 AM")
    note = reader.get("note")
    if len(note) > MAX_NOTE:
        reader.fail("note", f"is longer than {MAX_NOTE} characters")
    email = reader.get("email")
    if email and not _EMAIL.match(email):
        reader.fail("email", "not an e-mail address")
    key = reader.get("id") or f"row-{number:04d}"
    if not _ID.match(key):
        reader.fail("id", "must be letters, digits, '-' or '_' (at most 64), as it names the file")
    patient = Patient(name=name, date=reader.date("date"), arrive=arrive, physician=reader.get("physician"),
                      note=note, email=email, password=(cells.get("password") or "").strip())
    dob = reader.date("dob")
    if reader.problems:
        return reader.problems
    return ScheduleRow(line, key, clinic, procedure, lang, layout, patient, dob)


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
    delimiter = _sniff(first, shown)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_normalise(name) for name in next(records)]
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
            row = _row(workspace, shown, line, number, dict(zip(header, cells)))
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


def single_row(workspace: Workspace, cells: dict[str, str]) -> tuple[list[ScheduleRow], list[Problem]]:
    """One patient from command-line options, checked exactly like a schedule row."""
    cells = {key: value for key, value in cells.items() if value is not None}
    cells.setdefault("id", "appointment")
    row = _row(workspace, "command line", 0, 1, cells)
    if isinstance(row, list):
        return [], [Problem(p.path, p.message, None, f"--{(p.field or '').replace('_', '-')}") for p in row]
    return [row], []
