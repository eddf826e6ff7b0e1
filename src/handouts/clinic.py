"""Load a clinic's branding folder (clinic.yaml + logo) into a Clinic."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from .addresses import fits_a_header
from .colours import GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast_with_white, normalise_hex, parse_hex
from .fields import FieldReader
from .logos import LogoError, read_logo
from .fontfiles import read_font_families
from .models import Clinic, Colours, Logo, Protocol
from .paths import contained, is_valid_id
from .yamlio import load_mapping

CLINIC_FIELDS: tuple[str, ...] = (
    "id", "name", "tagline", "address", "phone", "after_hours_phone", "website", "email",
    "colours", "paper", "duplex", "logo", "fonts", "qr_url", "footer_note", "footer_note_lang",
    "emergency_number", "protocol",
)
PROTOCOL_FIELDS = ("fasting_hours", "clear_liquids_hours", "arrive_early_minutes", "blood_thinners")
DUPLEX_MODES = ("short-edge", "long-edge")  # how the clinic's printer flips a double-sided sheet
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # a BCP 47 tag such as es, vi, zh-Hant
_PLACEHOLDER_LOGO = Logo("none", b"", 1.0, 1.0)


def _colour(reader: FieldReader, key: str, minimum: float, use: str) -> str:
    value = reader.text(key)
    if value is None:
        return "#000000"
    if parse_hex(value) is None:
        reader.problem(key, f"'{value}' is not a colour; write it as #RRGGBB, e.g. #1f5f8b")
        return "#000000"
    ratio = contrast_with_white(value)
    if ratio < minimum:
        reader.problem(key, f"{value} has contrast {ratio:.1f}:1 against white; {use} need at least "
                            f"{minimum:g}:1 (choose a darker shade)")
    return normalise_hex(value)


def _logo(reader: FieldReader, folder: Path) -> Logo:
    name = reader.text("logo")
    if name is None:
        return _PLACEHOLDER_LOGO
    path = contained(folder, name)
    if path is None:
        reader.problem("logo", f"'{name}' must be a file inside the clinic's own folder")
        return _PLACEHOLDER_LOGO
    if not path.is_file():
        reader.problem("logo", f"logo file '{name}' does not exist in {folder.name}/")
        return _PLACEHOLDER_LOGO
    try:
        return read_logo(path.read_bytes())
    except LogoError as exc:
        reader.problem("logo", f"{name}: {exc}")
        return _PLACEHOLDER_LOGO


def _protocol(reader: FieldReader) -> Protocol:
    """The clinic's checklist rules; each one left out prints as a blank for the front desk to fill."""
    sub = reader.child("protocol", required=False)
    if sub is None:
        return Protocol()
    sub.reject_unknown(PROTOCOL_FIELDS)
    arrive = sub.number("arrive_early_minutes", required=False, minimum=0, maximum=240)
    return Protocol(
        fasting_hours=sub.number("fasting_hours", required=False, minimum=0, maximum=24),
        clear_liquids_hours=sub.number("clear_liquids_hours", required=False, minimum=0, maximum=24),
        arrive_early_minutes=None if arrive is None else int(arrive),
        blood_thinners=MappingProxyType(sub.localized_text("blood_thinners")),
    )


def load_clinic(folder: Path, shown: str, fonts_dir: Path) -> Clinic:
    """Validate `folder/clinic.yaml` and its logo; raises InvalidInput with every problem."""
    data = load_mapping(folder / "clinic.yaml", shown)
    reader = FieldReader(shown, data)
    reader.reject_unknown(CLINIC_FIELDS)
    clinic_id = reader.text("id", required=False, default=folder.name)
    if clinic_id != folder.name or not is_valid_id(folder.name):
        reader.problem("id", f"the clinic id must be the folder name in lower-case letters, digits and hyphens "
                             f"('{folder.name}')")
    colours = reader.child("colours")
    if colours:
        colours.reject_unknown(("primary", "accent"))
    email = reader.text("email")
    if email and not (fits_a_header(email) and "." in email.rpartition("@")[2]):
        reader.problem("email", f"'{email}' is not an e-mail address a message can be sent from")
    note_lang = reader.text("footer_note_lang", required=False)
    if note_lang and not _LANGUAGE.match(note_lang):
        reader.problem("footer_note_lang", f"'{note_lang}' is not a language code such as es or vi")
    qr_url = reader.text("qr_url", required=False)
    if qr_url and not qr_url.startswith("https://"):
        reader.problem("qr_url", "the QR code link must start with https://")
    clinic = Clinic(
        id=folder.name,
        name=reader.text("name") or "",
        tagline=MappingProxyType(reader.localized_text("tagline")),
        address=reader.text_list("address", allow_single=True),
        phone=reader.text("phone") or "",
        after_hours_phone=reader.text("after_hours_phone") or "",
        website=reader.text("website", required=False),
        email=email or "",
        colours=Colours(
            primary=_colour(colours, "primary", TEXT_CONTRAST, "text and the header band") if colours else "#000000",
            accent=_colour(colours, "accent", GRAPHIC_CONTRAST, "rules and borders") if colours else "#000000",
        ),
        paper=reader.choice("paper", ("letter", "a4"), default="letter") or "letter",
        duplex=reader.choice("duplex", DUPLEX_MODES, default="short-edge") or "short-edge",
        logo=_logo(reader, folder),
        emergency_number=reader.text("emergency_number", required=False, default="911") or "911",
        qr_url=qr_url,
        footer_note=MappingProxyType(reader.localized_text("footer_note")),
        footer_note_lang=note_lang or None,
        fonts=MappingProxyType(read_font_families(reader, fonts_dir)),
        protocol=_protocol(reader),
        path=shown,
    )
    reader.finish()
    return clinic
