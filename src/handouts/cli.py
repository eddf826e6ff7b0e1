"""The `handouts` command: maps options to library calls and prints results. No logic lives here.

Heavy libraries (ReportLab, Babel, textstat) are imported inside the commands that need
them, so `handouts --help` and `handouts list` start quickly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from . import __version__
from .errors import ExitStatus
from .terminal import echo

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
JOBS = click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per CPU).")


def _workspace(ctx: click.Context):
    """The workspace, refused at once if the folder is not one (no handouts.yaml), for every command."""
    from .workspace import Workspace

    workspace = Workspace(ctx.obj["root"])
    workspace.settings  # noqa: B018 - reading it raises the one clear "not a workspace" error
    return workspace


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="handouts")
@click.option("-w", "--workspace", "root", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("HANDOUTS_WORKSPACE", "."), show_default="current folder",
              help="Workspace folder (holds handouts.yaml). Env: HANDOUTS_WORKSPACE.")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Clinic-branded patient handouts for interventional pain procedures.

    \b
    Typical use:
      handouts list                      what procedures, clinics and layouts exist
      handouts check                     validate content, reading level and fit
      handouts build                     build every handout for every clinic
      handouts build epidural-steroid-injection -c riverbend
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command(context_settings=CONTEXT)
@click.argument("procedures", nargs=-1)
@click.option("-c", "--clinic", "clinics", multiple=True, help="Clinic id (repeatable). Default: every clinic.")
@click.option("-l", "--layout", "layouts", multiple=True, help="Layout name (repeatable). Default: handouts.yaml.")
@click.option("--lang", "langs", multiple=True, help="Language code (repeatable). Default: handouts.yaml.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder. Default: 'output' in handouts.yaml (out/).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Override the clinic's paper size.")
@click.option("--duplex", type=click.Choice(["short-edge", "long-edge"]),
              help="How the printer flips double-sided sheets; shapes the booklet's print file. "
                   "Default: the clinic's duplex: setting (short-edge).")
@click.option("--force", is_flag=True, help="Rebuild everything, and overwrite files handouts did not write.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (built, up_to_date, failed, counts, seconds).")
@JOBS
@click.option("--schedule", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Personalised handouts for every row of this CSV (columns: see README).")
@click.option("--patient-name", help="Personalise one handout for this patient (needs one PROCEDURE).")
@click.option("--date", "appt_date", metavar="YYYY-MM-DD", help="Procedure date, with --patient-name.")
@click.option("--arrive", metavar="HH:MM", help="Arrival time, with --patient-name.")
@click.option("--physician", help="Doctor's name, with --patient-name.")
@click.option("--note", help="The doctor's instructions for this patient, with --patient-name.")
@click.option("--id", "row_id", help="File name for the personalised handout (default: procedure, date and the "
                                    "next free number).")
@click.option("--encrypt", is_flag=True, help="Protect each personalised PDF with AES-256 and a password.")
@click.option("--password-rule", type=click.Choice(["column", "dob"]), default="column", show_default=True,
              help="column: the schedule's password column (one patient: env HANDOUTS_PDF_PASSWORD); "
                   "dob: date of birth as MMDDYYYY.")
@click.option("--dob", metavar="YYYY-MM-DD", help="Date of birth, for --password-rule dob with --patient-name.")
@click.option("--dry-run", is_flag=True,
              help="With --schedule: show how each column is read and what each row would build; write nothing.")
@click.pass_context
def build(ctx: click.Context, procedures, clinics, layouts, langs, out, paper, duplex, force, quiet, as_json, jobs,
          schedule, patient_name, appt_date, arrive, physician, note, row_id, encrypt, password_rule, dob,
          dry_run) -> None:
    """Build handout PDFs into OUT/<clinic>/<lang>/<procedure>.<layout>.pdf.

    \b
    Examples:
      handouts build                                   everything, every clinic
      handouts build medial-branch-block -c northshore
      handouts build epidural-steroid-injection --paper a4 -o /tmp/print
      handouts build -l booklet --duplex long-edge     folded booklets for a long-edge printer
      handouts build -l large-print                    18 pt large print
      handouts build --schedule today.csv -o ~/private/today --encrypt --password-rule dob
      handouts build --schedule export.csv --dry-run     how the columns and codes of an export are read
      handouts build medial-branch-block --patient-name "Ana Ruiz" --date 2026-12-01 --arrive 7:30 -o ~/private
    """
    from .build import BuildRequest, run
    from .console import Reporter, build_headline, counts_headline

    reporter = Reporter(quiet, as_json)
    workspace = _workspace(ctx)
    if schedule or patient_name:
        from .personal import PersonalOptions, PersonalRequest, column_lines, run_personal

        options = PersonalOptions(out, encrypt, password_rule, paper, duplex, force, jobs, dry_run)
        if dry_run and schedule and not as_json:
            for line in column_lines(workspace, schedule):
                click.echo(line)
        patient = {"patient_name": patient_name, "date": appt_date, "arrive": arrive, "physician": physician,
                   "note": note, "id": row_id, "dob": dob}
        summary = run_personal(workspace, PersonalRequest(options, schedule, patient, tuple(procedures),
                                                          tuple(clinics), tuple(layouts), tuple(langs)),
                               reporter.outcome, reporter.plan)
    else:
        request = BuildRequest(tuple(procedures), tuple(clinics), tuple(layouts), tuple(langs), out, paper, force,
                               duplex, jobs)
        if dry_run:
            raise click.UsageError("--dry-run goes with --schedule or --patient-name")
        summary = run(workspace, request, reporter.outcome, reporter.plan)
    reporter.finish(summary, counts_headline(summary) if dry_run else build_headline(summary))
    ctx.exit(summary.exit_status)


@cli.command(context_settings=CONTEXT)
@click.option("--schedule", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="E-mail every patient on this CSV schedule.")
@click.argument("procedures", nargs=-1)
@click.option("--patient-name", help="E-mail one patient (with one PROCEDURE and --email).")
@click.option("--email", "address", help="The patient's e-mail address, with --patient-name.")
@click.option("--date", "appt_date", metavar="YYYY-MM-DD", help="Procedure date, with --patient-name.")
@click.option("--arrive", metavar="HH:MM", help="Arrival time, with --patient-name.")
@click.option("--physician", help="Doctor's name, with --patient-name.")
@click.option("--note", help="The doctor's instructions for this patient, with --patient-name.")
@click.option("-c", "--clinic", "clinics", multiple=True, help="Clinic, with --patient-name.")
@click.option("-l", "--layout", "layouts", multiple=True, help="Layout, with --patient-name (default one-page).")
@click.option("--lang", "langs", multiple=True, help="Language, with --patient-name.")
@click.option("--drafts", type=click.Path(file_okay=False, path_type=Path),
              help="Write .eml drafts into this folder instead of sending.")
@click.option("--smtp", metavar="HOST:PORT", help="Send through this SMTP server.")
@click.option("--tls", "security", type=click.Choice(["starttls", "ssl", "none"]), default="starttls",
              show_default=True, help="STARTTLS, implicit TLS (ssl), or none (only to localhost).")
@click.option("--insecure-local-test", "insecure", is_flag=True,
              help="Do not verify the server certificate (for a local test server only).")
@click.option("--user", help=f"SMTP login name (or env {'HANDOUTS_SMTP_USER'}); the password comes only from "
                             f"env HANDOUTS_SMTP_PASSWORD.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Send log (default: <schedule>.sent.jsonl); rows in it are not sent again.")
@click.option("--dry-run", is_flag=True, help="Show who would get what; send nothing.")
@click.option("--encrypt/--no-encrypt", default=None,
              help="Password-protect (AES-256) every attachment of this run, or none. Default: email.encrypt in "
                   "handouts.yaml (on), and rows marked plain_email go without a password.")
@click.option("--password-rule", type=click.Choice(["column", "dob"]),
              help="dob: date of birth as MMDDYYYY; column: the schedule's password column. "
                   "Default: email.password_rule in handouts.yaml.")
@click.option("--dob", metavar="YYYY-MM-DD", help="Date of birth (the PDF's password), with --patient-name.")
@click.option("--plain-email", is_flag=True, help="With --patient-name: the patient asked for e-mail without a "
                                                  "password.")
@click.option("--force", is_flag=True, help="Overwrite drafts that handouts did not write.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@click.pass_context
def email(ctx: click.Context, schedule, procedures, patient_name, address, appt_date, arrive, physician, note,
          clinics, layouts, langs, drafts, smtp, security, insecure, user, log_path, dry_run, encrypt,
          password_rule, dob, plain_email, force, quiet, as_json) -> None:
    """E-mail each patient their personalised handout, from the clinic's address.

    \b
    Examples:
      handouts email --schedule today.csv --dry-run      who gets what, encrypted or not, and the subject
      handouts email --schedule today.csv --drafts ~/private/drafts
      HANDOUTS_SMTP_PASSWORD=... handouts email --schedule today.csv --smtp smtp.clinic.example:587 --user desk
    """
    import os

    from .console import Reporter, counts_headline
    from .emailing import EmailRequest, run_email
    from .mail import SmtpSettings
    from .personal import PersonalOptions, PersonalRequest

    options = PersonalOptions(None, force=force)  # encryption is decided per row (see emailing.row_options)
    patient = {"patient_name": patient_name, "email": address, "date": appt_date, "arrive": arrive,
               "physician": physician, "note": note, "id": None, "dob": dob,
               "plain_email": "yes" if plain_email else None}
    personal = PersonalRequest(options, schedule, patient, tuple(procedures), tuple(clinics), tuple(layouts),
                               tuple(langs))
    settings = SmtpSettings.parse(smtp, security, not insecure, user, dict(os.environ)) if smtp else None
    reporter = Reporter(quiet, as_json)
    summary = run_email(_workspace(ctx), EmailRequest(personal, drafts, settings, dry_run, log_path, encrypt,
                                                      password_rule), reporter.outcome, reporter.plan)
    note = summary.privacy_note()
    reporter.finish(summary, counts_headline(summary) + (f"; {note}" if note else ""),
                    {"unencrypted": dict(summary.unencrypted)})
    ctx.exit(summary.exit_status)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out/).")
@click.option("-y", "--yes", is_flag=True, help="Delete without asking.")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@click.pass_context
def clean(ctx: click.Context, out, yes, dry_run) -> None:
    """Delete outputs of procedures, clinics or layouts that no longer exist.

    Only files handouts wrote and nobody changed since are deleted; everything else stays.

    \b
    Examples:
      handouts clean --dry-run
      handouts clean --yes
    """
    from .clean import clean as run_clean, find_stale

    workspace = _workspace(ctx)
    out_dir = (out or workspace.output_dir).resolve()
    _, found = find_stale(workspace, out_dir)
    for rel in found.stale:
        echo(f"stale   {rel}")
    for rel in found.kept:
        echo(f"kept    {rel} (changed since handouts wrote it)")
    for rel in found.tampered:
        echo(f"refused {rel}: the record names a path outside {out_dir}; its manifest "
                   f"(.handouts-manifest.json) looks tampered with, so nothing there is touched", err=True)
    status = ExitStatus.FAILED if found.tampered else ExitStatus.OK
    if not found.stale:
        echo("nothing to clean")
        ctx.exit(status)
    if dry_run or not (yes or click.confirm(f"Delete these {len(found.stale)} files?", default=False)):
        echo("nothing deleted")
        ctx.exit(status)
    result = run_clean(workspace, out_dir, delete=True)
    echo(f"deleted {len(result.deleted)} files")
    ctx.exit(status)


@cli.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine needs HANDOUTS_SERVE_TOKEN set.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Start the front-desk web page: find, preview, print or e-mail a handout.

    \b
    Examples:
      handouts serve                                    this computer only
      HANDOUTS_SERVE_TOKEN=... handouts serve --host 0.0.0.0    the clinic network, with a password
    """
    from .serve import serve as run_server

    run_server(_workspace(ctx).root, host, port, echo)


@cli.command("list", context_settings=CONTEXT)
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List procedures (with their languages), clinics and layouts.

    \b
    Examples:
      handouts list
      handouts -w /srv/clinic-handouts list
    """
    from .listing import listing

    for line in listing(_workspace(ctx)):
        echo(line)


@cli.command(context_settings=CONTEXT)
@click.option("--lang", "langs", multiple=True, help="Only these languages (repeatable).")
@click.option("--no-fit", is_flag=True, help="Skip the fit check (which renders every layout in memory).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@JOBS
@click.pass_context
def check(ctx: click.Context, langs, no_fit, fmt, jobs) -> None:
    """Validate the workspace without writing PDFs; exit status 1 if anything is wrong.

    \b
    Checks every content, clinic, layout and strings file (all problems, as path:line: field),
    placeholders and markup, reading level per handout (Flesch-Kincaid for English, INFLESZ for
    Spanish), and that every layout fits its pages for every clinic.

    \b
    Examples:
      handouts check
      handouts check --lang es --no-fit
      handouts check --format json > report.json
    """
    from .batch import default_jobs
    from .check import check_workspace
    from .check_report import as_json, as_text

    report = check_workspace(_workspace(ctx), list(langs) or None, fit=not no_fit, workers=jobs or default_jobs())
    if fmt == "json":
        echo(json.dumps(as_json(report), indent=2))
    else:
        for line in as_text(report):
            echo(line, err=line.startswith("error:"))
    ctx.exit(ExitStatus.OK if report.ok else ExitStatus.FAILED)


@cli.command(context_settings=CONTEXT)
@click.argument("procedures", nargs=-1, required=True)
@click.option("-c", "--clinic", "clinic_id", required=True, help="The clinic whose clinician approves.")
@click.option("--lang", "langs", multiple=True, help="Language (repeatable). Default: every language in handouts.yaml.")
@click.option("--by", "by", required=True, metavar="NAME", help="The approving clinician's name, as it should print.")
@click.option("-y", "--yes", is_flag=True, help="Approve without showing the changes and asking.")
@click.pass_context
def approve(ctx: click.Context, procedures, clinic_id, langs, by, yes) -> None:
    """Record that a clinician approved these handouts for a clinic.

    Without --yes, shows what changed since the clinic's last approval (the whole text the
    first time) and asks for each handout. Approvals go to clinics/<clinic>/approvals.yaml.

    \b
    Examples:
      handouts approve medial-branch-block -c riverbend --by "Dr. Ana Patel"
      handouts approve epidural-steroid-injection --lang es -c northshore --by "Dr. Luis Gómez" --yes
    """
    from .approve import candidates, check_name, record

    workspace = _workspace(ctx)
    name = check_name(by)
    found, errors = candidates(workspace, clinic_id, tuple(procedures), tuple(langs))
    approved = []
    for item in found:
        label = f"{item.procedure} ({item.lang}) for {clinic_id}: {item.status.state.value}"
        if not yes:
            click.echo(f"== {label}")
            for line in item.changes():
                click.echo(line)
            if not click.confirm(f"Approve {item.procedure} ({item.lang}) for {clinic_id} as {name}?", default=False):
                click.echo("not approved")
                continue
        approved.append(item)
        click.echo(f"approved {item.procedure} ({item.lang}) for {clinic_id} by {name}")
    record(workspace, clinic_id, approved, name)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    ctx.exit(ExitStatus.FAILED if errors else ExitStatus.OK)


@cli.command(context_settings=CONTEXT)
@click.option("-c", "--clinic", "clinics", multiple=True, help="Clinic id (repeatable). Default: every clinic.")
@click.option("--lang", "langs", multiple=True, help="Language (repeatable). Default: handouts.yaml.")
@click.pass_context
def review(ctx: click.Context, clinics, langs) -> None:
    """List every handout's approval state per clinic: approved, changed, never approved, expired.

    \b
    Examples:
      handouts review
      handouts review -c riverbend --lang es
    """
    from .approve import counts, review as review_rows

    rows = review_rows(_workspace(ctx), list(clinics) or None, list(langs) or None)
    click.echo(f"{'clinic':<14} {'lang':<4} {'procedure':<36} {'state':<24} approved by / note")
    for row in rows:
        approval = row.status.approval if row.status else None
        note = row.error or (f"{approval.by} on {approval.on.isoformat()}, expires {row.status.expires.isoformat()}"
                             if approval and row.status.expires else "")
        click.echo(f"{row.clinic:<14} {row.lang:<4} {row.procedure:<36} {row.state:<24} {note}".rstrip())
    click.echo(", ".join(f"{count} {state}" for state, count in counts(rows).items()))


def main() -> None:
    """Entry point: user errors are one line (Click), and even a bug never shows a traceback,
    which could carry patient details into a terminal log."""
    try:
        cli(prog_name="handouts")
    except KeyboardInterrupt:
        echo("interrupted", err=True)
        raise SystemExit(ExitStatus.INTERRUPTED) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        echo(f"internal error: {type(exc).__name__} (a bug in handouts; run again with HANDOUTS_DEBUG=1 "
                   f"to see details, and please report it)", err=True)
        raise SystemExit(ExitStatus.INTERNAL) from None
