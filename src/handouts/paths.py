"""Path rules: nothing named in a workspace file may reach outside its allowed folder."""

from __future__ import annotations

import re
from pathlib import Path

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINKED_OUT = "is a symbolic link to somewhere outside the workspace; copy the file in instead of linking it"
WORKSPACE_FOLDERS = ("content", "clinics", "layouts", "strings", "fonts", "templates")


def is_valid_id(value: str) -> bool:
    """Ids become folder and file names, so only lower-case letters, digits and single hyphens."""
    return bool(ID_PATTERN.match(value)) and len(value) <= 80


def contained(base: Path, relative: str) -> Path | None:
    """`base/relative` resolved, or None when it is absolute or escapes `base` (symlinks included)."""
    if not relative or relative.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", relative) or "\x00" in relative:
        return None
    base_resolved = base.resolve()
    candidate = (base / relative).resolve()
    if candidate != base_resolved and base_resolved not in candidate.parents:
        return None
    return candidate


def inside_output(out_dir: Path, relative: str) -> Path | None:
    """`out_dir/relative` when it is a plain relative path that stays in the output folder once
    every symlink is resolved; None for an absolute path, a `..` part or a link leading out."""
    if not isinstance(relative, str) or "\\" in relative or ".." in relative.split("/"):
        return None
    return contained(out_dir, relative)


def is_inside(path: Path, base: Path) -> bool:
    resolved, base_resolved = path.resolve(), base.resolve()
    return resolved == base_resolved or base_resolved in resolved.parents
