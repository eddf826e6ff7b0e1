"""End to end in a real browser (Debian's Chromium via Playwright): what a receptionist does."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from pdfread import reader, text
from smtpserver import free_port

# The page refuses appointment dates before today (the field's `min`), so every date a test types is
# in the future whatever day the suite runs; the expected wording is spelled out independently.
VISIT = dt.date.today() + dt.timedelta(days=30)
ENGLISH_DATE = f"{VISIT:%B} {VISIT.day}, {VISIT.year}"
SPANISH_DATE = "{}, {} de {} de {}".format(
    ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")[VISIT.weekday()], VISIT.day,
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
     "noviembre", "diciembre")[VISIT.month - 1], VISIT.year)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser tests (see .ci/run)")
    pytest.skip("Debian's chromium is not installed here", allow_module_level=True)


@pytest.fixture
def server(ws_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "handouts", "-w", str(ws_path), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    process.terminate()
    _, log = process.communicate(timeout=10)
    assert "Ana" not in log and "Ruiz" not in log  # the server logged no patient details


def pdf_bytes(page, response) -> bytes:
    """The PDF the browser received. Chromium's PDF viewer may consume the stream, so when the
    body is not available the captured POST is sent again from the same browser session."""
    body = response.body()
    if body.startswith(b"%PDF"):
        return body
    request = response.request
    replay = page.context.request.post(response.url, data=request.post_data,
                                       headers={"content-type": request.headers["content-type"]})
    assert replay.status == 200
    return replay.body()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # Headless Chromium has no print pipeline (print() crashes its renderer), so the page's print
        # hook records the call instead of opening the dialog; everything up to it is real.
        page.add_init_script("window.handoutsPrint = (frame) => { window.printedFrame = frame.id; };")
        # The shipped handouts are drafts: the page asks before printing one; the receptionist says yes.
        page.seen_dialogs = []
        page.on("dialog", lambda dialog: (page.seen_dialogs.append(dialog.message), dialog.accept()))
        yield page
        browser.close()


def search_page(page, address: str) -> None:
    """Open the search page and wait until its box has the focus, as a receptionist sees the cursor
    there before typing (keys typed earlier, while the page still loads, go nowhere)."""
    page.goto(address)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'")


def test_keyboard_only_search_pick_fill_and_print(server, page):
    search_page(page, server + "/?clinic=riverbend&lang=en&layout=one-page")
    page.keyboard.type("RFA")
    page.keyboard.press("Enter")
    page.wait_for_url("**/h/radiofrequency-ablation*")
    assert page.evaluate("document.activeElement.name") == "patient_name"
    page.keyboard.type("Ana Ruiz")
    page.keyboard.press("Tab")
    page.keyboard.type(f"{VISIT:%m%d%Y}")  # the date field, typed as a receptionist would
    with page.expect_response(lambda r: "/pdf/radiofrequency-ablation" in r.url and r.request.method == "POST") as info:
        page.keyboard.press("Enter")  # Enter prints
    response = info.value
    assert response.status == 200
    assert response.headers["cache-control"] == "no-store"
    body = text(pdf_bytes(page, response))
    assert "Ana Ruiz" in body and "Radiofrequency Ablation" in body and ENGLISH_DATE in body
    page.wait_for_function("window.printRequests === 1 && window.printedFrame === 'preview'")
    assert any("This handout is a DRAFT" in message for message in page.seen_dialogs)
    assert "Ana" not in page.url and "Ruiz" not in response.url


def test_arrow_keys_choose_among_results(server, page):
    search_page(page, server + "/?lang=en")
    page.keyboard.type("stimul")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/h/spinal-cord-stimulator-implant*")


def test_personalised_spanish_booklet_for_the_demo_clinic(server, page):
    page.goto(server + "/")
    for name, value in (("clinic", "riverbend"), ("lang", "es"), ("layout", "booklet")):
        with page.expect_navigation():  # each picker reloads the list for the new choice
            page.select_option(f"select[name={name}]", value)
    page.fill("#q", "rama medial")
    page.click(".card:visible >> nth=0")
    page.wait_for_url("**/h/medial-branch-block*")
    assert "flip on the short edge" in page.inner_text("#duplex")
    page.fill("input[name=patient_name]", "Ana Ruiz")
    page.fill("input[name=date]", VISIT.isoformat())
    with page.expect_response(lambda r: "/pdf/medial-branch-block" in r.url and r.request.method == "POST") as info:
        page.click("button[value=print]")
    assert info.value.status == 200
    data = pdf_bytes(page, info.value)
    pdf = reader(data)
    assert float(pdf.pages[0].mediabox.width) > float(pdf.pages[0].mediabox.height)  # the imposed print file
    assert "Su cita" in text(data) and "Ana Ruiz" in text(data) and SPANISH_DATE in text(data)
    page.wait_for_function("window.printRequests === 1")


def test_a_post_without_the_form_token_is_rejected(server, page):
    page.goto(server + "/")
    status = page.evaluate("""async () => {
        const body = new URLSearchParams({patient_name: "Ana Ruiz", clinic: "riverbend"});
        return (await fetch("/pdf/medial-branch-block", {method: "POST", body})).status;
    }""")
    assert status == 400


def test_refuses_to_listen_on_the_network_without_a_password(ws_path):
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_SERVE_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "handouts", "-w", str(ws_path), "serve", "--host", "0.0.0.0",
                             "--port", str(free_port())], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 1 and "refusing to serve on 0.0.0.0" in result.stderr
