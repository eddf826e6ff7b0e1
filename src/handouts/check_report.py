"""Formatting a CheckReport for people (a table and one line per problem) or scripts (JSON)."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import asdict

from .check import CheckReport


def as_text(report: CheckReport) -> Iterator[str]:
    if report.reading:
        yield f"{'procedure':<36} {'lang':<4} {'score':>6} {'words':>6} {'longest':>7}  ok"
        for row in sorted(report.reading, key=lambda r: (r.lang, r.procedure)):
            score = "-" if row.value is None else f"{row.value:.1f}"
            yield (f"{row.procedure:<36} {row.lang:<4} {score:>6} {row.words:>6} {row.longest_words:>7}  "
                   f"{'yes' if row.ok else 'NO'}")
        for lang in sorted({r.lang for r in report.reading}):
            values = [r.value for r in report.reading if r.lang == lang and r.value is not None]
            if values:
                formula = next(r.formula for r in report.reading if r.lang == lang)
                yield (f"{lang}: {formula}: min {min(values):.1f}, median {statistics.median(values):.1f}, "
                       f"max {max(values):.1f} over {len(values)} handouts")
    for layout in sorted({f.layout for f in report.fits}):
        rows = [f for f in report.fits if f.layout == layout]
        fitted = [f for f in rows if f.pages]
        sizes = sorted({f.body_size for f in fitted})
        pages = sorted({f.pages for f in fitted})
        yield (f"fit: {layout}: {len(fitted)} of {len(rows)} targets fit"
               + (f" (body {sizes[0]:g} to {sizes[-1]:g} pt, {pages[0]} to {pages[-1]} pages)" if sizes else ""))
    for clinic, found in sorted(report.approvals.items()):
        yield f"approval: {clinic}: " + ", ".join(f"{count} {state}" for state, count in found.items())
    for note in report.notes:
        yield f"note: {note}"
    for problem in report.problems:
        yield f"error: {problem}"
    yield "check passed" if report.ok else f"check failed: {len(report.problems)} problem(s)"


def as_json(report: CheckReport) -> dict:
    return {
        "ok": report.ok,
        "problems": [asdict(p) | {"text": str(p)} for p in report.problems],
        "readability": [asdict(r) for r in report.reading],
        "fit": [asdict(f) for f in report.fits],
        "notes": report.notes,
        "approvals": report.approvals,
    }
