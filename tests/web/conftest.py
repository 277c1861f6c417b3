"""Fixtures for the web tests: the real app served by waitress on 127.0.0.1.

``live_server`` (one per test session) runs ``legalgraph serve`` in a subprocess on a free
port, on the shipped graph, and yields its base URL (no trailing slash). Other modules can
start their own server with other settings through :func:`running_server`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(*args: str, env: dict[str, str] | None = None,
                   log: Path | None = None) -> Iterator[str]:
    """``legalgraph serve`` with ``args`` on a free port of 127.0.0.1; yields the base URL.

    The server's log goes to ``log`` when given. The server is stopped on exit.
    """
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEGALGRAPH_")}
    if os.environ.get("LEGALGRAPH_TEST_BACKEND") == "remote" and "--data" not in args:
        # the remote run of the suites: the app asks the test SPARQL server (tests/conftest.py)
        environment["LEGALGRAPH_SPARQL_ENDPOINT"] = os.environ["LEGALGRAPH_TEST_SPARQL_ENDPOINT"]
    environment.update(env or {})
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "legalgraph", "serve", "--host", "127.0.0.1",
         "--port", str(port), *args],
        stdout=output, stderr=output, env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"legalgraph serve exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(base + "/sparql", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("legalgraph serve did not answer within 180 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log and not isinstance(output, int):
            output.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on waitress, default settings, shipped graph: its base URL."""
    log = tmp_path_factory.mktemp("live_server") / "serve.log"
    with running_server(log=log) as base:
        yield base
