"""The killable query workers: answers, errors and the time limit, on the real store."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from functools import partial

import pytest

from legalgraph.errors import InputError
from legalgraph.sandbox import Pool, QueryTimeout
from legalgraph.store import Answer, Store, answer

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _task(store: Store, query: str) -> tuple[int, Answer]:
    return os.getpid(), answer(store, query, tabular="text/csv", graph=None, row_cap=100)


@pytest.fixture(scope="module")
def pool(store: Store) -> Iterator[Pool]:
    created = Pool(partial(_task, store), 1)
    yield created
    created.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_query_runs_in_another_process(pool: Pool, store: Store) -> None:
    pid, result = pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 10)
    assert pid != os.getpid()
    assert result.body.decode().splitlines() == ["n", str(len(store))]


def test_task_error_is_raised_in_the_caller(pool: Pool) -> None:
    with pytest.raises(InputError, match="1:"):
        pool.run("SELECT * WHERE { ?s ?p }", 10)


def test_time_limit_kills_the_worker_and_a_new_one_answers(pool: Pool) -> None:
    first, _ = pool.run("ASK { ?s ?p ?o }", 10)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"time limit of 0\.5 s"):
        pool.run(RUNAWAY, 0.5)
    assert time.monotonic() - started < 1.5
    deadline = time.monotonic() + 2
    while alive(first) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(first)
    second, result = pool.run("ASK { ?s ?p ?o }", 10)
    assert second != first
    assert result.body.decode().splitlines() == ["_askResult", "true"]


def _service_task(store: Store, url: str) -> str:
    try:
        list(store._engine.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}"))
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    return "answered"


def test_isolated_workers_cannot_connect(store: Store) -> None:
    """A SERVICE query run in a worker directly, with no screen before it, cannot reach a
    listener on 127.0.0.1; the same query in this process does."""
    if store.backend != "embedded":
        pytest.fail("this test needs the embedded store")  # the remote run uses the server
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        isolated = Pool(partial(_service_task, store), 1, isolate_network=True)
        try:
            assert isolated.isolation.isolated, isolated.isolation.refused
            outcome = isolated.run(url, 10)
        finally:
            isolated.close()
        assert outcome != "answered"
        with pytest.raises(TimeoutError):
            listener.accept()
        # the listener works: an unisolated worker reaches it (and waits for an answer)
        control = Pool(partial(_service_task, store), 1)
        try:
            assert not control.isolation.isolated
            with pytest.raises(QueryTimeout):
                control.run(url, 1)
        finally:
            control.close()
        connection, _ = listener.accept()
        connection.close()
