"""Who may start a query now: at most N queries at a time per client.

A client is the address the connection comes from or, when that address is a trusted proxy
(a reverse proxy in front of the server, named in the settings), the address the proxy puts
last in ``X-Forwarded-For`` that is not itself a trusted proxy. Cached answers take no slot:
only queries that need a worker do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Admission:
    """Counts each client's queries in flight; ``per_client`` at most (0: no limit)."""

    def __init__(self, per_client: int, trusted_proxies: str) -> None:
        self.per_client = per_client
        self.trusted = frozenset(p.strip() for p in trusted_proxies.split(",") if p.strip())
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def client(self, remote_addr: str | None, forwarded_for: str | None) -> str:
        """The client a request comes from (``forwarded_for``: its X-Forwarded-For)."""
        address = remote_addr or "-"
        if address not in self.trusted:
            return address
        forwarded = [a.strip() for a in (forwarded_for or "").split(",")]
        for hop in reversed(forwarded):
            if hop and hop not in self.trusted:
                return hop
        return address

    @contextmanager
    def slot(self, client: str) -> Iterator[bool]:
        """A slot for one query of ``client``: yields whether it was admitted."""
        with self._lock:
            running = self._running.get(client, 0)
            admitted = not self.per_client or running < self.per_client
            if admitted:
                self._running[client] = running + 1
        try:
            yield admitted
        finally:
            if admitted:
                with self._lock:
                    left = self._running[client] - 1
                    if left:
                        self._running[client] = left
                    else:
                        del self._running[client]
