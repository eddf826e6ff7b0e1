"""No-break spaces where a line break would strand or split something a reader needs whole.

ReportLab never breaks a line at U+00A0, and the embedded font prints it as a space.
"""

from __future__ import annotations

from ..richtext import RichText, Run

NBSP = "\u00a0"


def unbroken(text: str) -> str:
    """Every space a no-break space: for short values read as one unit ("7:30 AM", a date, a label)."""
    return NBSP.join(text.split())


def no_lone_last_word(text: str) -> str:
    """Glue the last two words, so a heading or label never ends on a lone word ("have:")."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}{NBSP}{last}" if space and head.strip() else text


def no_lone_last_word_rich(rich: RichText) -> RichText:
    """The same for runs: the text's last space becomes a no-break space, in whichever run it falls."""
    whole = "".join(run.text for run in rich).rstrip()
    at = whole.rfind(" ")
    if at <= 0 or not whole[:at].strip():
        return rich
    runs, offset = [], 0
    for run in rich:
        local = at - offset
        text = run.text[:local] + NBSP + run.text[local + 1:] if 0 <= local < len(run.text) else run.text
        runs.append(Run(text, run.bold, run.italic))
        offset += len(run.text)
    return tuple(runs)
