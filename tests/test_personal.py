"""Personalised handouts: the appointment panel, safe file names, a private folder, AES-256."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from pdfread import text

ROW = "{id},medial-branch-block,{lang},{layout},{name},2026-12-01,7:30 AM,Dr. Anita Patel,{note},a@example.com,{pw}\n"
HEADER = "id,procedure,lang,layout,patient_name,date,arrive,physician,note,email,password\n"


def schedule(ws_path, rows: list[dict]) -> str:
    body = "".join(ROW.format(**{"lang": "en", "layout": "one-page", "note": "", "pw": "", **row}) for row in rows)
    path = ws_path / "today.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_one_patient_from_the_command_line(run_cli, tmp_path):
    out = tmp_path / "private"
    result = run_cli("build", "medial-branch-block", "--patient-name", "María José Hernández", "--date",
                     "2026-12-01", "--arrive", "7:30", "--physician", "Dr. Anita Patel", "--note",
                     "Stop aspirin 5 days before.", "-c", "riverbend", "-o", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert files == ["medial-branch-block-2026-12-01-01.one-page.pdf"]
    body = text(out / files[0])
    for expected in ("Please arrive at:", "María José Hernández", "Tuesday, December 1, 2026", "7:30 AM",
                     "Dr. Anita Patel", "Stop aspirin 5 days before.", "When should I call?"):
        assert expected in body, expected
    assert "María" not in result.output and "Hern" not in result.output


def test_spanish_panel_uses_spanish_dates(run_cli, ws_path, tmp_path):
    out = tmp_path / "p"
    result = run_cli("build", "--schedule", schedule(ws_path, [{"id": "s1", "lang": "es", "name": "Ana Ruiz",
                                                                 "layout": "booklet"}]), "-o", str(out))
    assert result.exit_code == 0, result.output
    body = text(out / "s1.booklet.pdf")
    assert "Su cita" in body and "martes, 1 de diciembre de 2026" in body and "Ana Ruiz" in body
    assert (out / "s1.booklet-print.pdf").is_file()


def test_personalised_files_need_their_own_folder(run_cli, ws_path):
    result = run_cli("build", "medial-branch-block", "--patient-name", "Ana Ruiz")
    assert result.exit_code == 2 and "choose their folder with -o DIR" in result.output
    result = run_cli("build", "medial-branch-block", "--patient-name", "Ana Ruiz", "-o", str(ws_path / "out" / "x"))
    assert result.exit_code == 1 and "not into the shared library folder" in result.output


def test_bad_row_reported_rest_built(run_cli, ws_path, tmp_path):
    path = schedule(ws_path, [{"id": "r1", "name": "Ann One"}, {"id": "r2", "name": "Bob Two"}])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("r3,no-such-procedure,en,one-page,Cat Three,2026-12-01,7:30,,,,\n")
        handle.write("r4,medial-branch-block,en,one-page,Dan Four,2026-02-30,7:30,,,,\n")
    out = tmp_path / "p"
    result = run_cli("build", "--schedule", path, "-o", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == ["r1.one-page.pdf", "r2.one-page.pdf"]
    assert "failed  today.csv:4: procedure: the cell is not a procedure id, alias or mapped code;" in result.output
    assert "failed  today.csv:5: date: not a date; write it as YYYY-MM-DD or MM/DD/YYYY" in result.output
    for name in ("Ann", "Bob", "Cat", "Dan"):
        assert name not in result.output


def test_hostile_patient_text_stays_literal(run_cli, ws_path, tmp_path):
    hostile = '<img src="/etc/hosts"/> <a href="javascript:alert(1)">x</a> <font color=red>R&D</font> <b'
    path = schedule(ws_path, [{"id": "h1", "name": "Zed", "note": '"' + hostile.replace('"', '""') + '"'}])
    out = tmp_path / "p"
    result = run_cli("build", "--schedule", path, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert hostile in text(out / "h1.one-page.pdf")
    raw = (out / "h1.one-page.pdf").read_bytes()
    assert b"javascript" not in raw.replace(b"javascript:alert", b"")
    # The only links are the clinic's own phone and website (tagged for screen readers), never patient text.
    uris = {str(annot.get_object()["/A"]["/URI"]) for page in PdfReader(out / "h1.one-page.pdf").pages
            for annot in page.get("/Annots") or []}
    assert uris == {"tel:5415550142", "tel:5415550199", "https://www.riverbend-pain.example"}


def test_encrypted_with_password_column(run_cli, ws_path, tmp_path):
    path = schedule(ws_path, [{"id": "e1", "name": "Eve Secret", "pw": "tulip-42"}])
    out = tmp_path / "p"
    result = run_cli("build", "--schedule", path, "-o", str(out), "--encrypt")
    assert result.exit_code == 0, result.output
    assert "tulip-42" not in result.output
    pdf_path = out / "e1.one-page.pdf"
    reader = PdfReader(pdf_path)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert encrypt["/V"] == 5 and encrypt["/R"] == 6  # AES-256, PDF 2.0 security handler
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("tulip-42") != 0
    assert "Eve Secret" in reader.pages[0].extract_text()
    assert "tulip-42" not in (out / ".handouts-manifest.json").read_text()


def test_encrypted_with_date_of_birth_rule_and_poppler_agrees(run_cli, ws_path, tmp_path):
    import shutil
    import subprocess

    path = ws_path / "today.csv"
    path.write_text("id,procedure,patient_name,dob\nd1,medial-branch-block,Dee Birth,1961-03-15\n"
                    "d2,medial-branch-block,No Dob,\n", encoding="utf-8")
    out = tmp_path / "p"
    result = run_cli("build", "--schedule", str(path), "-o", str(out), "--encrypt", "--password-rule", "dob")
    assert result.exit_code == 1
    assert "failed  d2 (line 3): the 'dob' password rule needs a date of birth" in result.output
    reader = PdfReader(out / "d1.one-page.pdf")
    assert reader.decrypt("03151961") != 0 and "Dee Birth" in reader.pages[0].extract_text()
    if shutil.which("pdftotext"):
        locked = subprocess.run(["pdftotext", str(out / "d1.one-page.pdf"), "-"], capture_output=True, text=True)
        assert locked.returncode != 0
        opened = subprocess.run(["pdftotext", "-upw", "03151961", str(out / "d1.one-page.pdf"), "-"],
                                capture_output=True, text=True)
        assert opened.returncode == 0 and "Dee Birth" in opened.stdout


def test_a_second_patient_never_replaces_the_first(run_cli, tmp_path):
    out = tmp_path / "private"
    for name in ("First Patient", "Second Patient"):
        result = run_cli("build", "medial-branch-block", "--patient-name", name, "--date", "2026-12-01",
                         "-c", "riverbend", "-o", str(out))
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert files == ["medial-branch-block-2026-12-01-01.one-page.pdf", "medial-branch-block-2026-12-01-02.one-page.pdf"]
    assert "First Patient" in text(out / files[0]) and "Second Patient" in text(out / files[1])
    again = run_cli("build", "medial-branch-block", "--patient-name", "Third Patient", "--id", "visit-7",
                    "-c", "riverbend", "-o", str(out))
    assert again.exit_code == 0
    same_id = run_cli("build", "medial-branch-block", "--patient-name", "Fourth Patient", "--id", "visit-7",
                      "-c", "riverbend", "-o", str(out))
    assert same_id.exit_code == 1
    assert "visit-7.one-page.pdf already exists in the folder; give this row another id, or use --force" \
           in same_id.output
    assert "Third Patient" in text(out / "visit-7.one-page.pdf")
    forced = run_cli("build", "medial-branch-block", "--patient-name", "Fourth Patient", "--id", "visit-7",
                     "-c", "riverbend", "-o", str(out), "--force")
    assert forced.exit_code == 0 and "Fourth Patient" in text(out / "visit-7.one-page.pdf")
    for name in ("First", "Second", "Third", "Fourth"):
        assert name not in "".join(p.name for p in out.iterdir())
