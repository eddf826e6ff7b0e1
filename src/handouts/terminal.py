"""Everything the CLI prints passes through here, so no workspace value can drive the terminal.

A logo name, a field or a file name may carry escape sequences (ESC [ ..., OSC 8 links, a
bell, a carriage return that hides the start of a line) or invisible direction overrides.
They are dropped from every message; line breaks and tabs are kept.
"""

from __future__ import annotations

import unicodedata

import click

_KEPT = {"\n", "\t"}
_DIRECTION = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x00AD}


def printable(text: str) -> str:
    """`text` without control characters (C0, DEL, C1), bidirectional overrides and soft hyphens.
    The CLI and the front-desk page both show workspace and request values through this."""
    return "".join(ch for ch in text if ch in _KEPT or (unicodedata.category(ch) != "Cc"
                                                        and ord(ch) not in _DIRECTION))


def echo(message: object = "", err: bool = False, nl: bool = True, file=None) -> None:
    click.echo(printable(str(message)), file=file, nl=nl, err=err)
