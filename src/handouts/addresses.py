"""E-mail addresses checked as a mail server would, before any header is built from them.

A pattern match lets through addresses the standard library then refuses to put in a header
(`a..b@x.example`, `x@[127.0.0.1].example`), which used to end a whole batch. Here each address
is checked by `email-validator` (syntax only: no DNS, no network) and then by the standard
library's own header parser, so whatever passes can always be sent. The messages never repeat
the address: it is a patient detail.
"""

from __future__ import annotations

from email.errors import MessageError
from email.headerregistry import Address

NOT_VALID = ("not a valid e-mail address; check it for typos such as two dots in a row, a dot at the start or "
             "end, spaces, brackets or a missing part after the @")


def fits_a_header(address: str) -> bool:
    """Whether the standard library can write this ASCII address into a From or To header: the
    quick check for the clinic's own address, which is read on every command."""
    try:
        Address(addr_spec=address)
    except (ValueError, MessageError):
        return False
    return address.isascii() and "@" in address


def checked_address(text: str) -> tuple[str, str | None]:
    """(the address to send to, None) for a usable address, or (text, why not). Empty is allowed."""
    if not text:
        return "", None
    from email_validator import EmailNotValidError, validate_email  # only for schedules: loading it takes 0.1 s

    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False,
                                allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError as exc:
        if "Internationalized characters before the @-sign" in str(exc):
            return text, "has letters before the @ that most mail servers cannot deliver; ask for another address"
        return text, NOT_VALID
    address = result.ascii_email or result.normalized
    return (address, None) if fits_a_header(address) else (text, NOT_VALID)
