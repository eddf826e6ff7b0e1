"""Password protection for personalised PDFs: AES-256 (PDF 2.0 security handler, R=6).

ReportLab's own 256-bit mode writes files that poppler, MuPDF and pypdf cannot open, so the
page is drawn plain and then encrypted with pikepdf (qpdf). The owner password is random and
thrown away: nobody can lift the restrictions, and the patient's password opens the file.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets

MIN_PASSWORD = 4


class PasswordMissing(ValueError):
    """No usable password for a row that must be encrypted; the message never holds the password."""


def password_from_dob(dob: dt.date | None) -> str:
    """The 'dob' rule: date of birth as MMDDYYYY, a password the patient already knows."""
    if dob is None:
        raise PasswordMissing("the 'dob' password rule needs a date of birth in the 'dob' column")
    return dob.strftime("%m%d%Y")


def encrypt(pdf: bytes, password: str) -> bytes:
    import pikepdf

    if len(password) < MIN_PASSWORD:
        raise PasswordMissing(f"the password must have at least {MIN_PASSWORD} characters")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        buffer = io.BytesIO()
        document.save(buffer, encryption=pikepdf.Encryption(user=password, owner=secrets.token_urlsafe(24), R=6,
                                                            aes=True, allow=pikepdf.Permissions(modify_other=False)))
    return buffer.getvalue()
