"""Colour parsing and WCAG contrast, so a clinic's brand colours stay readable on paper."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# WCAG 2.1: 4.5:1 for normal text, 3:1 for graphics such as rules, borders and bullets.
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


def parse_hex(value: str) -> tuple[float, float, float] | None:
    """(r, g, b) in 0..1 from '#abc' or '#aabbcc'; None when the text is not such a colour."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def normalise_hex(value: str) -> str:
    r, g, b = parse_hex(value) or (0.0, 0.0, 0.0)
    return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


WHITE = (1.0, 1.0, 1.0)


def contrast_with_white(value: str) -> float:
    rgb = parse_hex(value)
    return contrast(rgb, WHITE) if rgb else 1.0


def tint(value: str, amount: float) -> str:
    """The colour mixed with white; `amount` 0 gives white, 1 the colour itself."""
    r, g, b = parse_hex(value) or (0.0, 0.0, 0.0)
    mix = (1 - amount + amount * c for c in (r, g, b))
    return "#" + "".join(f"{round(c * 255):02x}" for c in mix)
