"""Typed, immutable models of the workspace: what loaders produce and renderers consume."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .schedule_map import ScheduleMap

# Section keys in reading order, as the content guide defines them.
SECTION_KEYS: tuple[str, ...] = (
    "what_it_is", "how_its_done", "expected_relief", "risks", "prepare", "aftercare",
)
REQUIRED_SECTIONS: tuple[str, ...] = ("what_it_is", "how_its_done", "expected_relief", "risks")



def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Risks:
    common: tuple[str, ...]
    serious: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallUs:
    clinic: tuple[str, ...]
    emergency: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Before / during / after points for the booklet's day-of-procedure graphic."""

    before: tuple[str, ...]
    during: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FigureRef:
    """The procedure's picture: a file in `figures/` (or the clinic's own), what a screen reader
    says, and the short sentence printed under it."""

    image: str
    alt: str
    caption: str


DIARY_KINDS: tuple[str, ...] = ("daily", "hourly", "trial")  # the booklet diary that suits the procedure


@dataclass(frozen=True, slots=True)
class Procedure:
    """One procedure in one language. Text fields hold template source until rendered."""

    id: str
    lang: str
    title: str
    also_called: tuple[str, ...]
    summary: str
    what_it_is: str
    how_its_done: tuple[str, ...]
    expected_relief: str
    risks: Risks
    prepare: tuple[str, ...]
    aftercare: tuple[str, ...]
    call_us: CallUs
    updated: dt.date  # when the text last changed
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    # Longer text that only roomier layouts (booklet, large print) show, keyed by section.
    more: Mapping[str, str] = field(default_factory=_empty)
    timeline: Timeline | None = None
    key_points: tuple[str, ...] = ()  # up to 3 short lines a patient must remember
    figure: FigureRef | None = None
    questions: tuple[str, ...] = ()  # starter questions for the booklet's questions page
    diary: str = "daily"  # one of DIARY_KINDS
    path: str = ""
    lines: Mapping[str, int] = field(default_factory=_empty, compare=False)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key.split("[")[0]) or self.lines.get(key.split(".")[0].split("[")[0])


@dataclass(frozen=True, slots=True)
class Colours:
    primary: str
    accent: str


@dataclass(frozen=True, slots=True)
class FontFiles:
    """Paths (resolved, inside the workspace) of one family's four faces."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True, slots=True)
class Logo:
    kind: str  # "png", "jpeg" or "svg"
    data: bytes
    width: float  # intrinsic size in points (pixels for bitmaps), used for aspect ratio
    height: float
    # Colour swaps applied as the SVG is drawn: (token "#000001", clinic colour "#0f5e6e") pairs, so
    # one converted drawing serves every clinic.
    colours: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Protocol:
    """The clinic's own rules that fill a checklist's blanks; anything not given prints as a blank."""

    fasting_hours: float | None = None  # no food for this long before arrival (when sedation is possible)
    clear_liquids_hours: float | None = None  # no drinks, not even clear ones, for this long
    arrive_early_minutes: int | None = None  # minutes before the appointment time to check in
    blood_thinners: Mapping[str, str] = field(default_factory=_empty)  # whom to ask, by language ("*": all)


@dataclass(frozen=True, slots=True)
class Clinic:
    id: str
    name: str
    address: tuple[str, ...]
    phone: str
    after_hours_phone: str
    website: str | None
    email: str
    colours: Colours
    paper: str  # "letter" or "a4"
    logo: Logo
    duplex: str = "short-edge"  # how the clinic's printer flips booklet sheets: "short-edge" or "long-edge"
    tagline: Mapping[str, str] = field(default_factory=_empty)  # by language; "*" for every language
    emergency_number: str = "911"
    qr_url: str | None = None
    footer_note: Mapping[str, str] = field(default_factory=_empty)
    # The language the footer note is written in when it is one text for every language (a
    # "Se habla español." on English pages), so screen readers can switch voice for it.
    footer_note_lang: str | None = None
    fonts: Mapping[str, FontFiles] = field(default_factory=_empty)  # by language code, "default" for all others
    protocol: Protocol = field(default_factory=Protocol)
    path: str = ""

    def template_context(self) -> dict[str, str]:
        """What `{{ clinic.* }}` placeholders may use: plain strings only, nothing callable."""
        return {
            "id": self.id, "name": self.name, "phone": self.phone,
            "after_hours_phone": self.after_hours_phone, "website": self.website or "",
            "email": self.email, "address": ", ".join(self.address),
            "emergency_number": self.emergency_number,
        }

    def text_in(self, texts: Mapping[str, str], lang: str) -> str | None:
        """The clinic's own text for a language: its own version, or the one given for all."""
        return texts.get(lang, texts.get("*"))


@dataclass(frozen=True, slots=True)
class TypeSizes:
    body: float  # preferred body size, points
    body_min: float  # smallest body size the fit search may use
    leading: float  # line height as a multiple of the size
    heading: float
    title: float
    small: float  # footer and fine print


@dataclass(frozen=True, slots=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    kind: str  # "one-page", "booklet" or "large-print"
    page: str  # "clinic", "letter" or "a4"
    margins: Margins
    columns: int
    gutter: float
    sizes: TypeSizes
    sections: tuple[str, ...]
    band_colour: str  # which clinic colour: "primary" or "accent"
    heading_colour: str
    callout_colour: str
    show_more: bool = False  # whether the booklet-only `more` text appears
    max_pages: int = 1
    path: str = ""
    files: tuple[str, ...] = ()  # this layout's file and every file it extends, for fingerprints
    description: str = ""


@dataclass(frozen=True, slots=True)
class Readability:
    max_grade: float = 7.0
    target_grade: float = 6.0
    max_sentence_words: int = 25
    min_inflesz: float = 65.0
    floor_inflesz: float = 55.0


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """How the front-desk page delivers e-mail: .eml drafts into a folder, or SMTP."""

    mode: str = "drafts"  # "drafts" or "smtp"
    drafts: str = "private/drafts"  # inside the workspace, never inside the output folder
    log: str = "private/sent.jsonl"
    smtp: str | None = None  # HOST:PORT
    tls: str = "starttls"
    user: str | None = None  # the password comes only from HANDOUTS_SMTP_PASSWORD
    encrypt: bool = True  # attachments carry a password unless the row says plain_email (privacy by default)
    password_rule: str = "dob"  # "dob": date of birth as MMDDYYYY; "column": the schedule's password column


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """The front-desk server: host names it answers to besides loopback and its `--host`."""

    allowed_hosts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    default_clinic: str | None
    languages: tuple[str, ...]
    layouts: tuple[str, ...]
    output: str
    readability: Readability
    fonts: Mapping[str, FontFiles] = field(default_factory=_empty)  # per language, "default" for the rest
    email: EmailSettings = field(default_factory=EmailSettings)
    schedule: ScheduleMap = field(default_factory=ScheduleMap)  # how the practice system's export reads
    serve: ServeSettings = field(default_factory=ServeSettings)
    review_interval_months: int = 12  # a clinician's approval lapses after this long
