"""Row rules: facts each record must state consistently within itself.

Every rule is a function named after its id whose docstring is the rule in words. Each works on whole
columns at once; only the failing rows are turned into problems.
"""

from __future__ import annotations

from libya_conflict import schema as sch

from .report import report_rows
from .rule import rule
from .strings import equals, has_value, is_one_of, vocabulary_index

# The domain vocabularies these rules check, from schemas/vocabularies.json.
ACLED_SUB_EVENT_TYPES = sch.acled_sub_event_types()
DATE_COLUMNS = sch.date_ranges()


def row_date_order(package, report):
    """The earliest date of a range is not after its latest date."""
    for table, (lo, hi, _) in DATE_COLUMNS.items():
        f = package.frames.get(table)
        if f is None or lo not in f or hi not in f:
            continue
        mask = f[lo] > f[hi]
        report_rows(
            package,
            report,
            table,
            mask,
            lo,
            "row.date_order",
            lambda i: f"{lo} {f[lo].iloc[i].date()} is after {hi} {f[hi].iloc[i].date()}",
        )


def row_date_precision(package, report):
    """The precision matches the range: day = one day; week = 2 to 7 days; month = a whole calendar month;
    year = a whole calendar year; range = anything wider than a day."""
    import pandas as pd

    for table, (lo, hi, prec) in DATE_COLUMNS.items():
        f = package.frames.get(table)
        if f is None or not {lo, hi, prec} <= set(f.columns):
            continue
        a, b, p = f[lo], f[hi], f[prec].astype("string")
        days = (b - a).dt.days
        month_ok = (a.dt.day == 1) & (a.dt.to_period("M") == b.dt.to_period("M")) & b.dt.is_month_end
        year_ok = (a.dt.month == 1) & (a.dt.day == 1) & (b.dt.month == 12) & (b.dt.day == 31) & (a.dt.year == b.dt.year)
        ok = pd.Series(True, index=f.index)
        ok = ok.mask(p == "day", days == 0)
        ok = ok.mask(p == "week", days.between(1, 6))
        ok = ok.mask(p == "month", month_ok)
        ok = ok.mask(p == "year", year_ok)
        ok = ok.mask(p == "range", days >= 1)
        bad = ~ok.fillna(True).astype(bool)
        report_rows(
            package,
            report,
            table,
            bad,
            prec,
            "row.date_precision",
            lambda i: f"precision {p.iloc[i]!r} does not fit the range {a.iloc[i].date()} .. {b.iloc[i].date()}",
        )


def row_count_order(package, report):
    """Casualty counts are ordered: count_low <= count_best <= count_high (where given)."""
    f = package.frames.get("casualties")
    if f is None or not {"count_low", "count_best", "count_high"} <= set(f.columns):
        return
    lo, best, hi = f["count_low"], f["count_best"], f["count_high"]
    bad = (lo > best) | (best > hi) | (lo > hi)
    report_rows(
        package,
        report,
        "casualties",
        bad,
        "count_best",
        "row.count_order",
        lambda i: f"counts are not ordered: low {lo.iloc[i]}, best {best.iloc[i]}, high {hi.iloc[i]}",
    )


def row_distance_order(package, report):
    """A stated distance span is ordered: distance_km <= distance_km_high."""
    f = package.frames.get("place_distances")
    if f is None or not {"distance_km", "distance_km_high"} <= set(f.columns):
        return
    bad = f["distance_km"] > f["distance_km_high"]
    report_rows(
        package,
        report,
        "place_distances",
        bad,
        "distance_km_high",
        "row.distance_order",
        lambda i: f"distance span reversed: {f['distance_km'].iloc[i]} > {f['distance_km_high'].iloc[i]}",
    )


def row_sub_event_type(package, report):
    """The ACLED sub-event type belongs to the row's ACLED event type."""
    f = package.frames.get("events")
    if f is None or not {"event_type", "sub_event_type"} <= set(f.columns):
        return
    import numpy as np

    event_type, sub_event_type = f["event_type"], f["sub_event_type"]
    # Each column's place in the vocabulary (the last place: a value outside it), looked up in a table of
    # the pairs that belong together: two hash lookups in Arrow, not one comparison per event type.
    types = sorted(ACLED_SUB_EVENT_TYPES)
    subs = sorted(set().union(*ACLED_SUB_EVENT_TYPES.values()))
    fits = np.zeros((len(types) + 1, len(subs) + 1), dtype=bool)
    for t, kind in enumerate(types):
        fits[t, [subs.index(s) for s in ACLED_SUB_EVENT_TYPES[kind]]] = True
    at = lambda column, names: np.where((c := vocabulary_index(column, names)) >= 0, c, len(names))
    ok = fits[at(event_type, types), at(sub_event_type, subs)] | ~has_value(event_type) | ~has_value(sub_event_type)
    bad = ~ok
    report_rows(
        package,
        report,
        "events",
        bad,
        "sub_event_type",
        "row.sub_event_type",
        lambda i: f"{f['sub_event_type'].iloc[i]!r} is not a sub-event type of {f['event_type'].iloc[i]!r}",
    )


def row_coverage(package, report):
    """Coordinates lie inside the declared geographic coverage, or the row says why not
    (in_coverage = false with a coverage_note); latitude and longitude are given together."""
    f = package.frames.get("places")
    if f is None or not {"latitude", "longitude", "in_coverage", "coverage_note", "geo_precision"} <= set(f.columns):
        return
    bbox = sch.package_metadata()["x-spatial-coverage"]["bbox"]
    lat, lon = f["latitude"], f["longitude"]
    inside = lat.between(bbox[1], bbox[3]) & lon.between(bbox[0], bbox[2])
    claims_inside = f["in_coverage"].fillna(False).astype(bool)
    has_coords = lat.notna() & lon.notna()
    bad = claims_inside & has_coords & ~inside.fillna(False).astype(bool)
    report_rows(
        package,
        report,
        "places",
        bad,
        "latitude",
        "row.coverage",
        lambda i: f"({lat.iloc[i]}, {lon.iloc[i]}) lies outside the coverage bbox {bbox} but in_coverage is true",
    )
    unexplained = ~claims_inside & f["coverage_note"].isna()
    report_rows(
        package,
        report,
        "places",
        unexplained,
        "coverage_note",
        "row.coverage",
        lambda i: "place outside the coverage without a coverage_note",
    )
    half = lat.isna() != lon.isna()
    report_rows(
        package,
        report,
        "places",
        half,
        "longitude",
        "row.coordinates",
        lambda i: "only one of latitude and longitude is given",
    )
    none = f["geo_precision"].astype("string") == "none"
    mismatch = (none & has_coords) | (~none.fillna(False).astype(bool) & ~has_coords)
    report_rows(
        package,
        report,
        "places",
        mismatch,
        "geo_precision",
        "row.coordinates",
        lambda i: "geo_precision 'none' goes with empty coordinates, and any other precision with coordinates",
    )


def row_claim_span(package, report):
    """A claim's offsets span exactly its quote: quote_end - quote_start == number of code points of quote."""
    f = package.frames.get("claims")
    if f is None or not {"quote", "quote_start", "quote_end"} <= set(f.columns):
        return
    span = f["quote_end"] - f["quote_start"]
    bad = span != f["quote"].str.len()
    report_rows(
        package,
        report,
        "claims",
        bad,
        "quote_end",
        "row.claim_span",
        lambda i: (
            f"offsets {f['quote_start'].iloc[i]}..{f['quote_end'].iloc[i]} span {span.iloc[i]} code points, the quote has {len(f['quote'].iloc[i])}"
        ),
    )


def row_total_flags(package, report):
    """A running total states its quantity (a total without a number cannot bound its batches)."""
    f = package.frames.get("equipment_losses")
    if f is None or not {"is_total", "quantity"} <= set(f.columns):
        return
    bad = f["is_total"].fillna(False).astype(bool) & f["quantity"].isna()
    report_rows(
        package,
        report,
        "equipment_losses",
        bad,
        "quantity",
        "row.total_flags",
        lambda i: "a running total (is_total) without a quantity",
    )


EVENT_KIND_TYPES = sch.event_kind_acled_types()
AIRBORNE_CATEGORIES = sch.airborne_categories()
STRIKE_METHODS = sch.strike_methods()
CAPTURE_STATUSES = sch.capture_statuses()


def event_kinds(package):
    """Each event's event_kind as its place in the vocabulary (-1 missing or unknown), worked out once."""
    from . import joins

    return joins.shared(
        package,
        "event kinds",
        lambda: vocabulary_index(package.frames["events"]["event_kind"], sch.vocabulary("events", "event_kind")),
    )


def named_officials(package):
    """Which claims are a named official's (source_kind named_official), worked out once."""
    from . import joins

    return joins.shared(
        package, "named officials", lambda: equals(package.frames["claims"]["source_kind"], "named_official")
    )


def row_backs_side(package, report):
    """Only a foreign actor backs a side: backs_side is empty unless side is foreign."""
    f = package.frame_with("actors", ("side", "backs_side"))
    if f is None:
        return
    bad = (
        f["backs_side"].notna().to_numpy(dtype=bool)
        & f["side"].notna().to_numpy(dtype=bool)
        & ~is_one_of(f["side"], {"foreign"})
    )
    report_rows(
        package,
        report,
        "actors",
        bad,
        "backs_side",
        "row.backs_side",
        lambda i: (
            f"backs_side {f['backs_side'].iloc[i]!r} is for foreign actors; this actor's side is {f['side'].iloc[i]!r}"
        ),
    )


def row_person_title(package, report):
    """Only a person has a title (title_en is the title or role of a person as the articles give it)."""
    f = package.frame_with("actors", ("actor_type", "title_en"))
    if f is None:
        return
    bad = (
        f["title_en"].notna().to_numpy(dtype=bool)
        & f["actor_type"].notna().to_numpy(dtype=bool)
        & ~is_one_of(f["actor_type"], {"person"})
    )
    report_rows(
        package,
        report,
        "actors",
        bad,
        "title_en",
        "row.person_title",
        lambda i: f"a title is given to an actor of type {f['actor_type'].iloc[i]!r}, not a person",
    )


def row_coordinate_uncertainty(package, report):
    """A place without coordinates has no coordinate uncertainty (a radius around no position)."""
    f = package.frame_with("places", ("latitude", "longitude", "coord_uncertainty_km"))
    if f is None:
        return
    bad = f["coord_uncertainty_km"].notna() & f["latitude"].isna() & f["longitude"].isna()
    report_rows(
        package,
        report,
        "places",
        bad,
        "coord_uncertainty_km",
        "row.coordinate_uncertainty",
        lambda i: f"an uncertainty of {f['coord_uncertainty_km'].iloc[i]} km around no coordinates",
    )


def row_coverage_country(package, report):
    """A place inside the coverage (in_coverage = true) is in the coverage's country (Libya)."""
    f = package.frame_with("places", ("in_coverage", "country"))
    if f is None:
        return
    name = sch.package_metadata()["x-spatial-coverage"]["name"]
    bad = (
        f["in_coverage"].fillna(False).astype(bool).to_numpy(dtype=bool)
        & f["country"].notna().to_numpy(dtype=bool)
        & ~is_one_of(f["country"], {name})
    )
    report_rows(
        package,
        report,
        "places",
        bad,
        "in_coverage",
        "row.coverage_country",
        lambda i: f"in_coverage is true, but the place is in {f['country'].iloc[i]!r}, not {name}",
    )


def row_distance_self(package, report):
    """A distance is between two places: never from a place to itself."""
    f = package.frame_with("place_distances", ("place_id", "from_place_id"))
    if f is None:
        return
    bad = f["place_id"] == f["from_place_id"]
    report_rows(
        package,
        report,
        "place_distances",
        bad,
        "from_place_id",
        "row.distance_self",
        lambda i: f"{f['place_id'].iloc[i]} is measured from itself",
    )


def row_event_kind(package, report):
    """The ACLED type of a withdrawal, reorganisation or joining a side is Strategic developments / Change to
    group/activity; of a phone call, visit or talks Strategic developments / Other or Agreement; of seizing
    weapons Strategic developments / Disrupted weapons use; of an air or drone strike Explosions/Remote
    violence / Air/drone strike; of an artillery strike Explosions/Remote violence / Shelling/artillery/missile
    attack (docs/curation.md)."""
    import numpy as np

    f = package.frame_with("events", ("event_type", "sub_event_type", "event_kind"))
    if f is None:
        return
    kind, event_type, sub_event_type = f["event_kind"], f["event_type"], f["sub_event_type"]
    kinds, types = sorted(EVENT_KIND_TYPES), sorted(ACLED_SUB_EVENT_TYPES)
    vocabulary = sch.vocabulary("events", "event_kind")
    subs = sorted(set().union(*ACLED_SUB_EVENT_TYPES.values()))
    # A table of the allowed codes, looked up by the three columns' places in it (the last place: anything else).
    fits = np.zeros((len(kinds) + 1, len(types) + 1, len(subs) + 1), dtype=bool)
    fits[len(kinds)] = True
    for k, name in enumerate(kinds):
        for t, s in EVENT_KIND_TYPES[name]:
            fits[k, types.index(t), subs.index(s)] = True
    fits[:, len(types), :] = fits[:, :, len(subs)] = True  # a missing or unknown code is another rule's
    # Places in the vocabulary, then in the kinds curation codes one way.
    in_kinds = np.array([kinds.index(k) if k in EVENT_KIND_TYPES else -1 for k in vocabulary] + [-1])
    kind_at = in_kinds[event_kinds(package)]
    coded = np.flatnonzero(kind_at >= 0)  # only the kinds curation codes one way: the others are free
    typed = package.typed["events"]
    at = lambda column, names: np.where(
        (c := vocabulary_index(typed.column(column).take(coded), names)) >= 0, c, len(names)
    )
    ok = np.ones(len(f), dtype=bool)
    ok[coded] = fits[kind_at[coded], at("event_type", types), at("sub_event_type", subs)]
    allowed = {k: " or ".join(f"{t} / {s}" for t, s in sorted(v)) for k, v in EVENT_KIND_TYPES.items()}
    report_rows(
        package,
        report,
        "events",
        ~ok,
        "sub_event_type",
        "row.event_kind",
        lambda i: (
            f"a {kind.iloc[i]} is coded {event_type.iloc[i]} / {sub_event_type.iloc[i]}, not {allowed[kind.iloc[i]]}"
        ),
    )


def row_loss_status(package, report):
    """What happened to lost equipment fits how it was lost and what it is: only aircraft and drones (or
    other equipment) are shot down, strikes (drone, air, artillery) never capture, and equipment lost by
    ground capture was captured or abandoned."""
    f = package.frame_with("equipment_losses", ("category", "status", "method"))
    if f is None:
        return
    category, status, method = f["category"], f["status"], f["method"]
    known = lambda column: column.notna().to_numpy(dtype=bool)
    grounded = is_one_of(status, {"shot_down"}) & known(category) & ~is_one_of(category, AIRBORNE_CATEGORIES)
    report_rows(
        package,
        report,
        "equipment_losses",
        grounded,
        "status",
        "row.loss_status",
        lambda i: f"a {category.iloc[i]} cannot be shot down",
    )
    struck = is_one_of(status, {"captured"}) & is_one_of(method, STRIKE_METHODS)
    report_rows(
        package,
        report,
        "equipment_losses",
        struck,
        "method",
        "row.loss_status",
        lambda i: f"equipment lost to a {method.iloc[i]} is not captured",
    )
    taken = is_one_of(method, {"ground_capture"}) & known(status) & ~is_one_of(status, CAPTURE_STATUSES)
    report_rows(
        package,
        report,
        "equipment_losses",
        taken,
        "method",
        "row.loss_status",
        lambda i: f"equipment lost by ground capture is captured or abandoned, not {status.iloc[i]}",
    )


def row_quantity_text(package, report):
    """A casualty figure gives the text's words for its quantity (quantity_text_en) only when it gives no
    number."""
    f = package.frame_with("casualties", ("count_low", "count_best", "count_high", "quantity_text_en"))
    if f is None:
        return
    counted = f[["count_low", "count_best", "count_high"]].notna().any(axis=1)
    bad = f["quantity_text_en"].notna() & counted
    report_rows(
        package,
        report,
        "casualties",
        bad,
        "quantity_text_en",
        "row.quantity_text",
        lambda i: (
            f"words for a quantity ({f['quantity_text_en'].iloc[i]!r}) beside a count "
            f"(low {f['count_low'].iloc[i]}, best {f['count_best'].iloc[i]}, high {f['count_high'].iloc[i]})"
        ),
    )


def row_self_supplied(package, report):
    """Lost equipment is not supplied by the actor that lost it (supplied_by_actor_id names who supplied
    it to its user)."""
    f = package.frame_with("equipment_losses", ("lost_by_actor_id", "supplied_by_actor_id"))
    if f is None:
        return
    bad = f["supplied_by_actor_id"] == f["lost_by_actor_id"]
    report_rows(
        package,
        report,
        "equipment_losses",
        bad,
        "supplied_by_actor_id",
        "row.self_supplied",
        lambda i: f"{f['lost_by_actor_id'].iloc[i]} supplied itself",
    )


def row_claim_source(package, report):
    """The outlet's own reporting has no claimant, and a named official's claim names its claimant."""
    f = package.frame_with("claims", ("source_kind", "claimant_actor_id"))
    if f is None:
        return
    kind, claimant = f["source_kind"], f["claimant_actor_id"]
    named = has_value(claimant)
    report_rows(
        package,
        report,
        "claims",
        equals(kind, "outlet") & named,
        "claimant_actor_id",
        "row.claim_source",
        lambda i: f"the outlet's own reporting is claimed by {claimant.iloc[i]}",
    )
    report_rows(
        package,
        report,
        "claims",
        named_officials(package) & ~named,
        "claimant_actor_id",
        "row.claim_source",
        lambda i: "a named official's claim without its claimant",
    )


# The rules of this family in report order (registry.py collects them): id, function, corruptions.
RULES = [
    rule("row.date_order", row_date_order, "reversed_dates", "reversed_publication_dates"),
    rule(
        "row.date_precision",
        row_date_precision,
        "precision_mismatch",
        "day_precision_over_days",
        "week_of_one_day",
        "week_too_long",
        "month_not_a_month",
        "year_not_a_year",
        "range_of_one_day",
    ),
    rule("row.count_order", row_count_order, "swapped_counts", "low_count_above_best", "best_count_above_high"),
    rule("row.distance_order", row_distance_order, "distance_span_reversed"),
    rule("row.sub_event_type", row_sub_event_type, "sub_event_type_mismatch"),
    rule(
        "row.coverage",
        row_coverage,
        "lat_lon_swapped",
        "south_of_coverage",
        "north_of_coverage",
        "west_of_coverage",
        "east_of_coverage",
        "coverage_note_missing",
    ),
    # Reported by row_coverage, beside row.coverage.
    rule(
        "row.coordinates",
        None,
        "coordinate_half_missing",
        "precision_none_with_coordinates",
        "coordinates_deleted_precision_kept",
        description="Latitude and longitude are given together, and geo_precision 'none' exactly when they are absent.",
    ),
    rule("row.claim_span", row_claim_span, "claim_end_off_by_one"),
    rule("row.total_flags", row_total_flags, "total_without_quantity"),
    rule("row.backs_side", row_backs_side, "libyan_actor_backs_side"),
    rule("row.person_title", row_person_title, "title_of_a_force"),
    rule("row.coordinate_uncertainty", row_coordinate_uncertainty, "uncertainty_no_coordinates"),
    rule("row.coverage_country", row_coverage_country, "foreign_place_in_coverage"),
    rule("row.distance_self", row_distance_self, "distance_to_itself"),
    rule("row.event_kind", row_event_kind, "kind_against_acled_type"),
    rule("row.loss_status", row_loss_status, "tank_shot_down", "captured_by_a_strike", "ground_capture_destroyed"),
    rule("row.quantity_text", row_quantity_text, "words_beside_count"),
    rule("row.self_supplied", row_self_supplied, "supplied_by_itself"),
    rule("row.claim_source", row_claim_source, "outlet_with_claimant", "official_without_claimant"),
]


def check_rows(package, report) -> None:
    """Run every rule of this family that has a function, in report order."""
    for record in RULES:
        if record.check is not None:
            record.check(package, report)


def row_coordinates_country(package, report):
    """A place's coordinates lie in the country it is said to be in (Natural Earth's outline), or no farther
    from it than the place's coord_uncertainty_km plus the outline's own tolerance (3 km at 1:50m for Libya
    and its neighbours, 15 km at 1:110m elsewhere). A country Natural Earth does not name is not checked."""
    import numpy as np
    import pandas as pd

    from libya_conflict import geo

    f = package.frame_with("places", ("latitude", "longitude", "country"))
    if f is None:
        return
    lat = pd.to_numeric(f["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(f["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    slack = np.zeros(len(f))
    if "coord_uncertainty_km" in f.columns:
        slack = np.nan_to_num(
            pd.to_numeric(f["coord_uncertainty_km"], errors="coerce").to_numpy(dtype=float, na_value=np.nan), nan=0.0
        )
    country = f["country"].astype("string")
    located = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    away = np.zeros(len(f))
    bad = np.zeros(len(f), dtype=bool)
    for name in sorted(set(country.dropna().unique())):
        if not geo.has_outline(name):
            continue
        rows = np.flatnonzero(located & (country == name).fillna(False).to_numpy(dtype=bool))
        if rows.size:
            away[rows] = geo.distance_outside_km(name, lat[rows], lon[rows])
            bad[rows] = away[rows] > slack[rows] + geo.resolution_km(name)
    report_rows(
        package,
        report,
        "places",
        bad,
        "latitude",
        "row.coordinates_country",
        lambda i: (
            f"({lat[i]}, {lon[i]}) lies {away[i]:.0f} km outside {country.iloc[i]}, more than its "
            f"uncertainty of {slack[i]:g} km (and the outline's {geo.resolution_km(country.iloc[i]):g} km)"
        ),
    )


RULES.append(rule("row.coordinates_country", row_coordinates_country, "place_outside_its_country"))


# ------------------------------------------------------------------ Claim conventions (second curation pass)


def row_outlet_stance(package, report):
    """The outlet's own narration asserts (or alleges, or denies): it is never coded 'reports', which is
    for relaying another channel (docs/curation.md: one convention for every article)."""
    f = package.frame_with("claims", ("source_kind", "stance"))
    if f is None:
        return
    report_rows(
        package,
        report,
        "claims",
        equals(f["source_kind"], "outlet") & equals(f["stance"], "reports"),
        "stance",
        "row.outlet_stance",
        lambda i: "the outlet's own narration coded 'reports': outlet narration is 'asserts'",
    )


RULES.append(rule("row.outlet_stance", row_outlet_stance, "outlet_narration_reports"))
