"""A real `handouts serve` in a subprocess on a free loopback port, for tests that need real sockets."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smtpserver import free_port


def serve_command(ws_path: Path, port: int, *args: str) -> list[str]:
    return [sys.executable, "-m", "handouts", "-w", str(ws_path), "serve", "--port", str(port), *args]


@contextmanager
def running_server(ws_path: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the server, wait (at most 10 s) until it answers, yield its base URL, stop it."""
    port = free_port()
    process = subprocess.Popen(serve_command(ws_path, port, *args), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise AssertionError(f"the server stopped: {process.communicate()}")
            try:
                urllib.request.urlopen(base + "/static/app.css", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("the server did not answer within 10 s")
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=10)
