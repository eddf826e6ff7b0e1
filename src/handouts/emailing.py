"""`handouts email`: one message per patient, as drafts, by SMTP, or only listed (dry run).

Each row succeeds or fails on its own; a refused recipient does not stop the rest. With SMTP,
the send log makes the run resumable: rows already sent (and unchanged) are skipped.

Attachments are encrypted by default (`email.encrypt` in handouts.yaml): only a row marked
`plain_email` (the patient asked for it) goes without a password, and `--encrypt` or
`--no-encrypt` decide for every row of one run.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import Outcome, Status, Summary, store
from .errors import HandoutsError
from .mail import SmtpSender, SmtpSettings, build_message, masked, recipient, subject_preview
from .manifest import Manifest
from .personal import (PersonalOptions, PersonalRequest, UsageError, bad_row, check_private_dir, row_label,
                       row_password, row_target, rows_for)
from .protect import PasswordMissing
from .schedule import ScheduleRow
from .sendlog import SendLog
from .workspace import Workspace


@dataclass(frozen=True, slots=True)
class EmailRequest:
    personal: PersonalRequest
    drafts: Path | None = None
    smtp: SmtpSettings | None = None
    dry_run: bool = False
    log: Path | None = None  # where the SMTP send log lives; default beside the schedule
    encrypt: bool | None = None  # every row of this run; None: handouts.yaml, and plain_email rows go plain
    password_rule: str | None = None  # None: handouts.yaml's email.password_rule


@dataclass
class EmailSummary(Summary):
    unencrypted: Counter = field(default_factory=Counter)  # why -> rows sent, drafted or planned without a password

    def privacy_note(self) -> str:
        """The headline's last words: how many went without a password, and why."""
        if not self.unencrypted:
            done = sum(self.count(status) for status in (Status.BUILT, Status.SENT, Status.PLANNED))
            return "every attachment encrypted" if done else ""
        reasons = ", ".join(f"{why}: {count}" for why, count in sorted(self.unencrypted.items()))
        return f"{self.unencrypted.total()} unencrypted ({reasons})"


def row_options(workspace: Workspace, request: EmailRequest, row: ScheduleRow) -> PersonalOptions:
    """The row's options with its encryption decided: the run's choice if given, else the
    workspace's, except that a patient who asked for plain e-mail gets it."""
    settings = workspace.settings.email
    encrypt = request.encrypt if request.encrypt is not None else settings.encrypt and not row.plain_email
    return dataclasses.replace(request.personal.options, encrypt=encrypt,
                               password_rule=request.password_rule or settings.password_rule)


def _unencrypted_because(request: EmailRequest, row: ScheduleRow) -> str:
    if request.encrypt is False:
        return "--no-encrypt"
    return "plain_email" if row.plain_email else "email.encrypt: false"


def _encryption_label(request: EmailRequest, options: PersonalOptions, row: ScheduleRow) -> str:
    if options.encrypt:
        return f"encrypted (password: {'date of birth' if options.password_rule == 'dob' else 'password column'})"
    return f"NOT encrypted ({_unencrypted_because(request, row)})"


def _log_path(request: EmailRequest) -> Path:
    if request.log is not None:
        return request.log
    schedule = request.personal.schedule
    if schedule is None:
        raise UsageError("sending to one patient by SMTP needs --log FILE, so a second run will not send it twice")
    return schedule.with_name(f"{schedule.stem}.sent.jsonl")


def run_email(workspace: Workspace, request: EmailRequest,
              on_outcome: Callable[[Outcome], None] = lambda outcome: None,
              on_plan: Callable[[int], None] = lambda total: None) -> EmailSummary:
    modes = [request.drafts is not None, request.smtp is not None, request.dry_run]
    if sum(modes) != 1:
        raise UsageError("choose one of --drafts DIR, --smtp HOST:PORT or --dry-run")
    started = time.perf_counter()
    rows, problems = rows_for(workspace, request.personal)
    on_plan(len(rows) + len(problems))
    drafts = check_private_dir(workspace, request.drafts) if request.drafts else None
    summary = EmailSummary(drafts or Path.cwd(), listener=on_outcome)
    for problem in problems:
        summary.report(bad_row(problem))
    manifest = Manifest.load(drafts, private=True) if drafts else None
    log = SendLog(_log_path(request)) if request.smtp else None
    sender = SmtpSender(request.smtp) if request.smtp else None
    try:
        for row in rows:
            options = row_options(workspace, request, row)
            outcome = _one(workspace, row, request, options, manifest, log, sender)
            if outcome.status in (Status.BUILT, Status.SENT, Status.PLANNED) and not options.encrypt:
                summary.unencrypted[_unencrypted_because(request, row)] += 1
            summary.report(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if sender:
            sender.close()
        if manifest:
            manifest.save()
        summary.seconds = time.perf_counter() - started
    return summary


def _one(workspace: Workspace, row: ScheduleRow, request: EmailRequest, options: PersonalOptions,
         manifest: Manifest | None, log: SendLog | None, sender: SmtpSender | None) -> Outcome:
    target, label = row_target(row, options), row_label(row)
    what = f"{row.procedure} [{row.lang}, {row.layout}]"
    if log is not None and log.already_sent(row):
        return Outcome(target, Status.SKIPPED, message=f"already sent ({what})", label=label)
    try:
        if options.encrypt:
            row_password(row, options.password_rule)  # a row that cannot be protected is not sent at all
        if request.dry_run:
            return Outcome(target, Status.PLANNED, label=label, message=(
                f"would e-mail {masked(recipient(row))}: {what}, {_encryption_label(request, options, row)}, "
                f"subject \"{subject_preview(workspace, row, options)}\""))
        message = build_message(workspace, row, options)
        if manifest is not None:
            message["X-Unsent"] = "1"  # mail programs open it as a draft, ready to send
            name = f"{row.key}.eml"
            error = store(manifest, ((name, bytes(message)),), "draft", {"row": row.key}, options.force)
            if error:
                raise HandoutsError(error)
            return Outcome(target, Status.BUILT, (name,), label=label)
        assert sender is not None and log is not None
        sender.send(message)
        log.record(row, message["Message-ID"])
        return Outcome(target, Status.SENT, message=f"sent to {masked(recipient(row))}: {what}", label=label)
    except PasswordMissing as exc:  # the row's data is incomplete: it never became a message
        return Outcome(None, Status.FAILED, message=str(exc), label=label)
    except HandoutsError as exc:
        return Outcome(target, Status.FAILED, message=exc.format_message(), label=label)
