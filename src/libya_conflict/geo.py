"""Country outlines (Natural Earth, public domain) and where a point lies against them.

>>> from libya_conflict import geo
>>> geo.has_outline("Libya")
True
>>> geo.distance_outside_km("Libya", 32.8872, 13.1913)    # Tripoli
0.0
>>> round(geo.distance_outside_km("Libya", 30.0444, 31.2357), -1)    # Cairo: about 610 km from Libya
610.0

The outlines are ``geodata/outlines.json``, extracted once by ``scripts/extract_outlines.py`` from the npm
package ``world-atlas`` (see ``geodata/PROVENANCE.md``). Libya and its neighbours are at 1:50m, the rest of
the world at 1:110m; :func:`resolution_km` says how far a true border may lie from the drawn one.
Distances use a local flat approximation (a degree of longitude shrunk by the cosine of the latitude),
good to a few per cent at the distances that matter here.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

KM_PER_DEGREE = 111.2


@functools.lru_cache(maxsize=1)
def outlines() -> dict:
    """The whole outlines document: source, licence, units, resolution_km and countries."""
    return json.loads(resources.files(__package__).joinpath("geodata/outlines.json").read_text(encoding="utf-8"))


def has_outline(country: str) -> bool:
    """Is there an outline for ``country`` (a Natural Earth name such as "Libya", "Egypt", "Turkey")?"""
    return country in outlines()["countries"]


def resolution_km(country: str) -> float:
    """How far the drawn outline of ``country`` may stray from the true border (its scale's tolerance)."""
    doc = outlines()
    return float(doc["resolution_km"][doc["countries"][country]["scale"]])


@functools.cache
def polygons(country: str) -> tuple:
    """The country's polygons, each a tuple of rings, each ring a numpy (n, 2) array of (lon, lat) degrees."""
    import numpy as np

    return tuple(
        tuple(np.asarray(r, dtype=float).reshape(-1, 2) / 100 for r in polygon)
        for polygon in outlines()["countries"][country]["polygons"]
    )


def _edges(country: str):
    """Every edge of every ring: start and end arrays of (lon, lat)."""
    import numpy as np

    rings = [r for polygon in polygons(country) for r in polygon]
    return np.concatenate(rings), np.concatenate([np.roll(r, -1, axis=0) for r in rings])


def inside(country: str, lat, lon):
    """Numpy bool array: is each point inside the country (even-odd rule over all its rings)?

    A horizontal ray from each point crosses an edge only when the point's latitude lies in the edge's
    span; with the points sorted by latitude, each edge looks at that span alone, so the work grows with
    the points times the few edges at their latitude, not times every edge.
    """
    import numpy as np

    lat, lon = np.atleast_1d(np.asarray(lat, dtype=float)), np.atleast_1d(np.asarray(lon, dtype=float))
    a, b = _edges(country)
    order = np.argsort(lat, kind="stable")
    ys, xs = lat[order], lon[order]
    parity = np.zeros(len(ys), dtype=bool)
    for (ax, ay), (bx, by) in zip(a.tolist(), b.tolist()):
        if ay == by:
            continue  # a horizontal edge is never crossed by a horizontal ray
        # (ay > y) != (by > y) exactly when min <= y < max
        i0, i1 = np.searchsorted(ys, min(ay, by), "left"), np.searchsorted(ys, max(ay, by), "left")
        if i0 < i1:
            at = ax + (ys[i0:i1] - ay) * (bx - ax) / (by - ay)
            parity[i0:i1] ^= xs[i0:i1] < at
    result = np.zeros(len(ys), dtype=bool)
    result[order] = parity
    return result


def distance_outside_km(country: str, lat, lon):
    """Distance in km from each point to the country: 0 inside it, else to its nearest border or coast.
    A scalar for scalar input, else a numpy array."""
    import numpy as np

    scalar = np.ndim(lat) == 0
    lat, lon = np.atleast_1d(np.asarray(lat, dtype=float)), np.atleast_1d(np.asarray(lon, dtype=float))
    a, b = _edges(country)
    out = np.zeros(lat.shape)
    outside = np.flatnonzero(~inside(country, lat, lon))  # the points inside are at 0 km
    for start in range(0, len(outside), 1024):
        chosen = outside[start : start + 1024]
        y, x = lat[chosen, None], lon[chosen, None]
        k = np.cos(np.radians(y))  # km per degree of longitude, relative to latitude, at the point
        ax, ay, bx, by = (a[:, 0] - x) * k, a[:, 1] - y, (b[:, 0] - x) * k, b[:, 1] - y
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(length > 0, -(ax * dx + ay * dy) / length, 0.0), 0.0, 1.0)
        d = np.hypot(ax + t * dx, ay + t * dy).min(axis=1) * KM_PER_DEGREE
        out[chosen] = d
    return float(out[0]) if scalar else out


def bounds(country: str) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the country's outline."""
    points = [r for polygon in polygons(country) for r in polygon]
    lons = [p[:, 0] for p in points]
    lats = [p[:, 1] for p in points]
    return (
        min(float(v.min()) for v in lons),
        min(float(v.min()) for v in lats),
        max(float(v.max()) for v in lons),
        max(float(v.max()) for v in lats),
    )


__all__ = ["outlines", "has_outline", "resolution_km", "polygons", "inside", "distance_outside_km", "bounds"]
