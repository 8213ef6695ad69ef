"""A catalogue of corruptions: the ways a data package goes wrong, and the rule that must catch each.

Every entry applies one realistic corruption to a data package folder on disk (``datapackage.json``,
``data/*.csv``, ``data/parquet/*.parquet``, ``data/sources/*.txt``) and returns ``(table, row)``: where
the validation report must name the problem (``row`` is the record's ID, or ``""`` for a file-level
problem). ``libya-conflict scoreboard`` runs every entry on a copy of the bundled data; the property
tests run every entry on generated packages.

How an entry works, and why:

- The target is chosen with the ``random.Random`` it is given, so one seed gives one corruption.
- After editing a CSV the entry refreshes what the build derives from it (the Parquet copy, the sizes and
  hashes in ``datapackage.json``), unless a stale copy or hash *is* the corruption: the corruption is then
  the only thing wrong, and the report shows whether its own rule caught it.
- When the package holds nothing to corrupt (no casualty with a count range, no ``follows`` link...), the
  entry first adds a minimal valid record, with a claim quoting an article, and corrupts that. Only what
  cannot be made up raises :class:`NotApplicable` (an article text is never invented).

Each rule names the corruptions that prove it in its record (``registry.py``); a rule no corruption can
trip says why instead (gathered in :data:`UNCATALOGUED`). ``libya-conflict build`` writes the rule
reference, ``docs/validation.md``, from both (:func:`validation_markdown`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from libya_conflict import schema as sch

from .cross import CLAIMED_TABLES, FACT_STATUSES
from .registry import RULES, rule_of_corruption
from .rows import ACLED_SUB_EVENT_TYPES, DATE_COLUMNS

Expected = tuple[str, str]
NBSP = "\u00a0"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# One to three Arabic words: the spans scaffolded claims quote.
ARABIC_WORDS = re.compile(r"[\u0621-\u064A]{2,}(?: [\u0621-\u064A]{2,}){0,2}")
ANY_WORDS = re.compile(r"[^\s=+@-]\S*")  # never starting like a formula


@dataclass(frozen=True)
class Corruption:
    """One catalogued corruption: ``apply(package_dir, rng)`` corrupts the folder and returns (table, row)."""

    id: str
    rule: str
    description: str
    apply: Callable[[Path, random.Random], Expected]


class NotApplicable(Exception):
    """The package holds nothing this corruption can act on, and it cannot be made up."""


CATALOGUE: list[Corruption] = []

# Rule id -> why no corruption can trip it: declared with each rule (Rule.uncatalogued), gathered here.
UNCATALOGUED = {r.id: r.uncatalogued for r in RULES if r.uncatalogued}

# Contradictions the schema can express that no rule rejects, each with why the project allows it (what, why).
ALLOWED_CONTRADICTIONS: list[tuple[str, str]] = [
    (
        "Reports of one happening (same_report_as) whose dates differ, or whose places, kinds, statuses or "
        "figures differ",
        "Dates, places and figures differ between reports and both are kept (docs/curation.md, 'What is an event'); "
        'rel-003-903 links the fall of Gharyan dated June 2019 in art-000 and "in July 2019" in art-003 '
        "(its row: 26 June to 31 July 2019).",
    ),
    (
        "Two distances for the same pair of places that disagree, or a stated distance or direction that the "
        "coordinates do not bear out",
        "place_distances records what each article states; disagreeing articles are both kept (art-000: Tarhuna "
        "90 km from Tripoli, art-001: 80 km), and coordinates are the curator's, only as good as geo_precision.",
    ),
    (
        "A place coded geo_precision site with a coord_uncertainty_km above 1",
        "site means 'within about 1 km': the schema sets no bound that a radius could break (al-Watiya air base "
        "is a site with 2 km).",
    ),
    (
        "An actor whose side differs from its parent's",
        "side mixes what an actor is (foreign, international) with whom it fights for: a foreign state's "
        "mercenaries or a journalist of a foreign outlet belong to a parent of another side.",
    ),
    (
        "A place whose country differs from its parent's, or a place in Libya marked outside the coverage",
        "country is free text and a region may span countries; the coverage is checked against its bounding box "
        "(row.coverage), which a Libyan place offshore may leave.",
    ),
    (
        "A batch counted in a running total of another event (or of an event not linked to it)",
        "A running total sums losses over days ('nine in three days'): art-001's batches of 20 May are counted in "
        "the three-day total of another event. What a total may not do is count what came after it "
        "(cross.total_date_order) or another actor's losses (cross.total_actor).",
    ),
    (
        "A batch whose category or status differs from its total's",
        "The vocabularies nest: a tank is an armoured vehicle is a vehicle, a drone is an aircraft, a drone "
        "shot down is destroyed.",
    ),
    (
        "A running total with no batch counted in it",
        "Articles state totals without their parts; is_total alone keeps them out of the sum.",
    ),
    (
        "Equipment losses of two reports of one happening, both counted by the sum over is_total = false",
        "The unit of counting is the happening: users collapse events over same_report_as first (README, "
        "'Counting happenings'); equipment_losses has no alternative_group to mark conflicting batches "
        "(rel-001-911: one Pantsir in art-000, three systems in art-001).",
    ),
    (
        "Casualties or losses in an event that is denied, failed or announced",
        "A denied event's figures are the claims being denied, a failed attempt can kill, and an announcement "
        "states figures; only a planned event has none yet (cross.planned_losses).",
    ),
    (
        "Casualty figures of one happening that give no number, outside an alternative_group",
        "A vague figure ('a large number') cannot be summed with another, so it cannot be counted twice.",
    ),
    (
        "Casualty rows of one alternative_group with an unknown and a known population",
        "unknown is a report that does not say who the people were, not other people; only combatants against "
        "civilians is two different things (cross.alternative_population).",
    ),
    (
        "An event dated outside the temporal coverage (2019-04-01 to 2020-06-30)",
        "Background events are recorded when the articles state them (x-temporal-coverage note).",
    ),
    (
        "A planned event dated before the article reporting it was published, or an ongoing event whose range "
        "ends before it",
        "An article may report a plan whose date has passed and not say what became of it; an ongoing event is "
        "dated by its start.",
    ),
    (
        "A time_of_day with a date range wider than a day",
        "The text may give the part of the day without the day ('one evening last week').",
    ),
    (
        "A part_of link whose event lies outside the dates of the campaign it is part of",
        "A campaign is often dated by its launch (the offensive of 4 April 2019), its parts by when they happened.",
    ),
    (
        "A part_of link between events that are also follows or response_to each other, or relations between "
        "reports of different articles other than same_report_as",
        "A campaign may be launched after, and because of, one of its first actions; articles relate their events "
        "to events other articles report.",
    ),
    (
        "A cycle of follows, response_to or withdrawal_from that closes only through same_report_as links",
        "Two articles may order the same happenings differently, as they date them differently; each article's "
        "own links are acyclic (cross.relation_cycle, cross.causal_cycle).",
    ),
    (
        "An event whose ID carries another article's number than the article its claims quote",
        "IDs are stable names, never changed (a corrected or merged row keeps its ID); the article of an event is "
        "the one its claims quote (cross.event_article).",
    ),
    (
        "A retired ID that does not follow its table's ID pattern",
        "IDs retired in earlier versions may follow an earlier naming scheme; the schema's pattern for retired "
        "IDs is deliberately general.",
    ),
    (
        "An event with status denied none of whose claims denies it",
        "The stance is each quote's: an article may quote the report with asserts and state the denial in words "
        "that support no record of their own.",
    ),
    (
        "A loss whose place_id is the event's place, or a supplier that takes no part in the event",
        "Giving the event's place again is redundant, not contradictory; a supplier (a state arming a side) is "
        "rarely at the event.",
    ),
    (
        "An unnamed source with no claimant, or a reports or alleges stance by a claimant",
        "The text may not say whose source it is (docs/curation.md: the claimant is the body a source is said to "
        "belong to, when it is said); the stance keeps the text's own hedging whoever speaks.",
    ),
]


def corruption(id: str):
    """Register the decorated ``apply`` function under ``id``; its one-line docstring is the description.
    The rule it must trip is the one whose record names ``id`` among its corruptions (registry.py)."""

    def register(function):
        rule = rule_of_corruption().get(id)
        if rule is None:
            raise ValueError(f"corruption {id!r}: no rule in the registry names it among its corruptions")
        CATALOGUE.append(Corruption(id, rule, " ".join(function.__doc__.split()), function))
        return function

    return register


def by_id(id: str) -> Corruption:
    """The catalogue entry called ``id``."""
    for entry in CATALOGUE:
        if entry.id == id:
            return entry
    raise KeyError(f"no corruption {id!r} in the catalogue")


def coverage() -> dict[str, list[str]]:
    """Rule id -> ids of the corruptions it must catch (the rules that have any), from the registry."""
    return {r.id: list(r.corruptions) for r in RULES if r.corruptions}


# ------------------------------------------------------------------------------------ Package on disk


def reseal(root: Path, tables=(), descriptor: bool = True) -> None:
    """Refresh what the build derives from the CSV files: the Parquet copies of ``tables`` and (with
    ``descriptor``) the size and hash of every CSV in datapackage.json."""
    from libya_conflict.parquet import copy_table, write_parquet
    from libya_conflict.tables import parse_text_table, typed_table

    root = Path(root)
    for table in tables:
        path = root / "data" / f"{table}.csv"
        data = path.read_bytes()
        typed, _ = typed_table(table, parse_text_table(data, path))
        folder = root / "data" / "parquet"
        folder.mkdir(parents=True, exist_ok=True)
        write_parquet(folder / f"{table}.parquet", table, copy_table(table, typed), hashlib.sha256(data).hexdigest())
    if descriptor:
        path = root / "datapackage.json"
        package = json.loads(path.read_text(encoding="utf-8"))
        for resource in package.get("resources", []):
            data_path = root / str(resource.get("path", ""))
            if data_path.is_file():
                data = data_path.read_bytes()
                resource["bytes"] = len(data)
                resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class Folder:
    """The tables of a package folder as rows of cell text (dicts), to edit in place and save."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._rows: dict[str, list[dict]] = {}
        self.changed: set[str] = set()

    def csv_path(self, table: str) -> Path:
        """Where the table's CSV file is."""
        return self.root / "data" / f"{table}.csv"

    def rows(self, table: str) -> list[dict]:
        """The table's rows, read once; edit them in place, then :meth:`touch` the table."""
        if table not in self._rows:
            rows = []
            if self.csv_path(table).is_file():
                with open(self.csv_path(table), encoding="utf-8", newline="") as handle:
                    rows = [dict(r) for r in csv.DictReader(handle)]
            self._rows[table] = rows
        return self._rows[table]

    def add(self, table: str, cells: dict) -> dict:
        """Append a row (missing cells empty) and return it."""
        row = {name: "" for name in sch.field_names(table)}
        row.update(cells)
        self.rows(table).append(row)
        self.changed.add(table)
        return row

    def remove(self, table: str, keep: Callable[[dict], bool]) -> None:
        """Drop the rows ``keep`` refuses."""
        self._rows[table] = [r for r in self.rows(table) if keep(r)]
        self.changed.add(table)

    def touch(self, table: str) -> None:
        """Mark the table as edited, to be saved."""
        self.changed.add(table)

    def save(self, seal: bool = True) -> None:
        """Write the changed tables in canonical form (schema order, sorted by key); then reseal them."""
        from libya_conflict.tables import write_csv

        for table in sorted(self.changed):
            names, key = sch.field_names(table), sch.primary_key(table)
            rows = sorted(self.rows(table), key=lambda r: r[key])
            write_csv(self.csv_path(table), names, [[r.get(n, "") for n in names] for r in rows])
        if seal:
            reseal(self.root, sorted(self.changed))
        self.changed = set()

    def article_path(self, article: dict) -> Path:
        """Where an article's text file is."""
        return self.root / article["path"]

    def article_text(self, article: dict) -> str | None:
        """An article's text, or None when its file is missing or not UTF-8."""
        path = self.article_path(article)
        try:
            return path.read_bytes().decode("utf-8") if path.is_file() else None
        except UnicodeDecodeError:
            return None

    def articles(self) -> list[tuple[dict, str]]:
        """Articles whose text file exists and is UTF-8, with the text."""
        return [(a, t) for a in self.rows("articles") if (t := self.article_text(a))]


def key_of(table: str, row: dict) -> str:
    """The primary key of a row: how the report names it."""
    return row[sch.primary_key(table)]


def pick(rng: random.Random, options: list, what: str):
    """One of ``options``; :class:`NotApplicable` naming ``what`` is missing when there is none."""
    if not options:
        raise NotApplicable(f"the package has no {what}")
    return rng.choice(options)


def cells(folder: Folder, field_ok, value_ok=bool, with_key: bool = False) -> list[tuple[str, dict, dict]]:
    """Every (table, row, field) whose field passes ``field_ok`` and whose cell passes ``value_ok``.

    Primary keys are left out unless ``with_key``: the report names a row by its key, which must survive.
    """
    found = []
    for table, table_schema in sch.schemas().items():
        for field in table_schema["fields"]:
            if field["name"] == table_schema["primaryKey"] and not with_key:
                continue
            if field_ok(field):
                found += [(table, row, field) for row in folder.rows(table) if value_ok(row[field["name"]])]
    return found


def is_free_text(field: dict) -> bool:
    """A string column that is neither a vocabulary nor a patterned code."""
    c = field.get("constraints", {})
    return field["type"] == "string" and "enum" not in c and "pattern" not in c


def day(text: str) -> dt.date:
    """An ISO date cell as a date."""
    return dt.date.fromisoformat(text)


# ----------------------------------------------------------------------------- Scaffolding records
# Minimal valid records, added when the package has nothing to corrupt. Each claimed record gets a claim
# quoting one to three Arabic words of an article at their exact offsets.

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
    return folder.add(
        "claims",
        {
            "claim_id": fresh_id(folder, "claims"),
            "article_id": article["article_id"],
            "record_table": record_table,
            "record_id": record_id,
            "quote": text[start:end],
            "quote_start": str(start),
            "quote_end": str(end),
            "source_kind": "outlet",
            "stance": "asserts",
            "translation_en": "Quote added by the corruption catalogue.",
        },
    )


def add_actor(folder: Folder, rng: random.Random) -> dict:
    """A new armed group, with its claim."""
    actor = folder.add(
        "actors",
        {
            "actor_id": fresh_id(folder, "actors"),
            "name_en": "Catalogue test brigade",
            "name_ar": "كتيبة الاختبار",
            "actor_type": "armed_group",
            "side": "neutral_unknown",
        },
    )
    add_claim(folder, rng, "actors", actor["actor_id"])
    return actor


def add_place(folder: Folder, rng: random.Random, abroad: bool = False) -> dict:
    """A new place with its claim: Tripoli (inside the coverage), or Cairo (``abroad``, outside it)."""
    place = folder.add(
        "places",
        {
            "place_id": fresh_id(folder, "places"),
            "name_en": "Tripoli",
            "name_ar": "طرابلس",
            "place_type": "city",
            "latitude": "32.8872",
            "longitude": "13.1913",
            "geo_precision": "centroid_town",
            "country": "Libya",
            "in_coverage": "true",
        },
    )
    if abroad:
        place.update(
            name_en="Cairo",
            name_ar="القاهرة",
            latitude="30.0444",
            longitude="31.2357",
            country="Egypt",
            in_coverage="false",
            coverage_note="Capital of Egypt, where talks were held.",
        )
    add_claim(folder, rng, "places", place["place_id"])
    return place


def add_event(folder: Folder, rng: random.Random, source=None, kind=("Battles", "Armed clash", "armed_clash")) -> dict:
    """An event dated on the first possible publication day of the article that reports it (never after)."""
    source = source or claim_source(folder, rng)
    published = source[0]["published_earliest"]
    event_type, sub_event_type, event_kind = kind
    event = folder.add(
        "events",
        {
            "event_id": fresh_id(folder, "events"),
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "event_kind": event_kind,
            "date_earliest": published,
            "date_latest": published,
            "date_precision": "day",
            "status": "occurred",
            "description_en": "Event added by the corruption catalogue.",
        },
    )
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
            {
                "event_actor_id": fresh_id(folder, "event_actors"),
                "event_id": event_id,
                "actor_id": actor_id,
                "role": role,
            },
        )


def add_event_actor(folder: Folder, rng: random.Random) -> dict:
    """An actor taking part in an event (both existing where possible, the actor not yet in that event)."""
    event = existing_or_new(folder, rng, "events", add_event)
    taken = {r["actor_id"] for r in folder.rows("event_actors") if r["event_id"] == event["event_id"]}
    free = [a for a in folder.rows("actors") if a["actor_id"] not in taken]
    actor = rng.choice(free) if free else add_actor(folder, rng)
    return folder.add(
        "event_actors",
        {
            "event_actor_id": fresh_id(folder, "event_actors"),
            "event_id": event["event_id"],
            "actor_id": actor["actor_id"],
            "role": "participant",
        },
    )


def add_relation(folder: Folder, rng: random.Random, relation: str) -> dict:
    """Two new events and ``relation`` between them: reported by one article (so dated the same day), or for
    same_report_as by two (an article reports a happening once)."""
    source = claim_source(folder, rng)
    related = add_event(folder, rng, source, ("Battles", "Armed clash", "offensive"))
    if relation == "same_report_as":
        source = claim_source(folder, rng, other_than=source[0]["article_id"])
    event = add_event(folder, rng, source, ("Strategic developments", "Change to group/activity", "withdrawal"))
    return folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": event["event_id"],
            "related_event_id": related["event_id"],
            "relation": relation,
        },
    )


def add_casualty(folder: Folder, rng: random.Random) -> dict:
    """A figure of 3 to 8 (best 5) killed of a new actor (so that it conflicts with no other figure) in an
    event that happened, the actor listed among the event's, with a claim quoting the event's article."""
    event = happened_event(folder, rng)
    actor = add_actor(folder, rng)
    take_part(folder, event["event_id"], actor["actor_id"], "target")
    casualty = folder.add(
        "casualties",
        {
            "casualty_id": fresh_id(folder, "casualties"),
            "event_id": event["event_id"],
            "actor_id": actor["actor_id"],
            "category": "killed",
            "population": "combatant",
            "count_low": "3",
            "count_best": "5",
            "count_high": "8",
        },
    )
    add_claim(folder, rng, "casualties", casualty["casualty_id"], event_source(folder, rng, event["event_id"]))
    return casualty


def add_loss_total(folder: Folder, rng: random.Random) -> tuple[dict, dict]:
    """A running total of 5 lost systems and a batch of 2 counted in it: one actor's, in an event that
    happened, the actor listed among the event's, with claims quoting the event's article."""
    event = happened_event(folder, rng)
    actor = existing_or_new(folder, rng, "actors", add_actor)
    take_part(folder, event["event_id"], actor["actor_id"], "target")
    common = {
        "event_id": event["event_id"],
        "system_en": "Pantsir air defence system",
        "category": "air_defence_system",
        "status": "destroyed",
        "lost_by_actor_id": actor["actor_id"],
        "verification": "claimed",
    }
    total = folder.add(
        "equipment_losses",
        {**common, "loss_id": fresh_id(folder, "equipment_losses"), "quantity": "5", "is_total": "true"},
    )
    batch = folder.add(
        "equipment_losses",
        {
            **common,
            "loss_id": fresh_id(folder, "equipment_losses"),
            "quantity": "2",
            "is_total": "false",
            "total_loss_id": total["loss_id"],
        },
    )
    for loss in (total, batch):
        add_claim(folder, rng, "equipment_losses", loss["loss_id"], event_source(folder, rng, event["event_id"]))
    return total, batch


def add_distance(folder: Folder, rng: random.Random) -> dict:
    """A distance of 10 to 12 km between two places (never from a place to itself), with its claim."""
    place = existing_or_new(folder, rng, "places", add_place)
    others = [p for p in folder.rows("places") if p["place_id"] != place["place_id"]]
    origin = rng.choice(others) if others else add_place(folder, rng)
    distance = folder.add(
        "place_distances",
        {
            "distance_id": fresh_id(folder, "place_distances"),
            "place_id": place["place_id"],
            "from_place_id": origin["place_id"],
            "distance_km": "10",
            "distance_km_high": "12",
        },
    )
    add_claim(folder, rng, "place_distances", distance["distance_id"])
    return distance


def some_claim(folder: Folder, rng: random.Random) -> dict:
    """An existing claim, or the claim of a new actor when there is none."""
    claims = folder.rows("claims")
    if claims:
        return rng.choice(claims)
    actor = add_actor(folder, rng)
    return next(c for c in folder.rows("claims") if c["record_id"] == actor["actor_id"])


# ------------------------------------------------------------------------------------- Column rules


@corruption("enum_typo")
def enum_typo(root: Path, rng: random.Random) -> Expected:
    """A vocabulary value misspelt ("occured", "Battle", "armed clash")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, sch.enum_of), "vocabulary cell")
    value, allowed = row[field["name"]], sch.enum_of(field)
    typos = [value[:-1], value + value[-1], value.replace("_", " "), value.swapcase(), value[0] + value]
    row[field["name"]] = rng.choice([t for t in typos if t and t not in allowed and t.strip() == t])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("duplicate_key")
def duplicate_key(root: Path, rng: random.Random) -> Expected:
    """A row pasted twice, so its primary key is no longer unique."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t)], "table with rows")
    row = rng.choice(folder.rows(table))
    folder.add(table, dict(row))
    folder.save()
    return table, key_of(table, row)


@corruption("required_blank")
def required_blank(root: Path, rng: random.Random) -> Expected:
    """A required cell left empty."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("constraints", {}).get("required")), "required cell")
    row[field["name"]] = ""
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("number_as_text")
def number_as_text(root: Path, rng: random.Random) -> Expected:
    """A number stored as text: Arabic-Indic digits, or a word beside it ("٥٠١٠", "12 approx.")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] in ("integer", "number")), "numeric cell")
    value = row[field["name"]]
    row[field["name"]] = rng.choice([value.translate(ARABIC_INDIC), f"{value} approx.", f"~{value}"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("date_not_iso")
def date_not_iso(root: Path, rng: random.Random) -> Expected:
    """A date written the way a spreadsheet shows it (20/05/2020, 2020/05/20, 20 May 2020)."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] == "date"), "date cell")
    d = day(row[field["name"]])
    row[field["name"]] = rng.choice(
        [
            f"{d.day:02d}/{d.month:02d}/{d.year}",
            f"{d.year}/{d.month:02d}/{d.day:02d}",
            f"{d.day} {d.strftime('%B')} {d.year}",
        ]
    )
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("id_pattern_broken")
def id_pattern_broken(root: Path, rng: random.Random) -> Expected:
    """An identifier or code typed in capitals (ACT-HAFTAR, an upper-case sha256)."""
    folder = Folder(root)
    options = cells(folder, lambda f: "pattern" in f.get("constraints", {}), lambda v: v != v.upper())
    table, row, field = pick(rng, options, "patterned cell with lower-case letters")
    row[field["name"]] = row[field["name"]].upper()
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("arabic_indic_digits")
def arabic_indic_digits(root: Path, rng: random.Random) -> Expected:
    """An identifier typed on an Arabic keyboard, with Arabic-Indic digits (ev-٠٠١-٠٠٢)."""
    folder = Folder(root)
    options = cells(folder, lambda f: "pattern" in f.get("constraints", {}), lambda v: re.search("[0-9]", v))
    table, row, field = pick(rng, options, "patterned cell with digits")
    row[field["name"]] = row[field["name"]].translate(ARABIC_INDIC)
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("out_of_range")
def out_of_range(root: Path, rng: random.Random) -> Expected:
    """A number just outside its column's bounds (a count of -1, a latitude of 91)."""
    folder = Folder(root)
    bounded = lambda f: {"minimum", "maximum"} & set(f.get("constraints", {}))
    table, row, field = pick(rng, cells(folder, bounded, lambda v: True), "bounded numeric column")
    c = field["constraints"]
    sides = [s for s in ("minimum", "maximum") if s in c]
    side = rng.choice(sides)
    value = c[side] - 1 if side == "minimum" else c[side] + 1
    row[field["name"]] = sch.format_cell(field, int(value) if field["type"] == "integer" else float(value))
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("whitespace_padded")
def whitespace_padded(root: Path, rng: random.Random) -> Expected:
    """A text cell with a leading or trailing space or no-break space, as pasted from a web page."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, is_free_text), "text cell")
    pad = rng.choice([" ", NBSP])
    value = row[field["name"]]
    row[field["name"]] = rng.choice([pad + value, value + pad])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("formula_cell")
def formula_cell(root: Path, rng: random.Random) -> Expected:
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(...), @SUM(...), +1+1)."""
    folder = Folder(root)
    options = cells(folder, lambda f: is_free_text(f) and f.get("script") == "latin", lambda v: True)
    table, row, field = pick(rng, options, "English text column")
    row[field["name"]] = rng.choice(['=HYPERLINK("http://example.org","source")', "@SUM(A1:A9)", "+1+1", "=1+1"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("arabic_in_english_column")
def arabic_in_english_column(root: Path, rng: random.Random) -> Expected:
    """Arabic text pasted into an English column."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "latin", lambda v: True), "English column")
    row[field["name"]] = rng.choice(["قوات حفتر", "Haftar (حفتر)"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


@corruption("latin_in_arabic_column")
def latin_in_arabic_column(root: Path, rng: random.Random) -> Expected:
    """A transliteration written where the Arabic name belongs (name_ar = "Tarhuna")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "arabic", lambda v: True), "Arabic column")
    row[field["name"]] = rng.choice(["Tarhuna", "al-Watiya air base"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


def _mojibake(root: Path, rng: random.Random, encoding: str) -> Expected:
    """Re-save a whole CSV file as an editor does after opening UTF-8 with a single-byte code page."""
    folder = Folder(root)
    arabic = lambda v: len(re.findall("[\u0621-\u064a]", v)) >= 2
    options = cells(folder, lambda f: f.get("script") == "arabic", arabic)
    if not options:
        add_actor(folder, rng)
        folder.save()
        options = cells(folder, lambda f: f.get("script") == "arabic", arabic)
    table, row, _ = rng.choice(options)
    path = folder.csv_path(table)
    path.write_bytes(path.read_bytes().decode(encoding).encode("utf-8"))
    reseal(root, [table])
    return table, key_of(table, row)


@corruption("mojibake_cp1256")
def mojibake_cp1256(root: Path, rng: random.Random) -> Expected:
    """A CSV file opened as Windows-1256 and saved again as UTF-8 ("ال" becomes "ط§ظ„")."""
    return _mojibake(root, rng, "cp1256")


@corruption("mojibake_latin1")
def mojibake_latin1(root: Path, rng: random.Random) -> Expected:
    """A CSV file opened as Latin-1 and saved again as UTF-8 ("ال" becomes "Ø§Ù" and a control character)."""
    return _mojibake(root, rng, "latin-1")


# ---------------------------------------------------------------------------------------- Row rules


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
    return table, key_of(table, row)


@corruption("precision_mismatch")
def precision_mismatch(root: Path, rng: random.Random) -> Expected:
    """A date precision that does not fit the range: "day" for a range of days, "year" for a single day."""
    folder = Folder(root)
    table, row = pick(rng, [(t, r) for t in DATE_COLUMNS for r in folder.rows(t)], "dated row")
    lo, hi, precision = DATE_COLUMNS[table]
    row[precision] = "day" if row[lo] != row[hi] else "year"
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


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
    return "casualties", row["casualty_id"]


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
    return "place_distances", row["distance_id"]


@corruption("sub_event_type_mismatch")
def sub_event_type_mismatch(root: Path, rng: random.Random) -> Expected:
    """An ACLED sub-event type taken from another event type (Battles / Air/drone strike)."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "events", add_event)
    other = rng.choice(sorted(t for t in ACLED_SUB_EVENT_TYPES if t != row["event_type"]))
    row["sub_event_type"] = rng.choice(sorted(ACLED_SUB_EVENT_TYPES[other]))
    folder.touch("events")
    folder.save()
    return "events", row["event_id"]


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
    return "places", row["place_id"]


@corruption("coordinate_half_missing")
def coordinate_half_missing(root: Path, rng: random.Random) -> Expected:
    """A place with a latitude but no longitude (or the reverse)."""
    folder = Folder(root)
    located = [r for r in folder.rows("places") if r["latitude"] and r["longitude"]]
    row = rng.choice(located) if located else add_place(folder, rng)
    row[rng.choice(["latitude", "longitude"])] = ""
    folder.touch("places")
    folder.save()
    return "places", row["place_id"]


@corruption("claim_end_off_by_one")
def claim_end_off_by_one(root: Path, rng: random.Random) -> Expected:
    """A claim's quote_end one past the quote (end written inclusive)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim["quote_end"] = str(int(claim["quote_end"]) + 1)
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"]


@corruption("total_without_quantity")
def total_without_quantity(root: Path, rng: random.Random) -> Expected:
    """A running total whose quantity was left empty."""
    folder = Folder(root)
    totals = [r for r in folder.rows("equipment_losses") if r["is_total"] == "true" and r["quantity"]]
    row = rng.choice(totals) if totals else add_loss_total(folder, rng)[0]
    row["quantity"] = ""
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", row["loss_id"]


# -------------------------------------------------------------------------------------- Cross rules


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
    return table, key_of(table, row)


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
    return "claims", claim["claim_id"]


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
    return "claims", claim["claim_id"]


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
    return "claims", claim["claim_id"]


@corruption("claim_for_missing_record")
def claim_for_missing_record(root: Path, rng: random.Random) -> Expected:
    """A claim whose record_id names no record of its record_table."""
    folder = Folder(root)
    claim = dict(some_claim(folder, rng))
    claim["claim_id"] = fresh_id(folder, "claims")
    claim["record_id"] = fresh_id(folder, claim["record_table"])
    folder.add("claims", claim)
    folder.save()
    return "claims", claim["claim_id"]


@corruption("unclaimed_record")
def unclaimed_record(root: Path, rng: random.Random) -> Expected:
    """Every claim of a record deleted, so nothing in an article supports it."""
    folder = Folder(root)
    records = [(t, key_of(t, r)) for t in CLAIMED_TABLES for r in folder.rows(t)]
    table, record_id = rng.choice(records) if records else ("actors", add_actor(folder, rng)["actor_id"])
    folder.remove("claims", lambda c: (c["record_table"], c["record_id"]) != (table, record_id))
    folder.save()
    return table, record_id


@corruption("withdrawal_before_offensive")
def withdrawal_before_offensive(root: Path, rng: random.Random) -> Expected:
    """A withdrawal dated before the offensive it withdraws from begins (withdrawal_from, dates reversed)."""
    folder = Folder(root)
    events = {r["event_id"]: r for r in folder.rows("events")}
    links = [
        r
        for r in folder.rows("event_relations")
        if r["relation"] == "withdrawal_from"
        and r["event_id"] != r["related_event_id"]
        and {r["event_id"], r["related_event_id"]} <= set(events)
    ]
    link = rng.choice(links) if links else add_relation(folder, rng, "withdrawal_from")
    events = {r["event_id"]: r for r in folder.rows("events")}
    withdrawal, offensive = events[link["event_id"]], events[link["related_event_id"]]
    before = (day(offensive["date_earliest"]) - dt.timedelta(days=rng.randint(1, 30))).isoformat()
    withdrawal.update(date_earliest=before, date_latest=before, date_precision="day")
    folder.touch("events")
    folder.save()
    return "event_relations", link["event_relation_id"]


@corruption("self_relation")
def self_relation(root: Path, rng: random.Random) -> Expected:
    """An event linked to itself."""
    folder = Folder(root)
    links = folder.rows("event_relations")
    link = rng.choice(links) if links else add_relation(folder, rng, rng.choice(["follows", "part_of", "response_to"]))
    link["related_event_id"] = link["event_id"]
    folder.touch("event_relations")
    folder.save()
    return "event_relations", link["event_relation_id"]


@corruption("follows_cycle")
def follows_cycle(root: Path, rng: random.Random) -> Expected:
    """A follows link added in reverse (A follows B, and B follows A)."""
    folder = Folder(root)
    links = [
        r
        for r in folder.rows("event_relations")
        if r["relation"] == "follows" and r["event_id"] != r["related_event_id"]
    ]
    link = rng.choice(links) if links else add_relation(folder, rng, "follows")
    reverse = folder.add(
        "event_relations",
        {
            "event_relation_id": fresh_id(folder, "event_relations"),
            "event_id": link["related_event_id"],
            "related_event_id": link["event_id"],
            "relation": "follows",
        },
    )
    folder.save()
    return "event_relations", reverse["event_relation_id"]


@corruption("lonely_alternative")
def lonely_alternative(root: Path, rng: random.Random) -> Expected:
    """A casualty figure put in an alternative_group of its own (an alternative to nothing)."""
    folder = Folder(root)
    loose = [r for r in folder.rows("casualties") if not r["alternative_group"]]
    row = rng.choice(loose) if loose else add_casualty(folder, rng)
    row["alternative_group"] = fresh_id(folder, "alternative_group")
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"]


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
    return "equipment_losses", total["loss_id"]


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
    return "events", event["event_id"]


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
    return "articles", article["article_id"]


@corruption("nbsp_in_article")
def nbsp_in_article(root: Path, rng: random.Random) -> Expected:
    """A no-break space of an article text replaced by a plain space (an editor "cleaning" the text)."""
    folder = Folder(root)
    article, text = _article(folder, rng, lambda a, t: NBSP in t)
    i = rng.choice([i for i, ch in enumerate(text) if ch == NBSP])
    folder.article_path(article).write_bytes((text[:i] + " " + text[i + 1 :]).encode("utf-8"))
    return "articles", article["article_id"]


@corruption("article_file_missing")
def article_file_missing(root: Path, rng: random.Random) -> Expected:
    """An article's text file deleted."""
    folder = Folder(root)
    article = pick(rng, [a for a in folder.rows("articles") if folder.article_path(a).is_file()], "article file")
    folder.article_path(article).unlink()
    return "articles", article["article_id"]


def _invalid_utf8(text: str) -> bytes | None:
    """The text in Windows-1256, if those bytes are not valid UTF-8 (else None: nothing would be noticed)."""
    data = text.encode("cp1256", errors="replace")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return None


@corruption("article_not_utf8")
def article_not_utf8(root: Path, rng: random.Random) -> Expected:
    """An article text re-saved in Windows-1256 instead of UTF-8."""
    folder = Folder(root)
    article, text = _article(folder, rng, lambda a, t: _invalid_utf8(t) is not None)
    folder.article_path(article).write_bytes(_invalid_utf8(text))
    return "articles", article["article_id"]


# --------------------------------------------------------------------------------- Integrity rules


@corruption("parquet_row_dropped")
def parquet_row_dropped(root: Path, rng: random.Random) -> Expected:
    """A row missing from a Parquet copy only (the CSV still has it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Folder(root)
    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t) and parquet(t).is_file()], "table with rows")
    copy = pq.read_table(parquet(table))
    i = rng.randrange(copy.num_rows)
    pq.write_table(pa.concat_tables([copy.slice(0, i), copy.slice(i + 1)]), parquet(table))
    return table, copy.column(sch.primary_key(table))[i].as_py()


@corruption("parquet_value_edited")
def parquet_value_edited(root: Path, rng: random.Random) -> Expected:
    """One value changed in a Parquet copy only, by a tool that keeps the file's footer metadata (so the
    copy still names the CSV it was built from, but its data pages no longer match their digest)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Folder(root)
    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t) and parquet(t).is_file()], "table with rows")
    copy = pq.read_table(parquet(table))
    kept = {
        k.decode(): v.decode()
        for k, v in (pq.read_metadata(parquet(table)).metadata or {}).items()
        if k != b"ARROW:schema"
    }
    key = sch.primary_key(table)
    values = copy.column(key).to_pylist()
    i = rng.randrange(len(values))
    values[i] += "-edited"
    copy = copy.set_column(copy.column_names.index(key), key, pa.array(values, copy.schema.field(key).type))
    writer = pq.ParquetWriter(parquet(table), copy.schema, compression="zstd")
    writer.write_table(copy)
    writer.add_key_value_metadata(kept)
    writer.close()
    return table, ""


@corruption("parquet_truncated")
def parquet_truncated(root: Path, rng: random.Random) -> Expected:
    """A Parquet copy cut short (an interrupted copy or download)."""
    path = pick(rng, sorted((Path(root) / "data" / "parquet").glob("*.parquet")), "Parquet file")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path.stem, ""


@corruption("csv_not_utf8")
def csv_not_utf8(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved by a spreadsheet in Windows-1256 instead of UTF-8."""
    folder = Folder(root)

    def encodable():
        return [
            t
            for t in sch.table_names()
            if folder.csv_path(t).is_file()
            and _invalid_utf8(folder.csv_path(t).read_text(encoding="utf-8")) is not None
        ]

    if not encodable():
        add_actor(folder, rng)
        folder.save()
    table = pick(rng, encodable(), "CSV file with Arabic text")
    path = folder.csv_path(table)
    path.write_bytes(_invalid_utf8(path.read_text(encoding="utf-8")))
    return table, ""


@corruption("table_file_missing")
def table_file_missing(root: Path, rng: random.Random) -> Expected:
    """A table's CSV file deleted."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    folder.csv_path(table).unlink()
    return table, ""


@corruption("crlf_line_endings")
def crlf_line_endings(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved with Windows line endings (CRLF), its size no longer the declared one."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return table, ""


# Characters of each UTF-8 length to swap in: the edited file keeps its size, so only its hash tells.
_SAME_SIZE = {1: "xy", 2: "éè", 3: "’‘"}


@corruption("csv_edited_after_build")
def csv_edited_after_build(root: Path, rng: random.Random) -> Expected:
    """A CSV cell edited after the build (same size, Parquet refreshed) without refreshing datapackage.json."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "latin"), "English text cell")
    value = row[field["name"]]
    i = rng.choice([i for i, ch in enumerate(value) if not ch.isspace() and len(ch.encode()) in _SAME_SIZE])
    swap = next(ch for ch in _SAME_SIZE[len(value[i].encode())] if ch != value[i])
    row[field["name"]] = value[:i] + swap + value[i + 1 :]
    folder.touch(table)
    folder.save(seal=False)
    reseal(root, [table], descriptor=False)
    return table, ""


@corruption("descriptor_broken")
def descriptor_broken(root: Path, rng: random.Random) -> Expected:
    """datapackage.json edited by hand into an invalid descriptor (licences as text, a name with capitals)."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    if rng.random() < 0.5:
        package["licenses"] = "CC-BY-4.0"
    else:
        package["name"] = "Libya Conflict"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return "", ""


@corruption("descriptor_schema_edited")
def descriptor_schema_edited(root: Path, rng: random.Random) -> Expected:
    """A column described differently in datapackage.json than in schemas/ (the descriptor edited by hand)."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = rng.choice(package["resources"])
    field = rng.choice(resource["schema"]["fields"])
    field["description"] = field.get("description", "") + " (edited)"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return resource["name"], ""


@corruption("column_renamed")
def column_renamed(root: Path, rng: random.Random) -> Expected:
    """A CSV column renamed in the header ("event_id" -> "Event Id")."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    header, rest = path.read_bytes().split(b"\n", 1)
    names = header.decode("utf-8").split(",")
    i = rng.randrange(len(names))
    names[i] = names[i].replace("_", " ").title()
    path.write_bytes(",".join(names).encode("utf-8") + b"\n" + rest)
    return table, ""


# ------------------------------------------------------------------------------------ Untrusted input
# Files that are not what they claim to be: paths out of the folder, links, pipes, URLs, damaged bytes.

# What a hostile package points at outside its folder: a file the validator must never open.
OUTSIDE_SECRET = "root:x:0:0:catalogue-secret-do-not-print:/root:/bin/bash\n"


def outside_file(root: Path) -> Path:
    """A file beside the package folder (outside it), holding a line no report may ever show."""
    path = Path(root).resolve().parent / "outside-the-package.txt"
    path.write_text(OUTSIDE_SECRET, encoding="utf-8")
    return path


def _some_article(folder: Folder, rng: random.Random) -> dict:
    return pick(rng, [a for a in folder.rows("articles") if a["path"]], "article with a path")


@corruption("article_path_climbs_out")
def article_path_climbs_out(root: Path, rng: random.Random) -> Expected:
    """An article's path that leaves the package folder: ``../`` climbing out, or an absolute path."""
    folder = Folder(root)
    article = _some_article(folder, rng)
    target = outside_file(root)
    article["path"] = rng.choice(["../" + target.name, "data/sources/../../../" + target.name, str(target)])
    folder.touch("articles")
    folder.save()
    return "articles", article["article_id"]


@corruption("article_symlink_out")
def article_symlink_out(root: Path, rng: random.Random) -> Expected:
    """An article's text file replaced by a symbolic link to a file outside the package folder."""
    folder = Folder(root)
    article = _some_article(folder, rng)
    path = folder.article_path(article)
    path.unlink(missing_ok=True)
    path.symlink_to(outside_file(root))
    return "articles", article["article_id"]


@corruption("article_fifo")
def article_fifo(root: Path, rng: random.Random) -> Expected:
    """An article's text file replaced by a named pipe (FIFO), which blocks whoever opens it, or a folder."""
    import os

    folder = Folder(root)
    article = _some_article(folder, rng)
    path = folder.article_path(article)
    path.unlink(missing_ok=True)
    if rng.random() < 0.5 and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    else:
        path.mkdir()
    return "articles", article["article_id"]


@corruption("table_symlink_out")
def table_symlink_out(root: Path, rng: random.Random) -> Expected:
    """A table's CSV file replaced by a symbolic link to a file outside the package folder."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    outside = Path(root).resolve().parent / f"outside-{table}.csv"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    return table, ""


@corruption("resource_path_elsewhere")
def resource_path_elsewhere(root: Path, rng: random.Random) -> Expected:
    """A resource ``path`` in datapackage.json that names a file other than the table's own: outside the
    folder, absolute, or another table's."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = rng.choice(package["resources"])
    others = [r["path"] for r in package["resources"] if r is not resource]
    resource["path"] = rng.choice(["../" + outside_file(root).name, str(outside_file(root)), *others[:1]])
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return resource["name"], ""


@corruption("descriptor_url")
def descriptor_url(root: Path, rng: random.Random) -> Expected:
    """A URL in datapackage.json where a profile, schema or file would be fetched (a remote ``profile``,
    ``$schema``, resource ``path`` or ``schema``)."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    # An address nothing listens on: were it fetched, the run would still not depend on another machine.
    url = "http://127.0.0.1:9/profile.json"
    where = rng.choice(["profile", "$schema", "path", "schema"])
    if where in ("profile", "$schema"):
        package[where] = url
        table = ""
    else:
        resource = rng.choice(package["resources"])
        resource[where] = url
        table = resource["name"]
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return table, ""


@corruption("descriptor_wrong_shape")
def descriptor_wrong_shape(root: Path, rng: random.Random) -> Expected:
    """datapackage.json of the wrong shape: a list instead of an object, ``resources`` a string, a resource
    that is a string, or a resource whose name is a number."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    kind = rng.choice(["list", "resources", "resource", "name"])
    if kind == "list":
        package = [package]
    elif kind == "resources":
        package["resources"] = "data/events.csv"
    elif kind == "resource":
        package["resources"][rng.randrange(len(package["resources"]))] = "events"
    else:
        package["resources"][rng.randrange(len(package["resources"]))]["name"] = 7
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return "", ""


@corruption("descriptor_truncated")
def descriptor_truncated(root: Path, rng: random.Random) -> Expected:
    """datapackage.json cut short (a download or a copy that stopped)."""
    path = Path(root) / "datapackage.json"
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(1, len(data) - 2)])
    return "", ""


def _csv_table(folder: Folder, rng: random.Random, keep=lambda table: True) -> str:
    return pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file() and keep(t)], "CSV file")


@corruption("header_duplicated")
def header_duplicated(root: Path, rng: random.Random) -> Expected:
    """A column given twice in a CSV header (a column pasted again at the end, with its cells)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    i = rng.randrange(len(rows[0]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([row + [row[i]] for row in rows])
    return table, ""


@corruption("csv_semicolons")
def csv_semicolons(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved by a spreadsheet with ``;`` between cells (as in locales with a decimal comma)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    return table, ""


@corruption("csv_utf16")
def csv_utf16(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved as UTF-16 ("Unicode text" in Excel)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    path.write_bytes(path.read_text(encoding="utf-8").encode(rng.choice(["utf-16", "utf-16-le"])))
    return table, ""


@corruption("csv_emptied")
def csv_emptied(root: Path, rng: random.Random) -> Expected:
    """A CSV file emptied (zero bytes, or only a byte-order mark), or overwritten by binary bytes."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    kind = rng.choice(["empty", "bom", "binary"])
    path.write_bytes(
        {"empty": b"", "bom": b"\xef\xbb\xbf", "binary": bytes(rng.randrange(256) for _ in range(512)) + b"\x00"}[kind]
    )
    return table, ""


@corruption("impossible_date")
def impossible_date(root: Path, rng: random.Random) -> Expected:
    """A date that is well formed but not in the calendar (2019-04-31, 2020-02-30, 2019-02-29)."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] == "date"), "date cell")
    row[field["name"]] = rng.choice(["2019-04-31", "2020-02-30", "2019-02-29", "2019-06-31", "2020-11-31"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


CONTROL_CHARACTERS = [
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\u202e",
    "\u202b",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u200b",
    "\x08",
]


@corruption("control_character")
def control_character(root: Path, rng: random.Random) -> Expected:
    """An invisible control character inside a text cell: NUL, an ESC colour sequence, DEL, a C1 control,
    a right-to-left override or isolate, a byte-order mark, a zero-width space."""
    folder = Folder(root)
    # Free text: a code or a vocabulary refuses the character through its own rule (column.pattern,
    # column.enum); a quote must match its article; a path is the file's name.
    table, row, field = pick(
        rng, cells(folder, lambda f: is_free_text(f) and f["name"] not in ("quote", "path")), "free-text cell"
    )
    value = row[field["name"]]
    i = rng.randrange(1, len(value)) if len(value) > 1 else len(value)
    row[field["name"]] = value[:i] + rng.choice(CONTROL_CHARACTERS) + value[i:]
    folder.touch(table)
    folder.save()
    return table, key_of(table, row)


# ------------------------------------------------------------------------- Contradictions in the data
# Records that parse and whose keys resolve, yet contradict themselves or the records they point to.


def _retype(folder: Folder, event: dict, kind: str) -> None:
    """Make the event one of ``kind``, with ACLED codes that fit it (so that only what is meant breaks)."""
    from .rows import EVENT_KIND_TYPES

    event["event_kind"] = kind
    event["event_type"], event["sub_event_type"] = sorted(
        EVENT_KIND_TYPES.get(kind, {("Strategic developments", "Other")})
    )[0]
    folder.touch("events")


@corruption("libyan_actor_backs_side")
def libyan_actor_backs_side(root: Path, rng: random.Random) -> Expected:
    """A Libyan force said to back a side (backs_side given to an actor that is not foreign)."""
    folder = Folder(root)
    actors = [a for a in folder.rows("actors") if a["side"] != "foreign"]
    actor = rng.choice(actors) if actors else add_actor(folder, rng)
    actor["backs_side"] = rng.choice(["gna_aligned", "lna_aligned"])
    folder.touch("actors")
    folder.save()
    return "actors", actor["actor_id"]


@corruption("title_of_a_force")
def title_of_a_force(root: Path, rng: random.Random) -> Expected:
    """A spokesman's title typed on the row of the force he speaks for (a title for an actor that is no person)."""
    folder = Folder(root)
    actors = [a for a in folder.rows("actors") if a["actor_type"] != "person"]
    actor = rng.choice(actors) if actors else add_actor(folder, rng)
    actor["title_en"] = "spokesman of the forces"
    folder.touch("actors")
    folder.save()
    return "actors", actor["actor_id"]


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
    return "places", place["place_id"]


@corruption("foreign_place_in_coverage")
def foreign_place_in_coverage(root: Path, rng: random.Random) -> Expected:
    """A place inside the coverage given another country (a Libyan border town filed under Tunisia)."""
    folder = Folder(root)
    inside = [p for p in folder.rows("places") if p["in_coverage"] == "true"]
    place = rng.choice(inside) if inside else add_place(folder, rng)
    place["country"] = rng.choice(["Tunisia", "Egypt", "Algeria"])
    folder.touch("places")
    folder.save()
    return "places", place["place_id"]


@corruption("distance_to_itself")
def distance_to_itself(root: Path, rng: random.Random) -> Expected:
    """A distance measured from a place to itself (from_place_id copied from place_id)."""
    folder = Folder(root)
    distance = existing_or_new(folder, rng, "place_distances", add_distance)
    distance["from_place_id"] = distance["place_id"]
    folder.touch("place_distances")
    folder.save()
    return "place_distances", distance["distance_id"]


@corruption("kind_against_acled_type")
def kind_against_acled_type(root: Path, rng: random.Random) -> Expected:
    """An event's kind and its ACLED type at odds (a withdrawal coded Battles / Armed clash, a visit as an air
    strike)."""
    from .rows import EVENT_KIND_TYPES

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
    return "events", event["event_id"]


@corruption("tank_shot_down")
def tank_shot_down(root: Path, rng: random.Random) -> Expected:
    """What happened to lost equipment at odds with what it is or how it was lost (a tank shot down,
    equipment captured by a drone strike, a ground capture that destroyed)."""
    folder = Folder(root)
    loss = existing_or_new(folder, rng, "equipment_losses", lambda f, r: add_loss_total(f, r)[1])
    loss.update(
        rng.choice(
            [
                {"category": "tank", "status": "shot_down"},
                {"status": "captured", "method": rng.choice(["drone_strike", "air_strike", "artillery"])},
                {"status": rng.choice(["destroyed", "damaged"]), "method": "ground_capture"},
            ]
        )
    )
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", loss["loss_id"]


@corruption("words_beside_count")
def words_beside_count(root: Path, rng: random.Random) -> Expected:
    """A casualty figure's vague words ('a large number') kept after a number was entered."""
    folder = Folder(root)
    counted = [r for r in folder.rows("casualties") if r["count_low"] or r["count_best"] or r["count_high"]]
    row = rng.choice(counted) if counted else add_casualty(folder, rng)
    row["quantity_text_en"] = "a large number"
    folder.touch("casualties")
    folder.save()
    return "casualties", row["casualty_id"]


@corruption("supplied_by_itself")
def supplied_by_itself(root: Path, rng: random.Random) -> Expected:
    """Lost equipment 'supplied' by the very actor that lost it (supplied_by_actor_id copied from lost_by)."""
    folder = Folder(root)
    loss = existing_or_new(folder, rng, "equipment_losses", lambda f, r: add_loss_total(f, r)[1])
    loss["supplied_by_actor_id"] = loss["lost_by_actor_id"]
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", loss["loss_id"]


@corruption("outlet_with_claimant")
def outlet_with_claimant(root: Path, rng: random.Random) -> Expected:
    """The outlet's own reporting given a claimant, or a named official's claim left without one."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    if rng.random() < 0.5:
        claim.update(
            source_kind="outlet", claimant_actor_id=existing_or_new(folder, rng, "actors", add_actor)["actor_id"]
        )
    else:
        claim.update(source_kind="named_official", claimant_actor_id="")
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"]


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
    return "casualties", second["casualty_id"]


@corruption("hierarchy_loop")
def hierarchy_loop(root: Path, rng: random.Random) -> Expected:
    """An actor made the parent of its own parent, or a place put inside a place it contains (the hierarchy
    loops)."""
    folder = Folder(root)
    table, key, parent = rng.choice(
        [("actors", "actor_id", "parent_actor_id"), ("places", "place_id", "parent_place_id")]
    )
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
    return table, top[key]


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
    return "places", place["place_id"]


@corruption("total_counted_in_itself")
def total_counted_in_itself(root: Path, rng: random.Random) -> Expected:
    """A running total counted in itself (its total_loss_id names its own row)."""
    folder = Folder(root)
    totals = [r for r in folder.rows("equipment_losses") if r["is_total"] == "true"]
    total = rng.choice(totals) if totals else add_loss_total(folder, rng)[0]
    total["total_loss_id"] = total["loss_id"]
    folder.touch("equipment_losses")
    folder.save()
    return "equipment_losses", total["loss_id"]


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
    return "equipment_losses", batch["loss_id"]


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
    return "equipment_losses", batch["loss_id"]


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
    return "events", event["event_id"]


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
    return "event_relations", link["event_relation_id"]


@corruption("figure_from_other_article")
def figure_from_other_article(root: Path, rng: random.Random) -> Expected:
    """A casualty figure or a loss supported by a quote of an article other than its event's (another
    report's figure attached to this report)."""
    folder = Folder(root)
    records = [
        (t, r)
        for t, key in (("casualties", "casualty_id"), ("equipment_losses", "loss_id"))
        for r in folder.rows(t)
        if article_of(folder, r["event_id"])
    ]
    table, record = rng.choice(records) if records else ("casualties", add_casualty(folder, rng))
    key = key_of(table, record)
    claim = next(c for c in folder.rows("claims") if c["record_table"] == table and c["record_id"] == key)
    article, text, start, end = claim_source(folder, rng, other_than=article_of(folder, record["event_id"]))
    claim.update(article_id=article["article_id"], quote=text[start:end], quote_start=str(start), quote_end=str(end))
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"]


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
    return "event_relations", link["event_relation_id"]


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
    return "event_relations", link["event_relation_id"]


@corruption("same_report_both_ways")
def same_report_both_ways(root: Path, rng: random.Random) -> Expected:
    """A link entered twice: a same_report_as link given again the other way round, or any link copied."""
    folder = Folder(root)
    link = _link(folder, rng, rng.choice(["same_report_as", "follows", "part_of"]))
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
    return "event_relations", second


@corruption("withdrawal_from_a_statement")
def withdrawal_from_a_statement(root: Path, rng: random.Random) -> Expected:
    """A withdrawal_from link that leaves a statement, strike or talk (or whose withdrawing event is an
    advance), rather than a move back from an offensive or position."""
    folder = Folder(root)
    link = _link(folder, rng, "withdrawal_from")
    events = {e["event_id"]: e for e in folder.rows("events")}
    if rng.random() < 0.5:
        _retype(folder, events[link["related_event_id"]], rng.choice(["statement", "air_strike", "talks"]))
    else:
        _retype(folder, events[link["event_id"]], rng.choice(["advance", "statement"]))
    folder.save()
    return "event_relations", link["event_relation_id"]


@corruption("casualty_of_an_absent_actor")
def casualty_of_an_absent_actor(root: Path, rng: random.Random) -> Expected:
    """A casualty figure or a loss of an actor the event's actors do not include."""
    folder = Folder(root)
    table, column = rng.choice([("casualties", "actor_id"), ("equipment_losses", "lost_by_actor_id")])
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
    return table, key_of(table, row)


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
    return "casualties", row["casualty_id"]


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
    return "casualties", other["casualty_id"]


@corruption("losses_of_a_planned_event")
def losses_of_a_planned_event(root: Path, rng: random.Random) -> Expected:
    """An event with casualties or losses recoded as only planned."""
    folder = Folder(root)
    table = rng.choice(["casualties", "equipment_losses"])
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
    return table, key_of(table, row)


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
    return "events", event["event_id"]


@corruption("actor_on_both_sides")
def actor_on_both_sides(root: Path, rng: random.Random) -> Expected:
    """An actor listed as both attacker and target of one event (or as side_a and side_b, host and visitor)."""
    folder = Folder(root)
    row = existing_or_new(folder, rng, "event_actors", add_event_actor)
    one, other = rng.choice([("attacker", "target"), ("side_a", "side_b"), ("host", "visitor")])
    row["role"] = one
    again = folder.add("event_actors", {**row, "event_actor_id": fresh_id(folder, "event_actors"), "role": other})
    folder.save()
    return "event_actors", again["event_actor_id"]


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
    return "claims", claim["claim_id"]


@corruption("retired_id_reused")
def retired_id_reused(root: Path, rng: random.Random) -> Expected:
    """A retired ID given to a new record (an ID is never reused)."""
    folder = Folder(root)
    table = rng.choice(["actors", "places", "events"])
    row = existing_or_new(folder, rng, table, {"actors": add_actor, "places": add_place, "events": add_event}[table])
    retired = folder.add(
        "retired_ids",
        {
            "retired_id": key_of(table, row),
            "record_table": table,
            "reason_en": "Merged into another record.",
            "retired_in_version": "0.1.0",
        },
    )
    folder.save()
    return "retired_ids", retired["retired_id"]


@corruption("superseded_by_itself")
def superseded_by_itself(root: Path, rng: random.Random) -> Expected:
    """A retired ID said to be superseded by itself, or by an ID that names no record of its table."""
    folder = Folder(root)
    gone = fresh_id(folder, "actors")
    retired = folder.add(
        "retired_ids",
        {
            "retired_id": gone,
            "record_table": "actors",
            "superseded_by": rng.choice([gone, gone + "-new"]),
            "reason_en": "Merged into another record.",
            "retired_in_version": "0.1.0",
        },
    )
    folder.save()
    return "retired_ids", retired["retired_id"]


@corruption("retired_in_a_later_version")
def retired_in_a_later_version(root: Path, rng: random.Random) -> Expected:
    """An ID listed as retired in a version after the package's own."""
    folder = Folder(root)
    version = json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["version"]
    major, minor, patch = (int(x) for x in version.split("."))
    later = rng.choice([f"{major + 1}.0.0", f"{major}.{minor + 1}.0", f"{major}.{minor}.{patch + 1}"])
    rows = folder.rows("retired_ids")
    if rows:
        retired = rng.choice(rows)
    else:
        retired = folder.add(
            "retired_ids",
            {
                "retired_id": fresh_id(folder, "actors"),
                "record_table": "actors",
                "reason_en": "Withdrawn.",
                "retired_in_version": version,
            },
        )
    retired["retired_in_version"] = later
    folder.touch("retired_ids")
    folder.save()
    return "retired_ids", retired["retired_id"]


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
    return "places", place["place_id"]


# ------------------------------------------------ Published IDs and claim conventions (second curation pass)


def _package_version(root: Path) -> str:
    return json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["version"]


def write_register(folder: Folder, retire: dict[str, str] | None = None) -> None:
    """Bring the folder's register of published IDs up to date, as ``build --release`` would (every live ID
    registered), then mark the IDs of ``retire`` (ID -> table) as retired in the package's version."""
    from libya_conflict.register import PATH, Entry, register_bytes, registered, updated

    version = _package_version(folder.root)
    live = {t: [key_of(t, r) for r in folder.rows(t)] for t in sch.table_names() if t != "retired_ids"}
    retired = {r["retired_id"]: r["retired_in_version"] for r in folder.rows("retired_ids")}
    entries = updated(registered(folder.root), live, retired, version)
    for key, table in (retire or {}).items():
        entries[key] = Entry(key, table, entries[key].first_published if key in entries else version, version)
    (folder.root / PATH).write_bytes(register_bytes(entries))


@corruption("published_id_deleted")
def published_id_deleted(root: Path, rng: random.Random) -> Expected:
    """A published ID deleted from its table with no retired_ids row (users who cite it lose it silently)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    write_register(folder)
    folder.remove("claims", lambda r: r["claim_id"] != claim["claim_id"])
    folder.save()
    return "claims", claim["claim_id"]


@corruption("retired_id_back")
def retired_id_back(root: Path, rng: random.Random) -> Expected:
    """An ID the register marks retired given to a live record again, its retired_ids row dropped (reused)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    folder.save()  # the claim some_claim may have added
    write_register(folder, {claim["claim_id"]: "claims"})
    return "claims", claim["claim_id"]


@corruption("outlet_narration_reports")
def outlet_narration_reports(root: Path, rng: random.Random) -> Expected:
    """The outlet's own narration coded 'reports' (one article's convention against the others')."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    claim.update(source_kind="outlet", claimant_actor_id="", stance="reports")
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"]


@corruption("claimant_against_source_kind")
def claimant_against_source_kind(root: Path, rng: random.Random) -> Expected:
    """A correspondent's claim with no claimant or a body as claimant, or a person's statement coded as an
    official statement."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    people = [a for a in folder.rows("actors") if a["actor_type"] == "person"]
    bodies = [a for a in folder.rows("actors") if a["actor_type"] != "person"]
    way = rng.choice(["no_claimant", "body"] + (["person"] if people else []))
    if way == "no_claimant":
        claim.update(source_kind=rng.choice(["correspondent", "official_statement"]), claimant_actor_id="")
    elif way == "body":
        claim.update(
            source_kind="correspondent",
            claimant_actor_id=(rng.choice(bodies) if bodies else add_actor(folder, rng))["actor_id"],
        )
    else:
        claim.update(source_kind="official_statement", claimant_actor_id=rng.choice(people)["actor_id"])
    folder.touch("claims")
    folder.save()
    return "claims", claim["claim_id"]


@corruption("rumour_coded_as_fact")
def rumour_coded_as_fact(root: Path, rng: random.Random) -> Expected:
    """An event supported only by unattributed reports ('amid reports of') coded as having occurred."""
    folder = Folder(root)
    event = happened_event(folder, rng)
    for claim in folder.rows("claims"):
        if claim["record_table"] == "events" and claim["record_id"] == event["event_id"]:
            claim.update(source_kind="other_media", claimant_actor_id="", stance="reports")
    event["status"] = rng.choice(sorted(FACT_STATUSES))
    folder.touch("claims")
    folder.touch("events")
    folder.save()
    return "events", event["event_id"]


# ------------------------------------------------------------------------------------ Documentation


EXIT_CODES = [
    (0, "valid: no problem found"),
    (1, "problems found: the report lists each with file and line, table, row, column, rule and message"),
    (
        2,
        "could not run: no such folder, or bad arguments (one line on stderr; with `--format json`, "
        '`{"valid": null, "error": ...}` on stdout)',
    ),
]


UNTRUSTED_INPUT = """\
## What the validator promises for untrusted input

`libya-conflict validate DIR` is meant to be run on folders nobody here wrote: a copy edited in a
spreadsheet, a contribution, a download. Whatever DIR holds:

- **Confinement.** It opens only regular files inside DIR: `datapackage.json`, `data/<table>.csv`,
  `data/parquet/<table>.parquet` and the article texts that `articles.path` names. Before a file is opened
  its path is checked: relative, not a URL, not climbing out with `..`, still inside DIR once every
  symbolic link is followed (a link to another file inside DIR is fine), and a regular file, not a folder,
  FIFO, device or socket. It is then opened without blocking and without following a link, and checked
  again. A path that fails is an `integrity.path` problem at its table, row and column, and nothing of the
  file is read or printed. A resource `path` in `datapackage.json` must be the table's own
  `data/<table>.csv`. (A hard link is a regular file of the folder like any other: it cannot be told from
  a copy, and is read.) `build`, `export`, `curate` and the loader open files the same way, and `build`
  never writes through a link.
- **No network.** Nothing is downloaded. A URL where a profile, `$schema`, file, schema or dialect would
  be fetched is an `integrity.url` problem; the specification check (frictionless) is given a copy of the
  descriptor without any of them, keeping only the Data Package v2 profiles frictionless carries itself.
  URLs that are only metadata (a licence's, a source's) are never opened.
- **Total.** Every input ends in a report (exit 1) or, when the command cannot run at all (no such folder),
  one line on stderr (exit 2); with `--format json` both are JSON on stdout (`{"valid": null, "error": ...}`
  for exit 2). Never a traceback, never a hang. A rule that fails on an input nobody foresaw is reported as
  `integrity.internal` (a fault of the validator: the package is then not called valid) and the other rules
  still run. `libya_conflict.validate()` returns a report for any content and raises only for misuse (a
  path that is not a path, or not a folder).
- **Which folder.** With no DIR it checks the current folder when it holds `datapackage.json`, else the
  bundled data; every report names the folder it checked.
- **Messages.** Reading problems name the file, the line and, where it can, the column, and say what to
  do (a file that is not UTF-8 is named as probably Windows-1256, Windows-1252, UTF-16 or binary; a
  `;`-separated file is named as such). One problem per cause: a cell not of its type is not also
  reported missing, a repeated key is reported once, at the repeat. A report shows at most 80 characters of
  a cell, escaped (control characters are never printed raw), and at most 40 of an article.
- **Limits.** Cells of any size are read; memory grows with the package (a million events, 7.5 million
  rows, validate within 3 GiB). There is no time limit, but nothing waits on a pipe, a lock of another
  program or a network. What it cannot promise: files changed by another program while it runs, and
  Parquet files crafted to exploit a fault of Arrow's reader (they are decoded by pyarrow).
- **Invisible characters.** Free-text cells may hold tabs and line breaks, and the characters Arabic text
  legitimately uses: the zero-width non-joiner and joiner (U+200C, U+200D), the left-to-right, right-to-left
  and Arabic letter marks (U+200E, U+200F, U+061C), the Arabic number and end-of-ayah signs (U+0600-U+0605,
  U+06DD, U+08E2) and the no-break spaces (U+00A0, U+202F) the articles use. Every other control or format
  character is refused (`column.control_characters`): C0 and C1 controls, DEL, the bidirectional
  embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a cell display other
  than what it holds, zero-width spaces, word joiners, byte-order marks, line and paragraph separators, the
  soft hyphen. Codes and vocabularies refuse them all through their patterns and allowed values. The
  article texts themselves are kept byte for byte and never judged; a quote (`claims.quote`, marked
  `verbatim` in its schema) is a copy of article text, so it is held to the article's bytes
  (`cross.claim_quote`) rather than judged for these characters.
"""


def validation_markdown() -> str:
    """docs/validation.md: every rule of the registry, what it checks, and the catalogued corruptions it must
    catch (written by ``libya-conflict build``, checked by ``build --check``)."""
    entries = {e.id: e for e in CATALOGUE}
    lines = [
        "# Validation",
        "",
        "<!-- Generated from the rule registry (validators/registry.py) and validators/catalogue.py by",
        "     `libya-conflict build`; do not edit by hand. -->",
        "",
        "`libya-conflict validate [DIR] [--format json|github]` checks the bundled data package, or an edited",
        "copy in DIR, against every rule below and reports every problem with its table, row (the record's ID,",
        "empty for a file-level problem), column, rule and message, and the file and line it is in: the line",
        "where its record starts, as a spreadsheet or an editor numbers it (a cell holding line breaks makes a",
        "record span several lines), or the header line for a problem about a whole table. `--format github`",
        "prints each problem as a GitHub Actions annotation on that file and line. All rule families run,",
        "whatever the others find. A `datapackage.json` in the Data Package v2 dialect this release writes and",
        "one in the v1 dialect of older releases are both accepted.",
        "",
        "## Exit codes of `libya-conflict validate`",
        "",
        "| exit code | meaning |",
        "|---|---|",
        *[f"| {code} | {meaning} |" for code, meaning in EXIT_CODES],
        "",
        UNTRUSTED_INPUT,
        "## Rules and the corruptions they catch",
        "",
        "Each corruption is an entry of the catalogue in `validators/catalogue.py`. `libya-conflict scoreboard`",
        "applies each one to a copy of the bundled data and checks that the report names its rule at the",
        "corrupted row (`N caught, M missed`; exit 1 on a miss); the property tests apply each one to",
        "generated packages.",
        "",
    ]
    for family in ("column", "row", "cross", "integrity"):
        lines += [f"### `{family}.*`", "", "| rule | checks | corruptions caught |", "|---|---|---|"]
        for rule in sorted((r for r in RULES if r.family == family), key=lambda r: r.id):
            if rule.corruptions:
                what = "<br>".join(f"`{i}`: {entries[i].description}" for i in rule.corruptions)
            else:
                what = f"*none catalogued:* {rule.uncatalogued or 'no reason given'}"
            row = [f"`{rule.id}`", rule.description, what]
            lines.append("| " + " | ".join(c.replace("|", "&#124;") for c in row) + " |")
        lines.append("")
    lines += [
        "## What the data may say that looks like a contradiction",
        "",
        "Every table and relation of the schema was gone through for records that parse and whose keys "
        "resolve yet contradict themselves, each other or their vocabulary. Each such contradiction has a "
        "rule above; these are allowed, and why:",
        "",
        "| allowed | why |",
        "|---|---|",
    ]
    lines += ["| " + " | ".join(c.replace("|", "&#124;") for c in pair) + " |" for pair in ALLOWED_CONTRADICTIONS]
    lines.append("")
    return "\n".join(lines)
