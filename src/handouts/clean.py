"""Stale outputs: files handouts wrote for a procedure, clinic, language or layout that is gone.

Only files in the output folder's record are ever considered, and only untouched ones are
deleted: a file someone changed, or anything handouts did not write, is left alone. The record
itself is untrusted: an entry that is absolute, climbs with `..` or leads out of the output
folder through a symlink is reported as tampered and never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .manifest import Manifest
from .paths import inside_output
from .workspace import Workspace


@dataclass
class CleanResult:
    stale: list[str] = field(default_factory=list)  # ours, unchanged, and orphaned
    kept: list[str] = field(default_factory=list)  # orphaned, but changed by someone: not ours to delete
    deleted: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)  # entries naming a path outside the output folder


def _orphaned(workspace: Workspace, entry: dict) -> bool:
    clinic, procedure, lang, layout = (entry.get(k) for k in ("clinic", "procedure", "lang", "layout"))
    if not all((clinic, procedure, lang, layout)):
        return False  # personalised files and drafts carry no source; they are the user's to manage
    return (clinic not in workspace.clinic_ids() or layout not in workspace.layout_names()
            or procedure not in workspace.procedure_ids(lang))


def find_stale(workspace: Workspace, out_dir: Path) -> tuple[Manifest, CleanResult]:
    manifest = Manifest.load(out_dir)
    result = CleanResult()
    for rel, entry in sorted(manifest.files.items()):
        path = inside_output(out_dir, rel)
        if path is None:
            result.tampered.append(rel)
            continue
        if not path.is_file() or not _orphaned(workspace, entry):
            continue
        (result.stale if manifest.owns(rel) else result.kept).append(rel)
    return manifest, result


def clean(workspace: Workspace, out_dir: Path, delete: bool) -> CleanResult:
    manifest, result = find_stale(workspace, out_dir)
    if delete:
        for rel in result.stale:
            path = inside_output(out_dir, rel)  # again: a link may have been swapped in since
            if path is None:
                result.tampered.append(rel)
                continue
            path.unlink(missing_ok=True)
            manifest.forget(rel)
            result.deleted.append(rel)
        manifest.save()
    return result
