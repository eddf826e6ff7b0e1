"""`handouts check`: the shipped workspace passes; every kind of mistake is reported precisely."""

from __future__ import annotations

import json

import pytest

from conftest import edit_yaml, line_of


def test_shipped_workspace_passes(run_cli):
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert "check passed" in result.output
    assert "Flesch-Kincaid grade: min" in result.output
    assert "fit: one-page: 80 of 80 targets fit" in result.output
    assert "fit: booklet: 80 of 80 targets fit" in result.output
    assert "fit: large-print: 80 of 80 targets fit" in result.output
    assert "Szigriszt-Pazos (INFLESZ): min" in result.output


def test_json_output(run_cli, ws_path):
    result = run_cli("check", "--format", "json")
    data = json.loads(result.output)
    assert data["ok"] is True
    procedures = len(list((ws_path / "content/en").glob("*.yaml")))
    assert len(data["readability"]) == 2 * procedures
    # every layout for every clinic and language, and the one-page once more with a sample patient's panel
    assert len(data["fit"]) == 2 * 2 * procedures * 4
    assert all(f["pages"] for f in data["fit"] if not f["layout"].endswith("+ patient"))
    assert all(f["pages"] == 1 for f in data["fit"] if f["layout"] == "one-page")
    assert all(row["value"] <= 6 for row in data["readability"] if row["lang"] == "en")
    assert all(row["value"] >= 65 for row in data["readability"] if row["lang"] == "es")
    assert data["notes"] == []  # every procedure exists in both languages
    in_one_process = json.loads(run_cli("check", "--format", "json", "-j", "1").output)
    assert in_one_process == data  # the worker pool proves the same fits, in the same order


def test_reports_every_problem_across_files(run_cli, ws_path):
    content = ws_path / "content/en/medial-branch-block.yaml"
    content.write_text(content.read_text().replace("title: Medial Branch Block", "title: [a, list]")
                       .replace("expected_relief: >-", "expected_relif: >-"))
    edit_yaml(ws_path / "content/en/radiofrequency-ablation.yaml",
              lambda d: d["prepare"].append("Call {{ clinic.phnoe }} with questions."))
    clinic = ws_path / "clinics/northshore/clinic.yaml"
    clinic.write_text(clinic.read_text().replace('primary: "#4b2a6b"', 'primary: "#ffff00"'))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    out = result.output
    assert "error: content/en/medial-branch-block.yaml:2: title: expected text, found a list" in out
    assert "expected_relif: unknown field; did you mean 'expected_relief'?" in out
    assert "error: content/en/radiofrequency-ablation.yaml:" in out and "clinic.phnoe" in out
    assert "error: clinics/northshore/clinic.yaml:" in out and "colours.primary: #ffff00 has contrast" in out


def test_reading_level_gate(run_cli, ws_path):
    hard = ("Intervertebral zygapophyseal articulations demonstrate considerable degenerative "
            "characteristics, necessitating comprehensive anesthetic evaluation.")

    def harder(data):
        data["what_it_is"] = " ".join([hard] * 4)
        data["expected_relief"] = " ".join([hard] * 4)
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml", harder)
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "error: content/en/medial-branch-block.yaml: reading level is grade" in result.output
    assert "the limit is 7" in result.output


def test_long_sentence_is_located(run_cli, ws_path):
    path = ws_path / "content/en/medial-branch-block.yaml"
    long = "You " + "and you " * 14 + "rest."
    edit_yaml(path, lambda d: d["prepare"].insert(1, long))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert f"error: content/en/medial-branch-block.yaml:{line_of(path, 'prepare:')}: prepare[2]: sentence of 30 " \
           "words (limit 25)" in result.output


def test_missing_interface_string(run_cli, ws_path):
    strings = ws_path / "strings/en.yaml"
    strings.write_text(strings.read_text().replace('  call_us: "When should I call?"\n', ""))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "error: strings/en.yaml: sections.call_us: missing string; every language needs it" in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fit_failure_is_reported(run_cli, ws_path, jobs):
    edit_yaml(ws_path / "content/en/medial-branch-block.yaml", lambda d: d["aftercare"].extend(
        f"Extra care step number {i} that makes the page too long to print." for i in range(12)))
    result = run_cli("check", "-j", jobs)
    assert result.exit_code == 1
    assert "'medial-branch-block' (en) does not fit one page for clinic 'riverbend'" in result.output


def test_a_placeholder_typo_does_not_hide_other_problems_and_points_at_its_line(run_cli, ws_path):
    path = ws_path / "content/en/medial-branch-block.yaml"
    long_sentence = " ".join(["word"] * 50) + "."
    path.write_text(path.read_text().replace("what_it_is: >-\n", f"what_it_is: >-\n  {long_sentence}\n"
                                             f"  Call {{{{ clinic.phnoe }}}} now.\n", 1))
    field_line = line_of(path, "what_it_is:")
    result = run_cli("check", "--no-fit", "--lang", "en")
    assert result.exit_code == 1
    assert f"content/en/medial-branch-block.yaml:{field_line + 2}: what_it_is: unknown placeholder 'clinic.phnoe'" \
        in result.output
    assert f"content/en/medial-branch-block.yaml:{field_line}: what_it_is: sentence of 50 words (limit 25)" \
        in result.output
