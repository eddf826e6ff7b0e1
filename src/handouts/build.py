"""Plan and run a build: targets first, then each one built, skipped or failed on its own.

One bad procedure never stops the batch: its targets fail with the reason, the rest build,
and the summary's exit status says something failed. Files are written atomically, and
never over a file that handouts did not write, unless the user says --force.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .atomicio import remove_stale_temps, write_atomic
from .errors import ExitStatus, HandoutsError, NotFound
from .fingerprint import Fingerprinter
from .manifest import Manifest
from .produce import Target, output_names, produce
from .workspace import Workspace, suggest


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What the user asked for; empty tuples mean "use the workspace settings" or "all"."""

    procedures: tuple[str, ...] = ()
    clinics: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    out: Path | None = None
    paper: str | None = None
    force: bool = False
    duplex: str = "short-edge"


class Status(str, Enum):
    BUILT = "built"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    target: Target
    status: Status
    files: tuple[str, ...] = ()
    message: str = ""
    renders: int = 0
    seconds: float = 0.0


@dataclass
class Summary:
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is Status.FAILED]

    @property
    def exit_status(self) -> ExitStatus:
        if self.interrupted:
            return ExitStatus.INTERRUPTED
        return ExitStatus.FAILED if self.failed else ExitStatus.OK


def _choose(asked: tuple[str, ...], known: list[str], what: str, where: str) -> list[str]:
    for name in asked:
        if name not in known:
            raise NotFound(f"no {what} '{name}' in {where}{suggest(name, known)}")
    return list(dict.fromkeys(asked)) if asked else known


def plan(workspace: Workspace, request: BuildRequest) -> list[Target]:
    """Every target the request names, checked against what exists; unknown names are errors."""
    settings = workspace.settings
    langs = _choose(request.langs, workspace.languages(), "language", "content/")
    if not request.langs:
        langs = [lang for lang in settings.languages if lang in langs]
    clinics = _choose(request.clinics, workspace.clinic_ids(), "clinic", "clinics/")
    layouts = _choose(request.layouts or settings.layouts, workspace.layout_names(), "layout", "layouts/")
    every_procedure = sorted({p for lang in langs for p in workspace.procedure_ids(lang)})
    procedures = _choose(request.procedures, every_procedure, "procedure", "content/")
    targets = []
    for clinic in clinics:
        for lang in langs:
            available = set(workspace.procedure_ids(lang))
            for procedure in procedures:
                if procedure not in available and not request.procedures:
                    continue
                targets.extend(Target(clinic, procedure, lang, layout, request.paper, request.duplex)
                               for layout in layouts)
    return targets


def _fingerprint(workspace: Workspace, printer: Fingerprinter, target: Target) -> str:
    from .pdf.fonts import default_files

    layout = workspace.layout(target.layout)
    clinic = workspace.clinic(target.clinic)
    fonts = clinic.fonts.get(target.lang) or clinic.fonts.get("default") or default_files()
    return printer.target(clinic=target.clinic, procedure=target.procedure, lang=target.lang,
                          layout_files=layout.files, font_files=(fonts.regular, fonts.bold, fonts.italic,
                                                                 fonts.bold_italic), paper=target.paper,
                          extra=target.duplex if layout.kind == "booklet" else "")


def _build_one(workspace: Workspace, target: Target, manifest: Manifest, printer: Fingerprinter,
               force: bool) -> Outcome:
    started = time.perf_counter()
    try:
        if target.procedure not in workspace.procedure_ids(target.lang):
            raise NotFound(f"no {target.lang} version (content/{target.lang}/{target.procedure}.yaml)")
        names = output_names(target, workspace.layout(target.layout).kind)
        fingerprint = _fingerprint(workspace, printer, target)
        if not force and all(manifest.is_current(name, fingerprint) for name in names):
            return Outcome(target, Status.SKIPPED, names)
        foreign = [name for name in names if not manifest.owns(name)]
        if foreign and not force:
            raise HandoutsError(f"{foreign[0]} already exists and was not written by handouts (or was changed "
                                f"since); move it away or use --force to overwrite it")
        produced = produce(workspace, target)
        for name, data in produced.files:
            write_atomic(manifest.out_dir / name, data)
            manifest.record(name, data, fingerprint, {"clinic": target.clinic, "procedure": target.procedure,
                                                      "lang": target.lang, "layout": target.layout})
    except HandoutsError as exc:
        return Outcome(target, Status.FAILED, message=exc.format_message(),
                       seconds=time.perf_counter() - started)
    except OSError as exc:
        return Outcome(target, Status.FAILED, message=f"cannot write output: {exc.strerror or exc}",
                       seconds=time.perf_counter() - started)
    return Outcome(target, Status.BUILT, tuple(name for name, _ in produced.files), renders=produced.renders,
                   seconds=time.perf_counter() - started)


def run(workspace: Workspace, request: BuildRequest,
        on_outcome: Callable[[Outcome], None] = lambda outcome: None) -> Summary:
    started = time.perf_counter()
    targets = plan(workspace, request)
    out_dir = (request.out or workspace.output_dir).resolve()
    summary = Summary(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)
    manifest = Manifest.load(out_dir)
    printer = Fingerprinter(workspace.root)
    try:
        for target in targets:
            outcome = _build_one(workspace, target, manifest, printer, request.force)
            summary.outcomes.append(outcome)
            on_outcome(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        manifest.save()
        summary.seconds = time.perf_counter() - started
    return summary
