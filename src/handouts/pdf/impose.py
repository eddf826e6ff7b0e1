"""Saddle-stitch imposition: two logical pages side by side on each landscape sheet side.

For N logical pages (a multiple of 4), sheet s (from 0) carries front [N-2s | 2s+1] and back
[2s+2 | N-2s-1]; printed double-sided flipping on the short edge, the stack folds into the
booklet. For printers that flip on the long edge, each back side is turned 180 degrees.
Pages are placed as form XObjects (pikepdf), so text stays vector and searchable.

The imposed file is for the printer only and is exempt from tagging (PDF/UA): two pages share a
sheet, half of them turned, so no reading order exists. It carries no structure tree and no
PDF/UA claim, and its metadata says so and points to the reading-order file.
"""

from __future__ import annotations

import io

DUPLEX_MODES = ("short-edge", "long-edge")
EXEMPT = ("Print imposition for saddle-stitching: not tagged for assistive technology (exempt from "
          "PDF/UA). For reading on screen or aloud, use the reading-order file, <procedure>.booklet.pdf.")


def sheet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) logical page numbers, from 1, for each printed side in print order."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))
    return sides


def impose(pdf: bytes, paper: tuple[float, float], duplex: str = "short-edge") -> bytes:
    """The print-ready PDF for a booklet whose logical pages are half of `paper` (portrait size)."""
    import pikepdf
    from pikepdf import Dictionary, Name

    if duplex not in DUPLEX_MODES:
        raise ValueError(f"duplex must be one of {', '.join(DUPLEX_MODES)}")
    width, height = paper[1], paper[0]  # the sheet lies landscape
    with pikepdf.open(io.BytesIO(pdf)) as source:
        out = pikepdf.new()
        forms = [out.copy_foreign(page.as_form_xobject()) for page in source.pages]
        for side, (left, right) in enumerate(sheet_order(len(forms))):
            placed = f"q 1 0 0 1 0 0 cm /L Do Q q 1 0 0 1 {width / 2:.4f} 0 cm /R Do Q"
            if duplex == "long-edge" and side % 2 == 1:
                placed = f"q -1 0 0 -1 {width:.4f} {height:.4f} cm {placed} Q"
            page = Dictionary(
                Type=Name.Page,
                MediaBox=[0, 0, width, height],
                Resources=Dictionary(XObject=Dictionary(L=forms[left - 1], R=forms[right - 1])),
                Contents=out.make_stream(placed.encode("ascii")),
            )
            out.pages.append(pikepdf.Page(page))
        for key, value in source.docinfo.items():
            out.docinfo[key] = value
        out.docinfo["/Accessibility"] = EXEMPT
        if "/Lang" in source.Root:
            out.Root.Lang = source.Root.Lang
        out.Root.ViewerPreferences = Dictionary(
            Duplex=Name.DuplexFlipShortEdge if duplex == "short-edge" else Name.DuplexFlipLongEdge,
            PrintScaling=Name("/None"), DisplayDocTitle=True)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
    return buffer.getvalue()
