"""The safety-text rule: what keeps a patient safe is printed in every layout, not only the booklet.

`more:` prints only in the booklet, so warning signs, things to stop or never do, device and MRI
rules and withdrawal dangers must (also) be in the main fields that every layout prints. The
check looks for safety words in each `more` text; a word that the main text never uses means
that safety text lives only in `more`. Matching ignores case and accents and works on the source
text, so `{{ clinic.emergency_number }}` counts as the emergency number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import Problem
from .models import Procedure


@dataclass(frozen=True, slots=True)
class SafetyTerm:
    name: str  # what the message calls it
    pattern: re.Pattern[str]


def _terms(*pairs: tuple[str, str]) -> tuple[SafetyTerm, ...]:
    return tuple(SafetyTerm(name, re.compile(pattern)) for name, pattern in pairs)


EMERGENCY_NUMBER = ("emergency number", r"\b911\b|clinic\.emergency_number")
# Accent-free, lower-case patterns (the text is folded the same way before matching).
TERMS: dict[str, tuple[SafetyTerm, ...]] = {
    "en": _terms(
        ("call", r"\bcall(s|ing)?\b"),
        ("emergency", r"\bemergenc(y|ies)\b"),
        EMERGENCY_NUMBER,
        ("never", r"(?<!almost )\bnever\b"),  # "almost never" says how rare, it is no rule
        ("stop", r"\bstop(s|ped|ping)?\b"),
        ("withdrawal", r"\bwithdraw(al|als|n)?\b"),
        ("life-threatening", r"\blife[- ]threatening\b"),
        ("MRI", r"\bmri(s)?\b|\bmagnetic resonance\b"),
        ("diathermy", r"\bdiathermy\b"),
        ("alarm", r"\balarms?\b"),
    ),
    "es": _terms(
        ("llame", r"\bllam(e|en|ar|enos)\b"),  # not "llamada": "a test called ..."
        ("emergencia", r"\bemergencias?\b|\burgencias\b"),
        EMERGENCY_NUMBER,
        ("nunca", r"(?<!casi )\bnunca\b"),
        ("deje / suspenda", r"\b(deje|dejar|suspend(a|an|er|ido|ida)|detenga)\b"),
        ("abstinencia", r"\babstinencia\b"),
        ("peligro", r"\bpeligro(so|sa|sos|sas)?\b"),
        ("resonancia", r"\bresonancias?\b|\bmri\b"),
        ("diatermia", r"\bdiatermia\b"),
        ("alarma", r"\balarmas?\b"),
    ),
}


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _unmarked(found: re.Match) -> str:
    return "" if unicodedata.category(found.group()) == "Mn" else found.group()


def fold(text: str) -> str:
    """Lower case without accents, so 'Llámenos' matches 'llamenos'. Only characters outside ASCII
    can be accents, so only those are looked up (a build folds every procedure's text)."""
    return _NOT_ASCII.sub(_unmarked, unicodedata.normalize("NFD", text.lower()))


def main_text(procedure: Procedure) -> str:
    """The fields every layout prints for every patient (the one-page's summary gives way to a
    patient's appointment panel, so it does not count)."""
    parts = [procedure.what_it_is, *procedure.how_its_done, procedure.expected_relief, *procedure.risks.common,
             *procedure.risks.serious, *procedure.prepare, *procedure.aftercare, *procedure.call_us.clinic,
             *procedure.call_us.emergency]
    return fold("\n".join(parts))


def _sentence(text: str, start: int) -> str:
    begin = max(text.rfind(". ", 0, start) + 2, 0) if text.rfind(". ", 0, start) >= 0 else 0
    end = text.find(". ", start)
    sentence = " ".join(text[begin:end + 1 if end >= 0 else len(text)].split())
    return sentence if len(sentence) <= 90 else sentence[:87] + "..."


def safety_problems(procedure: Procedure) -> list[Problem]:
    """One problem per `more` section and safety word that the main text never uses."""
    terms = TERMS.get(procedure.lang.split("-")[0], ())
    if not terms or not procedure.more:
        return []
    main = main_text(procedure)
    problems = []
    for key, text in procedure.more.items():
        folded = fold(text)
        for term in terms:
            found = term.pattern.search(folded)
            if found is None or term.pattern.search(main):
                continue
            field = f"more.{key}"
            problems.append(Problem(
                procedure.path,
                f"safety text only in 'more' (prints only in the booklet): '{term.name}' in "
                f"\"{_sentence(text, found.start())}\"; warning signs, things to stop or never do, device and MRI "
                f"rules and withdrawal dangers must be in the main text every layout prints (risks, prepare, "
                f"aftercare or call_us)", procedure.line_of(field), field))
    return problems
