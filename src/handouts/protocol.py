"""The values a checklist's blanks are filled with: the clinic's protocol and, when the handout is
personalised, the appointment.

A value the clinic does not give prints as a blank line for the front desk or the patient to fill
in by hand, so a checklist never states a rule the clinic did not make.
"""

from __future__ import annotations

import datetime as dt

from .i18n import Strings
from .models import Clinic
from .patient import Patient

BLANK = "________"  # a write-in line in any language


def _number(value: float | None) -> str:
    if value is None:
        return BLANK
    return f"{value:g}"


def protocol_context(clinic: Clinic, lang: str, strings: Strings, patient: Patient | None) -> dict[str, dict[str, str]]:
    """`{{ protocol.* }}` and `{{ appointment.* }}` for content text: plain strings, blanks where unknown.

    `appointment.stop_eating` is the arrival time less the clinic's fasting hours, when both are known.
    """
    rules = clinic.protocol
    arrive = patient.arrive if patient else None
    date = patient.date if patient else None
    stop_eating = BLANK
    if arrive is not None and rules.fasting_hours is not None:
        day = date or dt.date(2000, 1, 2)  # any day will do: only "the night before" depends on it
        moment = dt.datetime.combine(day, arrive) - dt.timedelta(hours=rules.fasting_hours)
        stop_eating = strings.format_time(moment.time())
        if moment.date() != day:
            stop_eating = f"{stop_eating} ({strings['protocol.night_before']})"
    return {
        "protocol": {
            "fasting_hours": _number(rules.fasting_hours),
            "clear_liquids_hours": _number(rules.clear_liquids_hours),
            "arrive_early_minutes": _number(rules.arrive_early_minutes),
            "blood_thinners": clinic.text_in(rules.blood_thinners, lang) or BLANK,
        },
        "appointment": {
            "arrive": strings.format_time(arrive) if arrive else BLANK,
            "date": strings.format_date(date, "full") if date else BLANK,
            "stop_eating": stop_eating,
        },
    }
