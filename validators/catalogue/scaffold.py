"""Minimal valid records, added when a package has nothing to corrupt.

Each claimed record gets a claim quoting one to three Arabic words of an article at their exact offsets.
The records are made by the record factories of :mod:`libya_conflict.generate` with every meaningful cell
given and the plainest choice for the rest (no optional cell); which existing rows and articles they
refer to is drawn here, from the corruption's ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import random

from libya_conflict import generate
from libya_conflict.generate import PLAINEST

from .folder import ANY_WORDS, ARABIC_WORDS, Folder, key_of, pick

_ID_TEMPLATES = {
    "articles": "art-9{n:02d}",
    "actors": "act-catalogue-{n}",
    "places": "pl-catalogue-{n}",
    "events": "ev-999-{n:03d}",
    "event_actors": "ea-999-{n:03d}",
    "event_relations": "rel-999-{n:03d}",
    "equipment_losses": "loss-999-{n:03d}",
    "casualties": "cas-999-{n:03d}",
    "claims": "cl-999-{n:03d}",
    "place_distances": "dist-999-{n:03d}",
    "alternative_group": "alt-999-{n:03d}",
}


def fresh_id(folder: Folder, table: str) -> str:
    """An ID for ``table`` (or an alternative_group) used nowhere in the package, retired IDs included."""
    if table == "alternative_group":
        used = {r["alternative_group"] for r in folder.rows("casualties")}
    else:
        used = {key_of(table, r) for r in folder.rows(table)}
    used |= {r["retired_id"] for r in folder.rows("retired_ids")}
    n = 1
    while _ID_TEMPLATES[table].format(n=n) in used:
        n += 1
    return _ID_TEMPLATES[table].format(n=n)


def claim_source(
    folder: Folder, rng: random.Random, article_id: str | None = None, other_than: str | None = None
) -> tuple[dict, str, int, int]:
    """An article (``article_id``, or any but ``other_than``) and the offsets of a span of Arabic words in
    it (of any words if it has none): (article, text, start, end)."""
    options = []
    for article, text in folder.articles():
        if article["article_id"] == other_than or article_id not in (None, article["article_id"]):
            continue
        spans = [m.span() for m in ARABIC_WORDS.finditer(text)] or [m.span() for m in ANY_WORDS.finditer(text)]
        options += [(article, text, start, end) for start, end in spans]
    return pick(rng, options, "article with words to quote" + (f" besides {other_than}" if other_than else ""))


def article_of(folder: Folder, event_id: str) -> str | None:
    """The article an event is a report of: the one its claims quote."""
    return next(
        (
            c["article_id"]
            for c in folder.rows("claims")
            if c["record_table"] == "events" and c["record_id"] == event_id
        ),
        None,
    )


def event_source(folder: Folder, rng: random.Random, event_id: str) -> tuple[dict, str, int, int]:
    """A span to quote in the article the event is a report of (the claims of its records quote it)."""
    return claim_source(folder, rng, article_of(folder, event_id))


def add_claim(folder: Folder, rng: random.Random, record_table: str, record_id: str, source=None) -> dict:
    """A claim for the record, quoting ``source`` (article, text, start, end) or a span drawn from an article."""
    article, text, start, end = source or claim_source(folder, rng)
    quoted = (article["article_id"], text, start, end)
    cells = dict(source_kind="outlet", stance="asserts", translation_en="Quote added by the corruption catalogue.")
    claim = generate.claim(PLAINEST, fresh_id(folder, "claims"), quoted, (record_table, record_id), **cells)
    return folder.add("claims", claim)


def add_actor(folder: Folder, rng: random.Random) -> dict:
    """A new armed group, with its claim."""
    cells = dict(
        name_en="Catalogue test brigade", name_ar="كتيبة الاختبار", actor_type="armed_group", side="neutral_unknown"
    )
    actor = folder.add("actors", generate.actor(PLAINEST, fresh_id(folder, "actors"), **cells))
    add_claim(folder, rng, "actors", actor["actor_id"])
    return actor


def add_place(folder: Folder, rng: random.Random, abroad: bool = False) -> dict:
    """A new place with its claim: Tripoli (inside the coverage), or Cairo (``abroad``, outside it)."""
    cells = dict(
        name_en="Tripoli",
        name_ar="طرابلس",
        place_type="city",
        latitude="32.8872",
        longitude="13.1913",
        geo_precision="centroid_town",
        country="Libya",
        in_coverage="true",
    )
    if abroad:
        cells.update(
            name_en="Cairo",
            name_ar="القاهرة",
            latitude="30.0444",
            longitude="31.2357",
            country="Egypt",
            in_coverage="false",
            coverage_note="Capital of Egypt, where talks were held.",
        )
    place = folder.add("places", generate.place(PLAINEST, fresh_id(folder, "places"), **cells))
    add_claim(folder, rng, "places", place["place_id"])
    return place


def add_event(folder: Folder, rng: random.Random, source=None, kind=("Battles", "Armed clash", "armed_clash")) -> dict:
    """An event dated on the first possible publication day of the article that reports it (never after)."""
    source = source or claim_source(folder, rng)
    published = source[0]["published_earliest"]
    event_type, sub_event_type, event_kind = kind
    cells = dict(
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_kind=event_kind,
        date_earliest=published,
        date_latest=published,
        date_precision="day",
        status="occurred",
        description_en="Event added by the corruption catalogue.",
    )
    made = generate.event(PLAINEST, fresh_id(folder, "events"), dt.date.fromisoformat(published), **cells)
    event = folder.add("events", made)
    add_claim(folder, rng, "events", event["event_id"], source)
    return event


def existing_or_new(folder: Folder, rng: random.Random, table: str, add) -> dict:
    """A row of ``table``, or one made by ``add`` when the table is empty."""
    rows = folder.rows(table)
    return rng.choice(rows) if rows else add(folder, rng)


def happened_event(folder: Folder, rng: random.Random) -> dict:
    """An event that is not merely planned (it may have losses), or a new one."""
    claimed = {c["record_id"] for c in folder.rows("claims") if c["record_table"] == "events"}
    events = [e for e in folder.rows("events") if e["status"] != "planned" and e["event_id"] in claimed]
    return rng.choice(events) if events else add_event(folder, rng)


def take_part(folder: Folder, event_id: str, actor_id: str, role: str = "participant") -> None:
    """List the actor among the event's actors, unless it is already (losses are an event's actors')."""
    if not any(r["event_id"] == event_id and r["actor_id"] == actor_id for r in folder.rows("event_actors")):
        folder.add(
            "event_actors",
            generate.event_actor(PLAINEST, fresh_id(folder, "event_actors"), event_id, actor_id, role=role),
        )


def add_event_actor(folder: Folder, rng: random.Random) -> dict:
    """An actor taking part in an event (both existing where possible, the actor not yet in that event)."""
    event = existing_or_new(folder, rng, "events", add_event)
    taken = {r["actor_id"] for r in folder.rows("event_actors") if r["event_id"] == event["event_id"]}
    free = [a for a in folder.rows("actors") if a["actor_id"] not in taken]
    actor = rng.choice(free) if free else add_actor(folder, rng)
    made = generate.event_actor(
        PLAINEST, fresh_id(folder, "event_actors"), event["event_id"], actor["actor_id"], role="participant"
    )
    return folder.add("event_actors", made)


def add_relation(folder: Folder, rng: random.Random, relation: str) -> dict:
    """Two new events and ``relation`` between them: reported by one article (so dated the same day), or for
    same_report_as by two (an article reports a happening once)."""
    source = claim_source(folder, rng)
    related = add_event(folder, rng, source, ("Battles", "Armed clash", "offensive"))
    if relation == "same_report_as":
        source = claim_source(folder, rng, other_than=source[0]["article_id"])
    event = add_event(folder, rng, source, ("Strategic developments", "Change to group/activity", "withdrawal"))
    relation_id = fresh_id(folder, "event_relations")
    return folder.add(
        "event_relations", generate.relation(PLAINEST, relation_id, event["event_id"], related["event_id"], relation)
    )


def add_casualty(folder: Folder, rng: random.Random) -> dict:
    """A figure of 3 to 8 (best 5) killed of a new actor (so that it conflicts with no other figure) in an
    event that happened, the actor listed among the event's, with a claim quoting the event's article."""
    event = happened_event(folder, rng)
    actor = add_actor(folder, rng)
    take_part(folder, event["event_id"], actor["actor_id"], "target")
    cells = dict(category="killed", population="combatant", count_low="3", count_best="5", count_high="8")
    figure = generate.casualty(
        PLAINEST, fresh_id(folder, "casualties"), event["event_id"], actor["actor_id"], False, **cells
    )
    casualty = folder.add("casualties", figure)
    add_claim(folder, rng, "casualties", casualty["casualty_id"], event_source(folder, rng, event["event_id"]))
    return casualty


def add_loss_total(folder: Folder, rng: random.Random) -> tuple[dict, dict]:
    """A running total of 5 lost systems and a batch of 2 counted in it: one actor's, in an event that
    happened, the actor listed among the event's, with claims quoting the event's article."""
    event = happened_event(folder, rng)
    actor = existing_or_new(folder, rng, "actors", add_actor)
    take_part(folder, event["event_id"], actor["actor_id"], "target")
    common = dict(system_en="Pantsir air defence system", category="air_defence_system", status="destroyed")
    common.update(verification="claimed")

    def add_loss(**cells) -> dict:
        loss_id = fresh_id(folder, "equipment_losses")
        made = generate.loss(PLAINEST, loss_id, event["event_id"], actor["actor_id"], (), (), **common, **cells)
        return folder.add("equipment_losses", made)

    total = add_loss(quantity="5", is_total="true")
    batch = add_loss(quantity="2", is_total="false", total_loss_id=total["loss_id"])
    for loss in (total, batch):
        add_claim(folder, rng, "equipment_losses", loss["loss_id"], event_source(folder, rng, event["event_id"]))
    return total, batch


def add_distance(folder: Folder, rng: random.Random) -> dict:
    """A distance of 10 to 12 km between two places (never from a place to itself), with its claim."""
    place = existing_or_new(folder, rng, "places", add_place)
    others = [p for p in folder.rows("places") if p["place_id"] != place["place_id"]]
    origin = rng.choice(others) if others else add_place(folder, rng)
    distance_id = fresh_id(folder, "place_distances")
    made = generate.distance(
        PLAINEST, distance_id, place["place_id"], origin["place_id"], distance_km="10", distance_km_high="12"
    )
    distance = folder.add("place_distances", made)
    add_claim(folder, rng, "place_distances", distance["distance_id"])
    return distance


def some_claim(folder: Folder, rng: random.Random) -> dict:
    """An existing claim, or the claim of a new actor when there is none."""
    claims = folder.rows("claims")
    if claims:
        return rng.choice(claims)
    actor = add_actor(folder, rng)
    return next(c for c in folder.rows("claims") if c["record_id"] == actor["actor_id"])
