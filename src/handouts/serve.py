"""`handouts serve`: the front-desk page on this machine, or, with a password, on the clinic network."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from .errors import HandoutsError

TOKEN_ENV = "HANDOUTS_SERVE_TOKEN"
MIN_TOKEN = 12


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_token(host: str, environ: dict[str, str]) -> str | None:
    """None on this machine only; anywhere else the page needs the password from the environment."""
    if is_loopback(host):
        return environ.get(TOKEN_ENV) or None
    token = environ.get(TOKEN_ENV, "")
    if len(token) < MIN_TOKEN:
        raise HandoutsError(f"refusing to serve on {host}: other machines could read and print patient handouts. "
                            f"Set an access password of at least {MIN_TOKEN} characters in the environment "
                            f"variable {TOKEN_ENV}, or serve on 127.0.0.1")
    return token


def serve(root: Path, host: str, port: int, announce) -> None:
    import logging

    from waitress import serve as waitress_serve

    from .web import create_app

    token = access_token(host, dict(os.environ))
    app = create_app(root, token)
    shown = f"[{host}]" if ":" in host else host
    announce(f"Front desk page: http://{shown}:{port}/  (Ctrl-C to stop)"
             + ("  - asks for the access password" if token else ""))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # thumbnails queue behind the render lock
    waitress_serve(app, host=host, port=port, threads=4, ident="handouts", _quiet=True)
