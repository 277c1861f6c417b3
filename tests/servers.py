"""The real app on waitress in a thread on 127.0.0.1, for tests that need a live server."""

from __future__ import annotations

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
