"""Fill `{{ clinic.phone }}`-style placeholders in workspace text, safely.

Every template runs in Jinja2's SandboxedEnvironment with StrictUndefined, so a typo is an
error instead of blank text and `{{ ''.__class__ }}` tricks are refused. Autoescaping is on:
the template (trusted workspace text) may carry our small inline markup, while every value
filled in is escaped and can only ever be literal text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import escape


class TemplateProblem(ValueError):
    """A template that cannot be rendered, explained in the author's terms."""


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                                lstrip_blocks=True, keep_trailing_newline=False)


@lru_cache(maxsize=8192)
def _compile(source: str):
    return environment().from_string(source)


_MISSING_ATTR = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def _undefined_message(exc: UndefinedError, context: Mapping[str, Any]) -> str:
    match = _MISSING_ATTR.search(str(exc))
    if not match:
        return f"unknown placeholder ({exc})"
    name = match.group(1) or match.group(2)
    if match.group(1):  # an attribute of some object in the context, e.g. clinic.phnoe
        for owner, value in context.items():
            if isinstance(value, Mapping):
                close = difflib.get_close_matches(name, list(value), n=1)
                if close:
                    return f"unknown placeholder '{owner}.{name}'; did you mean '{owner}.{close[0]}'?"
        return f"unknown placeholder field '{name}'"
    close = difflib.get_close_matches(name, list(context), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(sorted(context))}"
    return f"unknown placeholder '{name}'{hint}"


def render_text(source: str, context: Mapping[str, Any]) -> str:
    """The source with placeholders filled; values come back HTML-escaped (see module note)."""
    if "{" not in source:
        return source
    try:
        return _compile(source).render(context)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateProblem(f"placeholder uses something that is not allowed ({exc})") from None
    except UndefinedError as exc:
        raise TemplateProblem(_undefined_message(exc, context)) from None
    except TemplateError as exc:
        raise TemplateProblem(f"template error: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError) as exc:
        raise TemplateProblem(f"template error: {type(exc).__name__}: {exc}") from None


def literal(value: str) -> str:
    """Escape a plain value (a patient's name, say) into the same form templates produce."""
    return str(escape(value))
