"""Build ``src/legalgraph/web/static/map/world-110m.json``: one SVG path per country.

Usage::

    python tools/build_world_map.py [path/to/countries-110m.json] [--output FILE]

Without a path, the script runs ``npm pack world-atlas@2.0.2`` in a temporary folder and reads
``countries-110m.json`` from the tarball. world-atlas (ISC licence, Mike Bostock) packages
Natural Earth's 1:110m Admin 0 countries (public domain) as TopoJSON whose feature ids are
ISO 3166-1 numeric codes; the output keys each path by that code, so the web pages join it to
``lg:iso3166Numeric``. Coordinates are projected with the Equal Earth projection and rounded to
whole units of a 2000-unit-wide view box, written as relative path commands. Antarctica is left
out (no jurisdiction's status depends on it and it takes a quarter of the map). Features
without an ISO code (Northern Cyprus, Somaliland, Kosovo in this release) are kept, keyed
``x-<name>``, so the map has no holes; they are drawn in the "no data" colour.
The output is deterministic: same input, same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "legalgraph" / "web" / "static" / "map" / "world-110m.json"
PACKAGE = "world-atlas@2.0.2"
WIDTH = 2000
LEFT_OUT = {"010"}  # Antarctica

# Equal Earth projection constants (Šavrič, Patterson and Jenny, 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = 2.7066297319215575  # x of (180°, 0°)


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to Equal Earth units (x east, y north)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(
    ring: Sequence[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """The points of one ring, joining its arcs (a negative index is a reversed arc)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep a ring that crosses the antimeridian continuous (Russia, Fiji): no jumps of 360°.

    The ring is shifted so that most of it lies in -180..180; the part past the edge is drawn
    outside the view box and clipped there.
    """
    out: list[tuple[float, float]] = []
    for lon, lat in points:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while lon - out[-1][0] < -180:
                lon += 360
        out.append((lon, lat))
    middle = sorted(lon for lon, _ in out)[len(out) // 2]
    shift = -360 if middle > 180 else 360 if middle < -180 else 0
    return [(lon + shift, lat) for lon, lat in out]


def polygons_of(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """SVG path data with relative commands, repeated points dropped."""
    parts = []
    for ring in rings:
        deduped = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
        if len(deduped) < 3:
            continue
        x0, y0 = deduped[0]
        moves = [f"M{x0} {y0}"]
        steps = []
        for (xa, ya), (xb, yb) in itertools.pairwise(deduped):
            steps.append(f"{xb - xa} {yb - ya}")
        moves.append("l" + " ".join(steps) + "z")
        parts.append("".join(moves))
    return "".join(parts)


def build(topology: dict[str, Any], version: str) -> dict[str, Any]:
    """The map document: view box, provenance and one path per country."""
    arcs = decode_arcs(topology)
    scale = WIDTH / (2 * X_MAX)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        name = geometry.get("properties", {}).get("name", "")
        if code in LEFT_OUT:
            continue
        rings = []
        for polygon in polygons_of(geometry):
            for ring in polygon:
                points = unwrap(ring_points(ring, arcs))
                projected = [equal_earth(lon, lat) for lon, lat in points]
                rings.append([(round((x + X_MAX) * scale), round(-y * scale))
                              for x, y in projected])
        features.append((str(code) if code else f"x-{name.lower().replace(' ', '-')}", name, rings))
    ys = [y for _, _, rings in features for ring in rings for _, y in ring]
    top, bottom = min(ys), max(ys)
    countries = {}
    for key, name, rings in sorted(features):
        shifted = [[(x, y - top) for x, y in ring] for ring in rings]
        countries[key] = {"name": name, "d": path_data(shifted)}
    return {
        "source": f"{version} (countries-110m.json), from Natural Earth 1:110m Admin 0 countries",
        "license": "Natural Earth: public domain. world-atlas: ISC licence, Copyright 2013-2019 "
        "Michael Bostock.",
        "projection": "Equal Earth",
        "left_out": "Antarctica (010)",
        "view_box": f"0 0 {WIDTH} {bottom - top}",
        "countries": countries,
    }


def fetch(folder: Path) -> Path:
    """Run ``npm pack`` for world-atlas in ``folder`` and unpack countries-110m.json."""
    subprocess.run(["npm", "pack", PACKAGE], cwd=folder, check=True, capture_output=True)
    tarball = next(folder.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as archive:
        member = archive.getmember("package/countries-110m.json")
        archive.extract(member, folder, filter="data")
    return folder / "package" / "countries-110m.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", nargs="?", type=Path, help="countries-110m.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.topojson or fetch(Path(tmp))
        package = source.parent / "package.json"
        version = PACKAGE.replace("@", " ")
        if package.is_file():
            version = "world-atlas " + json.loads(package.read_text())["version"]
        document = build(json.loads(source.read_text(encoding="utf-8")), version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(document['countries'])} countries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
