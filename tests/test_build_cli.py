"""`handouts build`: paths, summary, skipping, isolation of failures, and never clobbering."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit_yaml
from handouts import __version__
from handouts.manifest import MANIFEST_NAME

from pdfread import text


def pdfs(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))


def test_build_everything(run_cli, ws_path):
    result = run_cli("build")
    assert result.exit_code == 0, result.output
    out = ws_path / "out"
    names = pdfs(out)
    assert "riverbend/en/epidural-steroid-injection.one-page.pdf" in names
    assert "northshore/en/radiofrequency-ablation.one-page.pdf" in names
    procedures = len(list((ws_path / "content/en").glob("*.yaml")))
    # 2 clinics x 2 languages x (one-page, booklet + its print file, large print)
    assert len(names) == 2 * 2 * procedures * 4
    assert "riverbend/en/epidural-steroid-injection.booklet-print.pdf" in names
    assert "northshore/es/epidural-steroid-injection.large-print.pdf" in names
    handouts = 2 * 2 * procedures * 3
    assert f"{handouts} built, 0 up to date, 0 failed in " in result.output
    assert f"({len(names)} files written)" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("built ")]
    assert len(lines) == handouts  # one line per handout, as the summary counts them
    assert "built      riverbend/en/medial-branch-block.one-page.pdf" in lines
    assert "built      riverbend/en/medial-branch-block.booklet.pdf + medial-branch-block.booklet-print.pdf" in lines
    assert not list(out.rglob("*.handouts-tmp"))


def test_second_build_skips_and_an_edit_rebuilds_only_that(run_cli, ws_path):
    run_cli("build", "-l", "one-page")
    out = ws_path / "out"
    stamp = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    result = run_cli("build", "-l", "one-page")
    assert "0 built, 80 up to date, 0 failed" in result.output and result.exit_code == 0
    assert result.output.count("\nup to date riverbend/") == 40 and "skipped" not in result.output
    as_json = json.loads(run_cli("build", "-l", "one-page", "--json").output)
    assert as_json["counts"]["up_to_date"] == 80 == len(as_json["up_to_date"]) and as_json["built"] == []
    assert all(p.stat().st_mtime_ns == t for p, t in stamp.items())
    content = ws_path / "content/en/medial-branch-block.yaml"
    content.write_text(content.read_text().replace("This is a test.", "This is a short test."))
    result = run_cli("build", "-l", "one-page")
    assert "2 built" in result.output  # the English file changed; the Spanish one did not
    assert "short test" in text(out / "riverbend/en/medial-branch-block.one-page.pdf")


def test_select_procedure_clinic_and_output(run_cli, ws_path, tmp_path):
    result = run_cli("build", "medial-branch-block", "-c", "northshore", "-l", "one-page", "--lang", "en",
                     "-o", str(tmp_path / "print"))
    assert result.exit_code == 0, result.output
    assert pdfs(tmp_path / "print") == ["northshore/en/medial-branch-block.one-page.pdf"]
    assert "1 built" in result.output


def test_unknown_names_suggest_closest(run_cli):
    result = run_cli("build", "medial-brench-block")
    assert result.exit_code == 1
    assert result.output.startswith("error: no procedure 'medial-brench-block' in content/; did you mean "
                                    "'medial-branch-block'")
    result = run_cli("build", "-l", "onepage")
    assert "error: no layout 'onepage' in layouts/; did you mean 'one-page'? (there are: booklet, large-print, " \
           "one-page)" in result.output
    assert "Traceback" not in result.output


def test_every_unknown_name_lists_what_exists(run_cli):
    result = run_cli("build", "-c", "lakeside")
    assert result.exit_code == 1
    assert "error: no clinic 'lakeside' in clinics/ (there are: northshore, riverbend)" in result.output
    result = run_cli("build", "--lang", "fr")
    assert "error: no language 'fr' in content/ (there are: en, es)" in result.output
    result = run_cli("build", "no-such-thing")
    assert "radiofrequency-ablation" in result.output and "trigger-point-injection" in result.output


def test_one_broken_procedure_does_not_stop_the_batch(run_cli, ws_path):
    broken = ws_path / "content/en/medial-branch-block.yaml"
    broken.write_text(broken.read_text().replace("title: Medial Branch Block", "title: [oops"))
    result = run_cli("build")
    assert result.exit_code == 1
    assert "failed  medial-branch-block [riverbend, en, one-page]: content/en/medial-branch-block.yaml:" \
           in result.output
    assert "riverbend/en/epidural-steroid-injection.one-page.pdf" in pdfs(ws_path / "out")
    assert "6 failed" in result.output  # 2 clinics x 3 layouts of the broken (English) procedure


def test_unknown_placeholder_fails_that_target_with_location(run_cli, ws_path):
    edit_yaml(ws_path / "content/en/radiofrequency-ablation.yaml",
              lambda d: d["prepare"].append("Call {{ clinic.phnoe }} with questions."))
    result = run_cli("build", "radiofrequency-ablation", "-c", "riverbend")
    assert result.exit_code == 1
    assert "unknown placeholder 'clinic.phnoe'; did you mean 'clinic.phone'?" in result.output


def test_a_users_own_file_is_never_overwritten_unasked(run_cli, ws_path):
    target = ws_path / "out/riverbend/en/medial-branch-block.one-page.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"my own notes, not a handout")
    result = run_cli("build", "-l", "one-page")
    assert result.exit_code == 1
    assert "riverbend/en/medial-branch-block.one-page.pdf already exists and was not written by handouts" \
           in result.output
    assert target.read_bytes() == b"my own notes, not a handout"
    assert (ws_path / "out/riverbend/en/epidural-steroid-injection.one-page.pdf").is_file()
    result = run_cli("build", "-l", "one-page", "--force")
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"%PDF")


def test_a_handout_edited_by_hand_is_also_protected(run_cli, ws_path):
    run_cli("build", "-l", "one-page")
    target = ws_path / "out/northshore/en/medial-branch-block.one-page.pdf"
    target.write_bytes(target.read_bytes() + b"\n% annotated by a person\n")
    content = ws_path / "content/en/medial-branch-block.yaml"
    content.write_text(content.read_text().replace("This is a test.", "This is a short test."))
    result = run_cli("build", "medial-branch-block", "-c", "northshore")
    assert result.exit_code == 1 and "was not written by handouts (or was changed since)" in result.output
    assert target.read_bytes().endswith(b"% annotated by a person\n")


def test_stale_temporary_files_from_a_killed_build_are_cleaned(run_cli, ws_path):
    folder = ws_path / "out/riverbend/en"
    folder.mkdir(parents=True)
    dead_pid = 2 ** 22 + 12345
    litter = folder / f".medial-branch-block.one-page.pdf.{dead_pid}.abcd1234.handouts-tmp"
    litter.write_bytes(b"%PDF-1.4 half a fi")
    live = folder / f".other.pdf.{os.getpid()}.abcd1234.handouts-tmp"
    live.write_bytes(b"in progress")
    run_cli("build", "-l", "one-page")
    assert not litter.exists()
    assert live.exists()


def test_manifest_records_inputs(run_cli, ws_path):
    run_cli("build", "medial-branch-block", "-c", "riverbend")
    manifest = (ws_path / "out" / MANIFEST_NAME).read_text()
    assert '"riverbend/en/medial-branch-block.one-page.pdf"' in manifest and '"fingerprint"' in manifest


def test_help_and_version(run_cli):
    for command in ("build", "check", "list", "clean", "email", "serve"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output and "Examples:" in result.output, command
    assert run_cli("--version").output.strip() == f"handouts, version {__version__}"


def test_list(run_cli):
    result = run_cli("list")
    assert result.exit_code == 0
    assert re.search(r"epidural-steroid-injection +Epidural Steroid Injection +en", result.output)
    assert re.search(r"riverbend +Riverbend Pain & Spine Center +letter", result.output)
    assert re.search(r"northshore +Northshore Pain Clinic +a4", result.output)
    assert "one-page" in result.output


@pytest.mark.parametrize("command", [["list"], ["serve", "--port", "1"], ["check", "--no-fit"], ["build"],
                                     ["clean", "--dry-run"]])
def test_every_command_stops_outside_a_workspace(tmp_path, command):
    from handouts.cli import cli as main

    result = CliRunner().invoke(main, ["--workspace", str(tmp_path), *command])
    assert result.exit_code == 1
    assert f"error: handouts.yaml: no handouts.yaml in {tmp_path}; run handouts from a workspace folder or " \
           f"pass --workspace" in result.output


def test_a_build_warns_when_check_would_find_problems_but_still_builds(run_cli, ws_path):
    path = ws_path / "content/en/medial-branch-block.yaml"
    long_sentence = " ".join(["word"] * 50) + "."
    path.write_text(path.read_text().replace("what_it_is: >-\n", f"what_it_is: >-\n  {long_sentence}\n", 1))
    result = run_cli("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "one-page")
    assert result.exit_code == 0 and "1 built" in result.output
    assert "warning: handouts check finds 1 problem(s) in the text of what was built (the files were made); " \
           "run 'handouts check' to see them" in result.output
    clean = run_cli("build", "discography", "-c", "riverbend", "--lang", "en", "-l", "one-page")
    assert "warning" not in clean.output
    assert json.loads(run_cli("build", "medial-branch-block", "-c", "riverbend", "--lang", "en", "-l", "one-page",
                              "--force", "--json").output)["check_problems"] == 1
