"""Screenshots of the front-desk page for the README, taken in Debian's Chromium.

    python scripts/screenshots.py            # writes docs/screenshots/*.png

Starts `handouts serve` on a free port over the shipped demo workspace, drives the page with
Playwright, and stops the server. The patient shown is fictional.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "handouts", "-w", str(ROOT), "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"{base}/?clinic=riverbend&lang=en&layout=one-page")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / "search.png")
            page.fill("#q", "nerve b")
            page.wait_for_timeout(200)
            page.screenshot(path=OUT / "search-typed.png")
            page.keyboard.press("Enter")
            page.wait_for_load_state("networkidle")
            page.fill("input[name=patient_name]", "Ana Ruiz")
            page.fill("input[name=date]", "2026-12-01")
            page.fill("input[name=arrive]", "07:30")
            page.fill("input[name=physician]", "Dr. Anita Patel")
            page.fill("textarea[name=note]", "Stop aspirin 5 days before.")
            page.click("button[value=preview]")
            page.wait_for_timeout(1500)
            page.screenshot(path=OUT / "handout.png")
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
