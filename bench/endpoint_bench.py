"""Benchmark the SPARQL endpoint against the ``oxigraph`` server, side by side in one run.

Both servers hold the same graph (``legalgraph export`` loaded with ``oxigraph load``) and are
asked the same named queries over HTTP on 127.0.0.1:

* latency with one client (keep-alive connection): median and p99 per named query, for a
  repeated query (our cache answers) and for queries that miss the cache (a unique comment
  appended to each request, sent to both servers alike);
* throughput under a bounded closed-loop load: ``--clients`` client processes, each sending
  one request at a time for ``--seconds``, repeated and cache-missing queries.

Usage: ``python bench/endpoint_bench.py [--runs 100] [--clients 4] [--seconds 5] [--write]``;
``--write`` replaces the "## Endpoint" section of bench/README.md with the figures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from readme_section import write_section  # noqa: E402  (bench/ is on sys.path)

from legalgraph import queries  # noqa: E402

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
COMPARISON = "treaty_floor_comparison"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            connection = HTTPConnection(parts.hostname or "", parts.port, timeout=2)
            connection.request("GET", parts.path + "?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def servers(workers: int) -> Iterator[tuple[str, str]]:
    """Our server and the oxigraph server on the same graph: their query URLs."""
    work = Path(tempfile.mkdtemp(prefix="endpoint-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        dump = work / "graph.nt"
        subprocess.run([sys.executable, "-m", "legalgraph", "export", "--format", "nt",
                        "-o", str(dump)], check=True, capture_output=True)
        subprocess.run(["oxigraph", "load", "--location", str(work / "oxigraph"),
                        "--file", str(dump)], check=True, capture_output=True)
        ours_port, oxigraph_port = free_port(), free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("LEGALGRAPH_")}
        ours = subprocess.Popen(
            [sys.executable, "-m", "legalgraph", "serve", "--port", str(ours_port),
             "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        processes.append(ours)
        theirs = subprocess.Popen(
            ["oxigraph", "serve", "--location", str(work / "oxigraph"),
             "--bind", f"127.0.0.1:{oxigraph_port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(theirs)
        urls = (f"http://127.0.0.1:{ours_port}/sparql", f"http://127.0.0.1:{oxigraph_port}/query")
        wait_for(urls[0], ours)
        wait_for(urls[1], theirs)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


class Client:
    """One keep-alive HTTP connection sending SPARQL queries by GET."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path
        self.connection = HTTPConnection(parts.hostname or "", parts.port, timeout=60)

    def ask(self, query: str) -> int:
        self.connection.request("GET", self.path + "?" + urllib.parse.urlencode({"query": query}),
                                headers={"Accept": ACCEPT})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
        return len(body)


def latency(url: str, text: str, runs: int, miss: bool) -> tuple[float, float]:
    client = Client(url)
    for i in range(3):
        client.ask(text + f"\n# warm {i}" if miss else text)
    times = []
    for i in range(runs):
        query = text + f"\n# run {i} {time.time_ns()}" if miss else text
        started = time.perf_counter()
        client.ask(query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def _load_worker(args: tuple[str, str, bool, float, int]) -> int:
    url, text, miss, seconds, seed = args
    client = Client(url)
    client.ask(text)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        client.ask(text + f"\n# load {seed} {done}" if miss else text)
        done += 1
    return done


def throughput(url: str, text: str, miss: bool, clients: int, seconds: float) -> float:
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        counts = pool.map(_load_worker,
                          [(url, text, miss, seconds, i) for i in range(clients)])
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    options = parser.parse_args()

    named = queries.all_queries()
    load_before = os.getloadavg()[0]
    lines: list[str] = []
    with servers(options.workers) as (ours, theirs):
        medians: dict[str, tuple[float, float, float]] = {}
        lines.append("| query | ours, cached: median / p99 ms | ours, cache miss | "
                     "oxigraph server | miss ratio (oxigraph / ours, median) |")
        lines.append("|---|---|---|---|---|")
        for name, query in sorted(named.items()):
            text = query.text
            cached = latency(ours, text, options.runs, miss=False)
            missed = latency(ours, text, options.runs, miss=True)
            baseline = latency(theirs, text, options.runs, miss=True)
            medians[name] = (cached[0], missed[0], baseline[0])
            lines.append(f"| {name} | {cached[0]:.2f} / {cached[1]:.2f} | "
                         f"{missed[0]:.2f} / {missed[1]:.2f} | "
                         f"{baseline[0]:.2f} / {baseline[1]:.2f} | "
                         f"{baseline[0] / missed[0]:.2f} |")
            print(lines[-1], flush=True)
        text = named[COMPARISON].text
        load = []
        for miss in (False, True):
            ours_rate = throughput(ours, text, miss, options.clients, options.seconds)
            their_rate = throughput(theirs, text, miss, options.clients, options.seconds)
            load.append((miss, ours_rate, their_rate))
            print(f"throughput miss={miss}: ours {ours_rate:.0f}/s, oxigraph {their_rate:.0f}/s",
                  flush=True)

    load_after = os.getloadavg()[0]
    section = [
        "## Endpoint",
        "",
        "`python bench/endpoint_bench.py --write` (figures from one run on "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{options.runs} requests per cell, {options.workers} query workers). "
        "Both servers hold the same graph (`legalgraph export` loaded with `oxigraph load`, "
        "served by `oxigraph serve`) and get the same GET requests over keep-alive HTTP on "
        "127.0.0.1. *Cache miss* appends a unique comment to each request (so our cache "
        "cannot answer); the oxigraph server gets the same unique texts. The machine was "
        f"shared: load average {load_before:.1f} at the start, {load_after:.1f} at the end, "
        "so single figures are noisy; compare the two servers within a row.",
        "",
        "### Latency, one client (ms)",
        "",
        *lines,
        "",
        f"### Throughput, {options.clients} closed-loop clients for {options.seconds:g} s, "
        f"query `{COMPARISON}` (requests/s)",
        "",
        "| requests | ours | oxigraph server | ratio (ours / oxigraph) |",
        "|---|---|---|---|",
        *(f"| {'cache miss' if miss else 'repeated (cached)'} | {o:.0f} | {t:.0f} | "
          f"{o / t:.2f} |" for miss, o, t in load),
        "",
        f"Against the targets: the comparison query `{COMPARISON}` has a median of "
        f"{medians[COMPARISON][0]:.2f} ms with one client when repeated (target: under 5 ms), "
        f"and {medians[COMPARISON][1]:.2f} ms on a cache miss, where the engine's own time "
        f"dominates (the oxigraph server: {medians[COMPARISON][2]:.2f} ms). Throughput is "
        f"{load[0][1] / load[0][2]:.2f}x the oxigraph server's on repeated queries (target: at "
        f"least 1x) and {load[1][1] / load[1][2]:.2f}x on cache misses (target: at least "
        "0.8x). The oxigraph server reads its on-disk store (RocksDB) for every query, ours "
        "answers from memory in worker processes, which likely explains most of the gap on "
        "misses.",
        "",
    ]
    print("\n".join(section))
    if options.write:
        write_section("## Endpoint", "\n".join(section))
        print("wrote bench/README.md")


if __name__ == "__main__":
    main()
