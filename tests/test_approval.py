"""Clinician approval: approve, edit, the DRAFT mark comes back; expiry; the diff; the safety-text rule."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from handouts.approval import State, add_months, status_of
from handouts.approve import candidates, record, review
from handouts.errors import InvalidInput
from handouts.safety import safety_problems
from handouts.workspace import Workspace

from conftest import line_of
from pdfread import reader

DRAFT_EN = "DRAFT - not yet approved by Riverbend Pain & Spine Center"
DRAFT_ES = "BORRADOR - aún no aprobado por Riverbend Pain & Spine Center"
PROCEDURE = "medial-branch-block"


def page_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader(path).pages]


def build(run_cli, *args: str):
    result = run_cli("build", PROCEDURE, "-c", "riverbend", "--quiet", *args)
    assert result.exit_code == 0, result.output
    return result


def out(ws: Path, layout: str, lang: str = "en") -> Path:
    return ws / "out" / "riverbend" / lang / f"{PROCEDURE}.{layout}.pdf"


@pytest.mark.parametrize("layout", ["one-page", "booklet", "booklet-print", "large-print"])
def test_shipped_handouts_are_drafts_marked_on_every_page(run_cli, ws_path, layout):
    assert not list(ws_path.glob("clinics/*/approvals.yaml"))  # the demo workspace ships none
    build(run_cli, "-l", "booklet" if layout == "booklet-print" else layout, "--lang", "en", "--lang", "es")
    for lang, mark in (("en", DRAFT_EN), ("es", DRAFT_ES)):
        pages = page_texts(out(ws_path, layout, lang))
        assert pages and all(mark in page for page in pages), (lang, [mark in p for p in pages])
        assert not any("Approved for" in page or "Aprobado para" in page for page in pages)


def test_approve_edit_and_the_draft_mark_comes_back(run_cli, ws_path):
    result = run_cli("approve", PROCEDURE, "-c", "riverbend", "--lang", "en", "--by", "Dr. Ana Patel", "--yes")
    assert result.exit_code == 0, result.output
    assert "approved medial-branch-block (en) for riverbend by Dr. Ana Patel" in result.output
    assert (ws_path / "clinics/riverbend/approvals.yaml").is_file()
    assert not (ws_path / "out").exists()  # approvals live with the clinic, never in out/
    build(run_cli, "-l", "one-page", "-l", "large-print", "--lang", "en")
    today = dt.date.today().strftime("%B %-d, %Y")
    for layout in ("one-page", "large-print"):
        body = " ".join(page_texts(out(ws_path, layout)))
        assert f"Approved for Riverbend Pain & Spine Center by Dr. Ana Patel on {today}" in body
        assert "DRAFT" not in body and "Updated December 2, 2026" in body
    path = ws_path / "content/en" / f"{PROCEDURE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bring your pain diary to your next visit.",
                                                             "Bring your pain diary to your next visit, please."),
                    encoding="utf-8")
    build(run_cli, "-l", "one-page", "--lang", "en")
    pages = page_texts(out(ws_path, "one-page"))
    assert all(DRAFT_EN in page for page in pages) and "Approved for" not in " ".join(pages)
    rows = {row.procedure: row.state for row in review(Workspace(ws_path), ["riverbend"], ["en"])}
    assert rows[PROCEDURE] == State.CHANGED.value and rows["discography"] == State.NEVER.value


def test_approving_rebuilds_only_that_handout(run_cli, ws_path):
    build(run_cli, "-l", "one-page", "--lang", "en")
    run_cli("build", "discography", "-c", "riverbend", "-l", "one-page", "--lang", "en", "--quiet")
    assert run_cli("approve", PROCEDURE, "-c", "riverbend", "--lang", "en", "--by", "Dr. Ana Patel",
                   "--yes").exit_code == 0
    result = run_cli("build", PROCEDURE, "discography", "-c", "riverbend", "-l", "one-page", "--lang", "en")
    assert f"built      riverbend/en/{PROCEDURE}.one-page.pdf" in result.output
    assert "1 built, 1 up to date" in result.output


def test_without_yes_shows_the_diff_and_asks(run_cli, ws_path):
    assert run_cli("approve", PROCEDURE, "-c", "riverbend", "--lang", "en", "--by", "Dr. Ana Patel",
                   "--yes").exit_code == 0
    book = (ws_path / "clinics/riverbend/approvals.yaml").read_text(encoding="utf-8")
    path = ws_path / "content/en" / f"{PROCEDURE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bring your pain diary to your next visit.",
                                                             "Bring your diary to your next visit."),
                    encoding="utf-8")
    from click.testing import CliRunner

    from handouts.cli import cli

    result = CliRunner().invoke(cli, ["--workspace", str(ws_path), "approve", PROCEDURE, "-c", "riverbend",
                                      "--lang", "en", "--by", "Dr. Lee"], input="n\n")
    assert "changed since approval" in result.output
    assert re.search(r"^-- Bring your pain diary to your next visit\.$", result.output, re.M)
    assert re.search(r"^\+- Bring your diary to your next visit\.$", result.output, re.M)
    assert "Approve medial-branch-block (en) for riverbend as Dr. Lee?" in result.output
    assert "not approved" in result.output
    assert (ws_path / "clinics/riverbend/approvals.yaml").read_text(encoding="utf-8") == book
    result = CliRunner().invoke(cli, ["--workspace", str(ws_path), "approve", PROCEDURE, "-c", "riverbend",
                                      "--lang", "en", "--by", "Dr. Lee"], input="y\n")
    assert result.exit_code == 0 and "approved medial-branch-block (en) for riverbend by Dr. Lee" in result.output
    assert status_of(Workspace(ws_path), "riverbend", PROCEDURE, "en").state is State.APPROVED


def test_first_approval_shows_the_whole_text_with_clinic_values(ws_path):
    found, errors = candidates(Workspace(ws_path), "northshore", (PROCEDURE,), ("es",))
    assert not errors and len(found) == 1
    changes = "\n".join(found[0].changes())
    assert changes.startswith("+# ") and "+## ¿Qué es?" in changes
    assert "Northshore" in changes  # placeholders filled with this clinic's values


def test_expiry_and_the_warning_before_it(ws_path):
    approved_on = dt.date(2026, 12, 31)
    found, errors = candidates(Workspace(ws_path, today=approved_on), "riverbend", (PROCEDURE,), ("en",))
    assert found and not errors
    record(Workspace(ws_path, today=approved_on), "riverbend", found, "Dr. Ana Patel")
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)

    def status(day: dt.date):
        return status_of(Workspace(ws_path, today=day), "riverbend", PROCEDURE, "en")

    assert status(dt.date(2027, 5, 1)).state is State.APPROVED
    assert not status(dt.date(2027, 5, 1)).expires_within(dt.date(2027, 5, 1))
    assert status(dt.date(2027, 12, 10)).expires_within(dt.date(2027, 12, 10))
    assert status(dt.date(2027, 12, 31)).state is State.EXPIRED
    settings = ws_path / "handouts.yaml"
    settings.write_text(settings.read_text().replace("review_interval_months: 12", "review_interval_months: 24"))
    assert status(dt.date(2027, 12, 31)).state is State.APPROVED


def test_an_expired_approval_prints_draft(run_cli, ws_path):
    found, _ = candidates(Workspace(ws_path), "riverbend", (PROCEDURE,), ("en",))
    record(Workspace(ws_path), "riverbend", found, "Dr. Ana Patel")
    book = ws_path / "clinics/riverbend/approvals.yaml"  # the approval was given 40 days ago
    long_ago = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    book.write_text(re.sub(r"date: \S+", f"date: {long_ago}", book.read_text(encoding="utf-8")), encoding="utf-8")
    build(run_cli, "-l", "one-page", "--lang", "en")
    assert "Approved for" in page_texts(out(ws_path, "one-page"))[0]
    settings = ws_path / "handouts.yaml"
    settings.write_text(settings.read_text().replace("review_interval_months: 12", "review_interval_months: 1"))
    assert status_of(Workspace(ws_path), "riverbend", PROCEDURE, "en").state is State.EXPIRED
    build(run_cli, "-l", "one-page", "--lang", "en")  # expiry changes the fingerprint: rebuilt as a draft
    assert DRAFT_EN in page_texts(out(ws_path, "one-page"))[0]


def test_damaged_approvals_file_fails_the_clinics_builds_with_its_line(run_cli, ws_path):
    (ws_path / "clinics/riverbend/approvals.yaml").write_text(
        "approvals:\n  medial-branch-block:\n    en:\n      by: Dr. X\n      date: soon\n", encoding="utf-8")
    result = run_cli("build", PROCEDURE, "-c", "riverbend", "-l", "one-page", "--lang", "en")
    assert result.exit_code == 1
    assert "clinics/riverbend/approvals.yaml:5: approvals.medial-branch-block.en.date: expected a date" \
        in result.output


def test_reviewed_key_is_refused_with_a_hint(ws_path):
    path = ws_path / "content/en" / f"{PROCEDURE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("updated: 2026-12-02", "reviewed: 2026-12-02"),
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        Workspace(ws_path).procedure("en", PROCEDURE)
    line = line_of(path, "reviewed:")
    assert any(str(p).startswith(f"content/en/{PROCEDURE}.yaml:{line}: reviewed: is no longer used: write "
                                 f"'updated:'") for p in exc.value.problems)


# -- the safety-text rule ----------------------------------------------------------------------------

def _with_more(ws: Path, lang: str, proc: str, key: str, text: str) -> Path:
    path = ws / "content" / lang / f"{proc}.yaml"
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"^more:\n(  .*\n|\s*\n)*", "", body, flags=re.M)
    path.write_text(body.replace("\ntimeline:", f"\nmore:\n  {key}: >-\n    {text}\n\ntimeline:", 1)
                    if "\ntimeline:" in body else body + f"\nmore:\n  {key}: >-\n    {text}\n", encoding="utf-8")
    return path


def test_safety_text_only_in_more_is_a_check_problem(run_cli, ws_path):
    path = _with_more(ws_path, "en", PROCEDURE, "aftercare",
                      "Never have diathermy, a deep heat treatment, near the needle site.")
    problems = [str(p) for p in safety_problems(Workspace(ws_path).procedure("en", PROCEDURE))]
    line = line_of(path, "  aftercare: >-")
    assert any(p.startswith(f"content/en/{PROCEDURE}.yaml:{line}: more.aftercare: safety text only in 'more'")
               and "'diathermy'" in p for p in problems), problems
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert result.exit_code == 1
    assert f"content/en/{PROCEDURE}.yaml:{line}: more.aftercare: safety text only in 'more'" in result.output


def test_spanish_safety_words_match_without_accents(ws_path):
    _with_more(ws_path, "es", PROCEDURE, "risks",
               "Si le hacen una resonancia magnética, llámenos antes. Esto casi nunca causa problemas.")
    problems = [str(p) for p in safety_problems(Workspace(ws_path).procedure("es", PROCEDURE))]
    assert any("'resonancia'" in p for p in problems)
    assert not any("'nunca'" in p for p in problems)  # "casi nunca" says how rare; it is no rule


def test_elaboration_of_what_the_main_text_says_passes(ws_path):
    procedure = Workspace(ws_path).procedure("en", PROCEDURE)
    main_words = " ".join(procedure.call_us.emergency).lower()
    _with_more(ws_path, "en", PROCEDURE, "call_us",
               "Most numbness wears off in a few hours. It is rare to need more care after this block.")
    assert safety_problems(Workspace(ws_path).procedure("en", PROCEDURE)) == []
    assert main_words  # the main text still carries the warning signs


def test_check_reports_counts_and_warns_before_expiry(ws_path):
    from handouts.check import check_workspace
    from handouts.check_report import as_text

    approved_on = dt.date(2026, 12, 31)
    found, _ = candidates(Workspace(ws_path, today=approved_on), "riverbend", (PROCEDURE,), ("en",))
    record(Workspace(ws_path, today=approved_on), "riverbend", found, "Dr. Ana Patel")
    report = check_workspace(Workspace(ws_path, today=dt.date(2027, 12, 15)), ["en"], fit=False)
    assert report.approvals["riverbend"]["approved"] == 1
    assert report.approvals["riverbend"]["never approved"] == 19
    lines = list(as_text(report))
    assert "approval: riverbend: 1 approved, 0 changed since approval, 19 never approved, 0 approval expired" in lines
    assert (f"note: warning: {PROCEDURE} (en) for riverbend: the approval by Dr. Ana Patel expires on 2027-12-31 "
            f"(within 30 days); review it and run 'handouts approve'") in lines
    early = check_workspace(Workspace(ws_path, today=dt.date(2027, 5, 1)), ["en"], fit=False)
    assert not any("expires on" in note for note in early.notes)


def test_front_desk_shows_the_state_and_asks_before_printing_a_draft(ws_path):
    from handouts.web import create_app

    app = create_app(ws_path)
    app.config.update(TESTING=True)
    client = app.test_client()
    url = f"/h/{PROCEDURE}?clinic=riverbend&lang=en&layout=one-page"
    page = client.get(url).get_data(as_text=True)
    assert "DRAFT - not approved for this clinic (never approved)" in page
    assert 'data-draft="This handout is a DRAFT' in page
    pdf = client.get(f"/pdf/{PROCEDURE}?clinic=riverbend&lang=en&layout=one-page").get_data()
    assert DRAFT_EN in re.sub(r"\s+", " ", reader(pdf).pages[0].extract_text())
    found, _ = candidates(Workspace(ws_path), "riverbend", (PROCEDURE,), ("en",))
    record(Workspace(ws_path), "riverbend", found, "Dr. Ana Patel")
    page = client.get(url).get_data(as_text=True)
    assert f"Approved by Dr. Ana Patel on {dt.date.today().isoformat()}" in page and "data-draft" not in page


def test_spanish_approval_line_and_review_listing(run_cli, ws_path):
    from babel.dates import format_date

    result = run_cli("approve", PROCEDURE, "-c", "riverbend", "--lang", "es", "--by", "Dra. Lucía Gómez", "--yes")
    assert result.exit_code == 0, result.output
    build(run_cli, "-l", "one-page", "--lang", "es")
    body = " ".join(page_texts(out(ws_path, "one-page", "es")))
    today = format_date(dt.date.today(), format="long", locale="es_US")
    assert f"Aprobado para Riverbend Pain & Spine Center por Dra. Lucía Gómez el {today}" in body
    assert "BORRADOR" not in body and "Actualizado el 2 de diciembre de 2026" in body
    listing = run_cli("review", "-c", "riverbend").output.splitlines()
    mine = next(line for line in listing if f" es   {PROCEDURE} " in line)
    assert mine.split()[3] == "approved" and "Dra. Lucía Gómez on" in mine
    assert any(f" en   {PROCEDURE} " in line and "never approved" in line for line in listing)
    assert listing[-1] == "1 approved, 0 changed since approval, 39 never approved, 0 approval expired"


def test_approve_refuses_unknown_names_and_keeps_going(run_cli, ws_path):
    result = run_cli("approve", "medial-branch-blok", PROCEDURE, "-c", "riverbend", "--lang", "en",
                     "--by", "Dr. Ana Patel", "--yes")
    assert result.exit_code == 1
    assert "no procedure 'medial-branch-blok' in content/; did you mean 'medial-branch-block'?" in result.output
    assert status_of(Workspace(ws_path), "riverbend", PROCEDURE, "en").state is State.APPROVED
    assert run_cli("approve", PROCEDURE, "-c", "riverbend", "--by", " ").exit_code == 1
