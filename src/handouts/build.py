"""Plan and run a build: targets first, then each one built, up to date or failed on its own.

One bad procedure never stops the batch: its targets fail with the reason, the rest build,
and the summary's exit status says something failed. Files are written atomically, and
never over a file that handouts did not write, unless the user says --force.
"""

from __future__ import annotations

import dataclasses

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path

from .approval import status_of
from .atomicio import remove_stale_temps
from .errors import ExitStatus, HandoutsError, NotFound
from .fingerprint import Fingerprinter
from .fontfiles import default_files, font_files_for
from .batch import Job, JobResult, default_jobs, execute
from .manifest import Manifest
from .paths import inside_output
from .produce import Target, output_names
from .workspace import Workspace, suggest
from .writer import OrderedWriter


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
    duplex: str | None = None  # None: each clinic's own `duplex:` setting
    jobs: int | None = None  # worker processes; None: one per CPU


class Status(str, Enum):
    BUILT = "built"
    UP_TO_DATE = "up to date"  # a build found its files current
    SKIPPED = "skipped"  # e-mail: already sent
    FAILED = "failed"
    SENT = "sent"
    PLANNED = "planned"  # a dry run's "would do"


@dataclass(frozen=True, slots=True)
class Outcome:
    target: Target | None  # None: a schedule row that never became a target
    status: Status
    files: tuple[str, ...] = ()
    message: str = ""
    renders: int = 0
    seconds: float = 0.0
    label: str = ""  # how to name it to the user; the target's description by default
    withdrawn: tuple[str, ...] = ()  # earlier files of a target that now failed, removed so none is printed

    def describe(self) -> str:
        return self.label or (self.target.describe() if self.target else "")


@dataclass
class Summary:
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    stale: int = 0  # outputs of things that no longer exist, for a hint to run `handouts clean`
    check_problems: int = 0  # what `check` finds in the text of the handouts just built (they were built)
    listener: Callable[[Outcome], None] = field(default=lambda outcome: None, repr=False)

    def report(self, outcome: Outcome) -> None:
        """Record an outcome and tell the listener (a progress bar, the log lines) straight away."""
        self.outcomes.append(outcome)
        self.listener(outcome)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def withdrawn(self) -> list[str]:
        return [name for o in self.outcomes for name in o.withdrawn]

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


def target_fingerprint(workspace: Workspace, printer: Fingerprinter, target: Target,
                       statuses: dict | None = None) -> str:
    """Everything that shapes this target's files, hashed: the key for skipping and caching.

    `statuses` memoises approval states across a run's layouts of one handout.
    """
    layout = workspace.layout(target.layout)
    status = status_of(workspace, target.clinic, target.procedure, target.lang, cache=statuses)
    clinic = workspace.clinic(target.clinic)
    fonts = font_files_for(target.lang, clinic, workspace.settings.fonts) or default_files()
    return printer.target(clinic=target.clinic, procedure=target.procedure, lang=target.lang,
                          layout_files=layout.files, font_files=(fonts.regular, fonts.bold, fonts.italic,
                                                                 fonts.bold_italic), paper=target.paper,
                          approval=status.build_key(),
                          extra=(target.duplex or clinic.duplex) if layout.kind == "booklet" else "")


def _clobbers(manifest: Manifest, names, force: bool) -> str | None:
    """Why writing `names` would replace a file that handouts did not write, or None."""
    foreign = [name for name in names if not manifest.owns(name)]
    if foreign and not force:
        return (f"{foreign[0]} already exists and was not written by handouts (or was changed since); move it "
                f"away or use --force to overwrite it")
    return None


def store(manifest: Manifest, files: tuple[tuple[str, bytes], ...], fingerprint: str, source: dict[str, str],
          force: bool) -> str | None:
    """Write rendered files unless one would replace a file that is not ours; an error or None."""
    refused = _clobbers(manifest, [name for name, _ in files], force)
    if refused:
        return refused
    try:
        for name, data in files:
            manifest.write(name, data, fingerprint, source)
    except OSError as exc:
        return f"cannot write output: {exc.strerror or exc}"
    except HandoutsError as exc:
        return exc.format_message()
    return None


def withdraw(manifest: Manifest, target: Target) -> tuple[str, ...]:
    """Remove what an earlier build wrote for a target that failed now: the old handout no longer
    matches its content (or clinic), and one left in place would be printed as if it were current.
    Only files handouts wrote and nobody changed are removed."""
    gone = []
    for name in (f"{target.stem}.pdf", f"{target.stem}-print.pdf"):
        path = inside_output(manifest.out_dir, name)
        if path is None or manifest.entry(name) is None or not path.is_file() or not manifest.owns(name):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        manifest.forget(name)
        gone.append(name)
    return tuple(gone)


def _failed(manifest: Manifest, target: Target, message: str) -> Outcome:
    gone = withdraw(manifest, target)
    if gone:
        message += f" (withdrew the earlier {' and '.join(gone)}, which no longer matches)"
    return Outcome(target, Status.FAILED, message=message, withdrawn=gone)


def _precheck(workspace: Workspace, target: Target, manifest: Manifest, printer: Fingerprinter,
              force: bool, statuses: dict) -> tuple[Outcome | None, str]:
    """Skip what is up to date and refuse what would clobber a person's file, before any rendering."""
    try:
        if target.procedure not in workspace.procedure_ids(target.lang):
            raise NotFound(f"no {target.lang} version (content/{target.lang}/{target.procedure}.yaml)")
        names = output_names(target, workspace.layout(target.layout).kind)
        fingerprint = target_fingerprint(workspace, printer, target, statuses)
    except NotFound as exc:
        return Outcome(target, Status.FAILED, message=exc.format_message()), ""
    except HandoutsError as exc:
        return _failed(manifest, target, exc.format_message()), ""
    if not force and all(manifest.is_current(name, fingerprint) for name in names):
        return Outcome(target, Status.UP_TO_DATE, names), fingerprint
    refused = _clobbers(manifest, names, force)
    return (Outcome(target, Status.FAILED, message=refused) if refused else None), fingerprint


def _finish(manifest: Manifest, target: Target, result: JobResult, fingerprint: str, force: bool) -> Outcome:
    """Write one rendered target (or withdraw its stale files if it failed): the writer thread's step."""
    if result.produced is None:
        return _failed(manifest, target, result.error)
    source = {"clinic": target.clinic, "procedure": target.procedure, "lang": target.lang, "layout": target.layout}
    error = store(manifest, result.produced.files, fingerprint, source, force)
    return (Outcome(target, Status.FAILED, message=error) if error else
            Outcome(target, Status.BUILT, tuple(name for name, _ in result.produced.files),
                    renders=result.produced.renders))


def run(workspace: Workspace, request: BuildRequest,
        on_outcome: Callable[[Outcome], None] = lambda outcome: None,
        on_plan: Callable[[int], None] = lambda total: None) -> Summary:
    started = time.perf_counter()
    targets = plan(workspace, request)
    on_plan(len(targets))
    out_dir = (request.out or workspace.output_dir).resolve()
    summary = Summary(out_dir, listener=on_outcome)
    report = summary.report
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)
    manifest = Manifest.load(out_dir)
    printer = Fingerprinter(workspace.root)
    jobs, fingerprints, statuses = [], {}, {}
    writer: OrderedWriter[Outcome] = OrderedWriter()
    try:
        for target in targets:
            outcome, fingerprints[target] = _precheck(workspace, target, manifest, printer, request.force, statuses)
            if outcome is not None:
                report(outcome)
            else:
                jobs.append(Job(target))
        jobs = _text_checks(jobs)
        for job, result in execute(workspace, jobs, request.jobs or default_jobs()):
            if result.produced is not None:
                summary.check_problems += result.produced.text_problems
            for outcome in writer.submit(partial(_finish, manifest, job.target, result, fingerprints[job.target],
                                                 request.force)):
                report(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        for outcome in writer.drain():  # files already rendered are written whole, even after Ctrl-C
            report(outcome)
        writer.close()
        summary.seconds = time.perf_counter() - started
        manifest.save()
    if request.out is None:
        from .clean import find_stale

        summary.stale = len(find_stale(workspace, out_dir)[1].stale)
    return summary


def _text_checks(jobs: list[Job]) -> list[Job]:
    """Ask one job per procedure and language (its first clinic's) to check the text it composes."""
    first: dict[tuple[str, str], Job] = {}
    for job in jobs:
        key = (job.target.lang, job.target.procedure)
        if key not in first or job.target.clinic < first[key].target.clinic:
            first[key] = job
    chosen = {id(job) for job in first.values()}
    return [dataclasses.replace(job, check_text=True) if id(job) in chosen else job for job in jobs]
