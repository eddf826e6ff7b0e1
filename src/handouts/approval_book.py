"""A clinic's record of which handouts its clinicians approved: `clinics/<id>/approvals.yaml`.

One record per procedure and language: who approved, on which day, the fingerprint of the text
they saw, and that text itself (so the next approval can show what changed since). It lives
with the clinic, never in the output folder, and is written atomically by `handouts approve`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .atomicio import write_atomic
from .fields import FieldReader
from .paths import is_valid_id
from .yamlio import load_mapping

APPROVALS_FILE = "approvals.yaml"
MAX_BYTES = 16 * 1024 * 1024  # it holds the approved text of every handout in every language
RECORD_FIELDS: tuple[str, ...] = ("by", "date", "fingerprint", "text")
HEADER = ("# Clinician approvals for this clinic, written by `handouts approve` (see README).\n"
          "# One record per procedure and language: who approved, when, the fingerprint of exactly\n"
          "# what they approved, and that text. Do not edit by hand: approve again instead.\n")


@dataclass(frozen=True, slots=True)
class Approval:
    procedure: str
    lang: str
    by: str
    on: dt.date
    fingerprint: str
    text: str  # the handout's readable text as approved, for the next approval's diff


@dataclass
class ApprovalBook:
    """Every approval of one clinic, keyed by (procedure, language)."""

    clinic: str
    path: Path
    records: dict[tuple[str, str], Approval] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return f"clinics/{self.clinic}/{APPROVALS_FILE}"

    def get(self, procedure: str, lang: str) -> Approval | None:
        return self.records.get((procedure, lang))

    def __iter__(self) -> Iterator[Approval]:
        return iter(sorted(self.records.values(), key=lambda a: (a.procedure, a.lang)))

    def record(self, approval: Approval) -> None:
        self.records[(approval.procedure, approval.lang)] = approval

    def save(self) -> None:
        """Write the whole book atomically: a crash leaves the old file or the new one, never half."""
        data: dict[str, dict[str, dict]] = {}
        for approval in self:
            data.setdefault(approval.procedure, {})[approval.lang] = {
                "by": approval.by, "date": approval.on.isoformat(), "fingerprint": approval.fingerprint,
                "text": approval.text}
        body = yaml.dump({"approvals": data}, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=100)
        write_atomic(self.path, (HEADER + body).encode("utf-8"))


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line text as readable `|` blocks, so the file reads (and diffs in git) like the handout."""


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value and all(line == line.rstrip() for line in value.splitlines()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_text)


def _read_record(reader: FieldReader, procedure: str, lang: str) -> Approval | None:
    reader.reject_unknown(RECORD_FIELDS)
    by, on = reader.text("by"), reader.date("date")
    fingerprint, text = reader.text("fingerprint"), reader.raw("text")
    if not isinstance(text, str):
        reader.problem("text", "is required: the text as approved")
        return None
    if by is None or on is None or fingerprint is None:
        return None
    return Approval(procedure, lang, by, on, fingerprint, text)


def load_book(clinic_folder: Path) -> ApprovalBook:
    """The clinic's approvals; an absent file is an empty book. Raises InvalidInput on a damaged file."""
    clinic = clinic_folder.name
    book = ApprovalBook(clinic, clinic_folder / APPROVALS_FILE)
    if not book.path.is_file():
        return book
    top = FieldReader(book.shown, load_mapping(book.path, book.shown, MAX_BYTES))
    top.reject_unknown(("approvals",))
    procedures = top.child("approvals", required=False)
    for procedure in (procedures.data if procedures else {}):
        by_lang = procedures.child(procedure)
        if by_lang is None:
            continue
        if not is_valid_id(procedure):
            procedures.problem(procedure, "is not a procedure id")
            continue
        for lang in by_lang.data:
            fields = by_lang.child(lang)
            approval = _read_record(fields, procedure, lang) if fields else None
            if approval is not None:
                book.record(approval)
    top.finish()
    return book

