"""E-mail: drafts, and a real SMTP server on loopback (plain, STARTTLS, implicit TLS)."""

from __future__ import annotations

import io
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from smtpserver import start

HEADER = "id,procedure,lang,layout,patient_name,date,arrive,physician,note,email,password\n"


def schedule(ws_path, count: int = 3, extra: str = "") -> str:
    rows = "".join(f"m{i},medial-branch-block,{'es' if i % 2 else 'en'},one-page,Patient Number{i},2026-12-01,"
                   f"8:15,Dr. Chen,Bring your pain diary.,p{i}@patients.example,pw-{i}-secret\n"
                   for i in range(1, count + 1))
    path = ws_path / "today.csv"
    path.write_text(HEADER + rows + extra, encoding="utf-8")
    return str(path)


def pdf_text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password:
        assert reader.decrypt(password) != 0
    return " ".join(page.extract_text() for page in reader.pages)


def attachment(message) -> bytes:
    return next(part.get_content() for part in message.iter_attachments())


def test_drafts(run_cli, ws_path, tmp_path):
    drafts = tmp_path / "drafts"
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(drafts))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in drafts.glob("*.eml")) == ["m1.eml", "m2.eml"]
    message = message_from_bytes((drafts / "m2.eml").read_bytes(), policy=policy.default)
    assert message["From"] == "Riverbend Pain & Spine Center <frontdesk@riverbend-pain.example>"
    assert message["To"] == "Patient Number2 <p2@patients.example>"
    assert message["Subject"] == "Your Medial Branch Block at Riverbend Pain & Spine Center on Tuesday, " \
                                 "December 1, 2026"
    assert message["X-Unsent"] == "1" and message["Message-ID"]
    assert "Dear Patient Number2" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "width=device-width" in html and 'href="tel:(541)' not in html and 'href="tel:5415550142"' in html
    part = next(message.iter_attachments())
    assert part.get_filename() == "medial-branch-block.pdf" and part.get_content_type() == "application/pdf"
    assert "Patient Number2" in pdf_text(part.get_content())
    spanish = message_from_bytes((drafts / "m1.eml").read_bytes(), policy=policy.default)
    assert spanish["Subject"].startswith("Su bloqueo de rama medial") or "Northshore" not in spanish["Subject"]
    assert "Estimado/a Patient Number1" in spanish.get_body(("plain",)).get_content()


@pytest.mark.parametrize("mode", ["none", "starttls", "ssl"])
def test_smtp_delivery(run_cli, ws_path, tmp_path, mode):
    controller, collector, port = start(mode, tmp_path)
    try:
        args = ["email", "--schedule", schedule(ws_path, 3), "--smtp", f"127.0.0.1:{port}", "--tls", mode,
                "--encrypt"]
        if mode != "none":
            args.append("--insecure-local-test")
        result = run_cli(*args)
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert len(collector.messages) == 3
    message = collector.messages[0]
    assert message["To"] == "Patient Number1 <p1@patients.example>"
    assert message.get_body(("plain",)) and message.get_body(("html",))
    data = attachment(message)
    assert PdfReader(io.BytesIO(data)).is_encrypted
    assert "Patient Number1" in pdf_text(data, "pw-1-secret")
    assert "pw-1-secret" not in result.output and "Patient Number" not in result.output


def test_certificates_are_verified_by_default(run_cli, ws_path, tmp_path):
    controller, collector, port = start("starttls", tmp_path)
    try:
        result = run_cli("email", "--schedule", schedule(ws_path, 1), "--smtp", f"127.0.0.1:{port}")
    finally:
        controller.stop()
    assert result.exit_code == 1
    assert "certificate could not be verified" in result.output
    assert collector.messages == []


def test_one_refused_recipient_does_not_stop_the_rest_and_rerun_skips_sent(run_cli, ws_path, tmp_path):
    path = schedule(ws_path, 4)
    controller, collector, port = start("none", tmp_path, refuse={"p2@patients.example"})
    try:
        first = run_cli("email", "--schedule", path, "--smtp", f"127.0.0.1:{port}", "--tls", "none")
        assert first.exit_code == 1
        assert "failed  m2 (line 3): the server refused the recipient's address" in first.output
        assert len(collector.messages) == 3
        collector.refuse.clear()
        second = run_cli("email", "--schedule", path, "--smtp", f"127.0.0.1:{port}", "--tls", "none")
    finally:
        controller.stop()
    assert second.exit_code == 0, second.output
    assert "3 skipped" in second.output and "1 sent" in second.output
    assert len(collector.messages) == 4
    log = (ws_path / "today.sent.jsonl").read_text()
    assert "Patient Number" not in log and "patients.example" not in log and "2026-12-01" not in log


def test_plain_smtp_only_to_loopback_and_password_only_from_environment(run_cli, ws_path, monkeypatch):
    path = schedule(ws_path, 1)
    result = run_cli("email", "--schedule", path, "--smtp", "mail.example.org:25", "--tls", "none")
    assert result.exit_code == 1 and "allowed only to a server on this machine" in result.output
    monkeypatch.delenv("HANDOUTS_SMTP_PASSWORD", raising=False)
    result = run_cli("email", "--schedule", path, "--smtp", "127.0.0.1:2525", "--user", "desk")
    assert result.exit_code == 1 and "HANDOUTS_SMTP_PASSWORD" in result.output
    result = run_cli("email", "--schedule", path, "--smtp", "127.0.0.1:2525", "--password", "x")
    assert result.exit_code == 2  # there is no such option


def test_login_with_password_from_environment(run_cli, ws_path, tmp_path, monkeypatch):
    from aiosmtpd.smtp import AuthResult

    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    from aiosmtpd.controller import Controller

    from smtpserver import Collector, free_port, self_signed

    collector, port = Collector(), free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port, tls_context=self_signed(tmp_path),
                            require_starttls=True, authenticator=authenticator, auth_required=True)
    controller.start()
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "s3cret")
    try:
        result = run_cli("email", "--schedule", schedule(ws_path, 1), "--smtp", f"127.0.0.1:{port}",
                         "--user", "desk", "--insecure-local-test")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert seen == [(b"desk", b"s3cret")] and len(collector.messages) == 1


def test_header_injection_is_impossible(run_cli, ws_path, tmp_path):
    extra = 'x1,medial-branch-block,en,one-page,"Mallory\r\nBcc: victim@evil.example",2026-12-01,8:15,,,' \
            'x1@patients.example,pw\n'
    controller, collector, port = start("none", tmp_path)
    try:
        result = run_cli("email", "--schedule", schedule(ws_path, 0, extra), "--smtp", f"127.0.0.1:{port}",
                         "--tls", "none")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    message = collector.messages[0]
    assert message["Bcc"] is None
    assert collector.envelopes[0].rcpt_tos == ["x1@patients.example"]
    assert message["To"].addresses[0].display_name == "Mallory Bcc: victim@evil.example"


def test_dry_run_sends_nothing_and_masks_addresses(run_cli, ws_path):
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--dry-run")
    assert result.exit_code == 0
    assert "planned m1 (line 2): would e-mail p***@patients.example: medial-branch-block [es, one-page]" \
           in result.output
    assert "p1@patients.example" not in result.output


def test_the_sample_schedule_end_to_end(run_cli, ws_path, tmp_path):
    """The shipped 30-row sample plus one bad row: 30 handouts, 30 messages, the bad row reported."""
    import shutil

    from conftest import REPO

    schedule = ws_path / "today.csv"
    shutil.copy(REPO / "examples/schedule.csv", schedule)
    with open(schedule, "a", encoding="utf-8") as handle:
        handle.write("appt-bad,riverbend,no-such-procedure,en,one-page,Bad Row,2026-12-03,9:00,Dr. Chen,,"
                     "bad.row@patients.example,1960-01-01\n")
    out = tmp_path / "today"
    built = run_cli("build", "--schedule", str(schedule), "-o", str(out), "--encrypt", "--password-rule", "dob")
    assert built.exit_code == 1
    assert "30 built" in built.output and "1 failed" in built.output
    assert "failed  line 32: today.csv:32: procedure: unknown procedure" in built.output
    assert len(list(out.glob("appt-0*.pdf"))) == 30 + 6  # booklets also have their print file
    controller, collector, port = start("starttls", tmp_path)
    try:
        sent = run_cli("email", "--schedule", str(schedule), "--smtp", f"127.0.0.1:{port}",
                       "--insecure-local-test", "--encrypt", "--password-rule", "dob")
    finally:
        controller.stop()
    assert sent.exit_code == 1 and "30 sent" in sent.output and "1 failed" in sent.output
    assert len(collector.messages) == 30
    first = collector.messages[0]
    assert first["To"] == "Ana Ruiz <ana.ruiz@patients.example>"
    assert "Ana Ruiz" in pdf_text(attachment(first), "01011950")


def test_a_clinic_can_override_the_email_templates(run_cli, ws_path, tmp_path):
    import shutil

    own = ws_path / "clinics/riverbend/email/en"
    shutil.copytree(ws_path / "templates/email/en", own)
    (own / "subject.txt").write_text("Riverbend reminder: {{ procedure.title }}\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(drafts))
    english = message_from_bytes((drafts / "m2.eml").read_bytes(), policy=policy.default)
    assert english["Subject"] == "Riverbend reminder: Medial Branch Block"
    spanish = message_from_bytes((drafts / "m1.eml").read_bytes(), policy=policy.default)
    assert spanish["Subject"].startswith("Su bloqueo de rama medial")  # no clinic override for Spanish


def test_a_broken_template_is_a_located_error_for_that_row(run_cli, ws_path, tmp_path):
    (ws_path / "templates/email/en/body.txt").write_text("Dear {{ patient.nmae }}\n", encoding="utf-8")
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "failed  m2 (line 3): templates/email/en/body.txt: template error:" in result.output
    assert "1 built" in result.output  # the Spanish row still got its draft
