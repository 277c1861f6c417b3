"""Load time of the shipped graph on the embedded store, against parsing the same files alone.

    python bench/store_bench.py [--runs N]

Baseline: the engine parsing the same Turtle files with no rules and no dataset description,
in the same process and run, so the ratio says what derivation and bookkeeping cost.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from legalgraph import build, paths


def _median(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    files = paths.default_graph_files()
    build.load()  # warm the file cache and imports
    parse_only = _median(lambda: build.load(files, derive=False), args.runs)
    full = _median(lambda: build.load(files), args.runs)
    triples = len(build.load(files))
    print(f"Python {platform.python_version()}, {platform.machine()}; {len(files)} files, "
          f"{triples} triples; median of {args.runs} runs")
    print("| step | median s | x baseline |")
    print("|---|---:|---:|")
    print(f"| parse the files only (baseline) | {parse_only:.3f} | 1.0 |")
    print(f"| `build.load()`: parse + derived facts + dataset description | {full:.3f} | "
          f"{full / parse_only:.1f} |")


if __name__ == "__main__":
    main()
