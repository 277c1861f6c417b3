"""Benchmark the lookup pages: latency of each page against a static file, in one run.

The app serves the shipped graph on waitress (in this process, a thread, 127.0.0.1). Each page
is asked ``--runs`` times over one keep-alive connection; the baseline is the stylesheet from
the same server, so the ratio says what the page's queries and rendering cost on top of the
HTTP stack, whatever the machine.

Usage: ``python bench/pages_bench.py [--runs 30] [--write]``; ``--write`` replaces the
"## Lookup pages" section of bench/README.md with the figures (other sections are kept).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from readme_section import write_section  # noqa: E402  (bench/ is on sys.path)
from waitress.server import create_server  # noqa: E402

from legalgraph import build  # noqa: E402
from legalgraph.settings import Settings  # noqa: E402
from legalgraph.web import create_app  # noqa: E402

BASELINE = "/static/pages.css"
PAGES = (
    ("home", "/"),
    ("search redirect", "/search?q=ecstasy+netherlands"),
    ("status", "/status/mdma/AUS"),
    ("status as of", "/status/mdma/AUS?as_of=2023-06-30"),
    ("status subdivision", "/status/psilocybin/US-OR"),
    ("status Turtle", "/status/mdma/AUS?format=ttl"),
    ("substance map", "/substance/mdma"),
    ("substance CSV", "/substance/mdma?format=csv"),
    ("jurisdiction", "/place/USA"),
    ("compare 3x2", "/compare?places=AUS,NZL,USA&substances=mdma,psilocybin"),
    ("changes", "/changes?from=2020-01-01&to=2025-12-31"),
    ("typeahead", "/suggest?q=austral"),
)


def timings(connection: HTTPConnection, path: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        out.append(time.perf_counter() - start)
        if response.status >= 400:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    loaded = time.perf_counter()
    store = build.load()
    load_seconds = time.perf_counter() - loaded
    server = create_server(create_app(Settings(), store), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    connection = HTTPConnection("127.0.0.1", server.effective_port, timeout=60)  # type: ignore[union-attr]
    timings(connection, BASELINE, 5)  # warm up
    base = statistics.median(timings(connection, BASELINE, args.runs))
    rows = []
    for name, path in PAGES:
        timings(connection, path, 2)  # first request builds the name index
        measured = timings(connection, path, args.runs)
        median = statistics.median(measured)
        p95 = sorted(measured)[max(0, int(len(measured) * 0.95) - 1)]
        rows.append((name, path, median, p95, median / base))
    server.close()
    lines = [
        "## Lookup pages",
        "",
        f"`python bench/pages_bench.py --runs {args.runs}`: the shipped graph ({len(store)} "
        f"triples, loaded in {load_seconds:.1f} s) on waitress in one process, one client "
        "with a keep-alive connection. Baseline: the stylesheet from the same server, median "
        f"{base * 1000:.2f} ms. Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| page | path | median ms | p95 ms | median / baseline |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | `{p}` | {m * 1000:.1f} | {q * 1000:.1f} | {r:.1f}x |"
              for n, p, m, q, r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        write_section("## Lookup pages", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
