"""`handouts approve` and `handouts review`: a clinician signs off what their clinic hands out.

Approving records, per clinic, procedure and language, who approved, when, and the fingerprint
and text of exactly what they saw. Before asking, it shows what changed since the clinic's last
approval as a diff of the readable text (or the whole text, the first time).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .approval import State, Status, composed, readable_text, status_of, text_fingerprint
from .approval_book import Approval
from .errors import HandoutsError, InvalidInput, NotFound
from .workspace import Workspace, suggest

MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Candidate:
    """One handout about to be approved: its current text and what changed since the last approval."""

    procedure: str
    lang: str
    status: Status
    text: str

    @property
    def fingerprint(self) -> str:
        return text_fingerprint(self.text)

    def changes(self) -> list[str]:
        """A unified diff against the last approved text; the whole text if there is none."""
        previous = self.status.approval
        if previous is None:
            return [f"+{line}" for line in self.text.splitlines()]
        return [line.rstrip("\n") for line in difflib.unified_diff(
            previous.text.splitlines(), self.text.splitlines(),
            f"approved by {previous.by} on {previous.on.isoformat()}", "now", n=1, lineterm="")]


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise HandoutsError(f"--by: give the approving clinician's name (1 to {MAX_NAME} printable characters)")
    return name


def candidates(workspace: Workspace, clinic_id: str, procedures: tuple[str, ...],
               langs: tuple[str, ...]) -> tuple[list[Candidate], list[str]]:
    """What would be approved, and a message for each procedure or language that cannot be."""
    workspace.clinic(clinic_id)  # an unknown or broken clinic stops here, with its reason
    known_langs = workspace.languages()
    for lang in langs:
        if lang not in known_langs:
            raise NotFound(f"no language '{lang}' in content/{suggest(lang, known_langs)}")
    langs = langs or tuple(lang for lang in workspace.settings.languages if lang in known_langs)
    found, errors = [], []
    for procedure in procedures:
        available = [lang for lang in langs if procedure in workspace.procedure_ids(lang)]
        if not available:
            every = sorted({p for lang in known_langs for p in workspace.procedure_ids(lang)})
            errors.append(f"no procedure '{procedure}' in content/{suggest(procedure, every)}")
            continue
        for lang in available:
            try:
                handout = composed(workspace, clinic_id, procedure, lang)
                status = status_of(workspace, clinic_id, procedure, lang, handout=handout)
            except InvalidInput as exc:
                errors.extend(str(p) for p in exc.problems)
                continue
            found.append(Candidate(procedure, lang, status, readable_text(handout)))
    return found, errors


def record(workspace: Workspace, clinic_id: str, approved: list[Candidate], by: str) -> None:
    """Write the approvals into the clinic's book, atomically, dated the workspace's today."""
    if not approved:
        return
    book = workspace.approval_book(clinic_id)
    for item in approved:
        book.record(Approval(item.procedure, item.lang, by, workspace.today, item.fingerprint, item.text))
    book.save()


@dataclass(frozen=True, slots=True)
class ReviewRow:
    clinic: str
    procedure: str
    lang: str
    status: Status | None  # None: the handout cannot be composed (see error)
    error: str = ""

    @property
    def state(self) -> str:
        return self.status.state.value if self.status else "error"


def review(workspace: Workspace, clinic_ids: list[str] | None = None,
           langs: list[str] | None = None) -> list[ReviewRow]:
    """Every handout's state for each clinic (default: all clinics, the workspace's languages)."""
    clinic_ids = clinic_ids or workspace.clinic_ids()
    for clinic_id in clinic_ids:
        if clinic_id not in workspace.clinic_ids():
            raise NotFound(f"no clinic '{clinic_id}' in clinics/{suggest(clinic_id, workspace.clinic_ids())}")
    langs = langs or [lang for lang in workspace.settings.languages if lang in workspace.languages()]
    rows = []
    for clinic_id in clinic_ids:
        for lang in langs:
            for procedure in workspace.procedure_ids(lang):
                try:
                    rows.append(ReviewRow(clinic_id, procedure, lang,
                                          status_of(workspace, clinic_id, procedure, lang)))
                except InvalidInput as exc:
                    rows.append(ReviewRow(clinic_id, procedure, lang, None, str(exc.problems[0])))
    return rows


def counts(rows: list[ReviewRow]) -> dict[str, int]:
    found = {state.value: 0 for state in State}
    for row in rows:
        found[row.state] = found.get(row.state, 0) + 1
    return found
