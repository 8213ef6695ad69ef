"""Corruptions the rules of ``validators/contradictions.py`` must catch: records that parse and whose keys
resolve, yet contradict the records they point to (hierarchies that loop, figures and batches that disagree,
claims quoting another article, relations inside one happening, actors on both sides)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from libya_conflict import schema as sch

from .entry import Expected, corruption
from .folder import Folder, day, key_of, pick
from .scaffold import (
    add_actor,
    add_casualty,
    add_claim,
    add_event,
    add_event_actor,
    add_loss_total,
    add_place,
    add_relation,
    article_of,
    claim_source,
    event_source,
    existing_or_new,
    fresh_id,
    happened_event,
    some_claim,
    take_part,
)


def _counted(row: dict) -> bool:
    return bool(row["count_low"] or row["count_best"] or row["count_high"])


@corruption("second_figure_ungrouped")
def second_figure_ungrouped(root: Path, rng: random.Random) -> Expected:
    """A second claimant's figure for the same event, actor, category and population added without an
    alternative_group shared with the first (a sum would count the same people twice)."""
    folder = Folder(root)
    counted = [r for r in folder.rows("casualties") if _counted(r)]
    first = rng.choice(counted) if counted else add_casualty(folder, rng)
    second = folder.add(
        "casualties",
        {
            **first,
            "casualty_id": fresh_id(folder, "casualties"),
            "alternative_group": "",
            "count_low": "",
            "count_best": str(rng.randint(1, 99)),
            "count_high": "",
            "quantity_text_en": "",
        },
    )
    add_claim(folder, rng, "casualties", second["casualty_id"], event_source(folder, rng, first["event_id"]))
    folder.save()
    return "casualties", second["casualty_id"], "alternative_group"


def _loop(root: Path, rng: random.Random, table: str, key: str, parent: str) -> Expected:
    """A row of ``table`` made the parent of its own parent (or its own parent when none has one)."""
    folder = Folder(root)
    rows = folder.rows(table) or [add_actor(folder, rng) if table == "actors" else add_place(folder, rng)]
    children = [r for r in rows if r[parent] and r[parent] != r[key] and any(p[key] == r[parent] for p in rows)]
    if children:
        child = rng.choice(children)
        top = next(p for p in rows if p[key] == child[parent])
        top[parent] = child[key]
    else:
        top = rng.choice(rows)
        top[parent] = top[key]
    folder.touch(table)
    folder.save()
    return table, top[key], parent


@corruption("hierarchy_loop")
def hierarchy_loop(root: Path, rng: random.Random) -> Expected:
    """An actor made the parent of its own parent (the actors hierarchy loops)."""
    return _loop(root, rng, "actors", "actor_id", "parent_actor_id")


@corruption("place_hierarchy_loop")
def place_hierarchy_loop(root: Path, rng: random.Random) -> Expected:
    """A place put inside a place it contains (the places hierarchy loops)."""
    return _loop(root, rng, "places", "place_id", "parent_place_id")


@corruption("abroad_inside_libya")
def abroad_inside_libya(root: Path, rng: random.Random) -> Expected:
    """A place abroad put inside a Libyan place (Cairo with Tripoli as its parent place)."""
    folder = Folder(root)
    inside = [p for p in folder.rows("places") if p["in_coverage"] == "true"]
    outside = [p for p in folder.rows("places") if p["in_coverage"] == "false"]
    parent = rng.choice(inside) if inside else add_place(folder, rng)
    place = rng.choice(outside) if outside else add_place(folder, rng, abroad=True)
    place["parent_place_id"] = parent["place_id"]
    folder.touch("places")
    folder.save()
    return "places", place["place_id"], "parent_place_id"


@corruption("total_counted_in_itself")
def total_counted_in_itself(root: Path, rng: random.Random) -> Expected:
    """A running total counted in itself (its total_loss_id names its own row)."""
    folder = Folder(root)
    totals = [r for r in folder.rows("equipment_losses") if r["is_total"] == "true"]
    total = rng.choice(totals) if totals else add_loss_total(folder, rng)[0]
    total["total_loss_id"] = total["loss_id"]
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", total["loss_id"], "total_loss_id"


def _batch(folder: Folder, rng: random.Random) -> tuple[dict, dict]:
    """A row counted in a running total, and that total (made when there is none)."""
    losses = {r["loss_id"]: r for r in folder.rows("equipment_losses")}
    counted = [r for r in losses.values() if r["total_loss_id"] in losses and r["total_loss_id"] != r["loss_id"]]
    if counted:
        batch = rng.choice(counted)
        return batch, losses[batch["total_loss_id"]]
    total, batch = add_loss_total(folder, rng)
    return batch, total


@corruption("batch_of_another_actor")
def batch_of_another_actor(root: Path, rng: random.Random) -> Expected:
    """A batch lost by one actor counted in a running total of another actor's losses."""
    folder = Folder(root)
    batch, _ = _batch(folder, rng)
    actor = add_actor(folder, rng)  # a new actor: neither the total's nor one of its units
    batch["lost_by_actor_id"] = actor["actor_id"]
    take_part(folder, batch["event_id"], actor["actor_id"], "target")
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", batch["loss_id"], "lost_by_actor_id"


@corruption("batch_after_total")
def batch_after_total(root: Path, rng: random.Random) -> Expected:
    """A batch counted in a running total moved to an event dated after the total's (a total cannot count what
    was lost after it)."""
    folder = Folder(root)
    batch, total = _batch(folder, rng)
    events = {e["event_id"]: e for e in folder.rows("events")}
    ended = day(events[total["event_id"]]["date_latest"])
    later = add_event(folder, rng, event_source(folder, rng, total["event_id"]))
    after = (ended + dt.timedelta(days=rng.randint(1, 30))).isoformat()
    later.update(date_earliest=after, date_latest=after, status="announced")  # announced: may postdate the article
    batch["event_id"] = later["event_id"]
    take_part(folder, later["event_id"], batch["lost_by_actor_id"], "target")
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", batch["loss_id"], "total_loss_id"


@corruption("event_from_two_articles")
def event_from_two_articles(root: Path, rng: random.Random) -> Expected:
    """Two articles' reports merged into one event row (a claim of another article added to it)."""
    folder = Folder(root)
    event = happened_event(folder, rng)
    add_claim(
        folder,
        rng,
        "events",
        event["event_id"],
        claim_source(folder, rng, other_than=article_of(folder, event["event_id"])),
    )
    folder.save()
    return "events", event["event_id"], "event_id"


@corruption("same_report_one_article")
def same_report_one_article(root: Path, rng: random.Random) -> Expected:
    """A same_report_as link between two events of one article (two of its happenings taken for one)."""
    folder = Folder(root)
    event = happened_event(folder, rng)
    article = article_of(folder, event["event_id"])
    claimed = {
        c["record_id"] for c in folder.rows("claims") if c["record_table"] == "events" and c["article_id"] == article
    }
    others = [e for e in folder.rows("events") if e["event_id"] in claimed and e["event_id"] != event["event_id"]]
    other = rng.choice(others) if others else add_event(folder, rng, claim_source(folder, rng, article))
    link = folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": event["event_id"],
            "related_event_id": other["event_id"],
            "relation": "same_report_as",
        },
    )
    folder.save()
    return "event_relations", link["event_relation_id"], "related_event_id"


def _quote_elsewhere(folder: Folder, rng: random.Random, table: str, record: dict, events: list[str]) -> Expected:
    """The record's claim (a new one when it has none) made to quote an article none of ``events`` is a
    report of."""
    key = key_of(table, record)
    claim = next((c for c in folder.rows("claims") if c["record_table"] == table and c["record_id"] == key), None)
    if claim is None:
        claim = add_claim(folder, rng, table, key, event_source(folder, rng, events[0]))
    theirs = {article_of(folder, e) for e in events}
    spans = [span for span in _spans(folder) if span[0]["article_id"] not in theirs]
    article, text, start, end = pick(rng, spans, "article that is not the record's event's")
    claim.update(article_id=article["article_id"], quote=text[start:end], quote_start=str(start), quote_end=str(end))
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "article_id"


def _spans(folder: Folder) -> list[tuple[dict, str, int, int]]:
    """Every span a scaffolded claim may quote: (article, text, start, end)."""
    from .folder import ANY_WORDS, ARABIC_WORDS

    found = []
    for article, text in folder.articles():
        spans = [m.span() for m in ARABIC_WORDS.finditer(text)] or [m.span() for m in ANY_WORDS.finditer(text)]
        found += [(article, text, start, end) for start, end in spans]
    return found


@corruption("figure_from_other_article")
def figure_from_other_article(root: Path, rng: random.Random) -> Expected:
    """A casualty figure supported by a quote of an article other than its event's (another report's figure
    attached to this report)."""
    folder = Folder(root)
    rows = [r for r in folder.rows("casualties") if article_of(folder, r["event_id"])]
    record = rng.choice(rows) if rows else add_casualty(folder, rng)
    return _quote_elsewhere(folder, rng, "casualties", record, [record["event_id"]])


@corruption("loss_from_other_article")
def loss_from_other_article(root: Path, rng: random.Random) -> Expected:
    """An equipment loss supported by a quote of an article other than its event's."""
    folder = Folder(root)
    rows = [r for r in folder.rows("equipment_losses") if article_of(folder, r["event_id"])]
    record = rng.choice(rows) if rows else add_loss_total(folder, rng)[1]
    return _quote_elsewhere(folder, rng, "equipment_losses", record, [record["event_id"]])


@corruption("event_actor_from_other_article")
def event_actor_from_other_article(root: Path, rng: random.Random) -> Expected:
    """An actor's part in an event supported by a quote of an article other than the event's."""
    folder = Folder(root)
    rows = [r for r in folder.rows("event_actors") if article_of(folder, r["event_id"])]
    record = rng.choice(rows) if rows else add_event_actor(folder, rng)
    return _quote_elsewhere(folder, rng, "event_actors", record, [record["event_id"]])


@corruption("relation_from_other_article")
def relation_from_other_article(root: Path, rng: random.Random) -> Expected:
    """A link between two events supported by a quote of an article neither event is a report of."""
    folder = Folder(root)
    relation = rng.choice(["follows", "part_of", "response_to", "withdrawal_from"])
    link = add_relation(folder, rng, relation)  # both events reported by one article: another is left
    return _quote_elsewhere(folder, rng, "event_relations", link, [link["event_id"], link["related_event_id"]])


def _link(folder: Folder, rng: random.Random, relation: str) -> dict:
    """A link of ``relation`` between two other events (made when there is none)."""
    links = [
        r
        for r in folder.rows("event_relations")
        if r["relation"] == relation and r["event_id"] != r["related_event_id"]
    ]
    return rng.choice(links) if links else add_relation(folder, rng, relation)


@corruption("follows_own_report")
def follows_own_report(root: Path, rng: random.Random) -> Expected:
    """A follows (or part_of, response_to) link between two reports of one happening, already linked as
    same_report_as."""
    folder = Folder(root)
    same = _link(folder, rng, "same_report_as")
    link = folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": same["event_id"],
            "related_event_id": same["related_event_id"],
            "relation": rng.choice(["follows", "part_of", "response_to"]),
        },
    )
    folder.save()
    return "event_relations", link["event_relation_id"], "relation"


@corruption("response_against_follows")
def response_against_follows(root: Path, rng: random.Random) -> Expected:
    """A response_to link added against a follows link (A follows B, and B is said to answer A)."""
    folder = Folder(root)
    follows = _link(folder, rng, "follows")
    link = folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": follows["related_event_id"],
            "related_event_id": follows["event_id"],
            "relation": "response_to",
        },
    )
    folder.save()
    return "event_relations", link["event_relation_id"], "related_event_id"


def _again(root: Path, rng: random.Random, relation: str) -> Expected:
    """A link of ``relation`` entered twice: same_report_as the other way round, any other copied."""
    folder = Folder(root)
    link = _link(folder, rng, relation)
    ends = (
        (link["related_event_id"], link["event_id"])
        if link["relation"] == "same_report_as"
        else (link["event_id"], link["related_event_id"])
    )
    again = folder.add(
        "event_relations",
        {
            **link,
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": ends[0],
            "related_event_id": ends[1],
        },
    )
    first, second = sorted([link["event_relation_id"], again["event_relation_id"]])
    folder.save()
    return "event_relations", second, "related_event_id"


@corruption("same_report_both_ways")
def same_report_both_ways(root: Path, rng: random.Random) -> Expected:
    """A same_report_as link given again the other way round."""
    return _again(root, rng, "same_report_as")


@corruption("relation_given_twice")
def relation_given_twice(root: Path, rng: random.Random) -> Expected:
    """A follows or part_of link copied (the same link twice)."""
    return _again(root, rng, rng.choice(["follows", "part_of"]))


def _withdrawal(root: Path, rng: random.Random, column: str, kinds: list[str]) -> Expected:
    """A withdrawal_from link whose event in ``column`` is retyped as one of ``kinds``."""
    folder = Folder(root)
    link = _link(folder, rng, "withdrawal_from")
    events = {e["event_id"]: e for e in folder.rows("events")}
    _retype(folder, events[link[column]], rng.choice(kinds))
    folder.save()
    return "event_relations", link["event_relation_id"], column


@corruption("withdrawal_from_a_statement")
def withdrawal_from_a_statement(root: Path, rng: random.Random) -> Expected:
    """A withdrawal_from link that leaves a statement, strike or talk rather than an offensive or position."""
    return _withdrawal(root, rng, "related_event_id", ["statement", "air_strike", "talks"])


@corruption("advance_as_a_withdrawal")
def advance_as_a_withdrawal(root: Path, rng: random.Random) -> Expected:
    """A withdrawal_from link whose withdrawing event is an advance or a statement, not a move back."""
    return _withdrawal(root, rng, "event_id", ["advance", "statement"])


def _absent(root: Path, rng: random.Random, table: str, column: str) -> Expected:
    """A row of ``table`` whose actor (``column``) is changed to one the event's actors do not include."""
    folder = Folder(root)
    rows = folder.rows(table)
    row = (
        rng.choice(rows)
        if rows
        else (add_casualty(folder, rng) if table == "casualties" else add_loss_total(folder, rng)[1])
    )
    present = {r["actor_id"] for r in folder.rows("event_actors") if r["event_id"] == row["event_id"]}
    absent = [
        a for a in folder.rows("actors") if a["actor_id"] not in present and a["actor_type"] != "civilian_population"
    ]
    row[column] = (rng.choice(absent) if absent else add_actor(folder, rng))["actor_id"]
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), column


@corruption("casualty_of_an_absent_actor")
def casualty_of_an_absent_actor(root: Path, rng: random.Random) -> Expected:
    """A casualty figure of an actor the event's actors do not include."""
    return _absent(root, rng, "casualties", "actor_id")


@corruption("loss_of_an_absent_actor")
def loss_of_an_absent_actor(root: Path, rng: random.Random) -> Expected:
    """An equipment loss of an actor the event's actors do not include."""
    return _absent(root, rng, "equipment_losses", "lost_by_actor_id")


@corruption("civilians_as_combatants")
def civilians_as_combatants(root: Path, rng: random.Random) -> Expected:
    """A civilian population's dead counted as combatants."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "casualties", add_casualty)
    civilians = [a for a in folder.rows("actors") if a["actor_type"] == "civilian_population"]
    if civilians:
        actor = rng.choice(civilians)
    else:
        actor = add_actor(folder, rng)
        actor.update(actor_type="civilian_population", name_en="Civilians", name_ar="المدنيون")
    row.update(actor_id=actor["actor_id"], population="combatant")
    take_part(folder, row["event_id"], actor["actor_id"], "target")
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"], "population"


@corruption("group_mixes_populations")
def group_mixes_populations(root: Path, rng: random.Random) -> Expected:
    """An alternative_group whose figures count combatants in one row and civilians in another."""
    folder = Folder(root)
    groups = defaultdict(list)
    for r in folder.rows("casualties"):
        if r["alternative_group"]:
            groups[r["alternative_group"]].append(r)
    groups = [g for g in groups.values() if len(g) > 1]
    if groups:
        rows = sorted(rng.choice(groups), key=lambda r: r["casualty_id"])
    else:
        first = add_casualty(folder, rng)
        first["alternative_group"] = fresh_id(folder, "alternative_group")
        second = folder.add("casualties", {**first, "casualty_id": fresh_id(folder, "casualties"), "count_best": "4"})
        add_claim(folder, rng, "casualties", second["casualty_id"], event_source(folder, rng, first["event_id"]))
        rows = [first, second]
    head, other = rows[0], rng.choice(rows[1:])
    head["population"], other["population"] = "combatant", "civilian"
    folder.touch("casualties")
    folder.save()
    return "casualties", other["casualty_id"], "population"


def _planned(root: Path, rng: random.Random, table: str) -> Expected:
    """The event of a row of ``table`` (losses) recoded as only planned."""
    folder = Folder(root)
    rows = folder.rows(table)
    row = (
        rng.choice(rows)
        if rows
        else (add_casualty(folder, rng) if table == "casualties" else add_loss_total(folder, rng)[1])
    )
    event = next(e for e in folder.rows("events") if e["event_id"] == row["event_id"])
    event["status"] = "planned"
    folder.touch("events")
    folder.save()
    return table, key_of(table, row), "event_id"


@corruption("losses_of_a_planned_event")
def losses_of_a_planned_event(root: Path, rng: random.Random) -> Expected:
    """An event with casualties recoded as only planned."""
    return _planned(root, rng, "casualties")


@corruption("equipment_of_a_planned_event")
def equipment_of_a_planned_event(root: Path, rng: random.Random) -> Expected:
    """An event with equipment losses recoded as only planned."""
    return _planned(root, rng, "equipment_losses")


@corruption("denial_coded_as_fact")
def denial_coded_as_fact(root: Path, rng: random.Random) -> Expected:
    """An event whose every quote is a denial, coded as having occurred."""
    folder = Folder(root)
    event = happened_event(folder, rng)
    for claim in folder.rows("claims"):
        if claim["record_table"] == "events" and claim["record_id"] == event["event_id"]:
            claim["stance"] = "denies"
    event["status"] = "occurred"
    folder.touch("claims")
    folder.touch("events")
    folder.save()
    return "events", event["event_id"], "status"


def _roles(root: Path, rng: random.Random, one: str, other: str) -> Expected:
    """An actor of an event listed again in the same event, first as ``one`` then as ``other``."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "event_actors", add_event_actor)
    row["role"] = one
    again = folder.add("event_actors", {**row, "event_actor_id": fresh_id(folder, "event_actors"), "role": other})
    folder.save()
    # The row reported: the one in the opposite role, or the later of two in the same role.
    named = again["event_actor_id"] if one != other else max(row["event_actor_id"], again["event_actor_id"])
    return "event_actors", named, "role"


@corruption("actor_on_both_sides")
def actor_on_both_sides(root: Path, rng: random.Random) -> Expected:
    """An actor listed as both attacker and target of one event."""
    return _roles(root, rng, "attacker", "target")


@corruption("actor_as_both_sides")
def actor_as_both_sides(root: Path, rng: random.Random) -> Expected:
    """An actor listed as both side_a and side_b of one event."""
    return _roles(root, rng, "side_a", "side_b")


@corruption("host_and_visitor")
def host_and_visitor(root: Path, rng: random.Random) -> Expected:
    """An actor listed as both host and visitor of one event."""
    return _roles(root, rng, "host", "visitor")


@corruption("actor_listed_twice")
def actor_listed_twice(root: Path, rng: random.Random) -> Expected:
    """An actor listed twice in one event in the same role (a row pasted again)."""
    role = rng.choice(["attacker", "target", "participant"])
    return _roles(root, rng, role, role)


@corruption("official_who_is_a_body")
def official_who_is_a_body(root: Path, rng: random.Random) -> Expected:
    """A named official's claim whose claimant is a force or a government, not a person."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    bodies = [a for a in folder.rows("actors") if a["actor_type"] != "person"]
    claim.update(
        source_kind="named_official",
        claimant_actor_id=(rng.choice(bodies) if bodies else add_actor(folder, rng))["actor_id"],
    )
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"], "claimant_actor_id"


@corruption("figure_of_another_report_ungrouped")
def figure_of_another_report_ungrouped(root: Path, rng: random.Random) -> Expected:
    """Two reports of one happening (linked as same_report_as) each given a figure of the same actor, category
    and population, with no alternative_group shared between them (a sum counts the same people twice)."""
    folder = Folder(root)
    link = add_relation(folder, rng, "same_report_as")
    actor = add_actor(folder, rng)
    figures = []
    for event_id in (link["related_event_id"], link["event_id"]):
        take_part(folder, event_id, actor["actor_id"], "target")
        figure = folder.add(
            "casualties",
            {
                "casualty_id": fresh_id(folder, "casualties"),
                "event_id": event_id,
                "actor_id": actor["actor_id"],
                "category": "killed",
                "population": "combatant",
                "count_best": str(rng.randint(1, 99)),
            },
        )
        add_claim(folder, rng, "casualties", figure["casualty_id"], event_source(folder, rng, event_id))
        figures.append(figure)
    folder.save()
    return "casualties", figures[1]["casualty_id"], "alternative_group"


@corruption("same_report_through_another")
def same_report_through_another(root: Path, rng: random.Random) -> Expected:
    """Two events of one article joined as reports of one happening through a third report (A same_report_as
    B, B same_report_as C, A and C of one article)."""
    folder = Folder(root)
    first = claim_source(folder, rng)
    a = add_event(folder, rng, first)
    b = add_event(folder, rng, claim_source(folder, rng, other_than=first[0]["article_id"]))
    c = add_event(folder, rng, claim_source(folder, rng, first[0]["article_id"]))
    for one, other in ((a, b), (b, c)):
        folder.add(
            "event_relations",
            {
                "event_relation_id": fresh_id(folder, "event_relations"),
                "event_id": one["event_id"],
                "related_event_id": other["event_id"],
                "relation": "same_report_as",
            },
        )
    folder.save()
    return "events", max(a["event_id"], c["event_id"]), "event_id"


def _retype(folder: Folder, event: dict, kind: str) -> None:
    """Make the event one of ``kind``, with ACLED codes that fit it (so that only what is meant breaks)."""
    EVENT_KIND_TYPES = sch.event_kind_acled_types()
    event["event_kind"] = kind
    event["event_type"], event["sub_event_type"] = sorted(
        EVENT_KIND_TYPES.get(kind, {("Strategic developments", "Other")})
    )[0]
    folder.touch("events")
