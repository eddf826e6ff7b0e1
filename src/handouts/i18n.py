"""Interface strings per language, from `strings/<lang>.yaml` in the workspace, never from code.

The code names the keys it needs (STRING_KEYS); the workspace supplies their text. A missing
key is a check error, so a Spanish page can never fall back to an English heading.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .errors import InvalidInput, Problem
from .paths import LINKED_OUT, contained
from .yamlio import MarkedDict, load_mapping

STRING_KEYS: tuple[str, ...] = (
    "sections.what_it_is", "sections.how_its_done", "sections.expected_relief", "sections.risks",
    "sections.prepare", "sections.aftercare", "sections.call_us", "sections.sources",
    "header.call", "also_called", "key_points", "figure", "risks.common", "risks.serious",
    "call.clinic", "call.emergency", "call.after_hours",
    "footer.questions", "footer.after_hours", "footer.updated", "footer.disclaimer", "footer.page",
    "booklet.inside", "booklet.timeline", "booklet.before", "booklet.during", "booklet.after",
    "booklet.notes_title", "booklet.notes_hint", "booklet.contact", "booklet.scan",
    "booklet.address", "booklet.website", "booklet.email", "booklet.more", "booklet.notes_more",
    "booklet.diary_title", "booklet.diary_hint", "booklet.diary_date", "booklet.diary_time", "booklet.diary_pain",
    "booklet.diary_activity", "booklet.meds_title", "booklet.meds_hint", "booklet.meds_name", "booklet.meds_dose",
    "booklet.meds_when", "booklet.questions_intro", "booklet.hourly_title", "booklet.hourly_hint",
    "booklet.hourly_hours", "booklet.trial_title", "booklet.trial_hint", "booklet.trial_day",
    "booklet.trial_activity", "booklet.trial_better",
    "appointment.title", "appointment.patient", "appointment.date", "appointment.arrive",
    "appointment.physician", "appointment.note",
    "protocol.night_before", "approval.approved", "approval.draft", "approval.draft_word",
)
# Filled when the clinic's approval state is known (with {{ name }} and {{ date }}), not with the other labels.
APPROVAL_KEYS: tuple[str, ...] = ("approval.approved", "approval.draft", "approval.draft_word")


@dataclass(frozen=True, slots=True)
class Strings:
    """One language's interface text (Jinja2 templates) and the locale for dates."""

    lang: str
    locale: str
    texts: Mapping[str, str]
    path: str
    lines: Mapping[str, int]

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def format_date(self, value: dt.date, style: str = "long") -> str:
        from babel.dates import format_date

        return tidy_spaces(format_date(value, format=style, locale=self.locale))

    def format_time(self, value: dt.time) -> str:
        from babel.dates import format_time

        return tidy_spaces(format_time(value, format="short", locale=self.locale))


def tidy_spaces(text: str) -> str:
    """CLDR writes times and dates with thin and narrow no-break spaces that many fonts lack;
    a plain no-break space keeps the same meaning (do not break here) and prints everywhere."""
    return "".join("\u00a0" if unicodedata.category(ch) == "Zs" and ch != " " else ch for ch in text)


def _flatten(data: MarkedDict, prefix: str, out: dict[str, str], lines: dict[str, int],
             problems: list[Problem], shown: str) -> None:
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, MarkedDict):
            _flatten(value, f"{full}.", out, lines, problems, shown)
        elif isinstance(value, str) and value.strip():
            out[full], lines[full] = value.strip(), data.line_of(key)
        else:
            problems.append(Problem(shown, "expected text", data.line_of(key), full))


def load_strings(folder: Path, lang: str) -> Strings:
    """Read and check one catalogue; raises InvalidInput naming each missing or stray key."""
    shown = f"strings/{lang}.yaml"
    path = folder / f"{lang}.yaml"
    if not path.is_file():
        raise InvalidInput([Problem(shown, f"no interface strings for language '{lang}'; copy strings/en.yaml "
                                           f"to {shown} and translate it")])
    if contained(folder, f"{lang}.yaml") is None:
        raise InvalidInput([Problem(shown, LINKED_OUT)])
    data = load_mapping(path, shown)
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    locale = data.pop("locale", None)
    if not isinstance(locale, str):
        problems.append(Problem(shown, "is required: the locale for dates, e.g. en_US or es_MX", 1, "locale"))
        locale = "en_US"
    else:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(locale)
        except (ValueError, UnknownLocaleError):
            problems.append(Problem(shown, f"'{locale}' is not a locale Babel knows", data.line_of("locale"), "locale"))
            locale = "en_US"
    _flatten(data, "", texts, lines, problems, shown)
    for key in STRING_KEYS:
        if key not in texts:
            problems.append(Problem(shown, "missing string; every language needs it", None, key))
    for key in texts:
        if key not in STRING_KEYS:
            problems.append(Problem(shown, "unknown string key (not used by any layout)", lines[key], key))
    if problems:
        raise InvalidInput(problems)
    return Strings(lang, locale, MappingProxyType(texts), shown, MappingProxyType(lines))
