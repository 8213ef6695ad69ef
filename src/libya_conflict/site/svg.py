"""The explorer's pictures, drawn as SVG text: maps over the country outlines, and the timeline.

>>> from libya_conflict.site.svg import Frame, place_labels
>>> frame = Frame("Libya", 9.0, 19.0, 26.0, 34.0, 640)
>>> x, y = frame.xy(32.8872, 13.1913)          # Tripoli, in pixels from the top left
>>> round(x), round(y)
(158, 47)

Everything here is plain string building with rounded numbers, so the same data draw the same bytes.
Labels are placed greedily (:func:`place_labels`): the most reported place first, each at the first of a
ring of candidate positions that overlaps no label, no marker and the frame's edge; a label that fits
nowhere is left out and the map says so (that place is named in a closer view, or in the list beside it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .. import geo

SIDE_COLOURS = {  # Okabe-Ito: told apart by readers with the common colour blindnesses
    "gna_aligned": "#0072b2",
    "lna_aligned": "#d55e00",
    "foreign": "#009e73",
    "international": "#cc79a7",
    "neutral_unknown": "#6b6b6b",
    None: "#8a8a8a",
}
SIDE_LABELS = {
    "gna_aligned": "GNA-aligned",
    "lna_aligned": "Haftar/LNA-aligned",
    "foreign": "foreign state",
    "international": "international",
    "neutral_unknown": "neutral/unknown",
    None: "no acting actor",
}
FONT = 11  # label size in px; a character is at most about 0.68 of it wide in DejaVu Sans (measured in Chromium)


@dataclass(frozen=True)
class Frame:
    """A map view: a box of longitude and latitude drawn ``width`` pixels wide, north up, a degree of
    longitude shrunk by the cosine of the middle latitude (so distances look alike both ways)."""

    title: str
    west: float
    south: float
    east: float
    north: float
    width: int

    @property
    def scale(self) -> float:
        return self.width / ((self.east - self.west) * math.cos(math.radians((self.south + self.north) / 2)))

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.scale)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        k = math.cos(math.radians((self.south + self.north) / 2))
        return (lon - self.west) * k * self.scale, (self.north - lat) * self.scale

    def contains(self, lat: float, lon: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def km(self, km: float) -> float:
        """A distance in km as pixels."""
        return km / geo.KM_PER_DEGREE * self.scale


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else "0"


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(points: list[dict], width: float, height: float) -> dict[str, tuple[float, float, str]]:
    """Where to write each label: ``{key: (x, y, anchor)}`` for the labels that fit.

    ``points`` are dicts with ``key``, ``x``, ``y``, ``r`` (marker radius), ``text`` and ``rank`` (lower is
    placed first); a point whose ``text`` is empty gets no label but is kept clear. A label never overlaps
    another label, a marker, or the frame's edge.
    """
    markers = [(p["x"] - p["r"], p["y"] - p["r"], p["x"] + p["r"], p["y"] + p["r"]) for p in points]
    taken: list[tuple] = []
    placed = {}
    for p in sorted((p for p in points if p["text"]), key=lambda p: (p["rank"], p["key"])):
        w, h = len(p["text"]) * FONT * 0.7, FONT * 1.2
        for ring in (1, 2, 3.5):
            gap = p["r"] + 3 * ring
            # right, left, above, below, then the four corners
            candidates = [
                (p["x"] + gap, p["y"] - h / 2, "start"),
                (p["x"] - gap - w, p["y"] - h / 2, "end"),
                (p["x"] - w / 2, p["y"] - gap - h, "middle"),
                (p["x"] - w / 2, p["y"] + gap, "middle"),
                (p["x"] + gap * 0.7, p["y"] - gap * 0.7 - h, "start"),
                (p["x"] - gap * 0.7 - w, p["y"] - gap * 0.7 - h, "end"),
                (p["x"] + gap * 0.7, p["y"] + gap * 0.7, "start"),
                (p["x"] - gap * 0.7 - w, p["y"] + gap * 0.7, "end"),
            ]
            for left, top, anchor in candidates:
                box = (left, top, left + w, top + h)
                if box[0] < 2 or box[1] < 2 or box[2] > width - 2 or box[3] > height - 2:
                    continue
                if any(_overlaps(box, t) for t in taken) or any(_overlaps(box, m) for m in markers):
                    continue
                taken.append(box)
                x = {"start": left, "end": left + w, "middle": left + w / 2}[anchor]
                placed[p["key"]] = (x, top + FONT * 0.92, anchor)  # the baseline, below the ascenders
                break
            if p["key"] in placed:
                break
    return placed


def _outline_paths(frame: Frame) -> list[str]:
    """One SVG path per country whose outline reaches into the frame (Libya first drawn, then the others)."""
    paths = []
    for name in sorted(geo.outlines()["countries"], key=lambda n: (n != "Libya", n)):
        west, south, east, north = geo.bounds(name)
        if east < frame.west or west > frame.east or north < frame.south or south > frame.north:
            continue
        d = []
        for polygon in geo.polygons(name):
            for ring in polygon:
                pts = [frame.xy(lat, lon) for lon, lat in ring]
                d.append("M" + "L".join(f"{_f(x)} {_f(y)}" for x, y in pts) + "Z")
        css = "country libya" if name == "Libya" else "country"
        paths.append(f'<path class="{css}" d="{"".join(d)}"><title>{escape(name)}</title></path>')
    return paths


# Where to write the names of the countries and the sea, when the frame shows them (latitude, longitude).
AREA_NAMES = {
    "Libya": (27.0, 17.2, "middle"),
    "Tunisia": (33.0, 9.05, "start"),
    "Algeria": (24.2, 9.05, "start"),
    "Niger": (20.4, 11.6, "middle"),
    "Chad": (20.4, 18.6, "middle"),
    "Sudan": (20.4, 24.3, "middle"),
    "Egypt": (27.5, 25.3, "middle"),
    "Mediterranean Sea": (33.7, 18.5, "middle"),
}


def map_svg(
    frame: Frame, places: list[dict], *, closer: Sequence[Frame] = (), href=lambda pid: "#"
) -> tuple[str, list[str]]:
    """The SVG of one map view and the ids of the places in it left without a label.

    ``places`` are dicts with place_id, name_en, latitude, longitude, geo_precision, coord_uncertainty_km,
    count (happenings there) and side (of most of them). Places inside one of the ``closer`` frames are
    drawn, but named in that closer view; its box is drawn dashed.
    """
    w, h = frame.width, frame.height
    parts = [
        f'<svg class="map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" '
        f'aria-label="{escape(frame.title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect class="sea" x="0" y="0" width="{w}" height="{h}"/>',
        f'<clipPath id="clip-{_slug(frame.title)}"><rect x="0" y="0" width="{w}" height="{h}"/></clipPath>',
        f'<g clip-path="url(#clip-{_slug(frame.title)})">',
        *_outline_paths(frame),
        "</g>",
    ]
    if frame.east - frame.west > 8:  # names of countries only where whole countries show
        for name, (lat, lon, anchor) in AREA_NAMES.items():
            if frame.contains(lat, lon):
                x, y = frame.xy(lat, lon)
                parts.append(
                    f'<text class="area{" sea-name" if "Sea" in name else ""}" x="{_f(x)}" y="{_f(y)}" '
                    f'text-anchor="{anchor}">{escape(name)}</text>'
                )
    for c in closer:
        (x0, y0), (x1, y1) = frame.xy(c.north, c.west), frame.xy(c.south, c.east)
        parts.append(
            f'<rect class="inset" x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}">'
            f"<title>{escape(c.title)}: shown below</title></rect>"
        )
    shown = [p for p in places if frame.contains(p["latitude"], p["longitude"])]
    points = []
    for p in shown:
        x, y = frame.xy(p["latitude"], p["longitude"])
        r = 3 + 1.6 * math.sqrt(p["count"])
        points.append(
            {
                "key": p["place_id"],
                "x": x,
                "y": y,
                "r": r,
                "text": p["name_en"],
                "rank": -p["count"],
                "named": not any(c.contains(p["latitude"], p["longitude"]) for c in closer),
                "place": p,
            }
        )
    labels = place_labels([{**q, "text": q["text"] if q["named"] else ""} for q in points], w, h)
    # Uncertainty first, so that no halo hides a marker.
    for q in points:
        p = q["place"]
        if p["geo_precision"] == "approximate" and p.get("coord_uncertainty_km"):
            parts.append(
                f'<circle class="halo" cx="{_f(q["x"])}" cy="{_f(q["y"])}" '
                f'r="{_f(max(frame.km(p["coord_uncertainty_km"]), q["r"]))}"/>'
            )
    for q in sorted(points, key=lambda q: (-q["r"], q["key"])):
        p = q["place"]
        colour = SIDE_COLOURS[p["side"]]
        precise = p["geo_precision"] in ("site", "centroid_town")
        title = (
            f"{p['name_en']}: {p['count']} happening{'s' if p['count'] != 1 else ''}; "
            f"{p['geo_precision'].replace('_', ' ')}"
            + (f", within {p['coord_uncertainty_km']:g} km" if p.get("coord_uncertainty_km") else "")
        )
        shape = (
            f'<circle class="{"mark" if precise else "mark loose"}" cx="{_f(q["x"])}" cy="{_f(q["y"])}" '
            f'r="{_f(q["r"])}" style="--side:{colour}"/>'
        )
        parts.append(
            f'<a href="{escape(href(p["place_id"]))}" aria-label="{escape(title)}">{shape}'
            f"<title>{escape(title)}</title></a>"
        )
    for key, (x, y, anchor) in sorted(labels.items()):
        name = next(q["text"] for q in points if q["key"] == key)
        parts.append(f'<text class="label" x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}">{escape(name)}</text>')
    parts.append("</svg>")
    unlabelled = sorted(q["key"] for q in points if q["named"] and q["key"] not in labels)
    return "".join(parts), unlabelled


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _lanes(spans: list[tuple[float, float, str]]) -> dict[str, int]:
    """Interval packing: each span the lowest lane where it overlaps nothing (spans sorted by start)."""
    ends: list[float] = []
    lane = {}
    for start, end, key in sorted(spans):
        for i, last in enumerate(ends):
            if start > last + 2:
                ends[i] = end
                lane[key] = i
                break
        else:
            ends.append(end)
            lane[key] = len(ends) - 1
    return lane


def timeline_svg(happenings: list[dict], start: dt.date, end: dt.date, types: list[str], width: int = 1100) -> str:
    """One band per event type, one bar per happening from its earliest to its latest possible day,
    coloured by side. ``happenings`` are dicts with key, event_type, side, first, last, title."""
    left, right, lane_h, top = 230, 12, 7, 8
    days = (end - start).days + 1
    x = lambda d: left + (min(max((d - start).days, 0), days)) / days * (width - left - right)
    rows, y, bands = [], top, []
    for t in types:
        group = [h for h in happenings if h["event_type"] == t and h["last"] >= start and h["first"] <= end]
        if not group:
            continue
        lanes = _lanes(
            [(x(h["first"]), max(x(h["last"] + dt.timedelta(days=1)), x(h["first"]) + 3), h["key"]) for h in group]
        )
        height = (max(lanes.values()) + 1) * lane_h + 8
        bands.append((t, y, height, len(group)))
        for h in sorted(group, key=lambda h: h["key"]):
            x0 = x(h["first"])
            x1 = max(x(h["last"] + dt.timedelta(days=1)), x0 + 3)
            rows.append(
                f'<rect x="{_f(x0)}" y="{_f(y + 4 + lanes[h["key"]] * lane_h)}" width="{_f(x1 - x0)}" '
                f'height="{lane_h - 2}" fill="{SIDE_COLOURS[h["side"]]}"><title>{escape(h["title"])}</title></rect>'
            )
        y += height + 4
    height = y + 30
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="timeline-caption" xmlns="http://www.w3.org/2000/svg">'
    ]
    for t, y0, hh, n in bands:
        parts.append(f'<rect class="band" x="{left}" y="{_f(y0)}" width="{width - left - right}" height="{_f(hh)}"/>')
        parts.append(
            f'<text class="band-label" x="{left - 6}" y="{_f(y0 + hh / 2 + 4)}" text-anchor="end">'
            f"{escape(t)} ({n})</text>"
        )
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        mx = x(month)
        parts.append(f'<line class="tick" x1="{_f(mx)}" y1="{top}" x2="{_f(mx)}" y2="{y}"/>')
        if month.month in (1, 4, 7, 10):
            parts.append(f'<text class="tick-label" x="{_f(mx + 2)}" y="{y + 14}">{month:%b %Y}</text>')
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    parts += rows
    parts.append("</svg>")
    return "".join(parts)
