"""Overload and faults on a real server: per-client limits, a busy pool, a query that wants too
much memory, a killed worker template, while cached answers keep coming at once.

The server runs on the embedded store in both CI runs (it is given the shipped files with
--data): the memory cap and the template are the embedded workers' own, and a query that eats
memory must not be sent to the shared test SPARQL server."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from legalgraph import paths

from .conftest import free_port, running_server
from .test_sparql_protocol import get

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
CHEAP = "SELECT ?s WHERE { ?s a lg:Country } LIMIT 3"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Two workers, one query per client, this machine as a trusted proxy, a 2 s time limit
    and 150 MB per worker."""
    with running_server("--workers", "2", "--client-queries", "1", "--trusted-proxies",
                        "127.0.0.1", "--time-limit", "2", "--worker-memory-mb", "150",
                        "--data", str(paths.ONTOLOGY_DIR), "--data", str(paths.DATA_DIR)) as base:
        yield base


def ask(base: str, query: str, client: str) -> tuple[int, dict[str, str], float]:
    started = time.monotonic()
    response, body = get(base, query, Accept="application/json", **{"X-Forwarded-For": client})
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, {"body": body.decode(), **headers}, time.monotonic() - started


def test_one_client_gets_429_past_its_share_others_do_not(server: str) -> None:
    with ThreadPoolExecutor(1) as executor:
        runaway = executor.submit(ask, server, RUNAWAY, "10.0.0.1")
        time.sleep(0.4)
        status, headers, elapsed = ask(server, CHEAP + " # 1", "10.0.0.1")
        assert status == 429 and headers["retry-after"], headers
        assert "client_queries" in json.loads(headers["body"])["message"]
        assert elapsed < 0.5
        status, _headers, _elapsed = ask(server, CHEAP + " # 2", "10.0.0.2")
        assert status == 200
        assert runaway.result()[0] == 503  # the time limit


def test_a_busy_pool_is_503_at_once_and_cached_answers_do_not_wait(server: str) -> None:
    assert ask(server, CHEAP, "10.0.1.1")[0] == 200  # now cached
    with ThreadPoolExecutor(2) as executor:
        runaways = [executor.submit(ask, server, RUNAWAY + f" # {i}", f"10.0.2.{i}")
                    for i in range(2)]
        time.sleep(0.4)
        status, headers, elapsed = ask(server, CHEAP + " # uncached", "10.0.3.1")
        assert status == 503 and headers["retry-after"] == "1", headers
        assert elapsed < 0.5
        cached = [ask(server, CHEAP, f"10.0.4.{i}") for i in range(10)]
        assert all(status == 200 for status, _h, _e in cached)
        assert max(elapsed for _s, _h, elapsed in cached) < 0.5
        assert all(r.result()[0] == 503 for r in runaways)


def test_a_query_over_the_memory_cap_is_503_and_the_server_goes_on(server: str) -> None:
    status, headers, _elapsed = ask(server, HOG, "10.0.5.1")
    assert status == 503, headers
    document = json.loads(headers["body"])
    assert document["error"] == "too much memory" and "150 MB" in document["message"]
    assert ask(server, CHEAP + " # after", "10.0.5.1")[0] == 200


def test_a_killed_template_is_replaced(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    serving = [int(p) for p in os.listdir("/proc") if p.isdigit() and _listens(int(p), port)]
    assert serving, "the server process was not found"
    for pid in serving:
        for child in _children(pid):
            os.kill(child, signal.SIGKILL)  # the template
    time.sleep(0.2)
    for i in range(4):
        status, headers, _elapsed = ask(server, CHEAP + f" # killed {i}", "10.0.6.1")
        assert status == 200, headers


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
            found += [int(p) for p in handle.read().split()]
    return found


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` is the python process serving ``port``."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().split(b"\0")
    except OSError:
        return False
    return b"serve" in command and str(port).encode() in command


def _descendants(pid: int) -> set[int]:
    """The processes under ``pid`` now (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _quietly(base: str, query: str) -> None:
    with contextlib.suppress(OSError):
        get(base, query)


def test_workers_end_with_the_server() -> None:
    """A server killed while a worker runs a long query leaves no process behind."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "legalgraph", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--time-limit", "120", "--data", str(paths.ONTOLOGY_DIR),
         "--data", str(paths.DATA_DIR)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("LEGALGRAPH_")})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, "legalgraph serve exited"
            try:
                if get(base, "ASK {}")[0].status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.3)
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_quietly, base, RUNAWAY)
            time.sleep(2)  # the runaway is in a worker now
            left = _descendants(process.pid)
            assert len(left) >= 2  # the template and at least one worker
            process.kill()
            process.wait()
            deadline = time.monotonic() + 10
            while any(_alive(pid) for pid in left) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not [pid for pid in left if _alive(pid)]
    finally:
        if process.poll() is None:
            process.kill()
