"""The front-desk page with Flask's test client: search, PDFs, patient privacy, CSRF, errors."""

from __future__ import annotations

import re

import pytest

from conftest import edit_yaml
from handouts.errors import HandoutsError
from handouts.serve import access_token
from handouts.web import create_app

from pdfread import reader, text


@pytest.fixture
def client(ws_path):
    app = create_app(ws_path)
    app.config.update(TESTING=True)
    return app.test_client()


def csrf(client) -> str:
    page = client.get("/h/medial-branch-block?clinic=riverbend&lang=en&layout=one-page").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("query, first", [("ESI", "Epidural Steroid Injection"), ("RFA", "Radiofrequency Ablation"),
                                          ("nerve burn", "Radiofrequency Ablation"), ("pain pump", "Intrathecal Pain Pump"),
                                          ("cadera", "Joint and Bursa Injection"), ("ablación", "Radiofrequency Ablation")])
def test_search_by_name_or_alias(client, query, first):
    page = client.get("/", query_string={"q": query, "lang": "en"}).get_data(as_text=True)
    assert re.findall(r'class="title">([^<]+)', page)[0] == first


def test_search_page_remembers_the_clinic(client):
    response = client.get("/?clinic=northshore")
    assert "clinic=northshore" in response.headers.get_all("Set-Cookie")[0]
    page = client.get("/").get_data(as_text=True)
    assert '<option value="northshore" selected>' in page


def test_thumbnail_is_a_png_of_the_real_page(client):
    response = client.get("/thumb/riverbend/en/one-page/medial-branch-block.png")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert client.get("/thumb/riverbend/en/one-page/no-such.png").status_code == 404


def test_standard_pdf_and_booklet_print_file(client):
    response = client.get("/pdf/medial-branch-block?clinic=riverbend&lang=es&layout=booklet")
    assert response.mimetype == "application/pdf" and "inline" in response.headers["Content-Disposition"]
    assert "Bloqueo de rama medial" in text(response.data)
    printed = client.get("/pdf/medial-branch-block?clinic=riverbend&lang=es&layout=booklet&print=1")
    page = reader(printed.data).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape sheets, two pages each


def test_personalised_pdf_by_post_only_and_never_cached(client):
    token = csrf(client)
    response = client.post("/pdf/medial-branch-block", data={
        "csrf": token, "clinic": "riverbend", "lang": "en", "layout": "one-page", "patient_name": "Ana Ruiz",
        "date": "2026-12-01", "arrive": "07:30", "physician": "Dr. Chen", "note": "Stop aspirin", "action": "print"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = text(response.data)
    assert "Ana Ruiz" in body and "Your appointment" in body
    assert "Ana" not in response.headers.get("Content-Disposition", "")


def test_booklet_print_of_a_personalised_spanish_booklet(client):
    token = csrf(client)
    response = client.post("/pdf/medial-branch-block", data={
        "csrf": token, "clinic": "riverbend", "lang": "es", "layout": "booklet", "patient_name": "Ana Ruiz",
        "date": "2026-12-01", "action": "print"})
    pdf = reader(response.data)
    assert float(pdf.pages[0].mediabox.width) > float(pdf.pages[0].mediabox.height)
    assert "Su cita" in text(response.data) and "Ana Ruiz" in text(response.data)


def test_csrf_is_required(client):
    response = client.post("/pdf/medial-branch-block", data={"patient_name": "Ana Ruiz", "clinic": "riverbend"})
    assert response.status_code == 400 and b"expired" in response.data
    response = client.post("/pdf/medial-branch-block", data={"csrf": "forged", "patient_name": "Ana Ruiz"})
    assert response.status_code == 400


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_bad_patient_field_is_explained(client):
    token = csrf(client)
    response = client.post("/pdf/medial-branch-block", data={"csrf": token, "clinic": "riverbend", "lang": "en",
                                                             "patient_name": "Ana", "date": "not a date"})
    assert response.status_code == 422
    assert "--date: not a date; write it as YYYY-MM-DD" in response.get_data(as_text=True)


def test_broken_procedure_shows_a_message_and_the_server_keeps_running(client, ws_path):
    path = ws_path / "content/en/medial-branch-block.yaml"
    path.write_text(path.read_text().replace("title: Medial Branch Block", "title: [broken"))
    response = client.get("/h/medial-branch-block?lang=en")
    assert response.status_code == 422
    assert "content/en/medial-branch-block.yaml:" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert client.get("/h/epidural-steroid-injection?lang=en").status_code == 200


def test_email_saves_a_draft_with_the_workspace_settings(client, ws_path):
    token = csrf(client)
    response = client.post("/email/medial-branch-block", data={
        "csrf": token, "clinic": "riverbend", "lang": "en", "layout": "one-page", "patient_name": "Ana Ruiz",
        "email": "ana@example.com", "dob": "1950-01-01", "action": "email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saved as a draft" in page
    drafts = list((ws_path / "private/drafts").glob("*.eml"))
    assert len(drafts) == 1 and "ana" not in drafts[0].name.lower()
    assert response.headers["Cache-Control"] == "no-store"


def test_smtp_down_is_reported_and_the_server_keeps_running(client, ws_path):
    from smtpserver import free_port

    edit_yaml(ws_path / "handouts.yaml", lambda d: d.update(email={"mode": "smtp", "smtp": f"127.0.0.1:{free_port()}",
                                                                  "tls": "none"}))
    token = csrf(client)
    response = client.post("/email/medial-branch-block", data={
        "csrf": token, "clinic": "riverbend", "lang": "en", "patient_name": "Ana Ruiz", "email": "ana@example.com",
        "dob": "1950-01-01"})
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "Not sent" in page and "cannot connect to SMTP server" in page
    assert client.get("/").status_code == 200


def test_public_address_needs_an_access_password(run_cli, ws_path):
    result = run_cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "refusing to serve on 0.0.0.0" in result.output and "HANDOUTS_SERVE_TOKEN" in result.output
    assert access_token("127.0.0.1", {}) is None
    assert access_token("0.0.0.0", {"HANDOUTS_SERVE_TOKEN": "a-long-enough-secret"}) == "a-long-enough-secret"
    with pytest.raises(HandoutsError, match="at least 12 characters"):
        access_token("10.0.0.5", {"HANDOUTS_SERVE_TOKEN": "short"})


def test_access_password_guards_every_page(ws_path):
    app = create_app(ws_path, access_token="a-long-enough-secret")
    client = app.test_client()
    assert client.get("/").status_code == 302
    assert client.get("/pdf/medial-branch-block").status_code == 302
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"csrf": token, "password": "wrong"}).status_code == 401
    assert client.post("/login", data={"csrf": token, "password": "a-long-enough-secret"}).status_code == 302
    assert client.get("/").status_code == 200


def test_errors_are_logged_without_patient_details(client, caplog, monkeypatch):
    import handouts.batch as batch

    def boom(*args, **kwargs):
        raise RuntimeError("Ana Ruiz secret")

    monkeypatch.setattr(batch, "run_job", boom)
    token = csrf(client)
    response = client.post("/pdf/medial-branch-block", data={"csrf": token, "clinic": "riverbend", "lang": "en",
                                                             "patient_name": "Ana Ruiz"})
    assert response.status_code == 500
    assert "Ana" not in caplog.text and "RuntimeError" in caplog.text
    assert "Ana" not in response.get_data(as_text=True)


def test_an_unknown_address_gets_the_page_s_own_look_and_a_way_back(client):
    for address in ("/no-such-page", "/h/no-such-procedure", "/static/nothing.css"):
        response = client.get(address)
        assert response.status_code == 404, address
        page = response.get_data(as_text=True)
        if address.startswith("/static"):
            continue
        assert "There is no such page here" in page and "Back to search" in page and 'href="/"' in page
        assert "stylesheet" in page  # the page's own style, not the framework's bare default
