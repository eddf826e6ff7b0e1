"""The e-mail templates: found per file (a clinic's own, else the workspace's), checked, rendered.

They run in Jinja2's sandbox with strict undefined and no loader: a template stands alone, so
`{% include %}`, `{% import %}` and `{% extends %}` are refused with a message naming the file
and line, instead of failing deep inside Jinja2. `privacy_notes` warns when the parts of a
message that show outside it (the subject and the attachment's name) use health details.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from .errors import InvalidInput, Problem
from .workspace import Workspace

TEMPLATE_NAMES = ("subject.txt", "attachment.txt", "body.txt", "body.html")
SEEN_OUTSIDE = ("subject.txt", "attachment.txt")  # on lock screens, in previews, in server logs
_STANDALONE = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "import",
               nodes.Extends: "extends"}
_HEALTH_DETAILS = {"patient": {"date", "note"}}  # and everything under `procedure`


class MailTemplateError(InvalidInput):
    """A template that cannot be used, located by file and line."""


@dataclass(frozen=True, slots=True)
class MailTemplate:
    path: Path
    shown: str  # workspace-relative, for messages


@lru_cache(maxsize=2)
def _environment(html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=html, trim_blocks=False,
                                keep_trailing_newline=True)


def find_template(workspace: Workspace, clinic: str, lang: str, name: str) -> MailTemplate:
    """The clinic's own `clinics/<id>/email/<lang>/<name>` if it has one, else the workspace's."""
    for shown in (f"clinics/{clinic}/email/{lang}/{name}", f"templates/email/{lang}/{name}"):
        if (workspace.root / shown).is_file():
            return MailTemplate(workspace.root / shown, shown)
    if not (workspace.root / "templates" / "email" / lang).is_dir():
        raise MailTemplateError([Problem(f"templates/email/{lang}/", f"no e-mail templates for language '{lang}': "
                                                                     f"add {', '.join(TEMPLATE_NAMES)}")])
    raise MailTemplateError([Problem(f"templates/email/{lang}/{name}", "template is missing")])


def _parse(source: str, html: bool, shown: str) -> nodes.Template:
    environment = _environment(html)
    try:
        tree = environment.parse(source)
    except TemplateSyntaxError as exc:
        raise MailTemplateError([Problem(shown, f"template syntax error: {exc.message}", exc.lineno)]) from None
    for node in tree.find_all(tuple(_STANDALONE)):
        tag = _STANDALONE[type(node)]
        raise MailTemplateError([Problem(shown, f"{{% {tag} %}} is not supported in e-mail templates: each template "
                                                "stands alone, so write the text into this file", node.lineno)])
    return tree


@lru_cache(maxsize=64)
def _compiled(source: str, html: bool, shown: str) -> Template:
    return _environment(html).from_string(_parse(source, html, shown))


def _source(template: MailTemplate) -> str:
    try:
        return template.path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MailTemplateError([Problem(template.shown, "not UTF-8 text")]) from None


def render(template: MailTemplate, context: dict[str, Any]) -> str:
    html = template.path.suffix == ".html"
    compiled = _compiled(_source(template), html, template.shown)
    try:
        return compiled.render(context)
    except TemplateError as exc:
        raise MailTemplateError([Problem(template.shown, f"template error: {exc}", getattr(exc, "lineno", None))]) \
            from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError) as exc:
        raise MailTemplateError([Problem(template.shown, f"template error: {type(exc).__name__}")]) from None


def attachment_name(rendered: str) -> str:
    """A file name any mail program accepts: ASCII letters, digits, '-', '_' and '.', ending .pdf."""
    ascii_text = unicodedata.normalize("NFKD", rendered).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text.strip()).strip("-.")[:80]
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return f"{stem.strip('-.') or 'information'}.pdf"


# -- `handouts check` --------------------------------------------------------------------------

def _template_files(workspace: Workspace) -> Iterator[MailTemplate]:
    folders = [workspace.root / "templates" / "email"]
    folders += sorted(workspace.clinics_dir.glob("*/email")) if workspace.clinics_dir.is_dir() else []
    for folder in folders:
        for path in sorted(folder.glob("*/*")):
            if path.name in TEMPLATE_NAMES and path.is_file():
                yield MailTemplate(path, path.relative_to(workspace.root).as_posix())


def _health_details(tree: nodes.Template) -> list[str]:
    """Placeholders that say what the visit is for, or when: `procedure.*`, `patient.date`, `patient.note`."""
    found: list[str] = []
    for node in tree.find_all(nodes.Name):
        if node.name == "procedure" and "procedure.*" not in found:
            found.append("procedure.*")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        owner = node.node
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(owner, nodes.Name) and key in _HEALTH_DETAILS.get(owner.name, ()):
            name = f"{owner.name}.{key}"
            if name not in found:
                found.append(name)
    return found


def check_templates(workspace: Workspace) -> tuple[list[Problem], list[str]]:
    """Problems (templates that cannot render) and privacy notes, for every e-mail template."""
    problems: list[Problem] = []
    notes: list[str] = []
    for template in _template_files(workspace):
        try:
            tree = _parse(_source(template), template.path.suffix == ".html", template.shown)
        except MailTemplateError as exc:
            problems.extend(exc.problems)
            continue
        details = _health_details(tree) if template.path.name in SEEN_OUTSIDE else []
        if details:
            part = "subject" if template.path.name == "subject.txt" else "attachment's file name"
            notes.append(f"{template.shown}: the {part} uses {', '.join(details)}; it shows on lock screens, in "
                         f"notification previews and in mail-server logs, so keep health details inside the message")
    return problems, notes
