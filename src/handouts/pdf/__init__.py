"""PDF rendering with ReportLab: `render(handout, layout) -> RenderResult`, a pure function.

Importing this package sets ReportLab's URL trust explicitly to nothing, so no markup or
image reference can ever make it open a network address.
"""

from __future__ import annotations

from reportlab import rl_config

from ..document import Handout, all_text
from ..errors import HandoutsError
from ..models import Layout
from .doc import RenderResult
from .fonts import default_files, missing_glyphs, register_family

rl_config.trustedHosts = None  # no host is trusted: ReportLab refuses every URL it is given
rl_config.trustedSchemes = []


def render(handout: Handout, layout: Layout, paper: str | None = None, duplex: str = "short-edge") -> RenderResult:
    """Draw the handout with the layout's kind; `paper` overrides the clinic's paper size.

    `duplex` is how the booklet's print version will be printed (short-edge or long-edge flip).
    """
    family = register_family(handout.brand.fonts or default_files())
    missing = missing_glyphs(all_text(handout, patient=False), family)
    if missing:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" if ch.isprintable() else f"U+{ord(ch):04X}"
                         for ch in missing[:8])
        raise HandoutsError(f"'{handout.procedure_id}' ({handout.lang}) for clinic '{handout.brand.clinic_id}' uses "
                            f"characters the font cannot print: {shown}. Replace them, or set a font for "
                            f"'{handout.lang}' in the clinic's fonts.")
    _refuse_unprintable_patient_values(handout, family)
    if layout.kind == "one-page":
        from .one_page import render_one_page

        return render_one_page(handout, layout, family, paper)
    if layout.kind == "booklet":
        from .booklet import render_booklet

        return render_booklet(handout, layout, family, paper, duplex)
    from .large_print import render_large_print

    return render_large_print(handout, layout, family, paper)


def _refuse_unprintable_patient_values(handout: Handout, family) -> None:
    """Say which column holds characters the font lacks and how many, never the characters:
    they are part of a patient's details."""
    if handout.appointment is None:
        return
    for column, (_, value) in zip(handout.appointment.columns, handout.appointment.rows):
        missing = set(missing_glyphs(value, family))
        count = sum(1 for ch in value if ch in missing)
        if count:
            raise HandoutsError(f"{column}: {count} character{'s' if count > 1 else ''} the font cannot print; "
                                f"add a font that covers them for '{handout.lang}' (fonts: in the clinic's "
                                f"clinic.yaml or in handouts.yaml)")


__all__ = ["render", "RenderResult"]
