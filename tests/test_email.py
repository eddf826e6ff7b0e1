"""E-mail: drafts, and a real SMTP server on loopback (plain, STARTTLS, implicit TLS)."""

from __future__ import annotations

import io
import re
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from conftest import REPO
from smtpserver import start

HEADER = "id,procedure,lang,layout,patient_name,date,arrive,physician,note,email,password,dob\n"


def dob_password(i: int) -> str:
    """The 'dob' rule's password (MMDDYYYY) for row i of `schedule`."""
    return f"03{10 + i:02d}19{50 + i:02d}"


def schedule(ws_path, count: int = 3, extra: str = "") -> str:
    rows = "".join(f"m{i},medial-branch-block,{'es' if i % 2 else 'en'},one-page,Patient Number{i},2026-12-01,"
                   f"8:15,Dr. Chen,Bring your pain diary.,p{i}@patients.example,pw-{i}-secret,"
                   f"19{50 + i:02d}-03-{10 + i:02d}\n"
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


def preview_text(message, length: int = 160) -> str:
    """What a lock screen or inbox list shows: the first characters of the plain body and of
    the HTML's visible text (after the clinic's name in the band), whitespace collapsed."""
    plain = " ".join(message.get_body(("plain",)).get_content().split())[:length]
    html = message.get_body(("html",)).get_content()
    visible = " ".join(re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1].split(">", 1)[1]).split())
    return plain + " | " + visible[:length]


def yaml_title(path) -> str:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["title"]


def test_drafts(run_cli, ws_path, tmp_path):
    drafts = tmp_path / "drafts"
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(drafts))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in drafts.glob("*.eml")) == ["m1.eml", "m2.eml"]
    message = message_from_bytes((drafts / "m2.eml").read_bytes(), policy=policy.default)
    assert message["From"] == "Riverbend Pain & Spine Center <frontdesk@riverbend-pain.example>"
    assert message["To"] == "Patient Number2 <p2@patients.example>"
    assert message["Subject"] == "Information for your visit at Riverbend Pain & Spine Center"
    assert message["X-Unsent"] == "1" and message["Message-ID"]
    assert "Dear Patient Number2" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "width=device-width" in html and 'href="tel:(541)' not in html and 'href="tel:5415550142"' in html
    part = next(message.iter_attachments())
    assert part.get_filename() == "visit-information.pdf" and part.get_content_type() == "application/pdf"
    assert PdfReader(io.BytesIO(part.get_content())).is_encrypted  # by default, with the date of birth
    assert "Patient Number2" in pdf_text(part.get_content(), dob_password(2))
    spanish = message_from_bytes((drafts / "m1.eml").read_bytes(), policy=policy.default)
    assert spanish["Subject"] == "Información para su visita a Riverbend Pain & Spine Center"
    assert next(spanish.iter_attachments()).get_filename() == "informacion-de-su-visita.pdf"
    assert "Estimado/a Patient Number1" in spanish.get_body(("plain",)).get_content()


@pytest.mark.parametrize("mode", ["none", "starttls", "ssl"])
def test_smtp_delivery(run_cli, ws_path, tmp_path, mode):
    controller, collector, port = start(mode, tmp_path)
    try:
        args = ["email", "--schedule", schedule(ws_path, 3), "--smtp", f"127.0.0.1:{port}", "--tls", mode,
                "--encrypt", "--password-rule", "column"]
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
            'x1@patients.example,pw,1960-01-01\n'
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
    assert "planned m1 (line 2): would e-mail p***@patients.example: medial-branch-block [es, one-page], " \
           "encrypted (password: date of birth), subject \"Información para su visita a Riverbend Pain & Spine " \
           "Center\"" in result.output
    assert "p1@patients.example" not in result.output


def test_the_sample_schedule_end_to_end(run_cli, ws_path, tmp_path):
    """The shipped 30-row sample plus one bad row: 30 handouts, 30 messages, the bad row reported."""
    import shutil

    schedule = ws_path / "today.csv"
    shutil.copy(REPO / "examples/schedule.csv", schedule)
    with open(schedule, "a", encoding="utf-8") as handle:
        handle.write("appt-bad,riverbend,no-such-procedure,en,one-page,Bad Row,2026-12-03,9:00,Dr. Chen,,"
                     "bad.row@patients.example,1960-01-01\n")
    out = tmp_path / "today"
    built = run_cli("build", "--schedule", str(schedule), "-o", str(out), "--encrypt", "--password-rule", "dob")
    assert built.exit_code == 1
    assert "30 built" in built.output and "1 failed" in built.output
    assert "failed  today.csv:32: procedure: the cell is not a procedure id, alias or mapped code" in built.output
    assert len(list(out.glob("appt-0*.pdf"))) == 30 + 6  # booklets also have their print file
    controller, collector, port = start("starttls", tmp_path)
    try:
            sent = run_cli("email", "--schedule", str(schedule), "--smtp", f"127.0.0.1:{port}",
                       "--insecure-local-test")  # encryption and the dob rule come from handouts.yaml
    finally:
        controller.stop()
    assert sent.exit_code == 1 and "30 sent" in sent.output and "1 failed" in sent.output
    assert "2 unencrypted (plain_email: 2)" in sent.output
    assert len(collector.messages) == 30
    first = collector.messages[0]
    assert first["To"] == "Ana Ruiz <ana.ruiz@patients.example>"
    assert "Ana Ruiz" in pdf_text(attachment(first), "01011950")
    plain_rows = {"robert.brown@patients.example", "elena.perez@patients.example"}  # plain_email = yes
    neutral = {"en": ("Information for your visit at ", "visit-information.pdf"),
               "es": ("Información para su visita a ", "informacion-de-su-visita.pdf")}
    titles = {lang: [yaml_title(path) for path in (REPO / "content" / lang).glob("*.yaml")] for lang in neutral}
    for message in collector.messages:
        lang = "es" if message["Subject"].startswith("Información") else "en"
        prefix, filename = neutral[lang]
        assert message["Subject"] in (prefix + "Riverbend Pain & Spine Center", prefix + "Northshore Pain Clinic")
        assert next(message.iter_attachments()).get_filename() == filename
        encrypted = PdfReader(io.BytesIO(attachment(message))).is_encrypted
        assert encrypted == (message["To"].addresses[0].addr_spec not in plain_rows), message["To"]
        preview = preview_text(message)
        assert not any(title.lower() in preview.lower() for title in titles[lang]), preview


def test_a_clinic_can_override_the_email_templates(run_cli, ws_path, tmp_path):
    import shutil

    own = ws_path / "clinics/riverbend/email/en"
    own.mkdir(parents=True)  # only the subject: the other templates still come from templates/email/en
    (own / "subject.txt").write_text("Riverbend reminder: {{ procedure.title }}\n", encoding="utf-8")
    (own / "attachment.txt").write_text("{{ procedure.id }}\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(drafts))
    english = message_from_bytes((drafts / "m2.eml").read_bytes(), policy=policy.default)
    assert english["Subject"] == "Riverbend reminder: Medial Branch Block"
    assert next(english.iter_attachments()).get_filename() == "medial-branch-block.pdf"
    assert "Dear Patient Number2" in english.get_body(("plain",)).get_content()
    spanish = message_from_bytes((drafts / "m1.eml").read_bytes(), policy=policy.default)
    assert spanish["Subject"] == "Información para su visita a Riverbend Pain & Spine Center"  # no override


def test_a_broken_template_is_a_located_error_for_that_row(run_cli, ws_path, tmp_path):
    (ws_path / "templates/email/en/body.txt").write_text("Dear {{ patient.nmae }}\n", encoding="utf-8")
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "failed  m2 (line 3): templates/email/en/body.txt: template error:" in result.output
    assert "1 built" in result.output  # the Spanish row still got its draft


# -- hardening: one bad input never stops a batch (issue 15.6), TLS checks only off for loopback (15.12)

MALFORMED = ("a..b@x.example", ".a@x.example", "a[b@x.example", "x@[127.0.0.1].example")


def test_malformed_addresses_fail_their_own_row_and_the_rest_are_sent(run_cli, ws_path, tmp_path):
    bad = "".join(f'bad{i},medial-branch-block,en,one-page,Bad Row{i},2026-12-01,8:15,,,"{address}",pw,1960-01-01\n'
                  for i, address in enumerate(MALFORMED, 1))
    path = ws_path / "today.csv"
    path.write_text(open(schedule(ws_path, 2)).read().replace(HEADER, HEADER + bad), encoding="utf-8")
    controller, collector, port = start("none", tmp_path)
    try:
        result = run_cli("email", "--schedule", str(path), "--smtp", f"127.0.0.1:{port}", "--tls", "none")
    finally:
        controller.stop()
    assert result.exit_code == 1
    for line in (2, 3, 4, 5):
        assert f"failed  today.csv:{line}: email: not a valid e-mail address" in result.output
    assert "2 sent" in result.output and "4 failed" in result.output
    assert sorted(address for envelope in collector.envelopes for address in envelope.rcpt_tos) == \
           ["p1@patients.example", "p2@patients.example"]
    assert not any(address in result.output for address in MALFORMED)


def test_a_malformed_address_for_one_patient_is_a_clear_error(run_cli, ws_path, tmp_path):
    result = run_cli("email", "medial-branch-block", "--patient-name", "Ana Ruiz", "--email", "a..b@x.example",
                     "--no-encrypt", "--drafts", str(tmp_path / "drafts"))
    assert result.exit_code == 1
    assert "--email: not a valid e-mail address" in result.output and "a..b" not in result.output
    assert not list((tmp_path / "drafts").glob("*.eml"))


@pytest.mark.parametrize("address", MALFORMED + ("ana@", "ana ruiz@x.example", "josé@x.example", "a@localhost"))
def test_addresses_a_header_cannot_hold_are_refused(address):
    from handouts.addresses import checked_address

    assert checked_address(address)[1]


def test_good_addresses_pass_and_international_domains_are_sent_in_ascii():
    from handouts.addresses import checked_address

    assert checked_address("ana.ruiz+clinic@patients.example") == ("ana.ruiz+clinic@patients.example", None)
    assert checked_address("ana@exämple.example") == ("ana@xn--exmple-cua.example", None)
    assert checked_address("") == ("", None)


def test_a_malformed_clinic_address_is_a_check_error(run_cli, ws_path):
    from conftest import edit_yaml

    edit_yaml(ws_path / "clinics/riverbend/clinic.yaml", lambda data: data.update(email="desk..x@riverbend.example"))
    result = run_cli("check", "--no-fit")
    assert result.exit_code == 1
    assert "clinics/riverbend/clinic.yaml" in result.output and "email:" in result.output


@pytest.mark.parametrize("statement, tag", [('{% include "body.txt" %}', "include"),
                                            ('{% import "body.txt" as other %}', "import"),
                                            ('{% from "body.txt" import x %}', "import"),
                                            ('{% extends "body.txt" %}', "extends")])
def test_a_template_that_loads_another_fails_its_rows_with_a_located_error(run_cli, ws_path, tmp_path, statement,
                                                                            tag):
    path = ws_path / "templates/email/en/body.html"
    path.write_text("<p>Hello</p>\n" + statement + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("email", "--schedule", schedule(ws_path, 2), "--drafts", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert (f"failed  m2 (line 3): templates/email/en/body.html:2: {{% {tag} %}} is not supported in e-mail "
            f"templates") in result.output
    assert "1 built" in result.output and (tmp_path / "d/m1.eml").is_file()  # the Spanish row went on
    checked = run_cli("check", "--no-fit")
    assert checked.exit_code == 1
    assert f"error: templates/email/en/body.html:2: {{% {tag} %}} is not supported" in checked.output


def test_insecure_local_test_is_refused_for_a_server_elsewhere(run_cli, ws_path):
    result = run_cli("email", "--schedule", schedule(ws_path, 1), "--smtp", "mail.example.org:587",
                     "--insecure-local-test")
    assert result.exit_code == 1
    assert "--insecure-local-test" in result.output and "only to a test server on this machine" in result.output


@pytest.mark.parametrize("host, allowed", [("localhost", True), ("127.0.0.1", True), ("127.3.2.1", True),
                                           ("[::1]", True), ("mail.example.org", False), ("10.0.0.5", False),
                                           ("[2001:db8::1]", False), ("localhost.evil.example", False),
                                           ("127.0.0.1.nip.io", False)])
def test_certificate_checks_may_be_skipped_only_on_loopback(host, allowed):
    from handouts.mail import MailError, SmtpSettings

    if allowed:
        assert SmtpSettings.parse(f"{host}:2525", "starttls", False, None, {}).verify is False
    else:
        with pytest.raises(MailError, match="only to a test server on this machine"):
            SmtpSettings.parse(f"{host}:587", "starttls", False, None, {})
    assert SmtpSettings.parse(f"{host}:587", "starttls", True, None, {}).verify is True


def test_one_patient_without_an_address_or_birth_date_is_told_which_option_to_give(run_cli):
    no_dob = run_cli("email", "medial-branch-block", "--patient-name", "Ana Ruiz", "--dry-run")
    assert no_dob.exit_code == 1
    assert "the 'dob' password rule needs a date of birth; give the patient's (--dob on the command line)" \
        in no_dob.output
    no_address = run_cli("email", "medial-branch-block", "--patient-name", "Ana Ruiz", "--dob", "1950-01-01",
                         "--dry-run")
    assert "no e-mail address: give the patient's address with --email" in no_address.output
    assert "column" not in no_address.output and "Ana" not in no_address.output
