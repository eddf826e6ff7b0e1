"""Hostile text: templates never execute, markup never leaks, any Unicode builds or fails clearly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import yaml

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, edit_yaml
from handouts.compose import compose
from handouts.errors import HandoutsError
from handouts.patient import Patient, clean
from handouts.pdf import render
from handouts.workspace import Workspace

from pdfread import text

WS = Workspace(REPO)
LAYOUT = WS.layout("one-page")
PROCEDURE = WS.procedure("en", "trigger-point-injection")
CLINIC = WS.clinic("northshore")
STRINGS = WS.strings("en")


def squash(value: str) -> str:
    """The text without spaces or soft hyphens: a soft hyphen (U+00AD) only says where a word may
    break, and prints nothing unless it does."""
    return re.sub(r"[\s\xad]+", "", value)


def test_template_injection_in_content_is_refused(run_cli, ws_path):
    attacks = ["{{ ''.__class__.__mro__ }}", "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
               "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "{{ clinic.phnoe }}", "{% if %}"]
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml",
              lambda d: d.update(aftercare=d["aftercare"] + attacks))
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert result.exit_code == 1
    out = result.output
    first = len(yaml.safe_load((REPO / "content/en/medial-branch-block.yaml").read_text())["aftercare"]) + 1
    assert f"aftercare[{first}]: placeholder uses something that is not allowed" in out
    assert f"aftercare[{first + 1}]: {{% for %}} is not allowed in handout text" in out
    assert f"aftercare[{first + 2}]: " in out and "uid=" not in out
    assert f"aftercare[{first + 3}]: unknown placeholder 'clinic.phnoe'; did you mean 'clinic.phone'?" in out
    assert f"aftercare[{first + 4}]: template syntax error" in out


def test_markup_in_content_outside_the_allow_list_is_reported(run_cli, ws_path):
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml", lambda d: d.update(
        summary='Read <a href="javascript:alert(1)">this</a> and <img src="/etc/hosts"> now.'))
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert result.exit_code == 1
    assert "summary: unsupported markup '<a href=\"javascript:alert(1)\">'; only <b> and <i> are allowed" \
           in result.output


def test_reportlab_never_fetches_urls():
    from reportlab import rl_config

    import handouts.pdf  # noqa: F401 - importing it sets the trust

    assert rl_config.trustedHosts is None and rl_config.trustedSchemes == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=120))
def test_any_unicode_in_content_builds_or_fails_clearly(value):
    procedure = dataclasses.replace(PROCEDURE, summary=value, what_it_is=value)
    try:
        handout = compose(procedure, CLINIC, STRINGS)
        pdf = render(handout, LAYOUT).pdf
    except HandoutsError as exc:
        assert exc.format_message() and "Traceback" not in exc.format_message()
        return
    if "<" not in value and "&" not in value and "{" not in value:
        assert squash(value) in squash(text(pdf))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=60), note=st.text(max_size=120), physician=st.text(max_size=40))
def test_any_unicode_in_patient_fields_builds_or_fails_clearly(name, note, physician):
    patient = Patient(clean(name) or "X", dt.date(2026, 12, 1), dt.time(9, 0), clean(physician), clean(note))
    try:
        pdf = render(compose(PROCEDURE, CLINIC, STRINGS, patient=patient), WS.layout("booklet")).pdf
    except HandoutsError as exc:
        assert exc.format_message()
        return
    body = squash(text(pdf))
    for value in (patient.name, patient.note, patient.physician):
        assert squash(value) in body
