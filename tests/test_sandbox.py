"""The killable query workers: answers, errors and the time limit, on the real store."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from legalgraph.endpoint.sandbox import OutOfMemory, Pool, PoolBusy, QueryTimeout
from legalgraph.errors import InputError
from legalgraph.store import Answer, Store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _task(store: Store, query: str) -> tuple[int, Answer]:
    return os.getpid(), store.answer(query, tabular="text/csv", graph=None, row_cap=100)


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


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
            found += [int(p) for p in handle.read().split()]
    return found


def rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (FileNotFoundError, ProcessLookupError):
        return 0


def test_a_busy_pool_says_so_at_once(store: Store) -> None:
    busy = Pool(partial(_task, store), 1)
    try:
        with ThreadPoolExecutor(1) as executor:
            running = executor.submit(busy.run, RUNAWAY, 1.0)
            time.sleep(0.3)
            started = time.monotonic()
            with pytest.raises(PoolBusy):
                busy.run("ASK { ?s ?p ?o }", 10)
            assert time.monotonic() - started < 0.1
            with pytest.raises(QueryTimeout):
                running.result()
        # the time limit counts execution: a query that had to be refused leaves no debt
        _pid, result = busy.run("ASK { ?s ?p ?o }", 0.5)
        assert result.body.decode().splitlines()[1] == "true"
    finally:
        busy.close()


def test_dead_workers_and_a_dead_template_are_replaced(store: Store) -> None:
    before = set(children(os.getpid()))
    pool = Pool(partial(_task, store), 2)
    try:
        (template,) = set(children(os.getpid())) - before
        first, _ = pool.run("ASK { ?s ?p ?o }", 10)
        os.kill(first, signal.SIGKILL)  # an idle worker dies: the query is tried again
        time.sleep(0.1)
        second, result = pool.run("ASK { ?s ?p ?o }", 10)
        assert second != first and result.body
        os.kill(template, signal.SIGKILL)  # the template dies: an idle worker takes its place
        time.sleep(0.1)
        answers = {pool.run("ASK { ?s ?p ?o }", 10)[0] for _ in range(3)}
        assert answers and all(pid != template for pid in answers)
    finally:
        pool.close()


def test_a_dead_template_without_idle_workers_is_forked_again(store: Store) -> None:
    before = set(children(os.getpid()))
    pool = Pool(partial(_task, store), 1)
    try:
        (template,) = set(children(os.getpid())) - before
        os.kill(template, signal.SIGKILL)
        time.sleep(0.1)
        _pid, result = pool.run("ASK { ?s ?p ?o }", 10)
        assert result.body.decode().splitlines()[1] == "true"
    finally:
        pool.close()


HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def test_a_worker_over_its_memory_cap_is_stopped_and_memory_stays_bounded(store: Store) -> None:
    cap = 150 << 20
    before = set(children(os.getpid()))
    pool = Pool(partial(_task, store), 1, memory_cap=cap)
    try:
        (template,) = set(children(os.getpid())) - before
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, sum(rss(p) for p in children(template)))
                time.sleep(0.02)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with pytest.raises(OutOfMemory, match="150 MB"):
                pool.run(HOG, 60)
        finally:
            done.set()
            watcher.join()
        baseline = rss(template)
        assert 0 < peak < baseline + cap + (64 << 20), (peak, baseline)
        _pid, result = pool.run("ASK { ?s ?p ?o }", 10)  # a fresh worker answers
        assert result.body.decode().splitlines()[1] == "true"
    finally:
        pool.close()
