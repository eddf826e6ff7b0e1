"""Which `Host` names the front-desk page answers to: the defence against DNS rebinding.

A web page on attacker.example can make its own name resolve to 127.0.0.1 and then read our
pages (and their form tokens) as if they were its own. The browser still sends
`Host: attacker.example`, so the page answers only the names it was started for: the loopback
names, the `--host` it listens on, and any listed in handouts.yaml under `serve: allowed_hosts`.
Listening on every address (0.0.0.0), it also answers this machine's own name and any IP
address, since a name that is an IP address cannot be rebound.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
_HOST_HEADER = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(?::[0-9]{1,5})?")


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def normal_name(text: str) -> str | None:
    """A host name or IP address in one spelling (lower case, IPv6 without brackets), or None."""
    text = text.lower()
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    address = _ip(bare)
    if address is not None:
        return str(address)
    return text if _NAME.fullmatch(text) else None


def name_from_header(header: str) -> str | None:
    """The name in a `Host` header (`name`, `name:port`, `[v6]:port`), or None if it is malformed."""
    match = _HOST_HEADER.fullmatch(header)
    return normal_name(match.group(1)) if match else None


class HostPolicy:
    """The names one server answers to."""

    def __init__(self, bind_host: str) -> None:
        self.everywhere = bind_host.strip("[]") in WILDCARDS
        own = (socket.gethostname(), socket.getfqdn()) if self.everywhere else (bind_host,)
        self.names = LOOPBACK_NAMES | {name for name in map(normal_name, own) if name}

    def allows(self, header: str | None, configured: Callable[[], Iterable[str]] = tuple) -> bool:
        """Whether a request with this `Host` header may be answered; `configured()` (the names in
        handouts.yaml, read again so an edit needs no restart) is asked only when needed."""
        name = name_from_header(header or "")
        if name is None:
            return False
        if name in self.names or (self.everywhere and _ip(name) is not None):
            return True
        return name in set(configured())  # already in normal spelling (settings.py)
