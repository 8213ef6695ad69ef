"""Row rules: facts each record must state consistently within itself.

Every rule is a function named after its id whose docstring is the rule in words. Each works on whole
columns at once; only the failing rows are turned into problems.
"""

from __future__ import annotations

from libya_conflict import schema as sch

# ACLED's event types and the sub-event types that belong to each (vocabulary only, from ACLED's codebook).
ACLED_SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}

DATE_COLUMNS = {
    "events": ("date_earliest", "date_latest", "date_precision"),
    "articles": ("published_earliest", "published_latest", "published_precision"),
}


def _report_rows(package, report, table, mask, column, rule, message):
    import numpy as np

    mask = mask.fillna(False).to_numpy(dtype=bool) if hasattr(mask, "fillna") else np.asarray(mask, dtype=bool)
    for i in np.flatnonzero(mask):
        report.add(table, package.row_key(table, int(i)), column, rule, message(int(i)))


def row_date_order(package, report):
    """The earliest date of a range is not after its latest date."""
    for table, (lo, hi, _) in DATE_COLUMNS.items():
        f = package.frames.get(table)
        if f is None or lo not in f or hi not in f:
            continue
        mask = f[lo] > f[hi]
        _report_rows(package, report, table, mask, lo, "row.date_order",
                     lambda i: f"{lo} {f[lo].iloc[i].date()} is after {hi} {f[hi].iloc[i].date()}")


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
        _report_rows(package, report, table, bad, prec, "row.date_precision",
                     lambda i: f"precision {p.iloc[i]!r} does not fit the range {a.iloc[i].date()} .. {b.iloc[i].date()}")


def row_count_order(package, report):
    """Casualty counts are ordered: count_low <= count_best <= count_high (where given)."""
    f = package.frames.get("casualties")
    if f is None or not {"count_low", "count_best", "count_high"} <= set(f.columns):
        return
    lo, best, hi = f["count_low"], f["count_best"], f["count_high"]
    bad = (lo > best) | (best > hi) | (lo > hi)
    _report_rows(package, report, "casualties", bad, "count_best", "row.count_order",
                 lambda i: f"counts are not ordered: low {lo.iloc[i]}, best {best.iloc[i]}, high {hi.iloc[i]}")


def row_distance_order(package, report):
    """A stated distance span is ordered: distance_km <= distance_km_high."""
    f = package.frames.get("place_distances")
    if f is None or not {"distance_km", "distance_km_high"} <= set(f.columns):
        return
    bad = f["distance_km"] > f["distance_km_high"]
    _report_rows(package, report, "place_distances", bad, "distance_km_high", "row.distance_order",
                 lambda i: f"distance span reversed: {f['distance_km'].iloc[i]} > {f['distance_km_high'].iloc[i]}")


def row_sub_event_type(package, report):
    """The ACLED sub-event type belongs to the row's ACLED event type."""
    f = package.frames.get("events")
    if f is None or not {"event_type", "sub_event_type"} <= set(f.columns):
        return
    event_type, sub_event_type = f["event_type"], f["sub_event_type"]
    ok = (event_type.isna() | sub_event_type.isna()).to_numpy(dtype=bool, copy=True)
    for kind, subs in ACLED_SUB_EVENT_TYPES.items():  # one pass per event type, not one per row
        ok |= ((event_type == kind) & sub_event_type.isin(sorted(subs))).to_numpy(dtype=bool, na_value=False)
    bad = ~ok
    _report_rows(package, report, "events", bad, "sub_event_type", "row.sub_event_type",
                 lambda i: f"{f['sub_event_type'].iloc[i]!r} is not a sub-event type of {f['event_type'].iloc[i]!r}")


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
    _report_rows(package, report, "places", bad, "latitude", "row.coverage",
                 lambda i: f"({lat.iloc[i]}, {lon.iloc[i]}) lies outside the coverage bbox {bbox} but in_coverage is true")
    unexplained = ~claims_inside & f["coverage_note"].isna()
    _report_rows(package, report, "places", unexplained, "coverage_note", "row.coverage",
                 lambda i: "place outside the coverage without a coverage_note")
    half = lat.isna() != lon.isna()
    _report_rows(package, report, "places", half, "longitude", "row.coordinates",
                 lambda i: "only one of latitude and longitude is given")
    none = f["geo_precision"].astype("string") == "none"
    mismatch = (none & has_coords) | (~none.fillna(False).astype(bool) & ~has_coords)
    _report_rows(package, report, "places", mismatch, "geo_precision", "row.coordinates",
                 lambda i: "geo_precision 'none' goes with empty coordinates, and any other precision with coordinates")


def row_claim_span(package, report):
    """A claim's offsets span exactly its quote: quote_end - quote_start == number of code points of quote."""
    f = package.frames.get("claims")
    if f is None or not {"quote", "quote_start", "quote_end"} <= set(f.columns):
        return
    span = f["quote_end"] - f["quote_start"]
    bad = span != f["quote"].str.len()
    _report_rows(package, report, "claims", bad, "quote_end", "row.claim_span",
                 lambda i: f"offsets {f['quote_start'].iloc[i]}..{f['quote_end'].iloc[i]} span {span.iloc[i]} code points, the quote has {len(f['quote'].iloc[i])}")


def row_total_flags(package, report):
    """A running total states its quantity (a total without a number cannot bound its batches)."""
    f = package.frames.get("equipment_losses")
    if f is None or not {"is_total", "quantity"} <= set(f.columns):
        return
    bad = f["is_total"].fillna(False).astype(bool) & f["quantity"].isna()
    _report_rows(package, report, "equipment_losses", bad, "quantity", "row.total_flags",
                 lambda i: "a running total (is_total) without a quantity")


RULES = [row_date_order, row_date_precision, row_count_order, row_distance_order, row_sub_event_type,
         row_coverage, row_claim_span, row_total_flags]


def check_rows(package, report) -> None:
    for rule in RULES:
        rule(package, report)
