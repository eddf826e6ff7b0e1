"""`handouts serve`: the front-desk page on this machine, or, with a password, on the clinic network."""

from __future__ import annotations

import errno
import ipaddress
import os
import select
from pathlib import Path

from .errors import HandoutsError
from .terminal import printable

TOKEN_ENV = "HANDOUTS_SERVE_TOKEN"
MIN_TOKEN = 12
MIN_DISTINCT = 5  # "abababababab" has twelve characters but only two to guess

# Waitress, tuned so that idle or slow clients cannot lock out the front desk. A connection
# that has sent nothing more (or only half a request) for channel_timeout seconds is closed,
# checked every cleanup_interval seconds. As many connections are held at once as file
# descriptors allow (see _connection_limit; poll(), not select(), so more than 1,024 work),
# and a request is read in full before a thread sees it, so slow senders take no thread.
# Rendering runs one at a time under a lock; the extra threads keep searches and static files
# answering while thumbnails wait for it.
SERVER_OPTIONS = {
    "threads": 8,
    "channel_timeout": 10,
    "cleanup_interval": 2,
    "asyncore_use_poll": hasattr(select, "poll"),
    "backlog": 1024,
    "max_request_header_size": 32 * 1024,
    "max_request_body_size": 256 * 1024,  # the app takes 64 KiB; this stops Waitress spooling more
}
MAX_CONNECTIONS = 8000
FD_RESERVE = 256  # for fonts, images, PDFs and pipes the renderer opens


def _connection_limit() -> int:
    """As many connections as this process may open files, less a reserve; the soft limit (often
    1,024) is raised towards the hard one first, since each idle socket costs one."""
    try:
        import resource
    except ImportError:  # Windows: select() there handles 512 sockets
        return 500
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + FD_RESERVE
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):  # some systems cap it lower still; keep what we have
            pass
    return max(100, min(MAX_CONNECTIONS, soft - FD_RESERVE))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _weak(token: str) -> bool:
    visible = "".join(token.split())
    return len(visible) < MIN_TOKEN or len(set(visible)) < MIN_DISTINCT or not token.isprintable()


def access_token(host: str, environ: dict[str, str]) -> str | None:
    """None on this machine only; anywhere else the page needs the password from the environment.
    A password that is set must be a real one, wherever the page listens."""
    token = environ.get(TOKEN_ENV, "")
    rule = (f"at least {MIN_TOKEN} characters other than spaces, not just a few characters repeated, "
            f"and no control characters")
    if token and _weak(token):
        raise HandoutsError(f"the access password in {TOKEN_ENV} is too weak: use {rule}")
    if token or is_loopback(host):
        return token or None
    raise HandoutsError(f"refusing to serve on {printable(host)}: other machines could read and print patient "
                        f"handouts. Set an access password ({rule}) in the environment variable {TOKEN_ENV}, "
                        f"or serve on 127.0.0.1")


def _listen_error(error: OSError | ValueError, host: str, port: int) -> HandoutsError:
    shown = printable(host)
    if isinstance(error, ValueError):
        return HandoutsError(f"cannot listen on {shown}: not an address or host name of this machine")
    if error.errno == errno.EADDRINUSE:
        return HandoutsError(f"port {port} is already in use on {shown} (is handouts serve already running?); "
                             f"choose another with --port, for example --port {port + 1 if port < 65535 else 8765}")
    if error.errno == errno.EADDRNOTAVAIL:
        return HandoutsError(f"cannot listen on {shown}: that address does not belong to this machine")
    if error.errno == errno.EACCES:
        return HandoutsError(f"not allowed to listen on port {port}; ports below 1024 need administrator "
                             f"rights, so choose another with --port, for example --port 8765")
    return HandoutsError(f"cannot listen on {shown} port {port}: {printable(error.strerror or type(error).__name__)}")


def serve(root: Path, host: str, port: int, announce) -> None:
    import logging

    from waitress.server import create_server

    from .web import create_app

    token = access_token(host, dict(os.environ))
    app = create_app(root, token, host)
    try:
        server = create_server(app, host=host, port=port, ident="handouts",
                               connection_limit=_connection_limit(), **SERVER_OPTIONS)
    except (OSError, ValueError) as error:
        raise _listen_error(error, host, port) from None
    shown = f"[{host}]" if ":" in host else host
    announce(f"Front desk page: http://{printable(shown)}:{port}/  (Ctrl-C to stop)"
             + ("  - asks for the access password" if token else ""))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # thumbnails queue behind the render lock
    server.run()
