"""How the costs grow with the data: 1x, 10x and 100x the shipped graph, embedded and remote.

For each factor, in one run:

* the data: ``bench/generate_synthetic.py`` (the shipped data plus synthetic copies);
* load: the embedded store (parse, then the derivation rules) in a child process, with its
  peak memory; the same graph into an ``oxigraph`` server through ``Store.publish`` (SPARQL 1.1
  Update, what ``legalgraph load`` does after validating) with the server's peak memory; and,
  as the baseline, the server's own bulk loader (``oxigraph load`` of ``legalgraph export``);
* each named query (default parameters): median and p99 latency on the embedded store, on the
  remote backend (``Store.connect`` to ``oxigraph serve-read-only`` holding the same graph), and
  the baseline: the same query text POSTed straight to that server (no legalgraph code);
* endpoint throughput under a bounded load on 127.0.0.1: ``--clients`` clients, one request at
  a time each, for ``--seconds``, every request a different named query with a unique comment
  (so no answer comes from the cache): ``legalgraph serve`` on the embedded store, the same on
  the remote backend, and the ``oxigraph`` server itself;
* validation: ``legalgraph validate`` on the data, stopped after ``--validate-budget`` seconds.

Usage: ``python bench/scale_bench.py [--factors 1,10,100] [--write]``; ``--write`` replaces the
"## Scale" section of bench/README.md. Latency runs per query stop at ``--runs`` or after
``--budget`` seconds (at least 3 runs); p99 is the nearest-rank value, which for fewer than 100
runs is the slowest run.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from readme_section import write_section  # noqa: E402  (bench/ is on sys.path)

from legalgraph import (  # noqa: E402
    build,
    paths,
    queries,
)
from legalgraph.errors import QueryError  # noqa: E402
from legalgraph.namespaces import PREFIXES  # noqa: E402
from legalgraph.store import Store  # noqa: E402

ACCEPT = "application/sparql-results+json"


# -- helpers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_measured(command: list[str], timeout: float | None = None) -> tuple[float, int, str, str]:
    """Run ``command``; wall seconds, peak RSS in MB, stdout, stderr. Killed after ``timeout``
    (then the wall time is ``inf``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                status = -1
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started if status != -1 else math.inf
        process.returncode = 0  # reaped above
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss // 1024, out.read().decode(), err.read().decode()


def _status_mb(pid: int | str, field: str) -> int:
    """A memory figure (``VmRSS``, ``VmHWM``) of a process from /proc, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return 0


def rss_mb() -> int:
    """This process's resident memory now, in MB."""
    return _status_mb("self", "VmRSS")


def peak_rss_mb(pid: int) -> int:
    return _status_mb(pid, "VmHWM")


def start(command: list[str], ready: str) -> subprocess.Popen[bytes]:
    """Start a server and wait until ``ready`` answers 200."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=ROOT)
    parts = urllib.parse.urlsplit(ready)
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with status {process.returncode}")
        try:
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
            connection.request("GET", parts.path + "?" + parts.query)
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def timed_runs(call: Callable[[], object], runs: int, budget: float) -> list[float]:
    """Milliseconds per call: one warm-up, then up to ``runs`` calls or ``budget`` seconds
    (at least 3, or just 1 when the warm-up alone took longer than the budget; with a budget
    of 0, one run and no warm-up)."""
    started = time.perf_counter()
    if budget > 0:
        call()
    if time.perf_counter() - started > budget:
        runs = 1
    times: list[float] = []
    spent = time.perf_counter()
    while len(times) < runs and (len(times) < min(3, runs)
                                 or time.perf_counter() - spent < budget):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]
    return {"median": statistics.median(ordered), "p99": p99, "runs": len(ordered)}


def bounded(call: Callable[[], object], args: argparse.Namespace) -> dict[str, float]:
    """:func:`timed_runs` on the server; a query over ``--query-timeout`` is recorded as
    infinite (the server stops it too)."""
    try:
        return summary(timed_runs(call, args.runs, args.budget))
    except (QueryError, OSError, http.client.HTTPException):
        return {"median": math.inf, "p99": math.inf, "runs": 0}


def named_texts() -> dict[str, str]:
    return {name: query.text for name, query in sorted(queries.all_queries().items())}


def graph_files(data: Path) -> list[Path]:
    return paths.turtle_files(paths.ONTOLOGY_DIR) + paths.turtle_files(data)


class RawClient:
    """The baseline client: POST the query text to a SPARQL server, read the bytes."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port,
                                                     timeout=timeout)

    def post(self, text: str) -> int:
        for attempt in (1, 2):
            try:
                self.connection.request("POST", self.path, body=text.encode(),
                                        headers={"Content-Type": "application/sparql-query",
                                                 "Accept": ACCEPT})
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    TimeoutError):
                self.connection.close()  # the server closed an idle connection: reconnect
                if attempt == 2:
                    raise
        return 0


# -- the embedded child: load, export, latencies, publish -------------------------------------

def child(data: Path, nt: Path, publish_to: str, runs: int, budget: float) -> None:
    from legalgraph import rules

    files = graph_files(data)
    started = time.perf_counter()
    store = build.load(files, derive=False)
    parsed = time.perf_counter()
    rules.apply(store)
    derived = time.perf_counter()
    # what Store.load does after the rules (kept in step by using the same private step)
    store._describe_dataset()
    result: dict[str, Any] = {
        "triples": len(store),
        "parse_s": parsed - started,
        "rules_s": derived - parsed,
        "load_s": time.perf_counter() - started,
        "rss_after_load_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    nt.write_bytes(store.export("nt"))
    latency: dict[str, Any] = {}
    for name, text in named_texts().items():
        latency[name] = summary(timed_runs(lambda t=text: store.query(t), runs, budget))  # type: ignore[misc]
        latency[name]["rows"] = len(store.query(text).rows)
    result["latency"] = latency
    started = time.perf_counter()
    store.publish(publish_to, timeout=600)
    result["publish_s"] = time.perf_counter() - started
    print(json.dumps(result))


# -- throughput -------------------------------------------------------------------------------

def throughput(url: str, clients: int, seconds: float, form: bool) -> dict[str, float]:
    """Requests per second with ``clients`` closed-loop clients, each request a named query
    with a unique comment."""
    texts = list(named_texts().values())
    parts = urllib.parse.urlsplit(url)
    counts = [0] * clients
    errors = [0] * clients
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
        number = 0
        while time.perf_counter() < stop_at:
            text = texts[(index + number) % len(texts)] + f"\n# {index}-{number}-{time.time()}"
            number += 1
            try:
                if form:
                    body = urllib.parse.urlencode({"query": text}).encode()
                    kind = "application/x-www-form-urlencoded"
                else:
                    body, kind = text.encode(), "application/sparql-query"
                connection.request("POST", parts.path, body=body,
                                   headers={"Content-Type": kind, "Accept": ACCEPT})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname or "", parts.port,
                                                        timeout=120)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": sum(counts) / elapsed, "ok": sum(counts), "errors": sum(errors)}


def prefixed(text: str) -> str:
    return "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items()) + text


# -- one factor -------------------------------------------------------------------------------

def bench_factor(factor: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    print(f"== {factor}x", file=sys.stderr)
    data = work / f"{factor}x"
    started = time.perf_counter()
    subprocess.run([sys.executable, "bench/generate_synthetic.py", "--factor", str(factor),
                    "--out", str(data)], check=True, cwd=ROOT)
    result: dict[str, Any] = {"factor": factor, "generate_s": time.perf_counter() - started}

    # embedded load + latencies, then publish into an in-memory server (remote load)
    nt = work / f"{factor}x.nt"
    write_port = free_port()
    writer = start([shutil.which("oxigraph") or "oxigraph", "serve", "--bind",
                    f"127.0.0.1:{write_port}"], f"http://127.0.0.1:{write_port}/query?query=ASK%7B%7D")
    try:
        wall, rss, out, err = run_measured(
            [sys.executable, __file__, "--child", str(data), str(nt),
             f"http://127.0.0.1:{write_port}/query", str(args.runs), str(args.budget)])
        if not out.strip():
            raise RuntimeError(err)
        embedded = json.loads(out.strip().splitlines()[-1])
        embedded["peak_rss_mb"] = rss
        result["embedded"] = embedded
        result["remote_load"] = {"load_s": embedded.pop("publish_s"),
                                 "server_peak_rss_mb": peak_rss_mb(writer.pid)}
    finally:
        stop(writer)

    # baseline bulk load, then serve it read-only for the remote backend and the baseline
    db = work / f"{factor}x.db"
    wall, rss, _, err = run_measured([shutil.which("oxigraph") or "oxigraph", "load",
                                      "--location", str(db), "--file", str(nt)])
    result["oxigraph_load"] = {"load_s": wall, "peak_rss_mb": rss}
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    limit = args.query_timeout
    server = start([shutil.which("oxigraph") or "oxigraph", "serve-read-only", "--location",
                    str(db), "--bind", f"127.0.0.1:{port}", "--timeout-s", f"{limit:g}"],
                   url + "?query=ASK%7B%7D")
    try:
        remote = Store.connect(url, timeout=limit)
        raw = RawClient(url, limit)
        result["remote_latency"] = {}
        result["oxigraph_latency"] = {}
        for name, text in named_texts().items():
            full = prefixed(text)
            result["remote_latency"][name] = bounded(
                lambda t=text: remote.query(t), args)  # type: ignore[misc]
            result["oxigraph_latency"][name] = bounded(
                lambda t=full: raw.post(t), args)  # type: ignore[misc]

        # throughput: the oxigraph server, then legalgraph serve on it, then embedded
        result["throughput"] = {
            "oxigraph": throughput(url, args.clients, args.seconds, form=False)}
        for label, extra in (("remote", ["--sparql-endpoint", url]),
                             ("embedded", ["--data", str(ROOT / "ontology"),
                                           "--data", str(data)])):
            if label == "embedded" and factor > args.embedded_serve_max:
                continue
            serve_port = free_port()
            ours = start([sys.executable, "-m", "legalgraph", "serve", "--port", str(serve_port),
                          "--workers", str(args.workers), "--time-limit", f"{limit:g}", *extra],
                         f"http://127.0.0.1:{serve_port}/sparql?query=ASK%7B%7D")
            try:
                result["throughput"][label] = throughput(
                    f"http://127.0.0.1:{serve_port}/sparql", args.clients, args.seconds,
                    form=True)
            finally:
                stop(ours)
        result["oxigraph_server_peak_rss_mb"] = peak_rss_mb(server.pid)
    finally:
        stop(server)

    wall, rss, out, _ = run_measured(
        [sys.executable, "-m", "legalgraph", "validate", "--format", "text", str(data)],
        timeout=args.validate_budget)
    conforms = "conforms" in out and "does not conform" not in out
    result["validate"] = {"s": wall, "peak_rss_mb": rss,
                          "conforms": conforms if math.isfinite(wall) else None,
                          "summary": out.strip().splitlines()[-1] if out.strip() else ""}
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(db, ignore_errors=True)
        nt.unlink(missing_ok=True)
    return result


# -- report -----------------------------------------------------------------------------------

def machine() -> str:
    import pyoxigraph

    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.split("\n")[1]
    server = subprocess.run(["oxigraph", "--version"], capture_output=True, text=True).stdout
    return (f"{os.cpu_count()} CPUs (`nproc`), memory `{' '.join(memory.split()[:2])}` "
            f"(`free -h`), Python {platform.python_version()}, pyoxigraph "
            f"{pyoxigraph.__version__}, {server.strip()} server, {platform.machine()}")


def ms(value: float) -> str:
    if not math.isfinite(value):
        return "timeout"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b and math.isfinite(a) else "-"


def render(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    base = results[0]
    lines = [
        "## Scale",
        "",
        f"`python bench/scale_bench.py --factors {args.factors} --write` on "
        f"{time.strftime('%Y-%m-%d')} ({args.total_s / 60:.1f} min): {machine()}. Data: "
        "`bench/generate_synthetic.py` (the shipped data plus synthetic copies of every "
        "substance and the records, sources and instruments about it; jurisdictions and "
        "schedules shared). Remote backend and baseline: an `oxigraph` server on 127.0.0.1 "
        "holding the same graph.",
        "",
        "### Load and memory",
        "",
        "| data | triples | embedded load s (parse + rules) | embedded peak MB | remote load "
        "s (`Store.publish`) | server peak MB | baseline `oxigraph load` s | baseline peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        e = r["embedded"]
        lines.append(
            f"| {r['factor']}x | {e['triples']} | {e['load_s']:.1f} ({e['parse_s']:.1f} + "
            f"{e['rules_s']:.1f}) | {e['peak_rss_mb']} | {r['remote_load']['load_s']:.1f} | "
            f"{r['remote_load']['server_peak_rss_mb']} | {r['oxigraph_load']['load_s']:.1f} | "
            f"{r['oxigraph_load']['peak_rss_mb']} |")
    lines += [
        "",
        "### Named queries (default parameters): median / p99 ms",
        "",
        "Embedded: `Store.query` in process, results converted to rdflib terms. Remote: "
        "`Store.query` on `Store.connect(URL)`. Baseline: the same text POSTed to the server, "
        "bytes read, nothing parsed. p99 is the slowest run when there are fewer than 100. "
        f"timeout: over {args.query_timeout:g} s (`--query-timeout`).",
        "",
    ]
    header = "| query | " + " | ".join(
        f"{r['factor']}x embedded | {r['factor']}x remote | {r['factor']}x baseline"
        for r in results) + " |"
    lines += [header, "|---|" + "---:|" * (3 * len(results))]
    for name in base["embedded"]["latency"]:
        cells = []
        for r in results:
            for part in (r["embedded"]["latency"], r["remote_latency"], r["oxigraph_latency"]):
                s = part[name]
                cells.append(f"{ms(s['median'])} / {ms(s['p99'])}")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += ["", "Runs per cell: " + ", ".join(
        f"{r['factor']}x {min(s['runs'] for s in r['embedded']['latency'].values())}-"
        f"{max(s['runs'] for s in r['embedded']['latency'].values())}" for r in results) + ".",
        "", "Growth of the summed medians (embedded / remote / baseline), against 1x: " + ", ".join(
        f"{r['factor']}x " + " / ".join(
            ratio(sum(s["median"] for s in part.values()),
                  sum(s["median"] for s in basepart.values()))
            for part, basepart in ((r["embedded"]["latency"], base["embedded"]["latency"]),
                                   (r["remote_latency"], base["remote_latency"]),
                                   (r["oxigraph_latency"], base["oxigraph_latency"])))
        for r in results) + "."]
    lines += [
        "",
        f"### Endpoint throughput: {args.clients} clients, {args.seconds:g} s, every request a "
        "different named query with a unique comment (no cache hits)",
        "",
        "| data | `oxigraph` server req/s | `legalgraph serve --sparql-endpoint` req/s | "
        "`legalgraph serve` embedded req/s | errors (ours) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        t = r["throughput"]
        embedded = f"{t['embedded']['rps']:.1f}" if "embedded" in t else "not run"
        errors = t["remote"]["errors"] + t.get("embedded", {}).get("errors", 0)
        lines.append(f"| {r['factor']}x | {t['oxigraph']['rps']:.1f} | {t['remote']['rps']:.1f} "
                     f"| {embedded} | {errors} |")
    lines += [
        "",
        f"### Validation (`legalgraph validate`, stopped after {args.validate_budget:g} s)",
        "",
        "| data | seconds | peak MB | result |",
        "|---|---:|---:|---|",
    ]
    for r in results:
        v = r["validate"]
        seconds = f"{v['s']:.1f}" if math.isfinite(v["s"]) else f"> {args.validate_budget:g}"
        lines.append(f"| {r['factor']}x | {seconds} | {v['peak_rss_mb']} | "
                     f"{v['summary'] or 'stopped'} |")
    return "\n".join(lines) + "\n"


# -- the answer engine and the queries that decide a status (--engine) ---------------------

ENGINE_SECTION = "## Scale of the answer engine"


def engine_factor(factor: int, work: Path, runs: int) -> dict[str, Any]:
    """Load the graph at ``factor``, build the engine's index, time every named query (with
    its defaults) and the engine's calls: one answer, one timeline, the changes of a year."""
    from legalgraph.engine import Engine

    data = work / f"{factor}x"
    if not data.exists():
        subprocess.run([sys.executable, "bench/generate_synthetic.py", "--factor", str(factor),
                        "--out", str(data)], check=True, cwd=ROOT)
    from legalgraph import rules
    from legalgraph.store import Store

    timed: dict[str, float] = {}

    def derive(store: Store) -> None:
        started = time.perf_counter()
        rules.apply(store)
        timed["rules_s"] = time.perf_counter() - started

    started = time.perf_counter()
    store = Store.load(graph_files(data), derive=derive, version_inputs=rules.RULES)
    result: dict[str, Any] = {"factor": factor, "triples": len(store),
                              "load_s": time.perf_counter() - started, **timed,
                              "load_rss_mb": peak_rss_mb(os.getpid())}
    before = rss_mb()
    started = time.perf_counter()
    engine = Engine(store)
    result["index_s"] = time.perf_counter() - started
    result["index_rss_mb"] = rss_mb() - before
    print(f"{factor}x: loaded in {result['load_s']:.1f} s, index in {result['index_s']:.1f} s",
          file=sys.stderr, flush=True)
    for name, query in sorted(queries.all_queries().items()):
        print(f"{factor}x: {name}", file=sys.stderr, flush=True)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.select(query.text)
            times.append((time.perf_counter() - started) * 1000)
        result[name] = statistics.median(times)
    items, places = sorted(engine.items), sorted(engine.places)
    asks = [(items[n % len(items)], places[(n * 7) % len(places)],
             (date(1990, 1, 1), date(2023, 7, 1), date.today())[n % 3]) for n in range(300)]
    started = time.perf_counter()
    for item, place, day in asks:
        engine.status(item, place, day)
    result["answer_ms"] = (time.perf_counter() - started) / len(asks) * 1000
    started = time.perf_counter()
    for item, place, _ in asks:
        engine.timeline(item, place)
    result["timeline_ms"] = (time.perf_counter() - started) / len(asks) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        engine.changes(date(2022, 1, 1), date(2022, 12, 31))
        times.append((time.perf_counter() - started) * 1000)
    result["changes_ms"] = statistics.median(times)
    result["peak_rss_mb"] = peak_rss_mb(os.getpid())
    return result


def render_engine(results: list[dict[str, Any]], runs: int, total_s: float) -> str:
    """The engine's section: figures per factor and the growth law between factors."""
    factors = [r["factor"] for r in results]
    rows = [("load (parse + rules) s", "load_s"), ("of which the rules s", "rules_s"),
            ("peak RSS after load MB", "load_rss_mb"),
            ("engine index s", "index_s"), ("engine index, added RSS MB", "index_rss_mb"),
            ("peak RSS of the whole run MB", "peak_rss_mb"),
            ("engine: one answer ms", "answer_ms"), ("engine: one timeline ms", "timeline_ms"),
            ("engine: the changes of 2022 ms", "changes_ms"),
            *((f"`{name}` (defaults) ms", name)
              for name in sorted(queries.all_queries()))]
    head = "| what | " + " | ".join(f"{f}x" for f in factors)
    pairs = list(itertools.pairwise(results))
    head += "".join(f" | growth {a['factor']}x→{b['factor']}x" for a, b in pairs) + " |"
    lines = [
        ENGINE_SECTION, "",
        f"`python bench/scale_bench.py --engine --factors {','.join(map(str, factors))} "
        f"--runs {runs} --write` on {date.today().isoformat()} ({total_s / 60:.1f} min): the "
        f"embedded store, Python {platform.python_version()}, {os.cpu_count()} CPUs (shared; "
        f"load average {os.getloadavg()[0]:.1f} at the end). Triples: "
        + ", ".join(f"{r['factor']}x {r['triples']}" for r in results)
        + ". Growth: the exponent k of time ∝ size^k between two factors (1 is linear); "
        "each size runs in a process of its own; one engine answer and one timeline are the mean "
        "over 300 mixed (substance, place, day) questions; the named queries run with their "
        "defaults.",
        "", head, "|---|" + "---:|" * (len(factors) + len(pairs)),
    ]
    for label, key in rows:
        cells = [f"{r[key]:.3g}" for r in results]
        growth = []
        for a, b in pairs:
            if a[key] > 0 and b[key] > 0:
                k = math.log(b[key] / a[key]) / math.log(b["triples"] / a["triples"])
                growth.append(f"{k:.2f}")
            else:
                growth.append("")
        lines.append(f"| {label} | " + " | ".join(cells + growth) + " |")
    lines += ["", "Growth laws: k near 1 is linear, near 0 constant, near 2 quadratic; with two "
              "points on a shared machine, read k to about ±0.2."]
    return "\n".join(lines) + "\n"


def engine_child(factor: int, work: Path, runs: int) -> dict[str, Any]:
    """:func:`engine_factor` in a process of its own, so each size's memory is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--engine-child", str(factor), str(work), str(runs)],
        check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def engine_main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="legalgraph-engine-scale-"))
    try:
        results = [engine_child(int(f), work, args.runs) for f in args.factors.split(",")]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = render_engine(results, args.runs, time.perf_counter() - started)
    print(text)
    if args.write:
        write_section(ENGINE_SECTION, text)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--engine-child":
        print(json.dumps(engine_factor(int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], int(sys.argv[5]),
              float(sys.argv[6]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--runs", type=int, default=50, help="most latency runs per query")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds of latency runs per query and backend")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2, help="legalgraph serve --workers")
    parser.add_argument("--embedded-serve-max", type=int, default=100,
                        help="largest factor at which to start legalgraph serve embedded")
    parser.add_argument("--validate-budget", type=float, default=120.0)
    parser.add_argument("--query-timeout", type=float, default=600.0,
                        help="seconds a query may take on the server (and on legalgraph serve)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument("--from-json", type=Path, help="render figures saved by --json")
    parser.add_argument("--engine", action="store_true",
                        help="only the answer engine and the queries that decide a status "
                        "(embedded), into the section '## Scale of the answer engine'")
    args = parser.parse_args()
    if args.engine:
        engine_main(args)
        return
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        results, args.total_s = saved["results"], saved["total_s"]
        args.factors = ",".join(str(r["factor"]) for r in results)
    else:
        started = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix="legalgraph-scale-"))
        results = []
        try:
            for factor in args.factors.split(","):
                results.append(bench_factor(int(factor), work, args))
                args.total_s = time.perf_counter() - started
                if args.json:  # after each factor, so a long run keeps what it measured
                    args.json.write_text(json.dumps(
                        {"results": results, "total_s": args.total_s}, indent=1))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    text = render(results, args)
    print(text)
    if args.write:
        write_section("## Scale", text)


if __name__ == "__main__":
    main()
