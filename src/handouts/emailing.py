"""`handouts email`: one message per patient, as drafts, by SMTP, or only listed (dry run).

Each row succeeds or fails on its own; a refused recipient does not stop the rest. With SMTP,
the send log makes the run resumable: rows already sent (and unchanged) are skipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .build import Outcome, Status, Summary, store
from .errors import HandoutsError
from .mail import SmtpSender, SmtpSettings, build_message, masked, recipient
from .manifest import Manifest
from .personal import PersonalRequest, UsageError, bad_row, check_private_dir, row_label, row_target, rows_for
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


def _log_path(request: EmailRequest) -> Path:
    if request.log is not None:
        return request.log
    schedule = request.personal.schedule
    if schedule is None:
        raise UsageError("sending to one patient by SMTP needs --log FILE, so a second run will not send it twice")
    return schedule.with_name(f"{schedule.stem}.sent.jsonl")


def run_email(workspace: Workspace, request: EmailRequest,
              on_outcome: Callable[[Outcome], None] = lambda outcome: None,
              on_plan: Callable[[int], None] = lambda total: None) -> Summary:
    modes = [request.drafts is not None, request.smtp is not None, request.dry_run]
    if sum(modes) != 1:
        raise UsageError("choose one of --drafts DIR, --smtp HOST:PORT or --dry-run")
    started = time.perf_counter()
    rows, problems = rows_for(workspace, request.personal)
    on_plan(len(rows) + len(problems))
    drafts = check_private_dir(workspace, request.drafts) if request.drafts else None
    summary = Summary(drafts or Path.cwd(), listener=on_outcome)
    for problem in problems:
        summary.report(bad_row(problem))
    manifest = Manifest.load(drafts, private=True) if drafts else None
    log = SendLog(_log_path(request)) if request.smtp else None
    sender = SmtpSender(request.smtp) if request.smtp else None
    try:
        for row in rows:
            summary.report(_one(workspace, row, request, manifest, log, sender))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if sender:
            sender.close()
        if manifest:
            manifest.save()
        summary.seconds = time.perf_counter() - started
    return summary


def _one(workspace: Workspace, row: ScheduleRow, request: EmailRequest, manifest: Manifest | None,
         log: SendLog | None, sender: SmtpSender | None) -> Outcome:
    target, label = row_target(row, request.personal.options), row_label(row)
    what = f"{row.procedure} [{row.lang}, {row.layout}]"
    if log is not None and log.already_sent(row):
        return Outcome(target, Status.SKIPPED, message=f"already sent ({what})", label=label)
    try:
        if request.dry_run:
            return Outcome(target, Status.PLANNED, message=f"would e-mail {masked(recipient(row))}: {what}",
                           label=label)
        message = build_message(workspace, row, request.personal.options)
        if manifest is not None:
            message["X-Unsent"] = "1"  # mail programs open it as a draft, ready to send
            name = f"{row.key}.eml"
            error = store(manifest, ((name, bytes(message)),), "draft", {"row": row.key},
                          request.personal.options.force)
            if error:
                raise HandoutsError(error)
            return Outcome(target, Status.BUILT, (name,), label=label)
        assert sender is not None and log is not None
        sender.send(message)
        log.record(row, message["Message-ID"])
        return Outcome(target, Status.SENT, message=f"sent to {masked(row.patient.email)}: {what}", label=label)
    except PasswordMissing as exc:
        return Outcome(target, Status.FAILED, message=str(exc), label=label)
    except HandoutsError as exc:
        return Outcome(target, Status.FAILED, message=exc.format_message(), label=label)
