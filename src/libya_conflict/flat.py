"""``events_flat``: one row per event with everything a reader needs to filter it without joins.

>>> from libya_conflict.flat import events_flat
>>> columns, rows = events_flat()                     # doctest: +SKIP
>>> rows[0]["place_en"], rows[0]["killed"]            # doctest: +SKIP

The same table is the ``events_flat`` sheet of the workbook and the ``events_flat`` view of the SQLite
export (written there in SQL, and tested against this function). Counts respect the dataset's rules:
equipment is summed over ``is_total = false`` rows only, and casualties count each
``alternative_group`` once, at its lowest figure (the conservative reading of conflicting reports).
"""

from __future__ import annotations

from pathlib import Path

from . import schema as sch

# Text columns joined from several rows use these separators (a line per claim, "; " between names).
LINE = "\n"
NAMES = "; "


def read_rows(root: Path | None = None) -> dict[str, list[dict]]:
    """Every table of the data package in ``root`` (default: the bundled one) as lists of typed dicts.

    Dates are ``datetime.date``, counts ``int``, missing values ``None``; rows in primary-key order.
    """
    import pyarrow.parquet as pq

    from .confine import Confined

    root = Path(root) if root else sch.package_root()
    folder = Confined(root)
    return {t: pq.read_table(folder.check(f"data/parquet/{t}.parquet")).to_pylist() for t in sch.table_names(root)}


def columns() -> list[dict]:
    """The columns of ``events_flat``: name, type and description (Table Schema style)."""

    def col(name, kind, description):
        return {"name": name, "type": kind, "description": description}

    out = [
        col("event_id", "string", "The event (events.event_id): one article's report of a happening."),
        col(
            "happening_id",
            "string",
            "Smallest event_id among the reports linked by same_report_as: count "
            "distinct happening_id to count happenings rather than reports.",
        ),
        col("article_id", "string", "The article reporting the event (from the event's claims)."),
        col("outlet", "string", "The article's outlet; empty when the text does not identify it."),
    ]
    events = {f["name"]: f for f in sch.table_schema("events")["fields"]}
    for name in (
        "event_type",
        "sub_event_type",
        "event_kind",
        "status",
        "date_earliest",
        "date_latest",
        "date_precision",
        "time_of_day",
    ):
        out.append(col(name, events[name]["type"], events[name]["description"]))
    out += [
        col("place_id", "string", "Where the event happened (places.place_id); empty when the text does not say."),
        col("place_en", "string", "Name of the place in English."),
        col("place_ar", "string", "Name of the place in Arabic."),
        col("admin1", "string", "First-level administrative area of the place."),
        col("latitude", "number", "Latitude of the place (WGS84); as precise as geo_precision says."),
        col("longitude", "number", "Longitude of the place (WGS84)."),
        col("geo_precision", "string", "Precision of the coordinates (places.geo_precision)."),
        col("location_note_en", "string", events["location_note_en"]["description"]),
        col("description_en", "string", events["description_en"]["description"]),
    ]
    for role in sch.vocabulary("event_actors", "role"):
        out.append(col(role, "string", f"English names of the actors in role '{role}', separated by '; '."))
    for category in sch.vocabulary("casualties", "category"):
        out.append(
            col(
                category,
                "integer",
                f"People {category.replace('_', ' ')}: sum of count_best, each "
                "alternative_group counted once at its lowest figure; empty when "
                "no number is reported.",
            )
        )
    out += [
        col("casualties_text", "string", "Every casualty report of the event, with vague quantities in words."),
        col(
            "equipment_lost",
            "integer",
            "Equipment items lost: sum of quantity over rows with is_total = false; empty when no number is reported.",
        ),
        col("equipment_text", "string", "Every equipment-loss report of the event, running totals marked."),
        col("claim_ids", "string", "The claims supporting the event, one per line."),
        col("quotes_ar", "string", "The exact quotes of the article, numbered [1], [2]... in the order of claim_ids."),
        col("quotes_en", "string", "English translations of the quotes, numbered like quotes_ar."),
        col(
            "claimed_by",
            "string",
            "Who makes each claim, numbered like quotes_ar: the claimant actor if any, then "
            "source kind and stance ('outlet, asserts' is the outlet's own reporting).",
        ),
    ]
    return out


def happenings(event_ids: list[str], relations: list[dict]) -> dict[str, str]:
    """Map every event to its happening: the smallest event_id of its same_report_as group.

    >>> happenings(["ev-1", "ev-2", "ev-3"], [{"event_id": "ev-3", "related_event_id": "ev-1",
    ...                                        "relation": "same_report_as"}])
    {'ev-1': 'ev-1', 'ev-2': 'ev-2', 'ev-3': 'ev-1'}
    """
    parent = {e: e for e in event_ids}

    def find(e):
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for r in relations:
        if r["relation"] == "same_report_as":
            a, b = find(r["event_id"]), find(r["related_event_id"])
            parent[max(a, b)] = min(a, b)
    return {e: find(e) for e in event_ids}


def casualty_figure(row: dict) -> int | None:
    """The number a casualty row reports: count_best, else count_low (the conservative bound)."""
    return row["count_best"] if row["count_best"] is not None else row["count_low"]


def casualty_totals(rows: list[dict]) -> dict[str, int | None]:
    """Per category, the sum over alternative groups of each group's lowest figure (None: no number)."""
    groups: dict[tuple, list[int]] = {}
    for r in rows:
        figure = casualty_figure(r)
        key = (r["category"], r["alternative_group"] or r["casualty_id"])
        groups.setdefault(key, [])
        if figure is not None:
            groups[key].append(figure)
    totals: dict[str, int | None] = {}
    for (category, _), figures in groups.items():
        if figures:
            totals[category] = (totals.get(category) or 0) + min(figures)
    return totals


def _casualty_text(r: dict, actors: dict) -> str:
    figure = casualty_figure(r)
    amount = str(figure) if figure is not None else (r["quantity_text_en"] or "number not given")
    text = f"{r['category']}, {r['population']}, {actors[r['actor_id']]['name_en']}: {amount}"
    return text + (f" (alternative reports {r['alternative_group']})" if r["alternative_group"] else "")


def _loss_text(r: dict, actors: dict) -> str:
    amount = str(r["quantity"]) if r["quantity"] is not None else "(number not given)"
    text = f"{amount} {r['system_en']} {r['status']}"
    if r["lost_by_actor_id"]:
        text += f", lost by {actors[r['lost_by_actor_id']]['name_en']}"
    return ("running total: " + text) if r["is_total"] else text


def numbered(items) -> str | None:
    """Lines numbered [1], [2]...: a wrapped quote still pairs with its claimant by number.

    >>> numbered(["a", "b"])
    '[1] a\\n[2] b'
    """
    return LINE.join(f"[{i}] {item}" for i, item in enumerate(items, start=1)) or None


def _claimant(c: dict, actors: dict) -> str:
    kind = f"{c['source_kind']}, {c['stance']}"
    return f"{actors[c['claimant_actor_id']]['name_en']}: {kind}" if c["claimant_actor_id"] else kind


def events_flat(tables: dict[str, list[dict]] | None = None) -> tuple[list[dict], list[dict]]:
    """``(columns, rows)`` of events_flat, from ``tables`` as :func:`read_rows` returns them.

    Rows are in event_id order; values are typed like :func:`read_rows` values.
    """
    tables = tables if tables is not None else read_rows()
    actors = {a["actor_id"]: a for a in tables["actors"]}
    places = {p["place_id"]: p for p in tables["places"]}
    articles = {a["article_id"]: a for a in tables["articles"]}
    by_event = {name: {} for name in ("event_actors", "casualties", "equipment_losses")}
    for name, grouped in by_event.items():
        for r in tables[name]:
            grouped.setdefault(r["event_id"], []).append(r)
    claims = {}
    for c in tables["claims"]:
        if c["record_table"] == "events":
            claims.setdefault(c["record_id"], []).append(c)
    happening = happenings([e["event_id"] for e in tables["events"]], tables["event_relations"])
    roles = sch.vocabulary("event_actors", "role")
    categories = sch.vocabulary("casualties", "category")

    rows = []
    for e in tables["events"]:
        eid = e["event_id"]
        event_claims = claims.get(eid, [])
        article_id = event_claims[0]["article_id"] if event_claims else None
        place = places.get(e["place_id"], {})
        row = {
            "event_id": eid,
            "happening_id": happening[eid],
            "article_id": article_id,
            "outlet": articles[article_id]["outlet"] if article_id else None,
        }
        for name in (
            "event_type",
            "sub_event_type",
            "event_kind",
            "status",
            "date_earliest",
            "date_latest",
            "date_precision",
            "time_of_day",
        ):
            row[name] = e[name]
        row.update(
            {
                "place_id": e["place_id"],
                "place_en": place.get("name_en"),
                "place_ar": place.get("name_ar"),
                "admin1": place.get("admin1"),
                "latitude": place.get("latitude"),
                "longitude": place.get("longitude"),
                "geo_precision": place.get("geo_precision"),
                "location_note_en": e["location_note_en"],
                "description_en": e["description_en"],
            }
        )
        participants = by_event["event_actors"].get(eid, [])
        for role in roles:
            names = [actors[p["actor_id"]]["name_en"] for p in participants if p["role"] == role]
            row[role] = NAMES.join(names) or None
        casualties = by_event["casualties"].get(eid, [])
        totals = casualty_totals(casualties)
        for category in categories:
            row[category] = totals.get(category)
        row["casualties_text"] = NAMES.join(_casualty_text(r, actors) for r in casualties) or None
        losses = by_event["equipment_losses"].get(eid, [])
        counted = [r["quantity"] for r in losses if not r["is_total"] and r["quantity"] is not None]
        row["equipment_lost"] = sum(counted) if counted else None
        row["equipment_text"] = NAMES.join(_loss_text(r, actors) for r in losses) or None
        row["claim_ids"] = LINE.join(c["claim_id"] for c in event_claims) or None
        row["quotes_ar"] = numbered(c["quote"] for c in event_claims)
        row["quotes_en"] = numbered(c["translation_en"] or "" for c in event_claims)
        row["claimed_by"] = numbered(_claimant(c, actors) for c in event_claims)
        rows.append(row)
    return columns(), rows
