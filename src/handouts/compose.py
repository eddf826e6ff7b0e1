"""Compose a Handout document from a procedure, a clinic and the language's strings.

This is where placeholders are filled and markup is parsed. All problems are collected and
raised together, each pointing at the file, line and field that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from . import richtext
from .document import (ApprovalMark, Block, Brand, Bullets, CallBox, Checklist, Figure, Handout, Meta,
                       Paragraph, Section, Steps, Timeline)
from .errors import InvalidInput, Problem
from .i18n import APPROVAL_KEYS, Strings
from .fontfiles import font_files_for
from .models import Clinic, FontFiles, Logo, Procedure
from .patient import Patient, appointment
from .protocol import protocol_context
from .richtext import MarkupProblem, RichText
from .templating import TemplateProblem, render_text


class UnfilledHandout(InvalidInput):
    """Placeholders or markup that could not be filled. The handout, with those fields left as
    written, comes along so `check` can still measure its reading level: every problem at once."""

    def __init__(self, problems: list[Problem], handout: Handout) -> None:
        super().__init__(problems)
        self.handout = handout


# Finds artwork by kind ("figures" or "icons") and name, in the clinic's colours; raises ValueError
# with a message naming the file when it cannot be used.
Artwork = Callable[[str, str], Logo]
ICONS: tuple[str, ...] = ("phone", "ambulance")  # beside the call box's clinic and emergency tiers


class _Filler:
    """Renders template text for one handout, recording problems instead of stopping."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.problems: list[Problem] = []

    def rich(self, source: str, path: str, line: int | None, field: str, **extra: Any) -> RichText:
        context = {**self.context, **extra} if extra else self.context
        try:
            return richtext.parse(render_text(source, context), strict=True)
        except (TemplateProblem, MarkupProblem) as exc:
            self.problems.append(Problem(path, str(exc), line, field))
            return richtext.plain(source)

    def items(self, sources: tuple[str, ...], path: str, line: int | None, field: str) -> tuple[RichText, ...]:
        return tuple(self.rich(text, path, line, f"{field}[{i + 1}]") for i, text in enumerate(sources))


def _procedure_filler(filler: _Filler, procedure: Procedure):
    def text(field: str, source: str) -> RichText:
        return filler.rich(source, procedure.path, procedure.line_of(field), field)

    def items(field: str, sources: tuple[str, ...]) -> tuple[RichText, ...]:
        return filler.items(sources, procedure.path, procedure.line_of(field), field)

    return text, items


def _labels(filler: _Filler, strings: Strings, extra: Mapping[str, Any]) -> dict[str, str]:
    return {key: richtext.to_plain(filler.rich(source, strings.path, strings.lines.get(key), key, **extra))
            for key, source in strings.texts.items() if key not in APPROVAL_KEYS}


def _sections(procedure: Procedure, labels: Mapping[str, str], text, items) -> tuple[Section, ...]:
    def more(key: str) -> tuple[Block, ...]:
        return (Paragraph(text(f"more.{key}", procedure.more[key])),) if key in procedure.more else ()

    risks = procedure.risks
    blocks: dict[str, tuple[Block, ...]] = {
        "what_it_is": (Paragraph(text("what_it_is", procedure.what_it_is)),),
        "how_its_done": (Steps(items("how_its_done", procedure.how_its_done)),),
        "expected_relief": (Paragraph(text("expected_relief", procedure.expected_relief)),),
        "risks": (Bullets(items("risks.common", risks.common), richtext.plain(labels["risks.common"])),
                  Bullets(items("risks.serious", risks.serious), richtext.plain(labels["risks.serious"]))),
        "prepare": (Checklist(items("prepare", procedure.prepare)),),
        "aftercare": (Bullets(items("aftercare", procedure.aftercare)),),
    }
    return tuple(Section(key, labels[f"sections.{key}"], value, more(key)) for key, value in blocks.items())


def _draft_mark(filler: _Filler, strings: Strings) -> ApprovalMark:
    """Every handout starts as a draft; only a clinic's recorded approval (approval.stamped) lifts it."""
    def fill(key: str) -> str:
        return richtext.to_plain(filler.rich(strings[key], strings.path, strings.lines.get(key), key))

    return ApprovalMark(fill("approval.draft"), draft=True, word=fill("approval.draft_word"))


def _brand(clinic: Clinic, lang: str, workspace_fonts: Mapping[str, FontFiles]) -> Brand:
    website = (clinic.website or "").removeprefix("https://").removeprefix("http://").rstrip("/")
    fonts = font_files_for(lang, clinic, workspace_fonts)
    return Brand(clinic.id, clinic.name, clinic.text_in(clinic.tagline, lang) or "", clinic.phone,
                 clinic.after_hours_phone, website,
                 clinic.address, clinic.colours, clinic.logo, clinic.qr_url, clinic.paper, fonts, clinic.email)


def _figure(procedure: Procedure, artwork: Artwork | None, text, problems: list[Problem]) -> Figure | None:
    ref = procedure.figure
    if ref is None or artwork is None:
        return None
    try:
        art = artwork("figures", ref.image)
    except ValueError as exc:
        problems.append(Problem(procedure.path, str(exc), procedure.line_of("figure"), "figure.image"))
        return None
    return Figure(art, ref.alt, text("figure", ref.caption))


def _icons(artwork: Artwork | None, clinic: Clinic, problems: list[Problem]) -> Mapping[str, Logo]:
    icons: dict[str, Logo] = {}
    for name in ICONS if artwork else ():
        try:
            icons[name] = artwork("icons", name)
        except ValueError as exc:
            problems.append(Problem(clinic.path, str(exc), None, "icons"))
    return MappingProxyType(icons)


def compose(procedure: Procedure, clinic: Clinic, strings: Strings, patient: Patient | None = None,
            workspace_fonts: Mapping[str, FontFiles] = MappingProxyType({}),
            artwork: Artwork | None = None) -> Handout:
    """The handout document for one procedure at one clinic; raises InvalidInput on any problem.

    `artwork` finds the figure and icons; without it the handout has neither (text-only uses).
    """
    filler = _Filler({"clinic": clinic.template_context(),
                      **protocol_context(clinic, procedure.lang, strings, patient)})
    text, items = _procedure_filler(filler, procedure)
    updated = strings.format_date(procedure.updated)
    labels = _labels(filler, strings, {"date": updated, "page": "{page}", "pages": "{pages}"})
    for field_name, texts in (("tagline", clinic.tagline), ("footer_note", clinic.footer_note)):
        if texts and clinic.text_in(texts, procedure.lang) is None:
            filler.problems.append(Problem(clinic.path, f"has no '{procedure.lang}' text (give one for every "
                                                        f"language, or one plain text for all)", None, field_name))
    note = clinic.text_in(clinic.footer_note, procedure.lang)
    note = note and richtext.to_plain(filler.rich(note, clinic.path, None, "footer_note"))
    labels["small_print"] = " ".join(filter(None, (labels["footer.disclaimer"], note)))
    note_lang = clinic.footer_note_lang
    foreign = ((note, note_lang),) if note and note_lang and note_lang.split("-")[0] != procedure.lang else ()
    timeline = None
    if procedure.timeline:
        timeline = Timeline(items("timeline.before", procedure.timeline.before),
                            items("timeline.during", procedure.timeline.during),
                            items("timeline.after", procedure.timeline.after))
    call_us = procedure.call_us
    title = richtext.to_plain(text("title", procedure.title))
    summary = text("summary", procedure.summary)
    handout = Handout(
        procedure_id=procedure.id,
        lang=procedure.lang,
        title=title,
        also_called=richtext.join(items("also_called", procedure.also_called), ", "),
        summary=summary,
        sections=_sections(procedure, labels, text, items),
        call_box=CallBox(
            heading=labels["sections.call_us"],
            clinic_label=richtext.plain(labels["call.clinic"]),
            clinic_items=items("call_us.clinic", call_us.clinic),
            emergency_label=richtext.plain(labels["call.emergency"]),
            emergency_items=items("call_us.emergency", call_us.emergency),
            after_hours=richtext.plain(labels["call.after_hours"]),
            more=(Paragraph(text("more.call_us", procedure.more["call_us"])),) if "call_us" in procedure.more else (),
            clinic_icon_alt=labels["call.clinic_icon"],
            emergency_icon_alt=labels["call.emergency_icon"],
        ),
        sources=tuple(source.title for source in procedure.sources),
        brand=_brand(clinic, procedure.lang, workspace_fonts),
        meta=Meta(
            title=title,
            author=clinic.name,
            subject=richtext.to_plain(summary),
            keywords=(procedure.id, *procedure.also_called, clinic.name),
            lang=procedure.lang,
            created=procedure.updated,
        ),
        labels=MappingProxyType(labels),
        timeline=timeline,
        appointment=appointment(patient, labels, strings) if patient else None,
        approval=_draft_mark(filler, strings),
        foreign=foreign,
        key_points=items("key_points", procedure.key_points),
        figure=_figure(procedure, artwork, text, filler.problems),
        questions=items("questions", procedure.questions),
        diary=procedure.diary,
        icons=_icons(artwork, clinic, filler.problems),
    )
    if filler.problems:
        raise UnfilledHandout(filler.problems, handout)
    return handout
