"""Extract the country outlines the map and the coordinates rule use, once, from Natural Earth.

    npm install --prefix /tmp/outlines world-atlas@2.0.2
    python scripts/extract_outlines.py /tmp/outlines/node_modules/world-atlas > src/libya_conflict/geodata/outlines.json

The npm package ``world-atlas`` (ISC) redistributes Natural Earth's Admin 0 country boundaries, version
4.1.0, as TopoJSON; Natural Earth is in the public domain. Libya and its six neighbours come from the
1:50m file, every other country from the 1:110m file. Coordinates are rounded to 0.01 degree (about
1 km) and written as integers (hundredths of a degree), each ring as a flat list
``[lon, lat, lon, lat, ...]``, so the whole world fits in a small JSON file. The output is sorted and has
no time stamp: the same package gives the same bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DETAILED = ("Libya", "Tunisia", "Algeria", "Niger", "Chad", "Sudan", "Egypt")
VERSION = "world-atlas 2.0.2 (Natural Earth 4.1.0)"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (TopoJSON quantizes them and stores deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[int]:
    """One closed ring, in hundredths of a degree, without repeated points."""
    points: list[tuple[int, int]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        for lon, lat in arc:
            p = (round(lon * 100), round(lat * 100))
            if not points or points[-1] != p:
                points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return [c for p in points for c in p]


def countries(path: Path) -> dict[str, list[list[list[int]]]]:
    """Country name -> polygons -> rings (the first ring of a polygon is its outside, the others holes)."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    out = {}
    for g in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [g.get("arcs", [])], "MultiPolygon": g.get("arcs", [])}.get(g["type"], [])
        rings = [[r for r in (ring(arcs, idx) for idx in polygon) if len(r) >= 6] for polygon in polygons]
        rings = [p for p in rings if p]
        if rings:
            out.setdefault(g["properties"]["name"], []).extend(rings)
    return out


def main(folder: str) -> None:
    folder = Path(folder)
    fine, coarse = countries(folder / "countries-50m.json"), countries(folder / "countries-110m.json")
    chosen = {name: ("50m", fine[name]) for name in DETAILED}
    for name, polygons in coarse.items():
        chosen.setdefault(name, ("110m", polygons))
    doc = {
        "source": VERSION,
        "licence": "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/); "
        "world-atlas packaging: ISC",
        "units": "hundredths of a degree, WGS84; each ring a flat list lon, lat, lon, lat, ...",
        "resolution_km": {"50m": 3, "110m": 15},
        "countries": {
            name: {"scale": scale, "polygons": polygons} for name, (scale, polygons) in sorted(chosen.items())
        },
    }
    sys.stdout.write(json.dumps(doc, separators=(",", ":"), ensure_ascii=False, sort_keys=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
