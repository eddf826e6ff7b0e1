"""A patient on today's schedule, and the "Your appointment" panel made from their details.

Patient details are protected health information. They are plain text everywhere (never
markup, never templates), never written to logs, and never part of a file name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from collections.abc import Mapping

from .document import Appointment
from .i18n import Strings

_SPACE = re.compile(r"\s+")
_TIME = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*([aApP]\.?\s*[mM]\.?)?\s*$")  # 7:30, 7:30 AM, 0730


# Invisible characters that change how text reads rather than what it says: the soft hyphen,
# and the bidirectional embeddings, overrides and isolates that can make a name look reversed.
_INVISIBLE = {0x00AD, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def clean(value: str | None) -> str:
    """One line of text: every run of whitespace (line breaks included) becomes one space, and
    control and invisible direction characters are dropped. A name can never carry a line break
    into an e-mail header, a terminal escape sequence anywhere, or a hidden reversal."""
    text = _SPACE.sub(" ", value or "")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc" and ord(ch) not in _INVISIBLE).strip()


def parse_time(value: str) -> dt.time | None:
    """'7:30', '07:30', '7:30 AM', '7 pm', '19:05', '0730' -> a time; None when it is not one."""
    match = _TIME.match(value or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower().replace(".", "").replace(" ", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


@dataclass(frozen=True, slots=True)
class Patient:
    name: str
    date: dt.date | None = None
    arrive: dt.time | None = None
    physician: str = ""
    note: str = ""
    email: str = ""
    password: str = ""  # for --encrypt; never printed, logged or stored

    def __repr__(self) -> str:  # keep details out of tracebacks and debug output
        return "Patient(<details withheld>)"


def appointment(patient: Patient, labels: Mapping[str, str], strings: Strings) -> Appointment:
    """The panel's rows in the handout's language: dates and times written the locale's way."""
    rows: list[tuple[str, str]] = [(labels["appointment.patient"], patient.name)]
    columns = ["patient_name"]
    if patient.date:
        rows.append((labels["appointment.date"], strings.format_date(patient.date, "full")))
        columns.append("date")
    if patient.arrive:
        rows.append((labels["appointment.arrive"], strings.format_time(patient.arrive)))
        columns.append("arrive")
    if patient.physician:
        rows.append((labels["appointment.physician"], patient.physician))
        columns.append("physician")
    if patient.note:
        rows.append((labels["appointment.note"], patient.note))
        columns.append("note")
    return Appointment(labels["appointment.title"], tuple(rows), tuple(columns))
