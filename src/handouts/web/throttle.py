"""Slows down password guessing at the login page, per client address.

A few mistakes are free; after that each further failure makes that client wait twice as long
as the last (up to a cap) before it may try again, right password or not, so guessing costs
days instead of seconds while a receptionist who mistypes twice notices nothing. Failures are
forgotten after a quiet spell or a successful sign-in. Only a bounded number of clients is
remembered, so a flood of addresses cannot grow memory.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


def client_key(address: str | None) -> str:
    """Who is guessing: the IPv4 address, or the IPv6 /64 network, since one IPv6 host
    usually owns a whole /64 and could try from a new address each time."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(slots=True)
class _Record:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


class LoginThrottle:
    FREE_FAILURES = 5
    FIRST_WAIT = 5.0  # seconds, after the free failures; doubles with each further failure
    MAX_WAIT = 15 * 60.0
    FORGET_AFTER = 60 * 60.0  # a client quiet this long starts afresh

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self._clock = clock
        self._max_clients = max_clients
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._records)

    def wait(self, client: str) -> int:
        """Whole seconds `client` must wait before its next try; 0 when it may try now."""
        with self._lock:
            record = self._current(client)
            return 0 if record is None else max(0, math.ceil(record.locked_until - self._clock()))

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            record = self._current(client) or _Record()
            record.failures += 1
            record.last_failure = now
            beyond = record.failures - self.FREE_FAILURES
            if beyond >= 0:
                record.locked_until = now + min(self.MAX_WAIT, self.FIRST_WAIT * 2 ** min(beyond, 20))
            self._records[client] = record
            self._records.move_to_end(client)
            while len(self._records) > self._max_clients:
                self._records.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)

    def _current(self, client: str) -> _Record | None:
        record = self._records.get(client)
        if record is not None and self._clock() - max(record.last_failure, record.locked_until) > self.FORGET_AFTER:
            del self._records[client]
            return None
        return record
