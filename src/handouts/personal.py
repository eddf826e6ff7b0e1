"""Personalised handouts: a standard handout plus a "Your appointment" panel, one per patient.

Files are named by the row's id (or row number), never by anything about the patient, and go
to a folder the user chooses, apart from the shared library. Bad rows are reported and skipped;
the rest are produced. Nothing here logs or prints a patient detail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .atomicio import remove_stale_temps
from .batch import Job, default_jobs, execute, run_job
from .build import Outcome, Status, Summary, store
from .errors import HandoutsError, Problem, UnsafePath
from .manifest import Manifest
from .produce import Target
from .protect import PasswordMissing, password_from_dob
from .schedule import ScheduleRow
from .workspace import Workspace

PASSWORD_RULES = ("column", "dob")


@dataclass(frozen=True, slots=True)
class PersonalOptions:
    out_dir: Path | None
    encrypt: bool = False
    password_rule: str = "column"  # "column": the schedule's password column; "dob": date of birth MMDDYYYY
    paper: str | None = None
    duplex: str | None = None  # None: each clinic's own `duplex:` setting
    force: bool = False
    jobs: int | None = None
    dry_run: bool = False  # read and check the rows, say what each would become, write nothing


def row_target(row: ScheduleRow, options: PersonalOptions) -> Target:
    return Target(row.clinic, row.procedure, row.lang, row.layout, options.paper, options.duplex)


def row_password(row: ScheduleRow, rule: str) -> str:
    """The PDF password; a missing one is explained in the words of where it came from (a
    schedule's column, or an option for one patient on the command line)."""
    if rule == "dob":
        if row.dob is None and not row.line:
            raise PasswordMissing("the 'dob' password rule needs a date of birth; give the patient's (--dob on the "
                                  "command line)")
        return password_from_dob(row.dob)
    if not row.patient.password:
        raise PasswordMissing("no password for this row (the 'password' column is empty)" if row.line else
                              "no password: set HANDOUTS_PDF_PASSWORD, or use --password-rule dob with --dob")
    return row.patient.password


def personal_files(workspace: Workspace, row: ScheduleRow, options: PersonalOptions) -> list[tuple[str, bytes]]:
    """The row's PDFs in memory, named `<key>.<layout>.pdf` (and `-print.pdf`), encrypted if asked."""
    target = row_target(row, options)
    password = row_password(row, options.password_rule) if options.encrypt else None
    result = run_job(workspace, Job(target, row.patient, password))
    if result.produced is None:
        raise HandoutsError(result.error)
    return list(_personal_files(row.key, target, result.produced.files))


def check_private_dir(workspace: Workspace, out_dir: Path | None) -> Path:
    if out_dir is None:
        raise UsageError("personalised handouts hold patient details: choose their folder with -o DIR")
    out_dir = out_dir.resolve()
    shared = workspace.output_dir.resolve()
    if out_dir == shared or shared in out_dir.parents:
        raise UnsafePath(f"personalised handouts hold patient details: write them to their own folder, not into "
                         f"the shared library folder {shared}")
    return out_dir


def _personal_files(stem: str, target: Target,
                    files: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """Renamed `<stem>.<layout>.pdf` (and `-print.pdf`): nothing about the patient in a file name."""
    return tuple((f"{stem}.{target.layout}{name[len(target.stem):]}", data) for name, data in files)


class FileNames:
    """File stems for a run's rows: the row's own id when it has one, otherwise procedure, date and
    the next number free in the folder, so a second patient never lands on the first one's file."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        # The folder is listed once: stems already on disk ("x.one-page.pdf" -> "x"), then this run's.
        self.taken = {path.name.split(".", 1)[0] for path in out_dir.iterdir()} if out_dir.is_dir() else set()

    def stem(self, row: ScheduleRow) -> str:
        if row.named:
            return row.key
        base = f"{row.procedure}-{row.patient.date.isoformat() if row.patient.date else 'undated'}"
        number = 1
        while f"{base}-{number:02d}" in self.taken:
            number += 1
        self.taken.add(f"{base}-{number:02d}")
        return f"{base}-{number:02d}"

    def existing(self, files: tuple[tuple[str, bytes], ...]) -> str | None:
        """The first of these files already in the folder (another patient's, or an earlier run's)."""
        return next((name for name, _ in files if (self.out_dir / name).exists()), None)


def build_personal(workspace: Workspace, rows: list[ScheduleRow], problems: list[Problem], options: PersonalOptions,
                   on_outcome: Callable[[Outcome], None] = lambda outcome: None,
                   on_plan: Callable[[int], None] = lambda total: None) -> Summary:
    """Write every good row's handout; report each bad row (and each row that fails) on its own."""
    started = time.perf_counter()
    out_dir = check_private_dir(workspace, options.out_dir)
    remove_stale_temps(out_dir)
    summary = Summary(out_dir, listener=on_outcome)
    report = summary.report
    manifest = Manifest.load(out_dir, private=True)  # creates the folder 0700
    on_plan(len(rows) + len(problems))
    for problem in problems:
        report(bad_row(problem))
    ready: list[ScheduleRow] = []
    jobs: list[Job] = []
    try:
        for row in rows:
            target = row_target(row, options)
            try:
                password = row_password(row, options.password_rule) if options.encrypt else None
            except PasswordMissing as exc:
                report(Outcome(target, Status.FAILED, message=str(exc), label=row_label(row)))
                continue
            ready.append(row)
            jobs.append(Job(target, row.patient, password))
        names = FileNames(out_dir)
        for row, (job, result) in zip(ready, execute(workspace, jobs, options.jobs or default_jobs())):
            if result.produced is None:
                report(Outcome(job.target, Status.FAILED, message=result.error, label=row_label(row)))
                continue
            files = _personal_files(names.stem(row), job.target, result.produced.files)
            existing = None if options.force else names.existing(files)
            error = (f"{existing} already exists in the folder; give this row another id, or use --force to "
                     f"replace it") if existing else store(manifest, files, "personal", {"row": row.key},
                                                            options.force)
            report(Outcome(job.target, Status.FAILED, message=error, label=row_label(row)) if error else
                   Outcome(job.target, Status.BUILT, tuple(name for name, _ in files), label=row_label(row)))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.perf_counter() - started
        manifest.save()
    return summary


def bad_row(problem: Problem) -> Outcome:
    """A schedule row that never became a target, named once by file and line (or as the command line)."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return Outcome(None, Status.FAILED, message=f"{problem.field}: {problem.message}" if problem.field
                   else problem.message, label=where)


def row_label(row: ScheduleRow) -> str:
    return f"{row.key} (line {row.line})" if row.line else row.key


@dataclass(frozen=True, slots=True)
class PersonalRequest:
    """A personalised build: a schedule file, or one patient's details from the command line."""

    options: PersonalOptions
    schedule: Path | None = None
    patient: dict[str, str | None] | None = None  # cells, as a schedule row would have them
    procedures: tuple[str, ...] = ()
    clinics: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()


def _single_patient_cells(request: PersonalRequest) -> dict[str, str | None]:
    import os

    def one(values: tuple[str, ...], option: str) -> str | None:
        if len(values) > 1:
            raise UsageError(f"a personalised handout takes one {option}, not {len(values)}")
        return values[0] if values else None

    if len(request.procedures) != 1:
        raise UsageError("name exactly one PROCEDURE for --patient-name")
    cells = dict(request.patient or {})
    cells.update(procedure=request.procedures[0], clinic=one(request.clinics, "--clinic"),
                 layout=one(request.layouts, "--layout"), lang=one(request.langs, "--lang"),
                 password=os.environ.get("HANDOUTS_PDF_PASSWORD"))
    return cells


def rows_for(workspace: Workspace, request: PersonalRequest) -> tuple[list[ScheduleRow], list[Problem]]:
    from .schedule import read_schedule, single_row

    if request.schedule is not None:
        if request.procedures or (request.patient and request.patient.get("patient_name")):
            raise UsageError("use either --schedule or a PROCEDURE with --patient-name, not both")
        return read_schedule(request.schedule, workspace)
    return single_row(workspace, _single_patient_cells(request))


def run_personal(workspace: Workspace, request: PersonalRequest,
                 on_outcome: Callable[[Outcome], None] = lambda outcome: None,
                 on_plan: Callable[[int], None] = lambda total: None) -> Summary:
    rows, problems = rows_for(workspace, request)
    if request.options.dry_run:
        return plan_personal(rows, problems, request.options, on_outcome, on_plan)
    return build_personal(workspace, rows, problems, request.options, on_outcome, on_plan)


def column_lines(workspace: Workspace, path: Path) -> list[str]:
    """How each column of a schedule file will be read, for a dry run."""
    from .schedule import read_columns

    return [f"column  '{header}' -> {field}" if field else f"column  '{header}' -> not used (never printed or logged)"
            for header, field in read_columns(path, workspace)]


def plan_personal(rows: list[ScheduleRow], problems: list[Problem], options: PersonalOptions,
                  on_outcome: Callable[[Outcome], None] = lambda outcome: None,
                  on_plan: Callable[[int], None] = lambda total: None) -> Summary:
    """What each row would become (procedure, clinic, language, layout, date), with nothing about
    the patient and nothing written."""
    summary = Summary(options.out_dir or Path("."), listener=on_outcome)
    on_plan(len(rows) + len(problems))
    for problem in problems:
        summary.report(bad_row(problem))
    for row in rows:
        when = row.patient.date.isoformat() if row.patient.date else "no date"
        at = f" at {row.patient.arrive:%H:%M}" if row.patient.arrive else ""
        summary.report(Outcome(row_target(row, options), Status.PLANNED, label=row_label(row),
                               message=f"would build {row.procedure} [{row.clinic}, {row.lang}, {row.layout}] "
                                       f"for {when}{at}"))
    return summary


class UsageError(HandoutsError):
    """Options that do not go together."""

    exit_code = 2
