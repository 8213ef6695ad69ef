"""Corruptions the cross-table rules must catch: keys, quotes, relations and figures that disagree across tables."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from libya_conflict import schema as sch

from .entry import Expected, corruption
from .folder import ARABIC_LETTERS, NBSP, Folder, day, invalid_utf8, key_of, pick
from .scaffold import (
    add_actor,
    add_casualty,
    add_claim,
    add_event,
    add_event_actor,
    add_loss_total,
    add_relation,
    event_source,
    existing_or_new,
    fresh_id,
    some_claim,
    take_part,
)

CLAIMED_TABLES = sch.claimed_tables()


@corruption("dangling_fk")
def dangling_fk(root: Path, rng: random.Random) -> Expected:
    """A foreign key naming a record that does not exist (a mistyped or deleted ID)."""
    folder = Folder(root)
    keys = [(table, fk) for table, s in sch.schemas().items() for fk in s.get("foreignKeys", [])]
    if not any(folder.rows(t) for t, _ in keys):
        add_event_actor(folder, rng)
    table, fk, row = pick(rng, [(t, fk, r) for t, fk in keys for r in folder.rows(t)], "row with a foreign key")
    row[fk["fields"]] = fresh_id(folder, fk["reference"]["resource"] or table)
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), fk["fields"]


@corruption("quote_offsets_off_by_one")
def quote_offsets_off_by_one(root: Path, rng: random.Random) -> Expected:
    """A claim's offsets both shifted by one code point (counted in bytes or from 1)."""
    folder = Folder(root)
    texts = {a["article_id"]: t for a, t in folder.articles()}

    def shifts():
        found = []
        for claim in folder.rows("claims"):
            text, start, end = texts.get(claim["article_id"]), int(claim["quote_start"]), int(claim["quote_end"])
            found += [
                (claim, d)
                for d in (1, -1)
                if text is not None and start + d >= 0 and text[start + d : end + d] != claim["quote"]
            ]
        return found

    options = shifts()
    if not options:
        add_actor(folder, rng)  # brings a new claim along
        options = shifts()
    claim, d = pick(rng, options, "claim whose shifted offsets quote something else")
    claim["quote_start"], claim["quote_end"] = str(int(claim["quote_start"]) + d), str(int(claim["quote_end"]) + d)
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "quote"


@corruption("quote_text_edited")
def quote_text_edited(root: Path, rng: random.Random) -> Expected:
    """A quote retyped with one letter different from the article (same length, offsets untouched)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    quote = claim["quote"]
    positions = [i for i, ch in enumerate(quote) if ch in ARABIC_LETTERS] or [
        i for i, ch in enumerate(quote) if not ch.isspace()
    ]
    i = rng.choice(positions)
    claim["quote"] = quote[:i] + rng.choice([c for c in ARABIC_LETTERS if c != quote[i]]) + quote[i + 1 :]
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "quote"


def span_around(text: str, i: int) -> tuple[int, int] | None:
    """Offsets of the word before position ``i``, ``text[i]`` and the word after; None if it cannot be quoted."""
    start = i
    while start > 0 and text[start - 1].isspace():
        start -= 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = i + 1
    while end < len(text) and text[end].isspace():
        end += 1
    while end < len(text) and not text[end].isspace():
        end += 1
    quote = text[start:end]
    return (start, end) if quote.strip() == quote else None


@corruption("nbsp_in_quote")
def nbsp_in_quote(root: Path, rng: random.Random) -> Expected:
    """A no-break space of the article typed as a plain space in a claim's quote."""
    folder = Folder(root)
    claims = [c for c in folder.rows("claims") if NBSP in c["quote"]]
    if not claims:
        # Quote the words around a no-break space of an article, for an existing or new record.
        spots = [
            (a, t, span)
            for a, t in folder.articles()
            for i, ch in enumerate(t)
            if ch == NBSP and (span := span_around(t, i))
        ]
        article, text, (start, end) = pick(rng, spots, "article with a quotable no-break space")
        records = [(t, key_of(t, r)) for t in CLAIMED_TABLES for r in folder.rows(t)]
        record_table, record_id = rng.choice(records) if records else ("actors", add_actor(folder, rng)["actor_id"])
        claims = [add_claim(folder, rng, record_table, record_id, (article, text, start, end))]
    claim = rng.choice(claims)
    claim["quote"] = claim["quote"].replace(NBSP, " ", 1)
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "quote"


@corruption("claim_for_missing_record")
def claim_for_missing_record(root: Path, rng: random.Random) -> Expected:
    """A claim whose record_id names no record of its record_table."""
    folder = Folder(root)
    claim = dict(some_claim(folder, rng))
    claim["claim_id"] = fresh_id(folder, "claims")
    claim["record_id"] = fresh_id(folder, claim["record_table"])
    folder.add("claims", claim)
    folder.save()
    return "claims", claim["claim_id"], "record_id"


@corruption("unclaimed_record")
def unclaimed_record(root: Path, rng: random.Random) -> Expected:
    """Every claim of a record deleted, so nothing in an article supports it."""
    folder = Folder(root)
    records = [(t, key_of(t, r)) for t in CLAIMED_TABLES for r in folder.rows(t)]
    table, record_id = rng.choice(records) if records else ("actors", add_actor(folder, rng)["actor_id"])
    folder.remove("claims", lambda c: (c["record_table"], c["record_id"]) != (table, record_id))
    folder.save()
    return table, record_id, sch.primary_key(table)


def _dated_before(root: Path, rng: random.Random, relation: str) -> Expected:
    """A link of ``relation`` whose event is dated before the related event begins."""
    folder = Folder(root)
    events = {r["event_id"]: r for r in folder.rows("events")}
    links = [
        r
        for r in folder.rows("event_relations")
        if r["relation"] == relation
        and r["event_id"] != r["related_event_id"]
        and {r["event_id"], r["related_event_id"]} <= set(events)
    ]
    link = rng.choice(links) if links else add_relation(folder, rng, relation)
    events = {r["event_id"]: r for r in folder.rows("events")}
    later, earlier = events[link["event_id"]], events[link["related_event_id"]]
    before = (day(earlier["date_earliest"]) - dt.timedelta(days=rng.randint(1, 30))).isoformat()
    later.update(date_earliest=before, date_latest=before, date_precision="day")
    folder.touch("events")
    folder.save()
    return "event_relations", link["event_relation_id"], "relation"


@corruption("withdrawal_before_offensive")
def withdrawal_before_offensive(root: Path, rng: random.Random) -> Expected:
    """A withdrawal dated before the offensive it withdraws from begins (withdrawal_from, dates reversed)."""
    return _dated_before(root, rng, "withdrawal_from")


@corruption("response_before_event")
def response_before_event(root: Path, rng: random.Random) -> Expected:
    """A response dated before the event it answers begins (response_to, dates reversed)."""
    return _dated_before(root, rng, "response_to")


@corruption("follow_up_before_event")
def follow_up_before_event(root: Path, rng: random.Random) -> Expected:
    """A follow-up dated before the event it follows begins (follows, dates reversed)."""
    return _dated_before(root, rng, "follows")


@corruption("self_relation")
def self_relation(root: Path, rng: random.Random) -> Expected:
    """An event linked to itself."""
    folder = Folder(root)
    links = folder.rows("event_relations")
    link = rng.choice(links) if links else add_relation(folder, rng, rng.choice(["follows", "part_of", "response_to"]))
    link["related_event_id"] = link["event_id"]
    folder.touch("event_relations")
    folder.save()
    return "event_relations", link["event_relation_id"], "related_event_id"


def _cycle(root: Path, rng: random.Random, relation: str) -> Expected:
    """A link of ``relation`` added in reverse (A follows B, and B follows A)."""
    folder = Folder(root)
    links = [
        r
        for r in folder.rows("event_relations")
        if r["relation"] == relation and r["event_id"] != r["related_event_id"]
    ]
    link = rng.choice(links) if links else add_relation(folder, rng, relation)
    reverse = folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": link["related_event_id"],
            "related_event_id": link["event_id"],
            "relation": relation,
        },
    )
    folder.save()
    return "event_relations", reverse["event_relation_id"], "related_event_id"


@corruption("follows_cycle")
def follows_cycle(root: Path, rng: random.Random) -> Expected:
    """A follows link added in reverse (A follows B, and B follows A)."""
    return _cycle(root, rng, "follows")


@corruption("part_of_cycle")
def part_of_cycle(root: Path, rng: random.Random) -> Expected:
    """A part_of link added in reverse (A is part of B, and B part of A)."""
    return _cycle(root, rng, "part_of")


@corruption("lonely_alternative")
def lonely_alternative(root: Path, rng: random.Random) -> Expected:
    """A casualty figure put in an alternative_group of its own (an alternative to nothing)."""
    folder = Folder(root)
    loose = [r for r in folder.rows("casualties") if not r["alternative_group"]]
    row = rng.choice(loose) if loose else add_casualty(folder, rng)
    row["alternative_group"] = fresh_id(folder, "alternative_group")
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "alternative_group"


def _alternative(root: Path, rng: random.Random, differ: str) -> Expected:
    """Two casualty figures put in one new alternative_group: one existing (or new), and a copy of it that
    differs in ``differ`` (the category, the actor, or the event), every other rule still satisfied."""
    folder = Folder(root)
    first = (
        add_casualty(folder, rng) if differ != "category" else existing_or_new(folder, rng, "casualties", add_casualty)
    )
    group = fresh_id(folder, "alternative_group")
    for row in folder.rows("casualties"):
        if row["alternative_group"] and row["alternative_group"] == first["alternative_group"]:
            row["alternative_group"] = ""  # its old group's other rows are left alone: never a lonely one
    first["alternative_group"] = group
    second = folder.add("casualties", {**first, "casualty_id": fresh_id(folder, "casualties")})
    if differ == "category":
        second["category"] = next(c for c in sch.vocabulary("casualties", "category") if c != first["category"])
    elif differ == "actor":
        actor = add_actor(folder, rng)
        take_part(folder, first["event_id"], actor["actor_id"], "target")
        second["actor_id"] = actor["actor_id"]
    else:
        event = add_event(folder, rng, event_source(folder, rng, first["event_id"]))
        take_part(folder, event["event_id"], first["actor_id"], "target")
        second["event_id"] = event["event_id"]
    add_claim(folder, rng, "casualties", second["casualty_id"], event_source(folder, rng, second["event_id"]))
    folder.touch("casualties")
    folder.save()
    return "casualties", max(first["casualty_id"], second["casualty_id"]), "alternative_group"


@corruption("alternative_mixes_categories")
def alternative_mixes_categories(root: Path, rng: random.Random) -> Expected:
    """An alternative_group joining figures of different categories (the killed and the wounded)."""
    return _alternative(root, rng, "category")


@corruption("alternative_mixes_actors")
def alternative_mixes_actors(root: Path, rng: random.Random) -> Expected:
    """An alternative_group joining figures of different actors."""
    return _alternative(root, rng, "actor")


@corruption("alternative_mixes_events")
def alternative_mixes_events(root: Path, rng: random.Random) -> Expected:
    """An alternative_group joining figures of two events not linked as same_report_as."""
    return _alternative(root, rng, "event")


@corruption("total_below_parts")
def total_below_parts(root: Path, rng: random.Random) -> Expected:
    """A running total smaller than the batches counted in it."""
    folder = Folder(root)
    losses = folder.rows("equipment_losses")
    parts = defaultdict(list)
    for r in losses:
        if r["total_loss_id"] and r["quantity"]:
            parts[r["total_loss_id"]].append(r)
    totals = [r for r in losses if r["is_total"] == "true" and r["quantity"] and parts.get(r["loss_id"])]
    if totals:
        total = rng.choice(totals)
    else:
        total, batch = add_loss_total(folder, rng)
        parts[total["loss_id"]] = [batch]
    counted = parts[total["loss_id"]]
    if sum(int(p["quantity"]) for p in counted) < 2:
        counted[0]["quantity"] = str(int(counted[0]["quantity"]) + 1)
    total["quantity"] = str(sum(int(p["quantity"]) for p in counted) - 1)
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", total["loss_id"], "quantity"


@corruption("counted_in_a_non_total")
def counted_in_a_non_total(root: Path, rng: random.Random) -> Expected:
    """A batch counted in a row that is not marked is_total (its parts would be counted twice)."""
    folder = Folder(root)
    total, batch = add_loss_total(folder, rng)
    total["is_total"] = "false"
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", batch["loss_id"], "total_loss_id"


@corruption("future_date")
def future_date(root: Path, rng: random.Random) -> Expected:
    """An event that occurred dated after every article reporting it was published."""
    folder = Folder(root)

    def last_published() -> dict[str, str]:
        published = {a["article_id"]: a["published_latest"] for a in folder.rows("articles")}
        last = {}
        for c in folder.rows("claims"):
            if c["record_table"] == "events" and published.get(c["article_id"]):
                last[c["record_id"]] = max(last.get(c["record_id"], ""), published[c["article_id"]])
        return last

    last = last_published()
    events = [r for r in folder.rows("events") if r["event_id"] in last]
    event = rng.choice(events) if events else add_event(folder, rng)
    after = (day(last_published()[event["event_id"]]) + dt.timedelta(days=rng.randint(1, 60))).isoformat()
    event.update(date_earliest=after, date_latest=after, date_precision="day", status="occurred")
    folder.touch("events")
    folder.save()
    return "events", event["event_id"], "date_earliest"


def _article(folder: Folder, rng: random.Random, keep=lambda article, text: True) -> tuple[dict, str]:
    """An article (with its text) that ``keep`` accepts."""
    return pick(rng, [(a, t) for a, t in folder.articles() if keep(a, t)], "suitable article")


@corruption("article_text_changed")
def article_text_changed(root: Path, rng: random.Random) -> Expected:
    """One letter of an article text changed (the text must stay the original, byte for byte)."""
    folder = Folder(root)
    article, text = _article(folder, rng, lambda a, t: any(not ch.isspace() for ch in t))
    positions = [i for i, ch in enumerate(text) if ch in ARABIC_LETTERS] or [
        i for i, ch in enumerate(text) if not ch.isspace()
    ]
    i = rng.choice(positions)
    changed = text[:i] + rng.choice([c for c in ARABIC_LETTERS if c != text[i]]) + text[i + 1 :]
    folder.article_path(article).write_bytes(changed.encode("utf-8"))
    return "articles", article["article_id"], "sha256"


@corruption("nbsp_in_article")
def nbsp_in_article(root: Path, rng: random.Random) -> Expected:
    """A no-break space of an article text replaced by a plain space (an editor "cleaning" the text)."""
    folder = Folder(root)
    article, text = _article(folder, rng, lambda a, t: NBSP in t)
    i = rng.choice([i for i, ch in enumerate(text) if ch == NBSP])
    folder.article_path(article).write_bytes((text[:i] + " " + text[i + 1 :]).encode("utf-8"))
    return "articles", article["article_id"], "bytes"  # one byte shorter: its hash changed too


@corruption("article_file_missing")
def article_file_missing(root: Path, rng: random.Random) -> Expected:
    """An article's text file deleted."""
    folder = Folder(root)
    article = pick(rng, [a for a in folder.rows("articles") if folder.article_path(a).is_file()], "article file")
    folder.article_path(article).unlink()
    return "articles", article["article_id"], "path"


@corruption("article_not_utf8")
def article_not_utf8(root: Path, rng: random.Random) -> Expected:
    """An article text re-saved in Windows-1256 instead of UTF-8."""
    folder = Folder(root)
    article, text = _article(folder, rng, lambda a, t: invalid_utf8(t) is not None)
    folder.article_path(article).write_bytes(invalid_utf8(text))
    return "articles", article["article_id"], "path"
