"""How batch commands talk: a progress bar on a terminal, plain lines in a log, JSON for scripts.

Failures always go to stderr, one line each. Nothing here ever prints patient details: the
outcomes it receives name rows by id and line, and files by their safe names.
"""

from __future__ import annotations

import json
import sys

import click

from .build import Outcome, Status, Summary
from .terminal import echo


class Reporter:
    """Receives the plan's size and each outcome as it happens."""

    def __init__(self, quiet: bool = False, as_json: bool = False, stream=None) -> None:
        self.quiet, self.as_json = quiet, as_json
        stream = stream or sys.stdout
        self.bar_enabled = not quiet and not as_json and getattr(stream, "isatty", lambda: False)()
        self.bar = None

    def plan(self, total: int) -> None:
        if self.bar_enabled and total > 1:
            self.bar = click.progressbar(length=total, label="building", show_pos=True, show_eta=True,
                                         item_show_func=lambda item: item)
            self.bar.__enter__()

    def outcome(self, outcome: Outcome) -> None:
        if outcome.status is Status.FAILED and not self.as_json:
            self._echo(f"failed  {outcome.describe()}: {outcome.message}", err=True)
        elif self.bar is not None:
            pass
        elif self.quiet or self.as_json:
            pass
        elif outcome.files:  # one line per handout, as the summary counts them
            first, *others = outcome.files
            also = "".join(f" + {name.rsplit('/', 1)[-1]}" for name in others)
            echo(f"{outcome.status.value:<10} {first}{also}")
        else:
            echo(f"{outcome.status.value:<7} {outcome.describe()}: {outcome.message}")
        if self.bar is not None:
            self.bar.update(1, outcome.target.procedure if outcome.target else None)

    def _echo(self, text: str, err: bool) -> None:
        if self.bar is not None:
            click.echo("\r\033[K", nl=False)  # clear the bar's line so the message stands alone
        echo(text, err=err)

    def finish(self, summary: Summary, headline: str, extra: dict | None = None) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        if self.as_json:
            echo(json.dumps(summary_json(summary) | (extra or {}), indent=2))
        else:
            echo(headline)
        if summary.interrupted:
            echo("interrupted: files finished before Ctrl-C are complete; nothing partial was left", err=True)


def summary_json(summary: Summary) -> dict:
    return {
        "built": [name for o in summary.outcomes if o.status is Status.BUILT for name in o.files],
        "up_to_date": [name for o in summary.outcomes if o.status is Status.UP_TO_DATE for name in o.files],
        "skipped": [o.describe() for o in summary.outcomes if o.status is Status.SKIPPED],
        "counts": {status.value.replace(" ", "_"): summary.count(status) for status in Status},
        "sent": [o.describe() for o in summary.outcomes if o.status is Status.SENT],
        "planned": [o.describe() for o in summary.outcomes if o.status is Status.PLANNED],
        "failed": [{"target": o.describe(), "reason": o.message} for o in summary.failed],
        "withdrawn": summary.withdrawn,
        "check_problems": summary.check_problems,
        "seconds": round(summary.seconds, 3),
        "interrupted": summary.interrupted,
        "output": str(summary.out_dir),
    }


def build_headline(summary: Summary) -> str:
    files = sum(len(o.files) for o in summary.outcomes if o.status is Status.BUILT)
    line = (f"{summary.count(Status.BUILT)} built, {summary.count(Status.UP_TO_DATE)} up to date, "
            f"{len(summary.failed)} failed in {summary.seconds:.1f} s ({files} files written) -> {summary.out_dir}")
    if summary.withdrawn:
        line += (f"\nwithdrawn: {len(summary.withdrawn)} earlier files of handouts that failed to build were "
                 f"removed, so no outdated handout is printed: {', '.join(summary.withdrawn)}")
    if summary.check_problems:
        line += (f"\nwarning: handouts check finds {summary.check_problems} problem(s) in the text of what was "
                 f"built (the files were made); run 'handouts check' to see them")
    if summary.stale:
        line += (f"\nnote: {summary.stale} files belong to procedures, clinics or layouts that no longer exist; "
                 f"'handouts clean' removes them")
    return line


def counts_headline(summary: Summary) -> str:
    counts = ", ".join(f"{summary.count(status)} {status.value}" for status in Status if summary.count(status))
    return f"{counts or 'nothing to do'} in {summary.seconds:.1f} s"
