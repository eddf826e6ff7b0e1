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

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _workspace(ctx: click.Context):
    from .workspace import Workspace

    return Workspace(ctx.obj["root"])


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="handouts")
@click.option("-w", "--workspace", "root", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: os.environ.get("HANDOUTS_WORKSPACE", "."), show_default="current folder",
              help="Workspace folder (holds handouts.yaml). Env: HANDOUTS_WORKSPACE.")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
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


@main.command(context_settings=CONTEXT)
@click.argument("procedures", nargs=-1)
@click.option("-c", "--clinic", "clinics", multiple=True, help="Clinic id (repeatable). Default: every clinic.")
@click.option("-l", "--layout", "layouts", multiple=True, help="Layout name (repeatable). Default: handouts.yaml.")
@click.option("--lang", "langs", multiple=True, help="Language code (repeatable). Default: handouts.yaml.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder. Default: 'output' in handouts.yaml (out/).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), help="Override the clinic's paper size.")
@click.option("--duplex", type=click.Choice(["short-edge", "long-edge"]), default="short-edge", show_default=True,
              help="How your printer flips double-sided sheets; shapes the booklet's print file.")
@click.option("--force", is_flag=True, help="Rebuild everything, and overwrite files handouts did not write.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.pass_context
def build(ctx: click.Context, procedures, clinics, layouts, langs, out, paper, duplex, force, quiet) -> None:
    """Build handout PDFs into OUT/<clinic>/<lang>/<procedure>.<layout>.pdf.

    \b
    Examples:
      handouts build                                   everything, every clinic
      handouts build medial-branch-block -c northshore
      handouts build epidural-steroid-injection --paper a4 -o /tmp/print
      handouts build -l booklet --duplex long-edge     folded booklets for a long-edge printer
      handouts build -l large-print                    18 pt large print
    """
    from .build import BuildRequest, Status, run

    request = BuildRequest(tuple(procedures), tuple(clinics), tuple(layouts), tuple(langs), out, paper, force,
                           duplex)

    def report(outcome) -> None:
        if outcome.status is Status.FAILED:
            click.echo(f"failed  {outcome.target.describe()}: {outcome.message}", err=True)
        elif not quiet:
            for name in outcome.files:
                click.echo(f"{outcome.status.value:<7} {name}")

    summary = run(_workspace(ctx), request, report)
    where = summary.out_dir
    click.echo(f"{summary.count(Status.BUILT)} built, {summary.count(Status.SKIPPED)} up to date, "
               f"{len(summary.failed)} failed in {summary.seconds:.1f} s -> {where}")
    if summary.interrupted:
        click.echo("interrupted: files finished before Ctrl-C are complete; nothing partial was left", err=True)
    ctx.exit(summary.exit_status)


@main.command("list", context_settings=CONTEXT)
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List procedures (with their languages), clinics and layouts."""
    from .listing import listing

    for line in listing(_workspace(ctx)):
        click.echo(line)


@main.command(context_settings=CONTEXT)
@click.option("--lang", "langs", multiple=True, help="Only these languages (repeatable).")
@click.option("--no-fit", is_flag=True, help="Skip the one-page fit check (which renders in memory).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx: click.Context, langs, no_fit, fmt) -> None:
    """Validate the workspace without writing PDFs; exit status 1 if anything is wrong.

    \b
    Checks every content, clinic, layout and strings file (all problems, as path:line: field),
    placeholders and markup, reading level per handout, and one-page fit for every clinic.
    """
    from .check import check_workspace
    from .check_report import as_json, as_text

    report = check_workspace(_workspace(ctx), list(langs) or None, fit=not no_fit)
    if fmt == "json":
        click.echo(json.dumps(as_json(report), indent=2))
    else:
        for line in as_text(report):
            click.echo(line, err=line.startswith("error:"))
    ctx.exit(ExitStatus.OK if report.ok else ExitStatus.FAILED)
