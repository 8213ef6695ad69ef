"""Corruptions the record rules must catch: a record whose own cells contradict each other."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from libya_conflict import schema as sch

from ..rows import ACLED_SUB_EVENT_TYPES, DATE_COLUMNS
from .entry import Expected, corruption
from .folder import Folder, day, key_of, pick
from .scaffold import add_casualty, add_distance, add_event, add_loss_total, add_place, existing_or_new, some_claim


@corruption("reversed_dates")
def reversed_dates(root: Path, rng: random.Random) -> Expected:
    """A date range entered backwards: the earliest date after the latest (events or articles)."""
    folder = Folder(root)
    options = [(t, r) for t in DATE_COLUMNS for r in folder.rows(t)]
    table, row = pick(rng, options, "dated row")
    lo, hi, _ = DATE_COLUMNS[table]
    if row[lo] < row[hi]:
        row[lo], row[hi] = row[hi], row[lo]
    else:
        row[hi] = (day(row[lo]) - dt.timedelta(days=rng.randint(1, 30))).isoformat()
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), lo


@corruption("precision_mismatch")
def precision_mismatch(root: Path, rng: random.Random) -> Expected:
    """A date precision that does not fit the range: "day" for a range of days, "year" for a single day."""
    folder = Folder(root)
    table, row = pick(rng, [(t, r) for t in DATE_COLUMNS for r in folder.rows(t)], "dated row")
    lo, hi, precision = DATE_COLUMNS[table]
    row[precision] = "day" if row[lo] != row[hi] else "year"
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), precision


@corruption("swapped_counts")
def swapped_counts(root: Path, rng: random.Random) -> Expected:
    """A casualty figure's low and high counts swapped."""
    folder = Folder(root)
    ranged = [
        r
        for r in folder.rows("casualties")
        if r["count_low"] and r["count_high"] and int(r["count_low"]) < int(r["count_high"])
    ]
    row = rng.choice(ranged) if ranged else add_casualty(folder, rng)
    row["count_low"], row["count_high"] = row["count_high"], row["count_low"]
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "count_best"


@corruption("distance_span_reversed")
def distance_span_reversed(root: Path, rng: random.Random) -> Expected:
    """A stated distance span entered backwards (distance_km above distance_km_high)."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "place_distances", add_distance)
    field = {"type": "number"}
    km = float(row["distance_km"])
    row["distance_km"], row["distance_km_high"] = (
        sch.format_cell(field, km + rng.randint(1, 20)),
        sch.format_cell(field, km),
    )
    folder.touch("place_distances")
    folder.save()
    return "place_distances", row["distance_id"], "distance_km_high"


@corruption("sub_event_type_mismatch")
def sub_event_type_mismatch(root: Path, rng: random.Random) -> Expected:
    """An ACLED sub-event type taken from another event type (Battles / Air/drone strike)."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "events", add_event)
    other = rng.choice(sorted(t for t in ACLED_SUB_EVENT_TYPES if t != row["event_type"]))
    row["sub_event_type"] = rng.choice(sorted(ACLED_SUB_EVENT_TYPES[other]))
    folder.touch("events")
    folder.save()
    return "events", row["event_id"], "sub_event_type"


@corruption("lat_lon_swapped")
def lat_lon_swapped(root: Path, rng: random.Random) -> Expected:
    """Latitude and longitude swapped (Tripoli put at 13.19 N, 32.89 E: outside Libya)."""
    folder = Folder(root)
    min_lon, min_lat, max_lon, max_lat = sch.package_metadata()["x-spatial-coverage"]["bbox"]
    inside = lambda lat, lon: min_lat <= float(lat) <= max_lat and min_lon <= float(lon) <= max_lon
    # Only where the swap leaves the coverage: in southern Libya both orders can fall inside it.
    swappable = [
        r
        for r in folder.rows("places")
        if r["in_coverage"] == "true"
        and r["latitude"]
        and r["longitude"]
        and inside(r["latitude"], r["longitude"])
        and not inside(r["longitude"], r["latitude"])
    ]
    row = rng.choice(swappable) if swappable else add_place(folder, rng)
    row["latitude"], row["longitude"] = row["longitude"], row["latitude"]
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "latitude"


@corruption("coordinate_half_missing")
def coordinate_half_missing(root: Path, rng: random.Random) -> Expected:
    """A place with a latitude but no longitude (or the reverse)."""
    folder = Folder(root)
    located = [r for r in folder.rows("places") if r["latitude"] and r["longitude"]]
    row = rng.choice(located) if located else add_place(folder, rng)
    row[rng.choice(["latitude", "longitude"])] = ""
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "longitude"


@corruption("claim_end_off_by_one")
def claim_end_off_by_one(root: Path, rng: random.Random) -> Expected:
    """A claim's quote_end one past the quote (end written inclusive)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim["quote_end"] = str(int(claim["quote_end"]) + 1)
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "quote_end"


@corruption("total_without_quantity")
def total_without_quantity(root: Path, rng: random.Random) -> Expected:
    """A running total whose quantity was left empty."""
    folder = Folder(root)
    totals = [r for r in folder.rows("equipment_losses") if r["is_total"] == "true" and r["quantity"]]
    row = rng.choice(totals) if totals else add_loss_total(folder, rng)[0]
    row["quantity"] = ""
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", row["loss_id"], "quantity"
