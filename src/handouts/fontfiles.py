"""Per-language font families from the workspace or a clinic, and which one a handout uses.

A language whose script the default face lacks (Vietnamese, Chinese, ...) gets its own family
in `fonts:` (in handouts.yaml for the whole workspace, or in a clinic's clinic.yaml); adding
that language is then a matter of adding files, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .fields import FieldReader
from .models import Clinic, FontFiles
from .paths import contained

FONT_FACES: tuple[str, ...] = ("regular", "bold", "italic", "bold_italic")


def read_font_families(reader: FieldReader, fonts_dir: Path) -> dict[str, FontFiles]:
    """The `fonts:` group: a TrueType family per language code (or "default"), inside fonts/."""
    group = reader.child("fonts", required=False)
    if group is None:
        return {}
    families: dict[str, FontFiles] = {}
    for lang in group.data:
        family = group.child(lang)
        if family is None:
            continue
        family.reject_unknown(FONT_FACES)
        paths = {}
        for face in FONT_FACES:
            name = family.text(face)
            if name is None:
                continue
            path = contained(fonts_dir, name)
            if path is None:
                family.problem(face, f"'{name}' must be a file inside the workspace's fonts/ folder")
            elif not path.is_file():
                family.problem(face, f"font file fonts/{name} does not exist")
            elif path.read_bytes()[:4] not in (b"\x00\x01\x00\x00", b"true"):
                family.problem(face, f"fonts/{name} is not a TrueType (.ttf) font; CFF .otf fonts cannot be embedded")
            else:
                paths[face] = str(path)
        if len(paths) == len(FONT_FACES):
            families[lang] = FontFiles(**paths)
    return families


def font_files_for(lang: str, clinic: Clinic, workspace: Mapping[str, FontFiles]) -> FontFiles | None:
    """Most specific first: the clinic's family for this language, the workspace's for this
    language, then the clinic's and the workspace's defaults; None means the built-in face."""
    return (clinic.fonts.get(lang) or workspace.get(lang) or clinic.fonts.get("default")
            or workspace.get("default"))


@lru_cache(maxsize=1)
def default_files() -> FontFiles:
    """Atkinson Hyperlegible from its PyPI package, located without a slow package scan."""
    import fontpkg_atkinson_hyperlegible as package

    folder = Path(package.__file__).parent / "files"
    return FontFiles(*(str(folder / f"AtkinsonHyperlegible-{face}.ttf")
                       for face in ("Regular", "Bold", "Italic", "BoldItalic")))
