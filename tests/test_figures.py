"""The figures: what they draw comes from the tables, and drawing twice gives the same bytes."""

import csv
import datetime as dt
import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

from libya_conflict import flat
from libya_conflict.figures import coverage, event_sides, map_data, timeline_data


@pytest.fixture(scope="module")
def tables():
    return flat.read_rows()


def read(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_timeline_draws_every_event_in_the_window_with_its_full_date_range(root, tables):
    start, end = coverage()
    drawn = {r["event_id"]: r for r in timeline_data(tables)}
    for event in read(root, "events"):
        first, last = dt.date.fromisoformat(event["date_earliest"]), dt.date.fromisoformat(event["date_latest"])
        if last < start or first > end:
            assert event["event_id"] not in drawn
        else:
            assert (drawn[event["event_id"]]["first"], drawn[event["event_id"]]["last"]) == (first, last)
    assert start == dt.date(2019, 4, 1) and end == dt.date(2020, 6, 30)


def test_an_events_side_is_its_attackers(root, tables):
    sides = event_sides(tables)
    actors = {a["actor_id"]: a for a in read(root, "actors")}
    attackers = {}
    for row in read(root, "event_actors"):  # sorted by event_actor_id: the first attacker wins
        if row["role"] == "attacker":
            attackers.setdefault(row["event_id"], row["actor_id"])
    assert attackers
    for event_id, actor_id in attackers.items():
        assert sides[event_id] == actors[actor_id]["side"]


def test_map_counts_happenings_at_places_with_coordinates_in_libya(root, tables):
    points = map_data(tables)
    places = {p["place_id"]: p for p in read(root, "places")}
    assert all(places[p["place_id"]]["latitude"] and places[p["place_id"]]["in_coverage"] == "true" for p in points)
    # Every happening at a mapped place is drawn once per side, and never more often than it was reported.
    reported = {}
    for event in read(root, "events"):
        reported[event["place_id"]] = reported.get(event["place_id"], 0) + 1
    for place_id in {p["place_id"] for p in points}:
        drawn = sum(p["count"] for p in points if p["place_id"] == place_id)
        assert 1 <= drawn <= reported[place_id]
    tarhuna = sum(p["count"] for p in points if p["place_id"] == "pl-tarhuna")
    _, rows = flat.events_flat(tables)
    assert tarhuna == len({r["happening_id"] for r in rows if r["place_id"] == "pl-tarhuna"})


@pytest.mark.parametrize("figure", ["timeline", "map"])
def test_plot_writes_the_same_png_bytes_every_time(tmp_path, figure):
    outputs = []
    for attempt in ("a", "b"):
        out = tmp_path / f"{figure}-{attempt}.png"
        result = subprocess.run(
            [sys.executable, "-m", "libya_conflict.cli", "plot", figure, "--out", str(out)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(b"\x89PNG")
    # No software version or time stamp in the file: nothing but the data and matplotlib decide the bytes.
    assert b"Software" not in outputs[0] and b"tIME" not in outputs[0]


def test_readme_shows_both_figures(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in ("timeline", "map"):
        assert f"(docs/img/{name}.png)" in readme
        assert (root / "docs" / "img" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
