"""Workspace settings from `handouts.yaml`: defaults the command line may override."""

from __future__ import annotations

from pathlib import Path

from .errors import InvalidInput, Problem
from types import MappingProxyType

from .fields import FieldReader
from .fontfiles import read_font_families
from .models import EmailSettings, Readability, Settings
from .paths import WORKSPACE_FOLDERS, LINKED_OUT, contained
from .yamlio import load_mapping

SETTINGS_FILE = "handouts.yaml"
SETTINGS_FIELDS: tuple[str, ...] = ("default_clinic", "languages", "layouts", "output", "readability", "fonts",
                                    "email")
READABILITY_FIELDS: tuple[str, ...] = (
    "max_grade", "target_grade", "max_sentence_words", "min_inflesz", "floor_inflesz",
)


def _readability(reader: FieldReader) -> Readability:
    group = reader.child("readability", required=False)
    if group is None:
        return Readability()
    group.reject_unknown(READABILITY_FIELDS)
    base = Readability()
    readability = Readability(
        max_grade=group.number("max_grade", False, base.max_grade, 1, 20) or base.max_grade,
        target_grade=group.number("target_grade", False, base.target_grade, 1, 20) or base.target_grade,
        max_sentence_words=int(group.number("max_sentence_words", False, base.max_sentence_words, 5, 100)
                               or base.max_sentence_words),
        min_inflesz=group.number("min_inflesz", False, base.min_inflesz, 0, 100) or base.min_inflesz,
        floor_inflesz=group.number("floor_inflesz", False, base.floor_inflesz, 0, 100) or base.floor_inflesz,
    )
    if readability.min_inflesz < readability.floor_inflesz:
        group.problem("min_inflesz", f"{readability.min_inflesz:g} is below the floor of "
                                     f"{readability.floor_inflesz:g}; no handout may be harder than that")
    return readability


def _email(reader: FieldReader, root: Path) -> EmailSettings:
    group = reader.child("email", required=False)
    if group is None:
        return EmailSettings()
    group.reject_unknown(("mode", "drafts", "log", "smtp", "tls", "user"))
    base = EmailSettings()
    settings = EmailSettings(
        mode=group.choice("mode", ("drafts", "smtp"), default=base.mode) or base.mode,
        drafts=group.text("drafts", required=False, default=base.drafts) or base.drafts,
        log=group.text("log", required=False, default=base.log) or base.log,
        smtp=group.text("smtp", required=False),
        tls=group.choice("tls", ("starttls", "ssl", "none"), default=base.tls) or base.tls,
        user=group.text("user", required=False),
    )
    for key in ("drafts", "log"):
        if contained(root, getattr(settings, key)) is None:
            group.problem(key, f"'{getattr(settings, key)}' must be inside the workspace")
    if settings.mode == "smtp" and not settings.smtp:
        group.problem("smtp", "mode is smtp, so give the server as HOST:PORT")
    return settings


def load_settings(root: Path) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise InvalidInput([Problem(SETTINGS_FILE, f"no {SETTINGS_FILE} in {root}; run handouts from a workspace "
                                                   "folder or pass --workspace")])
    reader = FieldReader(SETTINGS_FILE, load_mapping(path, SETTINGS_FILE))
    reader.reject_unknown(SETTINGS_FIELDS)
    for folder in WORKSPACE_FOLDERS:
        if (root / folder).exists() and contained(root, folder) is None:
            reader.problems.append(Problem(f"{folder}/", LINKED_OUT))
    output = reader.text("output", required=False, default="out") or "out"
    if contained(root, output) is None:
        reader.problem("output", f"'{output}' must be a folder inside the workspace")
    settings = Settings(
        default_clinic=reader.text("default_clinic", required=False),
        languages=reader.text_list("languages", required=False) or ("en",),
        layouts=reader.text_list("layouts", required=False) or ("one-page",),
        output=output,
        readability=_readability(reader),
        fonts=MappingProxyType(read_font_families(reader, root / "fonts")),
        email=_email(reader, root),
    )
    reader.finish()
    return settings
