"""Two figures: a timeline of events by type and side, and a map of where they happened.

>>> from libya_conflict.figures import plot_timeline, plot_map
>>> plot_timeline("timeline.png")            # needs matplotlib: pip install 'libya-conflict[plot]'  # doctest: +SKIP
>>> plot_map("map.png")                                                                             # doctest: +SKIP

The timeline draws each happening on its own line, and each report of it as a bar from date_earliest to
date_latest: uncertain dates are ranges, not points. An event's side is the side of the actor that acts
in it (see ``docs/acled.md`` for the role order). Nothing is downloaded: the map draws the country
outlines bundled with the package (Natural Earth, public domain; ``libya_conflict.geo``) and places its
labels so that none overlaps another or a marker (the explorer's placement, ``site.svg.place_labels``).
The PNG files carry no time stamp or software version, so the same data and the same matplotlib give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import flat
from . import schema as sch
from .acled import ACTOR1_ROLES

SIDE_COLOURS = {
    "gna_aligned": "#1f77b4",
    "lna_aligned": "#d62728",
    "foreign": "#2ca02c",
    "international": "#9467bd",
    "neutral_unknown": "#7f7f7f",
    None: "#bbbbbb",
}
SIDE_LABELS = {
    "gna_aligned": "GNA-aligned",
    "lna_aligned": "Haftar/LNA-aligned",
    "foreign": "foreign state",
    "international": "international",
    "neutral_unknown": "neutral/unknown",
    None: "no actor",
}
# Where most events are: the west (Tarhuna, al-Watiya, the Nafusa towns), and Tripoli with its southern
# front and the coast road to Zawiya.
# Boxes are (min longitude, min latitude, max longitude, max latitude).
WEST_BBOX = (11.0, 31.6, 15.4, 33.1)
TRIPOLI_BBOX = (12.65, 32.6, 13.45, 32.95)
DPI = 110


def event_sides(tables: dict[str, list[dict]]) -> dict[str, str | None]:
    """The side of each event: that of its first actor in the first acting role, the roles that make
    actor 1 of the ACLED-style export (None when the event has no such actor)."""
    actors = {a["actor_id"]: a for a in tables["actors"]}
    by_event: dict[str, list[dict]] = {}
    for p in tables["event_actors"]:
        by_event.setdefault(p["event_id"], []).append(p)
    sides = {}
    for e in tables["events"]:
        participants = by_event.get(e["event_id"], [])
        side = None
        for role in ACTOR1_ROLES:
            chosen = [p for p in participants if p["role"] == role]
            if chosen:
                side = actors[chosen[0]["actor_id"]]["side"]
                break
        sides[e["event_id"]] = side
    return sides


def coverage() -> tuple[dt.date, dt.date]:
    """The dataset's temporal coverage (schemas/package.json)."""
    meta = sch.package_metadata()["x-temporal-coverage"]
    return dt.date.fromisoformat(meta["start"]), dt.date.fromisoformat(meta["end"])


def timeline_data(tables: dict[str, list[dict]] | None = None) -> list[dict]:
    """One dict per report inside the coverage: happening, event type, side, first and last day."""
    tables = tables if tables is not None else flat.read_rows()
    _, rows = flat.events_flat(tables)
    sides = event_sides(tables)
    start, end = coverage()
    return [
        {
            "event_id": r["event_id"],
            "happening_id": r["happening_id"],
            "event_type": r["event_type"],
            "side": sides[r["event_id"]],
            "first": r["date_earliest"],
            "last": r["date_latest"],
        }
        for r in rows
        if r["date_latest"] >= start and r["date_earliest"] <= end
    ]


def map_data(tables: dict[str, list[dict]] | None = None) -> list[dict]:
    """One dict per (place, side): name, coordinates and the number of happenings there, for places
    with coordinates inside the coverage."""
    tables = tables if tables is not None else flat.read_rows()
    _, rows = flat.events_flat(tables)
    sides = event_sides(tables)
    places = {p["place_id"]: p for p in tables["places"]}
    seen, counts = set(), {}
    for r in rows:
        place = places.get(r["place_id"])
        if place is None or place["latitude"] is None or not place["in_coverage"]:
            continue
        key = (r["place_id"], sides[r["event_id"]])
        if (key, r["happening_id"]) in seen:
            continue  # several reports of one happening at one place count once
        seen.add((key, r["happening_id"]))
        counts[key] = counts.get(key, 0) + 1
    return [
        {
            "place_id": pid,
            "name_en": places[pid]["name_en"],
            "longitude": places[pid]["longitude"],
            "latitude": places[pid]["latitude"],
            "side": side,
            "count": n,
        }
        for (pid, side), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    ]


def _pyplot():
    from .extras import require

    require("plot", "the figures")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Fixed style, so the picture does not depend on a user's matplotlibrc.
    matplotlib.rcdefaults()
    plt.rcParams.update(
        {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "libya-conflict", "path.simplify": False}
    )
    return plt


def _save(fig, path) -> Path:
    path = Path(path)
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def _legend(fig, sides):
    from matplotlib.patches import Patch

    handles = [Patch(color=SIDE_COLOURS[s], label=SIDE_LABELS[s]) for s in SIDE_COLOURS if s in sides]
    fig.legend(
        handles=handles,
        title="side of the acting actor",
        loc="lower center",
        ncol=len(handles),
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )


def plot_timeline(path, tables: dict[str, list[dict]] | None = None) -> Path:
    """Write the timeline PNG to ``path``; return the path."""
    import matplotlib.dates as mdates

    plt = _pyplot()
    reports = timeline_data(tables)
    start, end = coverage()
    types = [t for t in sch.vocabulary("events", "event_type") if any(r["event_type"] == t for r in reports)]
    # One line per happening, grouped by event type, in order of first date within each group.
    lanes, labels, y = {}, [], 0
    for t in types:
        group = sorted(
            {r["happening_id"] for r in reports if r["event_type"] == t},
            key=lambda h: (min(r["first"] for r in reports if r["happening_id"] == h), h),
        )
        labels.append((t, y, y + len(group)))
        for h in group:
            lanes.setdefault(h, y)
            y += 1
        y += 3  # a gap between types
    fig, ax = plt.subplots(figsize=(11, 0.065 * y + 1.6))
    for r in reports:
        lane = lanes[r["happening_id"]]
        first = mdates.date2num(r["first"])
        width = (r["last"] - r["first"]).days + 1  # a day-precise event is one day wide
        ax.broken_barh([(first, width)], (lane - 0.4, 0.8), facecolors=SIDE_COLOURS[r["side"]])
        if width == 1:
            ax.plot([first + 0.5], [lane], marker="|", markersize=4, color=SIDE_COLOURS[r["side"]])
    for _, top, bottom in labels:
        ax.axhspan(top - 0.5, bottom - 0.5, color="#f4f4f4", zorder=0)
    ax.set_yticks(
        [(top + bottom - 1) / 2 for _, top, bottom in labels],
        [
            f"{t}\n({bottom - top} happening{'s' if bottom - top > 1 else ''})".replace("/", "/\n")
            for t, top, bottom in labels
        ],
        fontsize=8,
    )
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(mdates.date2num(start), mdates.date2num(end) + 1)
    ax.set_ylim(y - 2.5, -1.5)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_title(
        f"Events reported in the articles, {start:%B %Y} to {end:%B %Y}: one line per happening, "
        "one bar per report, from earliest to latest possible date",
        fontsize=9,
    )
    _legend(fig, {r["side"] for r in reports})
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _save(fig, path)


def plot_map(path, tables: dict[str, list[dict]] | None = None) -> Path:
    """Write the map PNG to ``path``; return the path."""
    plt = _pyplot()
    points = map_data(tables)
    panels = [
        ("Libya", tuple(sch.package_metadata()["x-spatial-coverage"]["bbox"])),
        ("The west (dashed on the left)", WEST_BBOX),
        ("Tripoli (dashed in the middle)", TRIPOLI_BBOX),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(13, 5), gridspec_kw={"width_ratios": [1, 1.3, 1.1]})

    def inside(p, box):
        return box[0] <= p["longitude"] <= box[2] and box[1] <= p["latitude"] <= box[3]

    for ax, (title, box) in zip(axes, panels):
        _draw_outlines(ax, box)
        for p in points:
            if inside(p, box):
                ax.scatter(
                    p["longitude"],
                    p["latitude"],
                    s=25 * p["count"],
                    color=SIDE_COLOURS[p["side"]],
                    alpha=0.55,
                    edgecolors="white",
                    linewidths=0.5,
                )
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        ax.set_aspect(1 / 0.85)  # about 1/cos(32 degrees): kilometres look alike both ways
        ax.set_xlabel("longitude (degrees east)")
        ax.set_title(title, fontsize=9)
        ax.grid(color="#eeeeee", linewidth=0.5)
    axes[0].set_ylabel("latitude (degrees north)")
    for ax, box in ((axes[0], WEST_BBOX), (axes[1], TRIPOLI_BBOX)):
        ax.add_patch(
            plt.Rectangle(
                box[:2], box[2] - box[0], box[3] - box[1], fill=False, linestyle="--", linewidth=0.7, color="#555555"
            )
        )
    _label_places(fig, axes, panels, points)
    _legend(fig, {p["side"] for p in points})
    fig.suptitle(
        "Happenings by place (circle area = count) and side of the acting actor; places without "
        "coordinates are not shown",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return _save(fig, path)


def _draw_outlines(ax, box) -> None:
    """The countries reaching into ``box``: Libya pale, its neighbours grey, the sea blue."""
    from matplotlib.patches import Polygon

    from . import geo

    ax.set_facecolor("#dfeaf3")
    for name in sorted(geo.outlines()["countries"]):
        west, south, east, north = geo.bounds(name)
        if east < box[0] or west > box[2] or north < box[1] or south > box[3]:
            continue
        for polygon in geo.polygons(name):
            for ring in polygon[:1]:  # the outside of each polygon; no country near Libya has holes
                ax.add_patch(
                    Polygon(
                        ring,
                        closed=True,
                        facecolor="#fbfaf3" if name == "Libya" else "#eeeeea",
                        edgecolor="#444444" if name == "Libya" else "#8c8c8c",
                        linewidth=0.8 if name == "Libya" else 0.5,
                        zorder=0.5,
                    )
                )


def _label_places(fig, axes, panels, points) -> None:
    """Name each place once, in the closest view that shows it, where its label overlaps nothing."""
    from .site.svg import place_labels

    fig.canvas.draw()  # fixes each axes' aspect, so that data map to the pixels they will have
    views = list(zip(axes, panels))
    home = {}
    for p in points:
        home.setdefault(
            p["place_id"],
            next(
                ax
                for ax, (_, box) in reversed(views)
                if box[0] <= p["longitude"] <= box[2] and box[1] <= p["latitude"] <= box[3]
            ),
        )
    totals = {}
    for p in points:
        totals[p["place_id"]] = totals.get(p["place_id"], 0) + p["count"]
    for ax, (_, box) in views:
        frame = ax.get_window_extent()
        marks = []
        for p in points:
            if not (box[0] <= p["longitude"] <= box[2] and box[1] <= p["latitude"] <= box[3]):
                continue
            x, y = ax.transData.transform((p["longitude"], p["latitude"]))
            radius = (25 * p["count"]) ** 0.5 / 2 * DPI / 72
            named = home[p["place_id"]] is ax and p["place_id"] not in {m["key"] for m in marks if m["text"]}
            marks.append(
                {
                    "key": p["place_id"] if named else f"{p['place_id']}/{p['side']}",
                    "x": x - frame.x0,
                    "y": frame.y1 - y,
                    "r": radius,
                    "text": p["name_en"] if named else "",
                    "rank": -totals[p["place_id"]],
                }
            )
        for key, (x, y, anchor) in place_labels(marks, frame.width, frame.height).items():
            name = next(m["text"] for m in marks if m["key"] == key)
            data = ax.transData.inverted().transform((x + frame.x0, frame.y1 - y))
            ax.text(
                data[0],
                data[1],
                name,
                fontsize=7,
                color="#333333",
                va="baseline",
                ha={"start": "left", "end": "right", "middle": "center"}[anchor],
            )
