"""Text that is safe to show: no terminal control sequences, no hidden direction changes.

Workspace files, command-line options and HTTP requests may carry ESC sequences that retitle,
clear or rewrite a terminal, or bidirectional overrides that make a message read backwards.
Whatever is echoed passes through here first; line breaks and tabs stay.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without C0/C1 control characters (except line breaks and tabs) and bidi controls."""
    return _UNSAFE.sub("", text)
