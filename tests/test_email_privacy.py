"""E-mail privacy by default (issue 17): nothing about the visit shows outside the message,
attachments carry a password unless the patient asked for plain e-mail, and staff can see
before sending what each row would get."""

from __future__ import annotations

import io
import shutil
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from conftest import REPO, edit_yaml
from test_email import attachment, pdf_text, preview_text, yaml_title

HEADER = "id,procedure,lang,patient_name,date,email,dob,password,plain_email\n"
ROWS = ("r1,medial-branch-block,en,Ana Ruiz,2026-12-01,ana@patients.example,1950-01-01,pw-one,\n"
        "r2,epidural-steroid-injection,es,Luis Garcia,2026-12-01,luis@patients.example,1951-02-02,pw-two,yes\n")


def write_schedule(ws_path, rows: str = ROWS) -> str:
    path = ws_path / "today.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


def drafts_of(folder) -> dict:
    return {path.stem: message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(folder.glob("*.eml"))}


def encrypted(message) -> bool:
    return PdfReader(io.BytesIO(attachment(message))).is_encrypted


def test_the_sample_schedule_drafts_are_neutral_and_encrypted_except_plain_email(run_cli, ws_path, tmp_path):
    schedule = ws_path / "schedule.csv"
    shutil.copy(REPO / "examples/schedule.csv", schedule)
    result = run_cli("email", "--schedule", str(schedule), "--drafts", str(tmp_path / "drafts"))
    assert result.exit_code == 0, result.output
    assert "30 built" in result.output and "2 unencrypted (plain_email: 2)" in result.output
    drafts = drafts_of(tmp_path / "drafts")
    assert len(drafts) == 30
    expected = {"en": ("Information for your visit at ", "visit-information.pdf"),
                "es": ("Información para su visita a ", "informacion-de-su-visita.pdf")}
    titles = {lang: [yaml_title(p) for p in (REPO / "content" / lang).glob("*.yaml")] for lang in expected}
    languages = set()
    for key, message in drafts.items():
        lang = "es" if message.get_body(("plain",)).get_content().startswith("Estimado") else "en"
        languages.add(lang)
        subject, filename = expected[lang]
        assert message["Subject"].startswith(subject), key
        assert not any(word in message["Subject"] for word in ("2026", "diciembre", "December")), key
        assert next(message.iter_attachments()).get_filename() == filename, key
        assert encrypted(message) == (key not in ("appt-006", "appt-013")), key
        preview = preview_text(message).lower()
        assert not any(title.lower() in preview for title in titles[lang]), (key, preview)
    assert languages == {"en", "es"}
    ana = drafts["appt-001"]  # Spanish, encrypted with her date of birth; the procedure after the preview
    assert "Ana Ruiz" in pdf_text(attachment(ana), "01011950")
    body = ana.get_body(("plain",)).get_content()
    assert body.index("Le enviamos información") < body.index("fecha de nacimiento") < \
           body.index("Su procedimiento: inyección epidural de esteroides")


def test_a_row_that_cannot_be_protected_is_not_sent_and_the_rest_go_on(run_cli, ws_path, tmp_path):
    rows = ROWS + "r3,medial-branch-block,en,Rosa Diaz,2026-12-01,rosa@patients.example,,,\n"
    result = run_cli("email", "--schedule", write_schedule(ws_path, rows), "--drafts", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "failed  r3 (line 4): the 'dob' password rule needs a date of birth in the 'dob' column" in result.output
    assert sorted(drafts_of(tmp_path / "d")) == ["r1", "r2"]


@pytest.mark.parametrize("option, expected", [("--no-encrypt", {"r1": False, "r2": False}),
                                              ("--encrypt", {"r1": True, "r2": True}),
                                              (None, {"r1": True, "r2": False})])
def test_encrypt_options_decide_for_every_row_of_a_run(run_cli, ws_path, tmp_path, option, expected):
    args = ["email", "--schedule", write_schedule(ws_path), "--drafts", str(tmp_path / "d")]
    result = run_cli(*args, *([option] if option else []))
    assert result.exit_code == 0, result.output
    assert {key: encrypted(message) for key, message in drafts_of(tmp_path / "d").items()} == expected
    if option == "--no-encrypt":
        assert "2 unencrypted (--no-encrypt: 2)" in result.output
    if option == "--encrypt":
        assert "every attachment encrypted" in result.output


def test_workspace_settings_choose_encryption_and_password_rule(run_cli, ws_path, tmp_path):
    edit_yaml(ws_path / "handouts.yaml", lambda data: data["email"].update(password_rule="column"))
    result = run_cli("email", "--schedule", write_schedule(ws_path), "--drafts", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert "Ana Ruiz" in pdf_text(attachment(drafts_of(tmp_path / "d")["r1"]), "pw-one")
    edit_yaml(ws_path / "handouts.yaml", lambda data: data["email"].update(encrypt=False))
    result = run_cli("email", "--schedule", write_schedule(ws_path), "--dry-run")
    assert "NOT encrypted (email.encrypt: false)" in result.output and "NOT encrypted (plain_email)" in result.output
    edit_yaml(ws_path / "handouts.yaml", lambda data: data["email"].update(encrypt="sometimes"))
    checked = run_cli("check", "--no-fit")
    assert checked.exit_code == 1 and "email.encrypt: expected true or false" in checked.output


def test_plain_email_takes_yes_or_nothing(run_cli, ws_path):
    rows = ROWS + "r3,medial-branch-block,en,Rosa Diaz,2026-12-01,rosa@patients.example,1960-01-01,,perhaps\n"
    result = run_cli("email", "--schedule", write_schedule(ws_path, rows), "--dry-run")
    assert result.exit_code == 1
    assert "failed  today.csv:4: plain_email: write yes, or leave it empty for no" in result.output
    assert "perhaps" not in result.output


def test_dry_run_shows_each_rows_encryption_and_subject_without_patient_details(run_cli, ws_path):
    own = ws_path / "clinics/riverbend/email/en"
    own.mkdir(parents=True)
    (own / "subject.txt").write_text("{{ patient.name }}: {{ procedure.title }}{% if patient.date %} on "
                                     "{{ patient.date }}{% endif %}\n", encoding="utf-8")
    result = run_cli("email", "--schedule", write_schedule(ws_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert ("planned r1 (line 2): would e-mail a***@patients.example: medial-branch-block [en, one-page], "
            "encrypted (password: date of birth), subject \"[patient.name]: Medial Branch Block on "
            "[patient.date]\"") in result.output
    assert ("planned r2 (line 3): would e-mail l***@patients.example: epidural-steroid-injection [es, one-page], "
            "NOT encrypted (plain_email), subject \"Información para su visita a Riverbend Pain & Spine "
            "Center\"") in result.output
    assert "Ana Ruiz" not in result.output and "December" not in result.output


def test_check_warns_when_a_subject_or_attachment_name_shows_health_details(run_cli, ws_path):
    shipped = run_cli("check", "--no-fit")
    assert shipped.exit_code == 0, shipped.output
    assert "mail-server logs" not in shipped.output
    own = ws_path / "clinics/northshore/email/es"
    own.mkdir(parents=True)
    (own / "subject.txt").write_text("Su {{ procedure.title | lower }} el {{ patient['date'] }}\n", encoding="utf-8")
    (own / "attachment.txt").write_text("{{ procedure.id }}.pdf\n", encoding="utf-8")
    (own / "body.txt").write_text("{{ procedure.title }} {{ patient.date }}\n", encoding="utf-8")  # inside: fine
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert ("note: clinics/northshore/email/es/subject.txt: the subject uses procedure.*, patient.date; it shows "
            "on lock screens, in notification previews and in mail-server logs") in result.output
    assert "note: clinics/northshore/email/es/attachment.txt: the attachment's file name uses procedure.*" \
           in result.output
    assert "body.txt" not in result.output
