"""The handout as a document: blocks of rich text, with no knowledge of PDF or HTML.

Composition fills this from content, clinic and strings; the PDF, HTML and readability code
all read it. Everything here is final text: placeholders filled, markup parsed into runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .models import Colours, FontFiles, Logo
from .richtext import RichText


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: RichText


@dataclass(frozen=True, slots=True)
class Steps:
    """A numbered sequence the reader follows in order."""

    items: tuple[RichText, ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[RichText, ...]
    label: RichText = ()  # an optional lead-in such as "Common and mild"


@dataclass(frozen=True, slots=True)
class Checklist:
    """Actions to tick off one by one, some with blanks to fill in by hand."""

    items: tuple[RichText, ...]


Block = Paragraph | Steps | Bullets | Checklist


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]
    more: tuple[Block, ...] = ()  # extra text for roomier layouts


@dataclass(frozen=True, slots=True)
class CallBox:
    """ "When should I call?": never split, always easy to find."""

    heading: str
    clinic_label: RichText
    clinic_items: tuple[RichText, ...]
    emergency_label: RichText
    emergency_items: tuple[RichText, ...]
    after_hours: RichText
    more: tuple[Block, ...] = ()
    # What the tiers' icons (phone, ambulance) say to a screen reader, in the handout's language.
    clinic_icon_alt: str = ""
    emergency_icon_alt: str = ""


@dataclass(frozen=True, slots=True)
class Appointment:
    """The personal panel of a personalised handout: label and value pairs, values plain."""

    title: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[str, ...] = ()  # the schedule column each row's value came from, for messages


@dataclass(frozen=True, slots=True)
class Timeline:
    before: tuple[RichText, ...]
    during: tuple[RichText, ...]
    after: tuple[RichText, ...]


@dataclass(frozen=True, slots=True)
class Brand:
    clinic_id: str
    name: str
    tagline: str
    phone: str
    after_hours_phone: str
    website: str
    address: tuple[str, ...]
    colours: Colours
    logo: Logo
    qr_url: str | None
    paper: str
    fonts: FontFiles | None  # None: the built-in default family
    email: str = ""


@dataclass(frozen=True, slots=True)
class ApprovalMark:
    """What a page says about the clinic's approval: the approved line, or the DRAFT warning."""

    line: str  # "Approved for <clinic> by <name> on <date>" or "DRAFT - not yet approved by <clinic>"
    draft: bool
    word: str = ""  # a draft's big diagonal word ("DRAFT"), drawn behind the text of every page


@dataclass(frozen=True, slots=True)
class Figure:
    """The procedure's picture, in the clinic's colours, with what a screen reader says about it."""

    art: Logo
    alt: str
    caption: RichText


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    lang: str
    created: dt.date


@dataclass(frozen=True, slots=True)
class Handout:
    procedure_id: str
    lang: str
    title: str
    also_called: RichText
    summary: RichText
    sections: tuple[Section, ...]
    call_box: CallBox
    sources: tuple[str, ...]
    brand: Brand
    meta: Meta
    # Interface strings, filled in and plain, for the renderer to place (footer, cover, ...).
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    timeline: Timeline | None = None
    appointment: Appointment | None = None
    approval: ApprovalMark | None = None  # composed as a draft; approval.stamped() may approve it
    # Text printed in another language than the handout's, with that language: (text, BCP 47 tag).
    foreign: tuple[tuple[str, str], ...] = ()
    key_points: tuple[RichText, ...] = ()  # up to 3 lines at the top of every layout
    figure: Figure | None = None
    questions: tuple[RichText, ...] = ()  # starter questions for the booklet's questions page
    diary: str = "daily"  # which diary suits the procedure: daily, hourly or trial
    # Action icons by name (phone, ambulance, ...), in the clinic's colours.
    icons: Mapping[str, Logo] = field(default_factory=lambda: MappingProxyType({}))

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def all_text(handout: Handout, patient: bool = True) -> str:
    """Every character the handout may print, for checking the font covers them all;
    `patient=False` leaves out the patient's own values, which are checked (and reported) apart."""
    from .richtext import to_plain

    parts: list[str] = [handout.title, to_plain(handout.also_called), to_plain(handout.summary),
                        *handout.labels.values(), *handout.sources, handout.brand.name, handout.brand.tagline,
                        handout.brand.phone, handout.brand.after_hours_phone, handout.brand.website, handout.brand.email,
                        *handout.brand.address]
    for section in handout.sections:
        parts.append(section.heading)
        for block in section.blocks + section.more:
            parts.extend(_block_text(block))
    box = handout.call_box
    parts += [to_plain(box.clinic_label), to_plain(box.emergency_label), to_plain(box.after_hours)]
    parts += [to_plain(item) for item in box.clinic_items + box.emergency_items]
    for block in box.more:
        parts.extend(_block_text(block))
    parts += [to_plain(point) for point in handout.key_points + handout.questions]
    if handout.figure:
        parts += [handout.figure.alt, to_plain(handout.figure.caption)]
    if handout.timeline:
        parts += [to_plain(i) for i in handout.timeline.before + handout.timeline.during + handout.timeline.after]
    if handout.approval:
        parts += [handout.approval.line, handout.approval.word]
    if handout.appointment:
        parts.append(handout.appointment.title)
        parts += [label for label, _ in handout.appointment.rows]
        if patient:
            parts += [value for _, value in handout.appointment.rows]
    return "\n".join(parts)


def _block_text(block: Block) -> list[str]:
    from .richtext import to_plain

    if isinstance(block, Paragraph):
        return [to_plain(block.text)]
    return [to_plain(block.label), *(to_plain(item) for item in block.items)] if isinstance(block, Bullets) \
        else [to_plain(item) for item in block.items]
