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

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import escape


class TemplateProblem(ValueError):
    """A template that cannot be rendered, explained in the author's terms."""


MAX_TEXT = 20_000  # characters one placeholder value, or one rendered field, may hold (the longest is ~700)
MAX_ITEMS = 1_000  # items a range() may hold
MAX_INT_BITS = 4_096  # a number this large is never a phone number or a page count

# Only filters whose result is no larger than their input; the rest (center, indent, format,
# join, replace, wordwrap, batch, ...) could turn a short template into gigabytes.
SAFE_FILTERS = ("capitalize", "d", "default", "e", "escape", "first", "last", "length", "count", "lower",
                "string", "striptags", "title", "trim", "upper")
# Statements that repeat or reuse work (loops, macros, assignments, blocks): handout text fills
# in values and may choose with `if`, so its work stays proportional to its (bounded) size.
_REFUSED_STATEMENTS = {
    nodes.For: "{% for %}", nodes.Macro: "{% macro %}", nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}", nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}", nodes.Scope: "{% with %}", nodes.Block: "{% block %}", nodes.Extends: "{% extends %}",
    nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from %}",
}


class OverLimit(SecurityError):
    """A placeholder that would produce more than handout text ever needs."""


def _check_size(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise OverLimit("a number in a placeholder is too large")
    if isinstance(value, (str, bytes, list, tuple, dict, set, range)) and len(value) > MAX_TEXT:
        raise OverLimit(f"a placeholder would produce more than {MAX_TEXT:,} characters")
    return value


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse before computing what would be too large to compute at all."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if _sized(seq) is not None and isinstance(times, int) and _sized(seq) * max(times, 0) > MAX_TEXT:
                raise OverLimit(f"a placeholder would produce more than {MAX_TEXT:,} characters")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise OverLimit("a number in a placeholder is too large")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        if left.bit_length() * right > MAX_INT_BITS:
            raise OverLimit("a number in a placeholder is too large")
    elif operator == "%" and isinstance(left, str):
        raise OverLimit("'%' formatting is not allowed in placeholders")


def _bounded_range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_ITEMS:
        raise OverLimit(f"range() of more than {MAX_ITEMS:,} items in a placeholder")
    return values


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, plus limits on what a template may make: every arithmetic operator and
    every call is checked for size, before it runs where it could not be stopped, after otherwise."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "-"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: self.filters[name] for name in SAFE_FILTERS}
        self.globals = {"range": _bounded_range}

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:  # type: ignore[override]
        _check_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]  # noqa: N805
        if getattr(__obj, "__name__", "") in ("format", "format_map"):  # str.format, as the sandbox wraps it
            raise OverLimit("string formatting is not allowed in placeholders")
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
                raise OverLimit(f"a placeholder passes a number over {MAX_TEXT:,} to a function")
            _check_size(value)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


@lru_cache(maxsize=1)
def environment() -> BoundedSandbox:
    return BoundedSandbox(undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                          lstrip_blocks=True, keep_trailing_newline=False)


@lru_cache(maxsize=8192)
def _compile(source: str):
    env = environment()
    tree = env.parse(source)
    for kind, shown in _REFUSED_STATEMENTS.items():
        if tree.find(kind) is not None:
            raise TemplateProblem(f"{shown} is not allowed in handout text; placeholders only fill in values "
                                  f"(and may choose with {{% if %}})")
    return env.from_string(tree)


def _render_bounded(template, context: Mapping[str, Any]) -> str:
    """Render piece by piece, stopping as soon as the field grows past MAX_TEXT."""
    pieces, size = [], 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_TEXT:
            raise OverLimit(f"the text would be longer than {MAX_TEXT:,} characters once placeholders are filled")
        pieces.append(piece)
    return "".join(pieces)


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
        return _render_bounded(_compile(source), context)
    except TemplateProblem:
        raise
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}") from None
    except OverLimit as exc:
        raise TemplateProblem(str(exc)) from None
    except SecurityError as exc:
        raise TemplateProblem(f"placeholder uses something that is not allowed ({exc})") from None
    except UndefinedError as exc:
        raise TemplateProblem(_undefined_message(exc, context)) from None
    except TemplateError as exc:
        raise TemplateProblem(f"template error: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError) as exc:
        raise TemplateProblem(f"template error: {type(exc).__name__}: {exc}") from None


def literal(value: str) -> str:
    """Escape a plain value (a patient's name, say) into the same form templates produce."""
    return str(escape(value))
