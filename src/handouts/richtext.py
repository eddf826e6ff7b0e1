"""Inline rich text: the tiny markup authors may use (<b>, <i>) parsed into styled runs.

Renderers never see markup strings, only runs of plain text with a style (the PDF renderer
hands them to ReportLab as ready-made fragments, see pdf/runs.py). Nothing but <b>/<strong>
and <i>/<em> is markup; anything else that looks like a tag is reported by `check` and
printed literally.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


RichText = tuple[Run, ...]

_TAG = re.compile(r"<(/?)(b|i|strong|em)>", re.IGNORECASE)
_LOOKS_LIKE_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")
_BOLD = {"b", "strong"}


class MarkupProblem(ValueError):
    """Unsupported or unbalanced inline markup."""


def parse(markup: str, strict: bool = False) -> RichText:
    """Runs from template output; with `strict`, raise on tags we do not support or that do not close."""
    if "<" not in markup and "&" not in markup:  # no tag and no entity: most labels and list items
        return (Run(markup),) if markup else ()
    return _parse_markup(markup, strict)


def _parse_markup(markup: str, strict: bool) -> RichText:
    runs: list[Run] = []
    bold = italic = 0
    position = 0

    def add(segment: str) -> None:
        if strict:
            stray = _LOOKS_LIKE_TAG.search(segment)
            if stray:
                raise MarkupProblem(f"unsupported markup '{stray.group(0)[:40]}'; only <b> and <i> are allowed")
        text = html.unescape(segment)
        if text:
            runs.append(Run(text, bold > 0, italic > 0))

    for match in _TAG.finditer(markup):
        add(markup[position:match.start()])
        closing, name = match.group(1) == "/", match.group(2).lower()
        step = -1 if closing else 1
        if name in _BOLD:
            bold += step
        else:
            italic += step
        if strict and (bold < 0 or italic < 0):
            raise MarkupProblem(f"'{match.group(0)}' closes a tag that was not opened")
        bold, italic = max(bold, 0), max(italic, 0)
        position = match.end()
    add(markup[position:])
    if strict and (bold or italic):
        raise MarkupProblem("a <b> or <i> tag is not closed")
    return _merge(runs)


def _merge(runs: list[Run]) -> RichText:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def join(parts: tuple[RichText, ...], separator: str) -> RichText:
    """Several rich texts as one, e.g. a list of names separated by commas."""
    runs: list[Run] = []
    for index, part in enumerate(parts):
        if index:
            runs.append(Run(separator))
        runs.extend(part)
    return _merge(runs)


def plain(text: str) -> RichText:
    """Rich text from a value that must never be interpreted (patient details, names)."""
    return (Run(text),) if text else ()


def to_plain(rich: RichText) -> str:
    return "".join(run.text for run in rich)
