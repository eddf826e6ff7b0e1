"""A schedule exported from a practice system, read through the mapping the README shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, edit_yaml
from pdfread import text


def readme_mapping() -> str:
    """The `schedule:` block exactly as the README shows it, so the README stays true."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(schedule:\n.*?)```", readme, re.S)
    assert len(blocks) == 1
    return blocks[0]


def with_mapping(ws_path: Path) -> Path:
    settings = ws_path / "handouts.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n" + readme_mapping(), encoding="utf-8")
    export = ws_path / "ehr-export.csv"
    shutil.copy(REPO / "examples/ehr-export.csv", export)
    return export


def test_dry_run_shows_how_each_column_and_row_is_read(run_cli, ws_path):
    export = with_mapping(ws_path)
    result = run_cli("build", "--schedule", str(export), "--dry-run")
    assert result.exit_code == 1  # one row has a code the clinic has not mapped
    out = result.output
    assert "column  'CPT' -> procedure" in out and "column  'Appt Date' -> date" in out
    assert "column  'Insurance' -> not used (never printed or logged)" in out
    assert "planned A-20418 (line 3): would build medial-branch-block [riverbend, en, one-page] for 2026-12-01 " \
           "at 08:00" in out
    assert "planned A-20419 (line 4): would build radiofrequency-ablation [northshore, es, one-page]" in out
    assert "failed  ehr-export.csv:7: CPT: the cell is not a procedure id, alias or mapped code" in out
    for detail in ("Ruiz", "Garcia", "99999", "MEDICARE", "M00481", "patients.example"):
        assert detail not in out
    assert not list(ws_path.rglob("*.pdf"))


def test_an_export_builds_with_its_codes_us_dates_and_12_hour_times(run_cli, ws_path, tmp_path):
    export = with_mapping(ws_path)
    out = tmp_path / "private"
    result = run_cli("build", "--schedule", str(export), "-o", str(out))
    assert result.exit_code == 1 and "5 built" in result.output and "1 failed" in result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"A-2041{i}.one-page.pdf" for i in range(7, 10)] + \
        ["A-20420.one-page.pdf", "A-20421.one-page.pdf"]
    spanish = text(out / "A-20417.one-page.pdf")
    assert "Inyección epidural de esteroides" in spanish and "martes, 1 de diciembre de 2026" in spanish
    two_codes = text(out / "A-20418.one-page.pdf")
    assert "Medial Branch Block" in two_codes and "8:00 AM" in two_codes
    assert "Northshore" in text(out / "A-20420.one-page.pdf")  # "NORTHSHORE" in the export
    for page in out.glob("*.pdf"):
        assert "MEDICARE" not in text(page) and "M00" not in text(page)  # unmapped columns never print


def test_codes_that_disagree_fail_only_their_row(run_cli, ws_path, tmp_path):
    export = with_mapping(ws_path)
    export.write_text(export.read_text().replace('"64493, 64494"', '"64493, 64635"'), encoding="utf-8")
    result = run_cli("build", "--schedule", str(export), "--dry-run")
    assert "failed  ehr-export.csv:3: CPT: the codes in this cell name different handouts " \
           "(medial-branch-block, radiofrequency-ablation)" in result.output
    assert "planned A-20417 (line 2)" in result.output


def test_our_own_column_names_still_work_beside_a_mapping(run_cli, ws_path, tmp_path):
    with_mapping(ws_path)
    sample = ws_path / "today.csv"
    shutil.copy(REPO / "examples/schedule.csv", sample)
    result = run_cli("build", "--schedule", str(sample), "--dry-run")
    assert "planned appt-001 (line 2): would build epidural-steroid-injection [northshore, es, one-page]" \
        in result.output


def test_a_mapping_with_mistakes_is_reported_by_check(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(schedule={
        "columns": {"patient_nmae": "Patient"},
        "codes": {"64493": "medial-branch-block", "medial-branch-blok": [64494], "facet-joint-injection": [64493]},
        "date_format": "nonsense"}))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    out = result.output
    assert "schedule.columns.patient_nmae: unknown field; did you mean 'patient_name'?" in out
    assert "code '64493' is mapped to both medial-branch-block" in out
    assert "schedule.date_format: is not a date format" in out


def test_a_code_mapped_to_a_missing_procedure_is_reported_by_check(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(schedule={"codes": {"medial-branch-blok": [64494]}}))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "schedule.codes: code '64494' is mapped to 'medial-branch-blok', which is not a procedure in content/; " \
           "did you mean 'medial-branch-block'?" in result.output


def test_a_clinic_date_format_and_aliases(run_cli, ws_path):
    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(schedule={"date_format": "%d.%m.%Y"}))
    sample = ws_path / "today.csv"
    sample.write_text("procedure,patient_name,date,arrive,clinic\nRFA,Pat One,25.12.2026,1730,Riverbend\n"
                      "medial branch block,Pat Two,12/24/2026,7 pm,riverbend\n", encoding="utf-8")
    result = run_cli("build", "--schedule", str(sample), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would build radiofrequency-ablation [riverbend, en, one-page] for 2026-12-25 at 17:30" in result.output
    assert "would build medial-branch-block [riverbend, en, one-page] for 2026-12-24 at 19:00" in result.output
