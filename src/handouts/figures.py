"""Procedure figures and action icons by name, in the clinic's colours.

The workspace ships one schematic per procedure in `figures/` and the action icons in `icons/`.
A clinic may replace any of them with its own licensed artwork of the same name in its own
folder (`clinics/<clinic>/figures/` or `clinics/<clinic>/icons/`). Every file goes through the
same safe SVG reader as clinic logos, so a figure can never load outside content.

Shipped artwork is drawn in two colour tokens, replaced by the clinic's colours as it is drawn, so
one file (converted once per process) serves every clinic and stays sharp and small as vector art.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .logos import LogoError, read_logo
from .models import Colours, Logo
from .paths import contained, is_inside, is_valid_id
from .pdf.logo import LogoFlowable

PRIMARY_TOKEN = "#000001"
ACCENT_TOKEN = "#000002"
KINDS = ("figures", "icons")



class FigureError(ValueError):
    """The figure or icon cannot be used; the message names the file and says why."""


def _file_name(name: str) -> str:
    """`name` or `name.svg` as a plain file name; anything path-like is refused, not cleaned up."""
    stem = name[:-4] if name.endswith(".svg") else name
    if not is_valid_id(stem):
        raise FigureError(f"'{name}' is not a figure name: use lower-case letters, digits and hyphens "
                          f"(e.g. epidural-steroid-injection), with no folders")
    return f"{stem}.svg"


def find_figure(root: Path, name: str, clinic_id: str | None = None, kind: str = "figures") -> Path:
    """The clinic's own file when it has one, else the workspace's; both must stay inside their folder.

    Symbolic links are followed and then checked, so a link pointing out of the folder is refused.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    file_name = _file_name(name)
    folders: list[tuple[Path, str]] = []
    if clinic_id is not None:
        if not is_valid_id(clinic_id):
            raise FigureError(f"'{clinic_id}' is not a clinic id")
        folders.append((root / "clinics" / clinic_id / kind, f"clinics/{clinic_id}/{kind}/"))
    folders.append((root / kind, f"{kind}/"))
    for folder, shown in folders:
        if not (folder / file_name).exists() and not (folder / file_name).is_symlink():
            continue
        path = contained(folder, file_name)
        if path is None or not is_inside(path, root):
            raise FigureError(f"{shown}{file_name} points outside {shown}; copy the artwork into the folder instead")
        if not path.is_file():
            raise FigureError(f"{shown}{file_name} is not a file")
        return path
    searched = " or ".join(shown for _, shown in folders)
    raise FigureError(f"no {kind[:-1]} '{file_name}' in {searched}")


def colour_swaps(colours: Colours) -> tuple[tuple[str, str], ...]:
    """The tokens and the clinic colours that replace them when the artwork is drawn."""
    return (PRIMARY_TOKEN, colours.primary), (ACCENT_TOKEN, colours.accent)


@lru_cache(maxsize=256)
def _vetted(path: str, mtime_ns: int, size: int) -> Logo:
    """Read and vet once per file version (mtime and size key the cache), whatever the clinic colours."""
    data = Path(path).read_bytes()
    try:
        return read_logo(data)
    except LogoError as exc:
        raise FigureError(f"{Path(path).name}: {exc}") from None


def load_figure(root: Path, name: str, colours: Colours, clinic_id: str | None = None,
                kind: str = "figures") -> Logo:
    """The vetted artwork for `name`, drawn in the clinic's colours (other colours are kept)."""
    path = find_figure(root, name, clinic_id, kind)
    stat = path.stat()
    logo = _vetted(str(path), stat.st_mtime_ns, stat.st_size)
    return replace(logo, colours=colour_swaps(colours)) if logo.kind == "svg" else logo


def figure_flowable(root: Path, name: str, colours: Colours, max_width: float, max_height: float,
                    font_name: str, clinic_id: str | None = None, kind: str = "figures") -> LogoFlowable:
    """The figure or icon fitted into a box (aspect kept), drawn the way logos are drawn.

    `font_name` becomes the drawing's initial font, as for logos, so no unembedded font is used.
    """
    logo = load_figure(root, name, colours, clinic_id, kind)
    return LogoFlowable(logo, max_width, max_height, font_name)
