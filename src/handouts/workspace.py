"""The workspace on disk: finds and loads content, clinics, layouts and strings, once each.

Loading collects problems per file instead of stopping, so one broken procedure does not
hide the other 499 from a batch build or a check.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from .approval_book import ApprovalBook, load_book
from .clinic import load_clinic
from .content import load_procedure
from .errors import InvalidInput, NotFound, Problem
from .i18n import Strings, load_strings
from .layouts import load_layout
from .models import Clinic, Layout, Logo, Procedure, Settings
from .paths import LINKED_OUT, contained, is_valid_id
from .settings import load_settings

T = TypeVar("T")


@dataclass
class Loaded(Generic[T]):
    """What loaded cleanly, by id, and the problems of what did not."""

    items: dict[str, T] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)


MAX_LISTED = 30


def suggest(name: str, known: list[str]) -> str:
    """The tail of an unknown-name message: the closest names, then every name that exists,
    so a user never has to go and look (nothing exists: say so)."""
    if not known:
        return "; there are none yet"
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if not close:
        close = [k for k in known if name.lower() in k.lower()][:3]
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    listed = ", ".join(known[:MAX_LISTED]) + (f" and {len(known) - MAX_LISTED} more" if len(known) > MAX_LISTED else "")
    return f"{hint} (the only one is {listed})" if len(known) == 1 else f"{hint} (there are: {listed})"


class Workspace:
    """One workspace folder. Everything is read lazily and cached for the life of the object."""

    def __init__(self, root: Path, today: dt.date | None = None) -> None:
        self.root = root.resolve()
        self.today = today or dt.date.today()
        self._procedure_files: dict[tuple[str, str], Procedure | list[Problem]] = {}
        self._strings: dict[str, Strings] = {}
        self._layouts: dict[str, Layout] = {}
        self._approval_books: dict[str, ApprovalBook | InvalidInput] = {}
        self._artwork: dict[tuple, Logo | ValueError] = {}

    # -- folders -------------------------------------------------------------------------
    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def clinics_dir(self) -> Path:
        return self.root / "clinics"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def strings_dir(self) -> Path:
        return self.root / "strings"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.root)

    @property
    def output_dir(self) -> Path:
        return self.root / self.settings.output

    # -- discovery (file names only, no parsing) -------------------------------------------
    def languages(self) -> list[str]:
        if not self.content_dir.is_dir():
            return []
        return sorted(p.name for p in self.content_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def procedure_ids(self, lang: str) -> list[str]:
        folder = self.content_dir / lang
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []

    def clinic_ids(self) -> list[str]:
        if not self.clinics_dir.is_dir():
            return []
        return sorted(p.name for p in self.clinics_dir.iterdir() if (p / "clinic.yaml").is_file())

    def layout_names(self) -> list[str]:
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml")) if self.layouts_dir.is_dir() else []

    # -- loading -------------------------------------------------------------------------
    def procedures(self, lang: str) -> Loaded[Procedure]:
        loaded: Loaded[Procedure] = Loaded()
        for proc_id in self.procedure_ids(lang):
            try:
                loaded.items[proc_id] = self._procedure_file(lang, proc_id)
            except InvalidInput as exc:
                loaded.problems.extend(exc.problems)
                loaded.failed[proc_id] = exc.problems
        return loaded

    def procedure(self, lang: str, proc_id: str) -> Procedure:
        """One procedure, reading only its own file (a batch worker needs one at a time)."""
        if (lang, proc_id) not in self._procedure_files and proc_id not in self.procedure_ids(lang):
            raise NotFound(f"no procedure '{proc_id}' in content/{lang}/{suggest(proc_id, self.procedure_ids(lang))}")
        return self._procedure_file(lang, proc_id)

    def _procedure_file(self, lang: str, proc_id: str) -> Procedure:
        """Read and validate once; a broken file keeps its problems, so it is reported the same every time."""
        key = (lang, proc_id)
        if key not in self._procedure_files:
            shown = f"content/{lang}/{proc_id}.yaml"
            try:
                if not is_valid_id(proc_id):
                    raise InvalidInput([Problem(shown, "file name must be a procedure id: lower-case letters, "
                                                       "digits, hyphens")])
                if contained(self.content_dir, f"{lang}/{proc_id}.yaml") is None:
                    raise InvalidInput([Problem(shown, LINKED_OUT)])
                self._procedure_files[key] = load_procedure(self.content_dir / lang / f"{proc_id}.yaml", shown,
                                                            lang, self.today)
            except InvalidInput as exc:
                self._procedure_files[key] = exc.problems
        found = self._procedure_files[key]
        if isinstance(found, list):
            raise InvalidInput(found)
        return found

    @cached_property
    def _clinics(self) -> Loaded[Clinic]:
        loaded: Loaded[Clinic] = Loaded()
        for clinic_id in self.clinic_ids():
            try:
                if contained(self.clinics_dir, f"{clinic_id}/clinic.yaml") is None:
                    raise InvalidInput([Problem(f"clinics/{clinic_id}/clinic.yaml", LINKED_OUT)])
                loaded.items[clinic_id] = load_clinic(self.clinics_dir / clinic_id, f"clinics/{clinic_id}/clinic.yaml",
                                                      self.fonts_dir)
            except InvalidInput as exc:
                loaded.problems.extend(exc.problems)
                loaded.failed[clinic_id] = exc.problems
        return loaded

    def clinics(self) -> Loaded[Clinic]:
        return self._clinics

    def clinic(self, clinic_id: str) -> Clinic:
        loaded = self._clinics
        if clinic_id in loaded.items:
            return loaded.items[clinic_id]
        if clinic_id in loaded.failed:
            raise InvalidInput(loaded.failed[clinic_id])
        raise NotFound(f"no clinic '{clinic_id}' in clinics/{suggest(clinic_id, self.clinic_ids())}")

    def artwork(self, clinic: Clinic):
        """A finder of figures and icons in this clinic's colours (its own artwork first).

        Each lookup is made once per workspace, like every other file it reads: a batch asks for
        the same icons and figures for every handout, and finding a file safely (following and
        checking links) cost a third of composing one."""
        from .figures import load_figure

        def find(kind: str, name: str) -> Logo:
            key = (clinic.id, clinic.colours, kind, name)
            if key not in self._artwork:
                try:
                    self._artwork[key] = load_figure(self.root, name, clinic.colours, clinic.id, kind)
                except ValueError as exc:
                    self._artwork[key] = exc
            found = self._artwork[key]
            if isinstance(found, ValueError):
                raise type(found)(*found.args)  # a fresh error each time, not one growing traceback
            return found

        return find

    def layout(self, name: str) -> Layout:
        if name not in self._layouts:
            if name not in self.layout_names():
                raise NotFound(f"no layout '{name}' in layouts/{suggest(name, self.layout_names())}")
            self._layouts[name] = load_layout(self.layouts_dir, name)
        return self._layouts[name]

    def strings(self, lang: str) -> Strings:
        if lang not in self._strings:
            self._strings[lang] = load_strings(self.strings_dir, lang)
        return self._strings[lang]

    def approval_book(self, clinic_id: str) -> ApprovalBook:
        """The clinic's approvals (clinics/<id>/approvals.yaml); raises InvalidInput if it is damaged."""
        if clinic_id not in self._approval_books:
            try:
                self._approval_books[clinic_id] = load_book(self.clinics_dir / clinic_id)
            except InvalidInput as exc:
                self._approval_books[clinic_id] = exc
        found = self._approval_books[clinic_id]
        if isinstance(found, InvalidInput):
            raise InvalidInput(found.problems)
        return found
