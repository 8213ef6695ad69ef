"""Corruptions the record rules must catch: a record whose own cells contradict each other."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from libya_conflict import schema as sch

from .entry import Expected, corruption
from .folder import Folder, day, key_of, pick
from .scaffold import (
    add_actor,
    add_casualty,
    add_distance,
    add_event,
    add_loss_total,
    add_place,
    existing_or_new,
    some_claim,
)

ACLED_SUB_EVENT_TYPES = sch.acled_sub_event_types()
DATE_COLUMNS = sch.date_ranges()


def _reverse(folder: Folder, rng: random.Random, table: str) -> Expected:
    """A date range of ``table`` entered backwards: its earliest date after its latest."""
    row = pick(rng, folder.rows(table), f"row of {table}")
    lo, hi, _ = DATE_COLUMNS[table]
    if row[lo] < row[hi]:
        row[lo], row[hi] = row[hi], row[lo]
    else:
        row[hi] = (day(row[lo]) - dt.timedelta(days=rng.randint(1, 30))).isoformat()
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), lo


@corruption("reversed_dates")
def reversed_dates(root: Path, rng: random.Random) -> Expected:
    """An event's date range entered backwards: the earliest date after the latest."""
    folder = Folder(root)
    existing_or_new(folder, rng, "events", add_event)
    return _reverse(folder, rng, "events")


@corruption("reversed_publication_dates")
def reversed_publication_dates(root: Path, rng: random.Random) -> Expected:
    """An article's publication range entered backwards: published_earliest after published_latest."""
    return _reverse(Folder(root), rng, "articles")


def _precision(folder: Folder, rng: random.Random, table: str, precision: str, days: int | None) -> Expected:
    """A row of ``table`` given ``precision`` over a range that does not fit it: ``days`` days wide, or (None)
    one single day. Only the latest date moves, and only later, or the row is a single day already (a new
    event when there is none): no other rule's dates are disturbed."""
    lo, hi, column = DATE_COLUMNS[table]
    if days is None:
        single = [r for r in folder.rows(table) if r[lo] == r[hi]]
        row = rng.choice(single) if single else add_event(folder, rng)
    else:
        row = (
            pick(rng, folder.rows(table), f"row of {table}")
            if table != "events"
            else existing_or_new(folder, rng, "events", add_event)
        )
        row[hi] = max(row[hi], (day(row[lo]) + dt.timedelta(days=days)).isoformat())
    row[column] = precision
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), column


@corruption("precision_mismatch")
def precision_mismatch(root: Path, rng: random.Random) -> Expected:
    """An article's publication date precision "day" for a range of days."""
    return _precision(Folder(root), rng, "articles", "day", rng.randint(1, 5))


@corruption("day_precision_over_days")
def day_precision_over_days(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "day" for a range of several days."""
    return _precision(Folder(root), rng, "events", "day", rng.randint(1, 5))


@corruption("week_of_one_day")
def week_of_one_day(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "week" for a single day."""
    return _precision(Folder(root), rng, "events", "week", None)


@corruption("week_too_long")
def week_too_long(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "week" for a range of eight days or more."""
    return _precision(Folder(root), rng, "events", "week", rng.randint(7, 40))


@corruption("month_not_a_month")
def month_not_a_month(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "month" for a single day (not a whole calendar month)."""
    return _precision(Folder(root), rng, "events", "month", None)


@corruption("year_not_a_year")
def year_not_a_year(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "year" for a single day (not a whole calendar year)."""
    return _precision(Folder(root), rng, "events", "year", None)


@corruption("range_of_one_day")
def range_of_one_day(root: Path, rng: random.Random) -> Expected:
    """An event's date precision "range" for a single day (a range is wider than a day)."""
    return _precision(Folder(root), rng, "events", "range", None)


def _counted(folder: Folder, rng: random.Random) -> dict:
    """A casualty figure with all three counts, or a new one."""
    full = [r for r in folder.rows("casualties") if r["count_low"] and r["count_best"] and r["count_high"]]
    return rng.choice(full) if full else add_casualty(folder, rng)


@corruption("swapped_counts")
def swapped_counts(root: Path, rng: random.Random) -> Expected:
    """A casualty figure's low and high counts swapped, with no best count between them."""
    folder = Folder(root)
    ranged = [
        r
        for r in folder.rows("casualties")
        if r["count_low"] and r["count_high"] and int(r["count_low"]) < int(r["count_high"])
    ]
    row = rng.choice(ranged) if ranged else add_casualty(folder, rng)
    row["count_low"], row["count_high"], row["count_best"] = row["count_high"], row["count_low"], ""
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "count_best"


@corruption("low_count_above_best")
def low_count_above_best(root: Path, rng: random.Random) -> Expected:
    """A casualty figure whose low count is above its best count (its high count still the highest)."""
    folder = Folder(root)
    row = _counted(folder, rng)
    low = int(row["count_best"]) + rng.randint(1, 5)
    row["count_low"], row["count_high"] = str(low), str(max(low, int(row["count_high"])))
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "count_best"


@corruption("best_count_above_high")
def best_count_above_high(root: Path, rng: random.Random) -> Expected:
    """A casualty figure whose best count is above its high count (its low count still the lowest)."""
    folder = Folder(root)
    row = _counted(folder, rng)
    row["count_best"] = str(int(row["count_high"]) + rng.randint(1, 5))
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


def _beyond_coverage(root: Path, rng: random.Random, edge: str) -> Expected:
    """A place said to be inside the coverage put just beyond one ``edge`` of its box."""
    folder = Folder(root)
    min_lon, min_lat, max_lon, max_lat = sch.package_metadata()["x-spatial-coverage"]["bbox"]
    inside = [r for r in folder.rows("places") if r["in_coverage"] == "true" and r["latitude"] and r["longitude"]]
    row = rng.choice(inside) if inside else add_place(folder, rng)
    past = round(rng.uniform(0.2, 2.0), 2)
    lat, lon = (min_lat + max_lat) / 2, (min_lon + max_lon) / 2
    lat, lon = {
        "south": (min_lat - past, lon),
        "north": (max_lat + past, lon),
        "west": (lat, min_lon - past),
        "east": (lat, max_lon + past),
    }[edge]
    field = {"type": "number"}
    row["latitude"], row["longitude"] = sch.format_cell(field, round(lat, 4)), sch.format_cell(field, round(lon, 4))
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "latitude"


@corruption("south_of_coverage")
def south_of_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage put south of its box (a latitude below the box's)."""
    return _beyond_coverage(root, rng, "south")


@corruption("north_of_coverage")
def north_of_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage put north of its box (at sea, a latitude above the box's)."""
    return _beyond_coverage(root, rng, "north")


@corruption("west_of_coverage")
def west_of_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage put west of its box (a longitude below the box's)."""
    return _beyond_coverage(root, rng, "west")


@corruption("east_of_coverage")
def east_of_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage put east of its box (a longitude above the box's)."""
    return _beyond_coverage(root, rng, "east")


@corruption("coverage_note_missing")
def coverage_note_missing(root: Path, rng: random.Random) -> Expected:
    """A place outside the coverage (in_coverage false) whose coverage_note saying why was left empty."""
    folder = Folder(root)
    outside = [r for r in folder.rows("places") if r["in_coverage"] == "false"]
    row = rng.choice(outside) if outside else add_place(folder, rng, abroad=True)
    row["coverage_note"] = ""
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "coverage_note"


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


@corruption("precision_none_with_coordinates")
def precision_none_with_coordinates(root: Path, rng: random.Random) -> Expected:
    """A located place whose geo_precision says "none" (no position)."""
    folder = Folder(root)
    located = [r for r in folder.rows("places") if r["latitude"] and r["longitude"]]
    row = rng.choice(located) if located else add_place(folder, rng)
    row["geo_precision"] = "none"
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "geo_precision"


@corruption("coordinates_deleted_precision_kept")
def coordinates_deleted_precision_kept(root: Path, rng: random.Random) -> Expected:
    """A place's coordinates (and their uncertainty) deleted, its geo_precision left as it was."""
    folder = Folder(root)
    located = [r for r in folder.rows("places") if r["latitude"] and r["longitude"] and r["geo_precision"] != "none"]
    row = rng.choice(located) if located else add_place(folder, rng)
    row.update(latitude="", longitude="", coord_uncertainty_km="")
    folder.touch("places")
    folder.save()
    return "places", row["place_id"], "geo_precision"


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


@corruption("libyan_actor_backs_side")
def libyan_actor_backs_side(root: Path, rng: random.Random) -> Expected:
    """A Libyan force said to back a side (backs_side given to an actor that is not foreign)."""
    folder = Folder(root)
    actors = [a for a in folder.rows("actors") if a["side"] != "foreign"]
    actor = rng.choice(actors) if actors else add_actor(folder, rng)
    actor["backs_side"] = rng.choice(["gna_aligned", "lna_aligned"])
    folder.touch("actors")
    folder.save()
    return "actors", actor["actor_id"], "backs_side"


@corruption("title_of_a_force")
def title_of_a_force(root: Path, rng: random.Random) -> Expected:
    """A spokesman's title typed on the row of the force he speaks for (a title for an actor that is no person)."""
    folder = Folder(root)
    actors = [a for a in folder.rows("actors") if a["actor_type"] != "person"]
    actor = rng.choice(actors) if actors else add_actor(folder, rng)
    actor["title_en"] = "spokesman of the forces"
    folder.touch("actors")
    folder.save()
    return "actors", actor["actor_id"], "title_en"


@corruption("uncertainty_no_coordinates")
def uncertainty_no_coordinates(root: Path, rng: random.Random) -> Expected:
    """A place's coordinates deleted, its coordinate uncertainty left behind."""
    folder = Folder(root)
    place = existing_or_new(folder, rng, "places", add_place)
    place.update(
        latitude="",
        longitude="",
        geo_precision="none",
        coord_uncertainty_km=place["coord_uncertainty_km"] or str(rng.randint(1, 50)),
    )
    folder.touch("places")
    folder.save()
    return "places", place["place_id"], "coord_uncertainty_km"


@corruption("foreign_place_in_coverage")
def foreign_place_in_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage given another country (a Libyan border town filed under Tunisia)."""
    folder = Folder(root)
    inside = [p for p in folder.rows("places") if p["in_coverage"] == "true"]
    place = rng.choice(inside) if inside else add_place(folder, rng)
    place["country"] = rng.choice(["Tunisia", "Egypt", "Algeria"])
    folder.touch("places")
    folder.save()
    return "places", place["place_id"], "in_coverage"


@corruption("distance_to_itself")
def distance_to_itself(root: Path, rng: random.Random) -> Expected:
    """A distance measured from a place to itself (from_place_id copied from place_id)."""
    folder = Folder(root)
    distance = existing_or_new(folder, rng, "place_distances", add_distance)
    distance["from_place_id"] = distance["place_id"]
    folder.touch("place_distances")
    folder.save()
    return "place_distances", distance["distance_id"], "from_place_id"


@corruption("kind_against_acled_type")
def kind_against_acled_type(root: Path, rng: random.Random) -> Expected:
    """An event's kind and its ACLED type at odds (a withdrawal coded Battles / Armed clash, a visit as an air
    strike)."""
    EVENT_KIND_TYPES = sch.event_kind_acled_types()
    folder = Folder(root)
    event = existing_or_new(folder, rng, "events", add_event)
    kind = rng.choice(sorted(EVENT_KIND_TYPES))
    codes = [
        (t, s)
        for t in sorted(ACLED_SUB_EVENT_TYPES)
        for s in sorted(ACLED_SUB_EVENT_TYPES[t])
        if (t, s) not in EVENT_KIND_TYPES[kind]
    ]
    event["event_kind"] = kind
    event["event_type"], event["sub_event_type"] = rng.choice(codes)
    folder.touch("events")
    folder.save()
    return "events", event["event_id"], "sub_event_type"


def _lost(folder: Folder, rng: random.Random, cells: dict, column: str) -> Expected:
    """An equipment loss (a new one when there is none) given ``cells``; the rule names ``column``."""
    loss = existing_or_new(folder, rng, "equipment_losses", lambda f, r: add_loss_total(f, r)[1])
    loss.update(cells)
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", loss["loss_id"], column


@corruption("tank_shot_down")
def tank_shot_down(root: Path, rng: random.Random) -> Expected:
    """Lost equipment that cannot fly said to be shot down (a tank shot down)."""
    return _lost(Folder(root), rng, {"category": "tank", "status": "shot_down"}, "status")


@corruption("captured_by_a_strike")
def captured_by_a_strike(root: Path, rng: random.Random) -> Expected:
    """Equipment said to be captured by a strike from afar (a drone or air strike, artillery)."""
    method = rng.choice(["drone_strike", "air_strike", "artillery"])
    return _lost(Folder(root), rng, {"status": "captured", "method": method}, "method")


@corruption("ground_capture_destroyed")
def ground_capture_destroyed(root: Path, rng: random.Random) -> Expected:
    """Equipment lost by ground capture said to be destroyed or damaged (not captured or abandoned)."""
    status = rng.choice(["destroyed", "damaged"])
    return _lost(Folder(root), rng, {"status": status, "method": "ground_capture"}, "method")


@corruption("words_beside_count")
def words_beside_count(root: Path, rng: random.Random) -> Expected:
    """A casualty figure's vague words ('a large number') kept after a number was entered."""
    folder = Folder(root)
    counted = [r for r in folder.rows("casualties") if r["count_low"] or r["count_best"] or r["count_high"]]
    row = rng.choice(counted) if counted else add_casualty(folder, rng)
    row["quantity_text_en"] = "a large number"
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "quantity_text_en"


@corruption("supplied_by_itself")
def supplied_by_itself(root: Path, rng: random.Random) -> Expected:
    """Lost equipment 'supplied' by the very actor that lost it (supplied_by_actor_id copied from lost_by)."""
    folder = Folder(root)
    loss = existing_or_new(folder, rng, "equipment_losses", lambda f, r: add_loss_total(f, r)[1])
    loss["supplied_by_actor_id"] = loss["lost_by_actor_id"]
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", loss["loss_id"], "supplied_by_actor_id"


@corruption("outlet_with_claimant")
def outlet_with_claimant(root: Path, rng: random.Random) -> Expected:
    """The outlet's own reporting given a claimant."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim.update(source_kind="outlet", claimant_actor_id=existing_or_new(folder, rng, "actors", add_actor)["actor_id"])
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "claimant_actor_id"


@corruption("official_without_claimant")
def official_without_claimant(root: Path, rng: random.Random) -> Expected:
    """A named official's claim left without its claimant."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim.update(source_kind="named_official", claimant_actor_id="")
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "claimant_actor_id"


@corruption("place_outside_its_country")
def place_outside_its_country(root: Path, rng: random.Random) -> Expected:
    """A Libyan place given coordinates inside the coverage box but outside Libya: at sea in the Gulf of
    Sirte, or in northern Chad (a digit mistyped), with a small uncertainty."""
    folder = Folder(root)
    libyan = [p for p in folder.rows("places") if p["country"] == "Libya" and p["in_coverage"] == "true"]
    place = rng.choice(libyan) if libyan else add_place(folder, rng)
    place["latitude"], place["longitude"] = rng.choice([("33.2", "16.5"), ("20.5", "20.5")])
    if place["geo_precision"] in ("", "none"):
        place["geo_precision"] = "approximate"
    place["coord_uncertainty_km"] = "5"
    folder.touch("places")
    folder.save()
    return "places", place["place_id"], "latitude"


@corruption("outlet_narration_reports")
def outlet_narration_reports(root: Path, rng: random.Random) -> Expected:
    """The outlet's own narration coded 'reports' (one article's convention against the others')."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim.update(source_kind="outlet", claimant_actor_id="", stance="reports")
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "stance"
