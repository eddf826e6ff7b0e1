"""`handouts check`: everything a reviewer needs to know before printing, without writing PDFs.

Schema problems in every file, unknown placeholders and markup, missing strings, reading
level against the workspace limits, whether each one-page handout fits its page for every
clinic, and e-mail templates (syntax, and health details in a subject or attachment name). All problems are collected; none stops the others from being found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .batch import Job, execute
from .compose import UnfilledHandout, compose
from .placeholders import pinpoint
from .document import Handout
from .errors import HandoutsError, InvalidInput, Problem
from .mail_templates import check_templates
from .models import Procedure, Readability
from .patient import Patient
from .readability import Report, long_sentences, measure
from .safety import safety_problems
from .produce import Target
from .schedule_map import unknown_procedures
from .workspace import Workspace, suggest


@dataclass(frozen=True, slots=True)
class ReadingRow:
    procedure: str
    lang: str
    formula: str | None
    value: float | None
    words: int
    longest_words: int
    ok: bool


@dataclass(frozen=True, slots=True)
class FitRow:
    procedure: str
    clinic: str
    lang: str
    layout: str
    pages: int | None
    body_size: float | None
    message: str = ""


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    reading: list[ReadingRow] = field(default_factory=list)
    fits: list[FitRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    approvals: dict[str, dict[str, int]] = field(default_factory=dict)  # clinic -> state -> handouts

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem not in self.problems:
                self.problems.append(problem)


def _reading_gate(report: Report, handout: Handout, procedure: Procedure, limits: Readability) -> list[Problem]:
    problems = []
    value = report.overall.value
    if value is not None and report.lang.startswith("en") and value > limits.max_grade:
        problems.append(Problem(procedure.path, f"reading level is grade {value:.1f}; the limit is "
                                                f"{limits.max_grade:g} (aim for {limits.target_grade:g} or below)"))
    if value is not None and report.lang.startswith("es") and value < limits.min_inflesz:
        problems.append(Problem(procedure.path, f"INFLESZ readability is {value:.1f}; the minimum is "
                                                f"{limits.min_inflesz:g} ('bastante fácil'), and never below "
                                                f"{limits.floor_inflesz:g}"))
    return problems + _sentence_problems(handout, procedure, limits)


def _sentence_problems(handout: Handout, procedure: Procedure, limits: Readability) -> list[Problem]:
    return [Problem(procedure.path, f"sentence of {words} words (limit {limits.max_sentence_words}): "
                                    f"\"{sentence[:70]}{'...' if len(sentence) > 70 else ''}\"",
                    procedure.line_of(field_name), field_name)
            for field_name, words, sentence in long_sentences(handout, limits.max_sentence_words)]


def _row(report: Report, ok: bool) -> ReadingRow:
    return ReadingRow(report.procedure_id, report.lang, report.formula, report.overall.value,
                      report.overall.words, report.overall.longest_words, ok)


def _load_all(workspace: Workspace, report: CheckReport, langs: list[str]):
    strings, layouts = {}, {}
    for lang in langs:
        try:
            strings[lang] = workspace.strings(lang)
        except InvalidInput as exc:
            report.add(exc.problems)
    for name in workspace.layout_names():
        try:
            layouts[name] = workspace.layout(name)
        except HandoutsError as exc:
            report.add(exc.problems if isinstance(exc, InvalidInput) else [Problem(f"layouts/{name}.yaml",
                                                                                   exc.format_message())])
    clinics = workspace.clinics()
    report.add(clinics.problems)
    if not clinics.items and not clinics.problems:
        report.add([Problem("clinics/", "no clinics; add clinics/<id>/clinic.yaml")])
    return strings, layouts, clinics.items


LENGTH_RATIO = (0.6, 1.8)  # a translation this much shorter or longer than the original needs a look


def _language_notes(workspace: Workspace, langs: list[str], base: str,
                    composed: dict[tuple[str, str], Handout]) -> list[str]:
    """Procedures missing in a language, and sections much shorter or longer than the base language's."""
    notes = []
    ids = {lang: set(workspace.procedure_ids(lang)) for lang in langs}
    for lang in langs:
        for other in langs:
            for missing in sorted(ids[lang] - ids[other]):
                notes.append(f"{missing} exists in {lang} but not in {other} (content/{other}/{missing}.yaml)")
    for (lang, proc_id), handout in sorted(composed.items()):
        original = composed.get((base, proc_id))
        if lang == base or original is None:
            continue
        theirs, ours = _words_by_field(original), _words_by_field(handout)
        for key, words in ours.items():
            base_words = theirs.get(key, 0)
            if base_words >= 10 and not LENGTH_RATIO[0] <= words / base_words <= LENGTH_RATIO[1]:
                notes.append(f"content/{lang}/{proc_id}.yaml: section '{key}' has {words} words, "
                             f"{words / base_words:.1f} times the {base} version ({base_words})")
    return notes


def _words_by_field(handout: Handout) -> dict[str, int]:
    """Words per content field (the page's text and the booklet's `more` text apart)."""
    from .readability import text_units

    counts: dict[str, int] = {}
    for units in text_units(handout).values():
        for field_name, text in units:
            key = field_name.split("[")[0]
            counts[key] = counts.get(key, 0) + len(text.split())
    return counts


# A fictional patient with a long name and a doctor's note, standing in for the day's real ones.
SAMPLE_PATIENT = Patient("Maria Guadalupe Hernandez-Lopez", dt.date(2026, 12, 15), dt.time(7, 30),
                         "Dr. Alexandra Whitfield", "Stop aspirin 5 days before. Bring your brace.")


def _prove_fit(workspace: Workspace, jobs: list[Job], workers: int, report: CheckReport) -> None:
    """Render every job in memory (the same code as a build) and record pages and body size."""
    for job, result in execute(workspace, jobs, workers):
        target = job.target
        layout = f"{target.layout} + patient" if job.patient else target.layout
        if result.produced is not None:
            row = FitRow(target.procedure, target.clinic, target.lang, layout, result.produced.pages,
                         result.produced.body_size)
        else:
            row = FitRow(target.procedure, target.clinic, target.lang, layout, None, None, result.error)
            report.add([Problem(workspace.procedure(target.lang, target.procedure).path, result.error)])
        report.fits.append(row)


def check_workspace(workspace: Workspace, langs: list[str] | None = None, fit: bool = True,
                    workers: int = 1) -> CheckReport:
    """Check the workspace; `fit` renders every target of the workspace's layouts in memory, on
    `workers` processes, to prove it fits."""
    report = CheckReport()
    try:
        settings = workspace.settings
    except InvalidInput as exc:
        report.add(exc.problems)
        return report
    langs = langs or sorted(set(settings.languages) | set(workspace.languages()))
    strings, layouts, clinics = _load_all(workspace, report, langs)
    for name in settings.layouts:
        if name not in workspace.layout_names():
            report.add([Problem("handouts.yaml", f"layout '{name}' does not exist in layouts/", field="layouts")])
    every_id = {proc_id for lang in workspace.languages() for proc_id in workspace.procedure_ids(lang)}
    for code, procedure_id in unknown_procedures(settings.schedule, every_id):
        report.add([Problem("handouts.yaml", f"code '{code}' is mapped to '{procedure_id}', which is not a "
                                             f"procedure in content/{suggest(procedure_id, sorted(every_id))}",
                            field="schedule.codes")])
    fit_layouts = [name for name in settings.layouts if name in layouts]
    fit_jobs: list[Job] = []
    composed: dict[tuple[str, str], Handout] = {}
    for lang in langs:
        loaded = workspace.procedures(lang)
        report.add(loaded.problems)
        for procedure in loaded.items.values():
            report.add(safety_problems(procedure))
        if lang not in strings:
            continue
        for procedure in loaded.items.values():
            measured = False
            for clinic in clinics.values():
                try:
                    handout = compose(procedure, clinic, strings[lang], workspace_fonts=settings.fonts,
                                      artwork=workspace.artwork(clinic))
                except UnfilledHandout as exc:  # report it, and measure the rest of the text all the same
                    report.add([pinpoint(workspace.root, problem) for problem in exc.problems])
                    if not measured:
                        reading = measure(exc.handout)
                        report.add(_reading_gate(reading, exc.handout, procedure, settings.readability))
                    break
                except InvalidInput as exc:
                    report.add(exc.problems)
                    break
                if not measured:
                    composed[(lang, procedure.id)] = handout
                    reading = measure(handout)
                    gate = _reading_gate(reading, handout, procedure, settings.readability)
                    report.add(gate)
                    report.reading.append(_row(reading, not gate))
                    measured = True
                if fit:
                    fit_jobs += [Job(Target(clinic.id, procedure.id, lang, name), measure_only=True)
                                 for name in fit_layouts]
                    # The front desk prints one-pages with a patient's panel too: prove those fit as well.
                    fit_jobs += [Job(Target(clinic.id, procedure.id, lang, name), SAMPLE_PATIENT, measure_only=True)
                                 for name in fit_layouts if workspace.layout(name).kind == "one-page"]
    _prove_fit(workspace, fit_jobs, workers, report)
    base = settings.languages[0] if settings.languages else "en"
    report.notes.extend(_language_notes(workspace, langs, base, composed))
    _approvals(workspace, list(clinics), langs, report)
    template_problems, privacy_notes = check_templates(workspace)
    report.add(template_problems)
    report.notes.extend(privacy_notes)
    return report


def _approvals(workspace: Workspace, clinic_ids: list[str], langs: list[str], report: CheckReport) -> None:
    """Counts per clinic, and a warning for each approval that lapses within 30 days."""
    from .approval import EXPIRY_WARNING_DAYS, approved_mark
    from .approval_book import Approval
    from .approve import counts, review

    for lang in langs:  # the approved line is filled only once approved: prove its placeholders now
        for clinic_id in clinic_ids[:1]:
            try:
                approved_mark(Approval("", lang, "A. Clinician", workspace.today, "", ""),
                              workspace.clinic(clinic_id), workspace.strings(lang))
            except InvalidInput as exc:
                report.add(exc.problems)
    for clinic_id in clinic_ids:
        try:
            workspace.approval_book(clinic_id)
        except InvalidInput as exc:
            report.add(exc.problems)
            continue
        rows = review(workspace, [clinic_id], langs)
        found = counts(rows)
        report.approvals[clinic_id] = found
        for row in rows:
            if row.status and row.status.expires_within(workspace.today):
                report.notes.append(f"warning: {row.procedure} ({row.lang}) for {clinic_id}: the approval by "
                                    f"{row.status.approval.by} expires on {row.status.expires.isoformat()} "
                                    f"(within {EXPIRY_WARNING_DAYS} days); review it and run 'handouts approve'")


def text_problems(handout: Handout, procedure: Procedure, limits: Readability) -> list[Problem]:
    """The quick part of what `check` would say about a handout's text: sentence length and the
    safety-text rule (the reading-level score and the fit proofs are `check`'s own, too slow to add
    to every build). A build runs it where the handout is composed anyway, and warns, so nobody
    learns of a 50-word sentence at print time."""
    return safety_problems(procedure) + _sentence_problems(handout, procedure, limits)
