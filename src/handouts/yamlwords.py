"""YAML syntax errors in plain words, at the line where the mistake starts.

PyYAML reports where it gave up, which is often far below the mistake: an unclosed quote on
line 2 runs on until the next quote and is reported at line 87 as "expected <block end>, but
found '<scalar>'". A reviewer editing content needs the line to fix and what to do there.
"""

from __future__ import annotations

import re

_QUOTED_START = re.compile(r"""^\s*(?:-\s+|[^\s#'"][^:#]*:\s+)(["'])""")


def _unclosed_quote(lines: list[str], before: int) -> int | None:
    """The first line (1-based, before line `before`) whose value opens a quote it never closes."""
    for number, line in enumerate(lines[: max(before, 1)], start=1):
        match = _QUOTED_START.match(line)
        if not match:
            continue
        quote, rest = match.group(1), line[match.end():]
        closed = (re.search(r"(?<!\\)\"", rest) if quote == '"'
                  else re.search(r"'(?!')", rest.replace("''", "")))
        if not closed:
            return number
    return None


def plain_words(text: str, problem: str, context: str, line: int | None) -> tuple[str, int | None]:
    """(message, line) for a syntax error PyYAML described as `problem` (`context`) at `line`."""
    lines = text.splitlines()
    opened = _unclosed_quote(lines, line or len(lines))
    if opened is not None and (line is None or opened < line or "quoted scalar" in context):
        return (f"a quote opened on line {opened} is never closed; close it on the same line (YAML then reads "
                f"on until the next quote{f', on line {line}' if line and line != opened else ''})", opened)
    if "mapping values are not allowed" in problem:
        return ("a colon followed by a space inside a value; put the whole value in quotes", line)
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return ("this line's indentation does not line up with the lines above it; indent it like its "
                "neighbours (spaces, not tabs)", line)
    if "could not find expected ':'" in problem:
        return ("a line without 'key: value' where a field was expected; add the colon, or indent it to "
                "continue the line above", line)
    return (f"{problem} ({context})" if context and problem else problem or context or "invalid YAML", line)
