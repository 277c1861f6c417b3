"""The killable query workers: answers, errors and the time limit, on the real store."""

from __future__ import annotations

import os
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
