"""Workspace settings from `handouts.yaml`: defaults the command line may override."""

from __future__ import annotations

from pathlib import Path

from .errors import InvalidInput, Problem
from types import MappingProxyType

from .fields import FieldReader
from .fontfiles import read_font_families
from .hosts import normal_name
from .models import EmailSettings, Readability, ServeSettings, Settings
from .paths import WORKSPACE_FOLDERS, LINKED_OUT, contained
from .schedule_map import read_schedule_map
from .yamlio import load_mapping

SETTINGS_FILE = "handouts.yaml"
SETTINGS_FIELDS: tuple[str, ...] = ("default_clinic", "languages", "layouts", "output", "readability", "fonts",
                                    "email", "schedule", "serve", "review_interval_months")
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
    group.reject_unknown(("mode", "drafts", "log", "smtp", "tls", "user", "encrypt", "password_rule"))
    base = EmailSettings()
    settings = EmailSettings(
        mode=group.choice("mode", ("drafts", "smtp"), default=base.mode) or base.mode,
        drafts=group.text("drafts", required=False, default=base.drafts) or base.drafts,
        log=group.text("log", required=False, default=base.log) or base.log,
        smtp=group.text("smtp", required=False),
        tls=group.choice("tls", ("starttls", "ssl", "none"), default=base.tls) or base.tls,
        user=group.text("user", required=False),
        encrypt=group.boolean("encrypt", default=base.encrypt),
        password_rule=group.choice("password_rule", ("dob", "column"), default=base.password_rule) or base.password_rule,
    )
    for key in ("drafts", "log"):
        if contained(root, getattr(settings, key)) is None:
            group.problem(key, f"'{getattr(settings, key)}' must be inside the workspace")
    if settings.mode == "smtp" and not settings.smtp:
        group.problem("smtp", "mode is smtp, so give the server as HOST:PORT")
    return settings


def _serve(reader: FieldReader) -> ServeSettings:
    group = reader.child("serve", required=False)
    if group is None:
        return ServeSettings()
    group.reject_unknown(("allowed_hosts",))
    names = []
    for index, name in enumerate(group.text_list("allowed_hosts", required=False)):
        normal = normal_name(name)
        if normal is None:
            group.problem(f"allowed_hosts[{index + 1}]", "not a host name (such as frontdesk.clinic.example) or an "
                          "IP address; leave out http:// and the port", line=group.line_of("allowed_hosts"))
        else:
            names.append(normal)
    return ServeSettings(tuple(names))


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
        schedule=read_schedule_map(reader),
        serve=_serve(reader),
        review_interval_months=int(reader.number("review_interval_months", False, 12, 1, 60) or 12),
    )
    reader.finish()
    return settings
