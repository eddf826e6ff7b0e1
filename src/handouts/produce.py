"""Turn one target (clinic x procedure x language x layout) into PDF bytes, in memory.

This is the unit of work a build runs, in this process or in a worker: plain data in,
bytes (or a user-facing error) out, nothing written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass

from .approval import stamped, status_of
from .compose import compose
from .patient import Patient
from .workspace import Workspace


@dataclass(frozen=True, slots=True)
class Target:
    clinic: str
    procedure: str
    lang: str
    layout: str
    paper: str | None = None
    duplex: str | None = None  # None: the clinic's own `duplex:` setting

    @property
    def stem(self) -> str:
        """Output path without extension, relative to the output folder."""
        return f"{self.clinic}/{self.lang}/{self.procedure}.{self.layout}"

    def describe(self) -> str:
        return f"{self.procedure} [{self.clinic}, {self.lang}, {self.layout}]"


@dataclass(frozen=True, slots=True)
class Produced:
    files: tuple[tuple[str, bytes], ...]  # (path relative to the output folder, bytes)
    renders: int
    body_size: float
    pages: int
    text_problems: int = 0  # what `check` would find in the text (counted when the build asked)


def output_names(target: Target, kind: str) -> tuple[str, ...]:
    """The files a target writes; a booklet also writes its imposed print version."""
    if kind == "booklet":
        return (f"{target.stem}.pdf", f"{target.stem}-print.pdf")
    return (f"{target.stem}.pdf",)


def produce(workspace: Workspace, target: Target, patient: Patient | None = None,
            check_text: bool = False) -> Produced:
    """Compose and render one target; raises a HandoutsError subclass on any user-fixable problem.

    `check_text` also counts what `check` would find in its text (one target per procedure asks)."""
    from .pdf import render

    layout = workspace.layout(target.layout)
    clinic, strings = workspace.clinic(target.clinic), workspace.strings(target.lang)
    procedure = workspace.procedure(target.lang, target.procedure)
    handout = compose(procedure, clinic, strings, patient=patient, workspace_fonts=workspace.settings.fonts,
                      artwork=workspace.artwork(clinic))
    problems = 0
    if check_text:
        from .check import text_problems

        problems = len(text_problems(handout, procedure, workspace.settings.readability))
    # The approval covers the text without the patient's panel (readable_text leaves it out).
    status = status_of(workspace, target.clinic, target.procedure, target.lang, handout=handout)
    handout = stamped(handout, status, clinic, strings)
    result = render(handout, layout, target.paper, target.duplex or clinic.duplex)
    names = output_names(target, layout.kind)
    files = [(names[0], result.pdf)]
    if result.imposed is not None:
        files.append((names[1], result.imposed))
    return Produced(tuple(files), result.renders, result.body_size, result.pages, problems)
