"""Fingerprints of everything that shapes an output file, for honest incremental builds.

A target's fingerprint covers its content file, the clinic's whole folder (YAML, logo,
templates, own artwork), the shipped figures and icons, the layout and every layout it extends, the language's strings, the fonts, the
paper, the handout's approval state for the clinic and the tool's own code. Same fingerprint,
same bytes: the build may skip it. The clinic's approvals file itself is left out of the folder
hash: only this handout's own state counts, so approving one handout rebuilds only its files.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__
from .approval_book import APPROVALS_FILE


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version plus a hash of the package's source, so a code change rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Fingerprinter:
    """Hashes input files once per run and combines them per target."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[Path, str] = {}
        self._folders: dict[Path, str] = {}

    def file(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._files[path] = "missing"
        return self._files[path]

    def folder(self, path: Path) -> str:
        if path not in self._folders:
            digest = hashlib.sha256()
            if path.is_dir():
                for item in sorted(p for p in path.rglob("*") if p.is_file() and p.name != APPROVALS_FILE):
                    digest.update(item.relative_to(path).as_posix().encode())
                    digest.update(self.file(item).encode())
            self._folders[path] = digest.hexdigest()
        return self._folders[path]

    def target(self, *, clinic: str, procedure: str, lang: str, layout_files: tuple[str, ...],
               font_files: tuple[str, ...], paper: str | None, approval: str, extra: str = "") -> str:
        root = self.root
        parts = [
            tool_fingerprint(),
            self.file(root / "content" / lang / f"{procedure}.yaml"),
            self.folder(root / "clinics" / clinic),
            self.folder(root / "figures"),
            self.folder(root / "icons"),
            *(self.file(root / "layouts" / name) for name in layout_files),
            self.file(root / "strings" / f"{lang}.yaml"),
            *(self.file(Path(font)) for font in font_files),
            paper or "",
            approval,
            extra,
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
