"""Shared fixtures: the real store, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from legalgraph import build
from legalgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REFERENCE = FIXTURES / "reference"


BACKEND = os.environ.get("LEGALGRAPH_TEST_BACKEND", "embedded")
"""``embedded`` (default) or ``remote``: which engine the ``store`` fixture (and the servers the
web tests start) use. ``remote`` needs ``LEGALGRAPH_TEST_SPARQL_ENDPOINT``, the query URL of a
SPARQL server holding the shipped graph (``.ci/oxigraph-server.sh start`` sets both)."""


def remote_endpoint() -> str | None:
    """The SPARQL server the tests run against, or ``None`` on the embedded store."""
    if BACKEND == "embedded":
        return None
    endpoint = os.environ.get("LEGALGRAPH_TEST_SPARQL_ENDPOINT", "")
    if BACKEND != "remote" or not endpoint:
        raise pytest.UsageError(
            "LEGALGRAPH_TEST_BACKEND must be 'embedded' or 'remote', and 'remote' needs "
            "LEGALGRAPH_TEST_SPARQL_ENDPOINT (start one with .ci/oxigraph-server.sh start)"
        )
    return endpoint


@pytest.fixture(scope="session")
def store() -> Store:
    """The shipped graph (ontology + data + derived facts): on the embedded store, or on the
    SPARQL server of ``LEGALGRAPH_TEST_SPARQL_ENDPOINT`` when ``LEGALGRAPH_TEST_BACKEND`` is
    ``remote`` (which must hold the same version of the graph)."""
    endpoint = remote_endpoint()
    if endpoint is None:
        return build.load()
    remote = Store.connect(endpoint)
    expected = build.version()
    if remote.version != expected:
        pytest.exit(
            f"{endpoint} holds graph version {remote.version}, the working tree is {expected}: "
            "reload it (.ci/oxigraph-server.sh stop; .ci/oxigraph-server.sh start)",
            returncode=4,
        )
    return remote


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped or xfailed test hides a failure: make the whole run fail."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    hidden = len(reporter.stats.get("skipped", [])) + len(reporter.stats.get("xfailed", []))
    if hidden and session.exitstatus == 0:
        reporter.write_line(f"error: {hidden} test(s) skipped or xfailed; none may be", red=True)
        session.exitstatus = 1
