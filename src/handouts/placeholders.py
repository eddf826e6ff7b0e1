"""Point a placeholder problem at the line that holds the typo, not the field's first line.

A folded paragraph (`what_it_is: >-`) reaches the template engine as one line, so the engine
cannot say which line of the file the bad name is on; the file itself can.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem

_NAMED = re.compile(r"placeholder '([^']+)'")


def pinpoint(root: Path, problem: Problem) -> Problem:
    """The same problem, moved to the first line at or below its own that holds the bad name."""
    named = _NAMED.search(problem.message)
    if not named or problem.line is None:
        return problem
    name = named.group(1).rsplit(".", 1)[-1]
    try:
        lines = (root / problem.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return problem
    for number in range(problem.line, min(len(lines), problem.line + 200) + 1):
        if name in lines[number - 1]:
            return Problem(problem.path, problem.message, number, problem.field)
    return problem
