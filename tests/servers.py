"""The real app on waitress in a thread on 127.0.0.1, for tests that need a live server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from waitress.server import create_server

from legalgraph.settings import Settings
from legalgraph.store import Store
from legalgraph.web import create_app


@contextmanager
def serve_in_thread(store: Store, settings: Settings | None = None) -> Iterator[str]:
    """Serve ``store`` on a free port; yields the base URL and stops the server afterwards."""
    app = create_app(settings or Settings(), store)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # the socket closed under the loop when stopping
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        stopping.set()
        server.close()


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection made to it (at once, on
    accept) and records the first bytes each one sent."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.count = 0
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.count += 1
            connection.settimeout(0.5)
            try:
                self.connections.append(connection.recv(200))
            except OSError:
                self.connections.append(b"")
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
