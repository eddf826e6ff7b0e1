"""Turn rich-text runs into ReportLab paragraph markup: the only place that markup is written.

Every piece of text is escaped here, so `<img src=...>`, `<a href=...>` or a stray `&` in any
value is printed literally and can never become an instruction to ReportLab.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..richtext import RichText


def esc(text: str) -> str:
    """Escape plain text for a ReportLab Paragraph (&, <, > and the quote characters)."""
    return escape(text, {'"': "&quot;", "'": "&#39;"})


def to_markup(rich: RichText) -> str:
    parts = []
    for run in rich:
        text = esc(run.text)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)
