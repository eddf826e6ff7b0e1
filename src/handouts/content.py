"""Load one procedure's content file into a Procedure, reporting every problem at its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

from .fields import FieldReader
from .models import DIARY_KINDS, SECTION_KEYS, CallUs, FigureRef, Procedure, Risks, Source, Timeline
from .paths import is_valid_id
from .yamlio import MarkedDict, load_mapping

PROCEDURE_FIELDS: tuple[str, ...] = (
    "id", "title", "also_called", "aliases", "summary", "what_it_is", "how_its_done",
    "expected_relief", "risks", "prepare", "aftercare", "call_us", "more", "timeline",
    "updated", "sources", "key_points", "figure", "questions", "diary",
)
MAX_KEY_POINTS = 3
MAX_KEY_POINT_WORDS = 12
QUESTIONS = 3
MORE_KEYS: tuple[str, ...] = SECTION_KEYS + ("call_us",)


def _sources(reader: FieldReader) -> tuple[Source, ...]:
    value = reader.raw("sources")
    if value is None:
        reader.problem("sources", "is required but missing; name at least one reputable source")
        return ()
    if not isinstance(value, list) or not value:
        reader.problem("sources", "expected a list with at least one source")
        return ()
    sources = []
    for index, item in enumerate(value):
        key = f"sources[{index + 1}]"
        line = value.line_of(index)
        if isinstance(item, str) and item.strip():
            sources.append(Source(item.strip()))
        elif isinstance(item, MarkedDict):
            sub = FieldReader(reader.shown, item, prefix=f"{key}.", problems=reader.problems)
            sub.reject_unknown(("title", "url"))
            title, url = sub.text("title"), sub.text("url", required=False)
            if url and not url.startswith("https://"):
                sub.problem("url", "source links must start with https://")
                url = None
            if title:
                sources.append(Source(title, url))
        else:
            reader.problem(key, "expected a source title or 'title:' and 'url:'", line=line)
    return tuple(sources)


def _more(reader: FieldReader) -> dict[str, str]:
    sub = reader.child("more", required=False)
    if sub is None:
        return {}
    sub.reject_unknown(MORE_KEYS)
    return {key: text for key in MORE_KEYS if sub.has(key) and (text := sub.text(key)) is not None}


def _timeline(reader: FieldReader) -> Timeline | None:
    sub = reader.child("timeline", required=False)
    if sub is None:
        return None
    sub.reject_unknown(("before", "during", "after"))
    return Timeline(sub.text_list("before"), sub.text_list("during"), sub.text_list("after"))


def _key_points(reader: FieldReader) -> tuple[str, ...]:
    """What a patient must remember: a short list, short lines (placeholders count as one word)."""
    points = reader.text_list("key_points")
    if len(points) > MAX_KEY_POINTS:
        reader.problem("key_points", f"has {len(points)} points; keep at most {MAX_KEY_POINTS}, the ones a "
                                     f"patient must remember")
    for index, point in enumerate(points):
        words = len(point.split())
        if words > MAX_KEY_POINT_WORDS:
            reader.problem(f"key_points[{index + 1}]", f"has {words} words; a key point has at most "
                                                       f"{MAX_KEY_POINT_WORDS}",
                           line=reader.raw("key_points").line_of(index))
    return points


def _figure(reader: FieldReader) -> FigureRef | None:
    sub = reader.child("figure")
    if sub is None:
        return None
    sub.reject_unknown(("image", "alt", "caption"))
    image, alt, caption = sub.text("image"), sub.text("alt"), sub.text("caption")
    return FigureRef(image, alt, caption) if image and alt and caption else None


def _questions(reader: FieldReader) -> tuple[str, ...]:
    questions = reader.text_list("questions")
    if questions and len(questions) != QUESTIONS:
        reader.problem("questions", f"has {len(questions)} questions; give {QUESTIONS} starter questions for "
                                    f"the booklet's questions page")
    return questions


def _updated(reader: FieldReader, today: dt.date) -> dt.date:
    """When the text last changed. Who approved it for a clinic is recorded by `handouts approve`."""
    if reader.has("reviewed"):
        reader.problem("reviewed", "is no longer used: write 'updated:' (the date the text last changed); a "
                                   "clinician's approval is recorded per clinic with 'handouts approve'")
        if not reader.has("updated"):
            return dt.date(1970, 1, 1)
    updated = reader.date("updated")
    if updated is not None and updated > today:
        reader.problem("updated", f"{updated.isoformat()} is in the future; use the date the text last changed")
    return updated or dt.date(1970, 1, 1)


def _lines(data: MarkedDict) -> dict[str, int]:
    """Line of each top-level field, and of each `more.<section>` (checks point into `more`)."""
    lines = dict(data.key_lines)
    more = data.get("more")
    if isinstance(more, MarkedDict):
        lines.update({f"more.{key}": line for key, line in more.key_lines.items()})
    return lines


def parse_procedure(data: MarkedDict, shown: str, lang: str, expected_id: str, today: dt.date) -> Procedure:
    """Validate one content mapping; raises InvalidInput listing every problem found."""
    reader = FieldReader(shown, data)
    reader.reject_unknown(PROCEDURE_FIELDS + ("reviewed",))  # 'reviewed' gets its own message
    proc_id = reader.text("id")
    if proc_id is not None and not is_valid_id(proc_id):
        reader.problem("id", f"'{proc_id}' must be lower-case letters, digits and hyphens (like 'medial-branch-block')")
    elif proc_id is not None and proc_id != expected_id:
        reader.problem("id", f"'{proc_id}' does not match the file name '{expected_id}.yaml'")
    risks = reader.child("risks")
    if risks:
        risks.reject_unknown(("common", "serious"))
    call_us = reader.child("call_us")
    if call_us:
        call_us.reject_unknown(("clinic", "emergency"))
    procedure = Procedure(
        id=expected_id,
        lang=lang,
        title=reader.text("title") or "",
        also_called=reader.text_list("also_called", required=False, allow_single=True),
        summary=reader.text("summary") or "",
        what_it_is=reader.text("what_it_is") or "",
        how_its_done=reader.text_list("how_its_done"),
        expected_relief=reader.text("expected_relief") or "",
        risks=Risks(risks.text_list("common") if risks else (), risks.text_list("serious") if risks else ()),
        prepare=reader.text_list("prepare"),
        aftercare=reader.text_list("aftercare"),
        call_us=CallUs(call_us.text_list("clinic") if call_us else (),
                       call_us.text_list("emergency") if call_us else ()),
        updated=_updated(reader, today),
        sources=_sources(reader),
        aliases=reader.text_list("aliases", required=False),
        more=MappingProxyType(_more(reader)),
        timeline=_timeline(reader),
        key_points=_key_points(reader),
        figure=_figure(reader),
        questions=_questions(reader),
        diary=reader.choice("diary", DIARY_KINDS, default="daily") or "daily",
        path=shown,
        lines=MappingProxyType(_lines(data)),
    )
    reader.finish()
    return procedure


def load_procedure(path: Path, shown: str, lang: str, today: dt.date) -> Procedure:
    return parse_procedure(load_mapping(path, shown), shown, lang, path.stem, today)
