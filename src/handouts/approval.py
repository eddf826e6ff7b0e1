"""Whether a clinic may hand out a handout: approved, changed since approval, never approved, expired.

The one place that decides a handout's state, for build, check, review, approve and the front
desk. What a clinician approves is the handout's readable text for their clinic: the content
with the clinic's placeholders filled, every heading and label, sources and the clinic's own
lines. Its fingerprint is what the approval records, so any change to what would print (a
content edit, a new phone number, a reworded label) sends the handout back to DRAFT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from . import richtext
from .approval_book import Approval
from .document import ApprovalMark, Block, Bullets, Checklist, Handout, Paragraph, Steps
from .errors import InvalidInput, Problem
from .i18n import Strings
from .models import Clinic
from .templating import TemplateProblem, render_text

if TYPE_CHECKING:
    from .workspace import Workspace

EXPIRY_WARNING_DAYS = 30


class State(str, Enum):
    APPROVED = "approved"
    CHANGED = "changed since approval"
    NEVER = "never approved"
    EXPIRED = "approval expired"


@dataclass(frozen=True, slots=True)
class Status:
    state: State
    approval: Approval | None  # the clinic's last approval of this procedure and language, if any
    expires: dt.date | None  # when that approval lapses

    @property
    def draft(self) -> bool:
        return self.state is not State.APPROVED

    def expires_within(self, today: dt.date, days: int = EXPIRY_WARNING_DAYS) -> bool:
        return self.state is State.APPROVED and self.expires is not None and (self.expires - today).days <= days

    def build_key(self) -> str:
        """What of the state shapes the printed page, for the build fingerprint."""
        if self.draft or self.approval is None:
            return "draft"
        return f"approved|{self.approval.by}|{self.approval.on.isoformat()}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (Jan 31 + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def decide(approval: Approval | None, fingerprint: str, today: dt.date, interval_months: int) -> Status:
    if approval is None:
        return Status(State.NEVER, None, None)
    expires = add_months(approval.on, interval_months)
    if approval.fingerprint != fingerprint:
        return Status(State.CHANGED, approval, expires)
    if today >= expires:
        return Status(State.EXPIRED, approval, expires)
    return Status(State.APPROVED, approval, expires)


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the text a clinician approves ----------------------------------------------------------------

def _block_lines(block: Block) -> list[str]:
    plain = richtext.to_plain
    if isinstance(block, Paragraph):
        return [plain(block.text)]
    if isinstance(block, Steps):
        return [f"{number}. {plain(item)}" for number, item in enumerate(block.items, start=1)]
    if isinstance(block, Checklist):
        return [f"[ ] {plain(item)}" for item in block.items]
    label = [f"{plain(block.label)}:"] if isinstance(block, Bullets) and block.label else []
    return label + [f"- {plain(item)}" for item in block.items]


def readable_text(handout: Handout) -> str:
    """Everything the handout may print for this clinic, in reading order, one paragraph a line.

    The approval stamp itself and a patient's appointment are left out: they are not what a
    clinician approves.
    """
    plain, labels = richtext.to_plain, handout.labels
    lines = [f"# {handout.title}"]
    if handout.also_called:
        lines.append(f"{labels['also_called']}: {plain(handout.also_called)}")
    lines += ["", plain(handout.summary)]
    lines += [f"* {plain(point)}" for point in handout.key_points]
    if handout.figure:
        lines += [f"[{handout.labels['figure']}: {handout.figure.alt}]", plain(handout.figure.caption)]
    for section in handout.sections:
        lines += ["", f"## {section.heading}"]
        for block in section.blocks:
            lines += _block_lines(block)
        if section.more:
            lines.append(f"[{labels['booklet.more']}]")
            for block in section.more:
                lines += _block_lines(block)
    box = handout.call_box
    lines += ["", f"## {box.heading}", plain(box.clinic_label), *(f"- {plain(i)}" for i in box.clinic_items),
              plain(box.emergency_label), *(f"- {plain(i)}" for i in box.emergency_items), plain(box.after_hours)]
    for block in box.more:
        lines += _block_lines(block)
    if handout.timeline:
        for key, items in (("before", handout.timeline.before), ("during", handout.timeline.during),
                           ("after", handout.timeline.after)):
            lines += ["", f"## {labels['booklet.timeline']}: {labels[f'booklet.{key}']}",
                      *(f"- {plain(i)}" for i in items)]
    if handout.questions:
        lines += ["", f"## {labels['booklet.notes_title']}", *(f"- {plain(q)}" for q in handout.questions)]
    lines += ["", f"## {labels['sections.sources']}", *(f"- {source}" for source in handout.sources)]
    brand = handout.brand
    lines += ["", "## Clinic", *filter(None, (brand.name, brand.tagline, brand.phone, brand.after_hours_phone,
                                              brand.website, *brand.address))]
    lines += ["", "## Interface text", *(f"{key}: {value}" for key, value in sorted(labels.items()))]
    return "\n".join(lines) + "\n"


# -- what the page says ----------------------------------------------------------------------------

def _fill(strings: Strings, key: str, context: dict) -> str:
    try:
        return richtext.to_plain(richtext.parse(render_text(strings[key], context), strict=True))
    except (TemplateProblem, richtext.MarkupProblem) as exc:
        raise InvalidInput([Problem(strings.path, str(exc), strings.lines.get(key), key)]) from None


def approved_mark(approval: Approval, clinic: Clinic, strings: Strings) -> ApprovalMark:
    context = {"clinic": clinic.template_context(), "name": approval.by, "date": strings.format_date(approval.on)}
    return ApprovalMark(_fill(strings, "approval.approved", context), draft=False)


def stamped(handout: Handout, status: Status, clinic: Clinic, strings: Strings) -> Handout:
    """The handout as it may print: composed as a draft, approved only if the clinic's state says so."""
    if status.draft or status.approval is None:
        return handout
    return replace(handout, approval=approved_mark(status.approval, clinic, strings))


# -- a handout's state in a workspace ----------------------------------------------------------------

def composed(workspace: Workspace, clinic_id: str, procedure_id: str, lang: str) -> Handout:
    """The handout as the clinic would print it, without a patient and before its approval stamp."""
    from .compose import compose

    clinic = workspace.clinic(clinic_id)
    return compose(workspace.procedure(lang, procedure_id), clinic, workspace.strings(lang),
                   workspace_fonts=workspace.settings.fonts, artwork=workspace.artwork(clinic))


def status_of(workspace: Workspace, clinic_id: str, procedure_id: str, lang: str,
              handout: Handout | None = None, cache: dict | None = None) -> Status:
    """The handout's state for the clinic; composes it only when there is an approval to compare with.

    `handout` is the composed handout if the caller has it; `cache` memoises by (clinic,
    procedure, language) for callers that ask once per layout.
    """
    key = (clinic_id, procedure_id, lang)
    if cache is not None and key in cache:
        return cache[key]
    approval = workspace.approval_book(clinic_id).get(procedure_id, lang)
    if approval is None:
        status = Status(State.NEVER, None, None)
    else:
        handout = handout or composed(workspace, clinic_id, procedure_id, lang)
        status = decide(approval, text_fingerprint(readable_text(handout)), workspace.today,
                        workspace.settings.review_interval_months)
    if cache is not None:
        cache[key] = status
    return status
