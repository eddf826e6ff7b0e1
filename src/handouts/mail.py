"""E-mail each patient on a schedule their personalised handout: as .eml drafts, or by SMTP.

Subject, attachment name and bodies come from Jinja2 templates in the workspace (see
mail_templates). Headers are built with the standard library's address objects from addresses
checked per row (addresses), and every patient value was made a single line when the schedule
was read, so no value can inject a header. The SMTP password comes only from the
environment. A send log lets a re-run skip patients already sent.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.errors import MessageError
from typing import Any

from .addresses import checked_address
from .errors import HandoutsError
from .mail_templates import attachment_name, find_template, render
from .patient import clean
from .personal import PersonalOptions, personal_files
from .schedule import ScheduleRow
from .workspace import Workspace

PASSWORD_ENV = "HANDOUTS_SMTP_PASSWORD"
USER_ENV = "HANDOUTS_SMTP_USER"


class MailError(HandoutsError):
    """A problem with e-mail settings or delivery, stated without patient details."""


def _digits(phone: str) -> str:
    return re.sub(r"[^0-9+]", "", phone)


def _patient_context(workspace: Workspace, row: ScheduleRow) -> dict[str, str]:
    strings = workspace.strings(row.lang)
    patient = row.patient
    return {"name": patient.name, "physician": patient.physician, "note": patient.note,
            "date": strings.format_date(patient.date, "full") if patient.date else "",
            "arrive": strings.format_time(patient.arrive) if patient.arrive else ""}


def _context(workspace: Workspace, row: ScheduleRow, options: PersonalOptions,
             patient: dict[str, str]) -> dict[str, Any]:
    clinic = workspace.clinic(row.clinic)
    procedure = workspace.procedure(row.lang, row.procedure)
    return {
        "patient": patient,
        "clinic": {**clinic.template_context(), "phone_digits": _digits(clinic.phone),
                   "after_hours_digits": _digits(clinic.after_hours_phone)},
        "colours": {"primary": clinic.colours.primary, "accent": clinic.colours.accent},
        "procedure": {"id": procedure.id, "title": procedure.title},
        "protected": options.encrypt, "password_rule": options.password_rule,
    }


def _render(workspace: Workspace, row: ScheduleRow, name: str, context: dict[str, Any]) -> str:
    return render(find_template(workspace, row.clinic, row.lang, name), context)


def recipient(row: ScheduleRow) -> str:
    """The row's e-mail address; a row without a usable one fails on its own."""
    if not row.patient.email:
        raise MailError("no e-mail address for this row (the 'email' column is empty)" if row.line else
                        "no e-mail address: give the patient's address with --email")
    address, problem = checked_address(row.patient.email)
    if problem:
        raise MailError(f"email: {problem}")
    return address


def subject_preview(workspace: Workspace, row: ScheduleRow, options: PersonalOptions) -> str:
    """The subject as it would be sent, with each patient detail shown as its placeholder
    (`[patient.name]`), so a dry run can be read aloud without disclosing anything."""
    placeholders = {key: f"[patient.{key}]" if value else "" for key, value in _patient_context(workspace, row).items()}
    return clean(_render(workspace, row, "subject.txt", _context(workspace, row, options, placeholders)))


def build_message(workspace: Workspace, row: ScheduleRow, options: PersonalOptions,
                  now: dt.datetime | None = None) -> EmailMessage:
    """One patient's message: plain text and HTML alternatives, the handout PDF attached."""
    address = recipient(row)
    clinic = workspace.clinic(row.clinic)
    context = _context(workspace, row, options, _patient_context(workspace, row))
    subject = clean(_render(workspace, row, "subject.txt", context))
    filename = attachment_name(clean(_render(workspace, row, "attachment.txt", context)))
    text = _render(workspace, row, "body.txt", context)
    html = _render(workspace, row, "body.html", context)
    message = EmailMessage()
    try:
        message["From"] = Address(display_name=clinic.name, addr_spec=clinic.email)
        message["To"] = Address(display_name=row.patient.name, addr_spec=address)
    except (ValueError, MessageError):  # checked when read; this is the last line of defence
        raise MailError("an e-mail address cannot be written into the message header") from None
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(now or dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = email.utils.make_msgid(domain=clinic.email.rsplit("@", 1)[1])
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    reading_order = personal_files(workspace, row, options)[0][1]  # a booklet's print file stays at the desk
    message.add_attachment(reading_order, maintype="application", subtype="pdf", filename=filename)
    return message


def masked(address: str) -> str:
    """j***@example.com: enough to recognise, not enough to leak in a captured log."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


# -- delivery ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"  # "starttls", "ssl" (implicit TLS) or "none" (loopback only)
    verify: bool = True  # check the server's certificate; off only for a local test server
    user: str | None = None
    password: str | None = None  # from the environment, never the command line
    timeout: float = 30.0

    @classmethod
    def parse(cls, address: str, security: str, verify: bool, user: str | None, environ: dict[str, str]) -> SmtpSettings:
        host, sep, port = address.rpartition(":")
        if not sep or not port.isdigit():
            raise MailError(f"--smtp needs HOST:PORT, e.g. smtp.example.org:587 (got '{address}')")
        user = user or environ.get(USER_ENV) or None
        password = environ.get(PASSWORD_ENV) or None
        if user and not password:
            raise MailError(f"set the SMTP password in the environment variable {PASSWORD_ENV} (never on the "
                            f"command line)")
        if security == "none" and not _is_loopback(host):
            raise MailError("unencrypted SMTP would send patient details in the clear; it is allowed only to a "
                            "server on this machine (localhost). Use --tls starttls or --tls ssl")
        if not verify and not _is_loopback(host):
            raise MailError("--insecure-local-test skips the check of the server's certificate, so anyone on the way "
                            "could read patient details; it is allowed only to a test server on this machine "
                            "(localhost, 127.0.0.1 or ::1)")
        return cls(host.strip("[]"), int(port), security, verify, user, password)


def _is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SmtpSender:
    """One connection for the whole batch, reopened if the server drops it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self.settings.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    connection.starttls(context=self._context())
            if s.user:
                connection.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError:
            raise MailError("the SMTP server refused the login name or password") from None
        except ssl.SSLCertVerificationError as exc:
            raise MailError(f"the SMTP server's certificate could not be verified ({exc.verify_message})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot connect to SMTP server {s.host}:{s.port}: {exc}") from None
        return connection

    def send(self, message: EmailMessage) -> None:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = self._connect()
            try:
                refused = self.connection.send_message(message)
            except smtplib.SMTPServerDisconnected:
                self.connection = None
                if attempt == 2:
                    raise MailError("the SMTP server closed the connection") from None
                continue
            except smtplib.SMTPRecipientsRefused:
                raise MailError("the server refused the recipient's address") from None
            except smtplib.SMTPResponseException as exc:
                raise MailError(f"the server refused the message ({exc.smtp_code})") from None
            except (OSError, socket.timeout) as exc:
                self.connection = None
                raise MailError(f"sending failed: {exc}") from None
            if refused:
                raise MailError("the server refused the recipient's address")
            return

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None

