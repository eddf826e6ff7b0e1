"""What `handouts list` shows: procedures with their languages, clinics and layouts."""

from __future__ import annotations

from collections.abc import Iterator

from .errors import HandoutsError
from .workspace import Workspace


def _table(rows: list[tuple[str, ...]]) -> Iterator[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        yield "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()


def listing(workspace: Workspace) -> Iterator[str]:
    langs = workspace.languages()
    titles: dict[str, str] = {}
    available: dict[str, list[str]] = {}
    for lang in langs:
        loaded = workspace.procedures(lang)
        for proc_id in workspace.procedure_ids(lang):
            available.setdefault(proc_id, []).append(lang)
            if proc_id in loaded.items and (lang == "en" or proc_id not in titles):
                titles[proc_id] = loaded.items[proc_id].title
            titles.setdefault(proc_id, "(has errors: run handouts check)")
    yield f"Procedures ({len(available)}):"
    if available:
        yield from _table([(pid, titles[pid], ", ".join(available[pid])) for pid in sorted(available)])
    clinics = workspace.clinics()
    yield f"Clinics ({len(workspace.clinic_ids())}):"
    rows = []
    for clinic_id in workspace.clinic_ids():
        clinic = clinics.items.get(clinic_id)
        rows.append((clinic_id, clinic.name, clinic.paper) if clinic else (clinic_id, "(has errors)", ""))
    if rows:
        yield from _table(rows)
    yield f"Layouts ({len(workspace.layout_names())}):"
    rows = []
    for name in workspace.layout_names():
        try:
            layout = workspace.layout(name)
            rows.append((name, layout.kind))
        except HandoutsError:
            rows.append((name, "(has errors)"))
    if rows:
        yield from _table(rows)
