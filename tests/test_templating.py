"""Placeholders and inline markup: sandboxed, strict, and values can only ever be text."""

from __future__ import annotations

import pytest

from handouts import richtext
from handouts.richtext import MarkupProblem, Run
from handouts.templating import TemplateProblem, render_text

CONTEXT = {"clinic": {"phone": "(541) 555-0142", "name": "A & <B> Clinic"}}


def test_placeholder_filled_and_escaped():
    out = render_text("Call {{ clinic.name }} at {{ clinic.phone }}.", CONTEXT)
    assert richtext.to_plain(richtext.parse(out)) == "Call A & <B> Clinic at (541) 555-0142."


def test_unknown_placeholder_suggests():
    with pytest.raises(TemplateProblem) as exc:
        render_text("Call {{ clinic.phnoe }}", CONTEXT)
    assert str(exc.value) == "unknown placeholder 'clinic.phnoe'; did you mean 'clinic.phone'?"


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ clinic.__class__ }}",
])
def test_template_injection_is_refused(source):
    with pytest.raises(TemplateProblem) as exc:
        render_text(source, CONTEXT)
    assert "not allowed" in str(exc.value) or "unknown placeholder" in str(exc.value)


def test_syntax_error():
    with pytest.raises(TemplateProblem) as exc:
        render_text("Call {{ clinic.phone", CONTEXT)
    assert str(exc.value).startswith("template syntax error:")


def test_markup_runs():
    runs = richtext.parse("Do <b>not</b> stop <i>any</i> medicine", strict=True)
    assert runs == (Run("Do "), Run("not", bold=True), Run(" stop "), Run("any", italic=True), Run(" medicine"))


@pytest.mark.parametrize("source, message", [
    ('<img src="/etc/hosts">', "unsupported markup '<img src=\"/etc/hosts\">'"),
    ("<b>unclosed", "is not closed"),
    ("</i>stray", "closes a tag that was not opened"),
])
def test_bad_markup_in_content_is_reported(source, message):
    with pytest.raises(MarkupProblem) as exc:
        richtext.parse(source, strict=True)
    assert message in str(exc.value)


def test_value_with_markup_stays_literal():
    out = render_text("Hello {{ name }}", {"name": "<b>Bob</b> <img src=x>"})
    assert richtext.parse(out, strict=True) == (Run("Hello <b>Bob</b> <img src=x>"),)


def test_less_than_in_text_is_literal():
    assert richtext.to_plain(richtext.parse("Lift less than 5 lb (<5 lb) & rest", strict=True)) == \
        "Lift less than 5 lb (<5 lb) & rest"


@pytest.mark.parametrize("text", ["", " ", "Call us", "Line one\nline two", "  spaced  ", "Ünïcode · 100%",
                                  "a > b", "x; y = 'z'"])
@pytest.mark.parametrize("strict", [True, False])
def test_text_without_tags_or_entities_parses_as_the_full_parser_does(text, strict):
    assert richtext.parse(text, strict) == richtext._parse_markup(text, strict)
