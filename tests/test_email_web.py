"""E-mail from the front-desk page: a bad address is a clear 4xx answer, never a 500; the
attachment is protected with the date of birth typed in, unless the patient asked for plain e-mail."""

from __future__ import annotations

import io
import re
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from handouts.web import create_app
from test_email import MALFORMED, attachment, pdf_text


@pytest.fixture
def client(ws_path):
    app = create_app(ws_path)
    app.config.update(TESTING=True)
    return app.test_client()


def send(client, **fields):
    page = client.get("/h/medial-branch-block?clinic=riverbend&lang=en&layout=one-page").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post("/email/medial-branch-block", data={
        "csrf": token, "clinic": "riverbend", "lang": "en", "layout": "one-page", "patient_name": "Ana Ruiz",
        "action": "email", **fields})


def drafts(ws_path) -> list:
    return [message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in (ws_path / "private/drafts").glob("*.eml")]


@pytest.mark.parametrize("address", MALFORMED)
def test_a_malformed_address_is_a_clear_client_error(client, ws_path, address):
    response = send(client, email=address, dob="1950-01-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "Not sent" in page and "--email: not a valid e-mail address" in page
    assert address not in page
    assert drafts(ws_path) == []
    assert client.get("/").status_code == 200


def test_the_attachment_is_protected_with_the_date_of_birth(client, ws_path):
    response = send(client, email="ana@example.com", dob="1950-01-01")
    assert response.status_code == 200, response.get_data(as_text=True)
    (message,) = drafts(ws_path)
    assert message["Subject"] == "Information for your visit at Riverbend Pain & Spine Center"
    assert "Ana Ruiz" in pdf_text(attachment(message), "01011950")


def test_plain_email_when_the_patient_asked_for_it(client, ws_path):
    response = send(client, email="ana@example.com", plain_email="yes")
    assert response.status_code == 200, response.get_data(as_text=True)
    (message,) = drafts(ws_path)
    assert not PdfReader(io.BytesIO(attachment(message))).is_encrypted


def test_without_a_date_of_birth_nothing_is_sent_and_the_page_says_why(client, ws_path):
    response = send(client, email="ana@example.com")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "needs a date of birth" in page
    assert drafts(ws_path) == []


def test_the_form_asks_for_the_date_of_birth_and_plain_email(client):
    page = client.get("/h/medial-branch-block?clinic=riverbend&lang=en&layout=one-page").get_data(as_text=True)
    assert 'name="dob" type="date"' in page and 'name="plain_email" type="checkbox" value="yes"' in page
