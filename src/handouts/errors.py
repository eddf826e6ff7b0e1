"""User-facing errors: one family the CLI prints as plain lines, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import click

from .terminal import echo


class ExitStatus(IntEnum):
    """Process exit codes, so scripts can tell a bad workspace from a bad command line."""

    OK = 0
    FAILED = 1  # a check found problems, or some targets failed to build
    USAGE = 2  # Click's own code for a bad command line
    INTERNAL = 70  # a bug (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, located precisely enough to fix without searching."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class HandoutsError(click.ClickException):
    """Base for every error a user can cause and fix; printed without a traceback."""

    exit_code = ExitStatus.FAILED

    def show(self, file=None) -> None:  # type: ignore[override]
        echo(f"error: {self.format_message()}", file=file, err=file is None)


class InvalidInput(HandoutsError):
    """One or more problems in workspace files; all are reported, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:  # type: ignore[override]
        for problem in self.problems:
            echo(f"error: {problem}", file=file, err=file is None)


class NotFound(HandoutsError):
    """A name on the command line that the workspace does not have."""


class DoesNotFit(HandoutsError):
    """A one-page handout that overflows even at the layout's minimum type size."""


class UnsafePath(HandoutsError):
    """A path in a workspace file that would read or write outside the workspace."""


def display_path(path: Path, root: Path | None) -> str:
    """A path as the user would type it: relative to the workspace when inside it."""
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)
