"""Valid records and whole valid packages, made one choice at a time by a :class:`Chooser`.

Every rule a valid package follows is followed here once, record by record: dates that fit their
precision and never follow the article reporting them, ACLED codes that fit the kind of event, relations
that only point back in time (which keeps ``follows`` and ``part_of`` free of cycles), totals at least
the sum of what they count, what happened to equipment fitting how it was lost, claims quoting whole
words of their article at exact code-point offsets, claimants of the kind their source needs. The
domain facts come from ``schemas/vocabularies.json`` (:mod:`libya_conflict.schema`).

Who makes the choices is the caller's: the hypothesis strategies of the tests pass a chooser drawing
from ``data.draw`` (so that failures shrink), :class:`RandomChooser` draws from a seeded
``random.Random``, and the corruption catalogue passes :data:`PLAINEST` with every cell of its minimal
records given. A cell given to a record factory is taken as it is, and what depends on it follows it.

The synthetic packages of any size (:mod:`libya_conflict.synth`) follow the same rules column by column
with numpy, for speed; where a rule is a function of a record's own cells (:func:`loss_outcome`,
:func:`withdrawal_fits`, :func:`fitting_source_kind`, :func:`fitting_stance`) it uses the one here.

Rows are dicts of CSV cell text with every column of the table's schema.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from . import schema as sch

T = TypeVar("T")

NBSP = "\u00a0"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Real words among the generated ones, so that the texts read a little like the articles they stand for.
ARABIC_WORDS = (
    "قوات",
    "الجيش",
    "الوطني",
    "حكومة",
    "الوفاق",
    "طرابلس",
    "ترهونة",
    "الوطية",
    "قاعدة",
    "مصادر",
    "المتحدث",
    "باسم",
    "أعلن",
    "بيان",
    "غارة",
    "طائرة",
    "مسيرة",
    "منظومة",
    "الدفاع",
    "الجوي",
    "محور",
    "اشتباكات",
    "تقدم",
    "انسحاب",
    "مدينة",
    "جنوب",
    "غرب",
    "الليبية",
    "عملية",
    "بركان",
)
# Commas and double quotes among them make the CSV writer quote cells, as real descriptions do.
ENGLISH_WORDS = (
    "forces",
    "army",
    "government",
    "national",
    "accord",
    "Tripoli",
    "Tarhuna",
    "al-Watiya",
    "base",
    "spokesman",
    "statement",
    "announced",
    "air",
    "strike",
    "drone",
    "system",
    "defence",
    "axis",
    "clashes",
    "advance",
    "withdrawal",
    "city",
    "south",
    "west",
    "Libyan",
    "operation",
    "Volcano",
    "of",
    "the",
    "in",
    "on",
    "and",
    "near",
    "after",
    "said,",
    "reported",
    "according",
    "to",
    "sources",
    "Misrāta",
    "Gharyan",
    "road",
    "airport",
    "brigade",
    "units",
    "2",
    "km",
    "May",
    "2020",
    '"Volcano',
    'Anger"',
    "Haftar's",
    "Sirte",
    "al-Jufra",
    "front",
    "line",
    "shelling",
    "killed",
)
SLUG_LETTERS = string.ascii_lowercase + string.digits
# What follows a token of an article: spaces mostly, Arabic commas, line breaks, no-break spaces, quotes.
ARTICLE_SEPARATORS = (" ", " ", " ", "، ", ".\n", "\n\n", NBSP, " «")
# Boxes wholly inside four countries' outlines, in ten-thousandths of a degree: south, north, west, east.
ABROAD = {
    "Tunisia": (335_000, 355_000, 88_000, 98_000),
    "Egypt": (230_000, 290_000, 270_000, 320_000),
    "Turkey": (380_000, 400_000, 300_000, 400_000),
    "Italy": (418_000, 426_000, 125_000, 138_000),
}
# ... and one wholly inside Libya's (row.coordinates_country), not the coverage's bounding box.
INSIDE = (240_000, 300_000, 120_000, 240_000)
LOCATED_PRECISIONS = ("site", "centroid_town", "centroid_region", "approximate")
DATE_PRECISIONS = ("day", "week", "month", "year", "range")
NUMBER = {"type": "number"}


class Chooser(Protocol):
    """Who makes the choices of a generator. Every choice is one of these calls."""

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options`` (never empty)."""
        ...

    def integer(self, low: int, high: int) -> int:
        """An integer from ``low`` to ``high``, both included."""
        ...

    def boolean(self) -> bool:
        """Yes or no (no is the plainer choice: an optional cell left empty)."""
        ...

    def sample(self, options: Sequence[T], k: int) -> list[T]:
        """``k`` distinct members of ``options`` in the order drawn (all of them: a shuffle)."""
        ...

    def english(self) -> str:
        """A short English text: never empty, never starting with whitespace or like a formula."""
        ...

    def arabic_word(self) -> str:
        """An Arabic word of two letters or more (a lone letter before a comma could read as mojibake)."""
        ...


class RandomChooser:
    """Choices drawn from a ``random.Random``: the same seed makes the same package."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def choice(self, options):
        return self.rng.choice(options)

    def integer(self, low, high):
        return self.rng.randint(low, high)

    def boolean(self):
        return self.rng.random() < 0.5

    def sample(self, options, k):
        return self.rng.sample(list(options), k)

    def english(self):
        return " ".join(self.rng.choice(ENGLISH_WORDS) for _ in range(self.rng.randint(1, 8)))

    def arabic_word(self):
        if self.rng.random() < 0.5:
            return self.rng.choice(ARABIC_WORDS)
        return "".join(self.rng.choice(ARABIC_LETTERS) for _ in range(self.rng.randint(2, 7)))


class Plainest:
    """The plainest choice every time: the first option, the lowest number, no optional cell. For records
    whose every meaningful cell is given (the corruption catalogue's minimal records)."""

    def choice(self, options):
        return options[0]

    def integer(self, low, high):
        return low

    def boolean(self):
        return False

    def sample(self, options, k):
        return list(options)[:k]

    def english(self):
        return "Record"

    def arabic_word(self):
        return "سجل"


PLAINEST = Plainest()


# ------------------------------------------------------------------------------------------ Cells


def row(table: str, **cells: str) -> dict[str, str]:
    """A row of the table with every column empty but ``cells``."""
    out = {name: "" for name in sch.field_names(table)}
    out.update(cells)
    return out


def optional(c: Chooser, make: Callable[[], str]) -> str:
    """``make()``, or the empty cell."""
    return make() if c.boolean() else ""


def arabic(c: Chooser, most: int = 4) -> str:
    """An Arabic phrase of one to ``most`` words."""
    return " ".join(c.arabic_word() for _ in range(c.integer(1, most)))


def vocabulary(c: Chooser, table: str, column: str) -> str:
    """One of the values the schema allows in the column."""
    return c.choice(sch.vocabulary(table, column))


def number(value: float) -> str:
    """A decimal as the CSV writes it (the build's canonical text, so it round-trips)."""
    return sch.format_cell(NUMBER, value)


def numbered_ids(c: Chooser, prefix: str, count: int) -> list[str]:
    """``count`` distinct IDs of the form prefix-NNN-NNN, in shuffled order (so rows need sorting).
    Distinct by construction (increasing numbers: each the last plus 1 to 10,000)."""
    numbers, n = [], -1
    for _ in range(count):
        n += c.integer(1, 10_000)
        numbers.append(n)
    return [f"{prefix}-{n // 1000:03d}-{n % 1000:03d}" for n in c.sample(numbers, count)]


def slug_ids(c: Chooser, prefix: str, count: int) -> list[str]:
    """``count`` distinct IDs of the form prefix-slug-K (the last segment, K, makes them distinct)."""

    def word(most: int) -> str:
        return "".join(c.choice(SLUG_LETTERS) for _ in range(c.integer(1, most)))

    return [f"{prefix}-{word(8)}{optional(c, lambda: '-' + word(5))}-{k}" for k in range(count)]


def date_range(
    c: Chooser, latest_start: dt.date, earliest_start: dt.date = dt.date(1990, 1, 1)
) -> tuple[str, dt.date, dt.date]:
    """(precision, earliest, latest) fitting row.date_precision, with earliest <= latest_start."""
    precision = c.choice(DATE_PRECISIONS)
    d = earliest_start + dt.timedelta(days=c.integer(0, (latest_start - earliest_start).days))
    if precision == "day":
        return precision, d, d
    if precision == "week":
        return precision, d, d + dt.timedelta(days=c.integer(1, 6))
    if precision == "range":
        return precision, d, d + dt.timedelta(days=c.integer(1, 400))
    if precision == "month":
        first = d.replace(day=1)
        return precision, first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return precision, dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


# ------------------------------------------------------------------------------------ Rules of a record


def acled_codes(c: Chooser, event_kind: str) -> tuple[str, str]:
    """ACLED (event_type, sub_event_type) for an event of this kind: one of the codes docs/curation.md
    prescribes for the kind (row.event_kind), else any type and one of its sub-event types."""
    prescribed = sch.event_kind_acled_types()
    if event_kind in prescribed:
        return c.choice(sorted(prescribed[event_kind]))
    types = sch.acled_sub_event_types()
    event_type = c.choice(sorted(types))
    return event_type, c.choice(sorted(types[event_type]))


def loss_outcome(category: str, status: str, method: str) -> tuple[str, str]:
    """(status, method) of an equipment loss made to fit how it was lost and what it is (row.loss_status):
    only what flies is shot down, ground capture leaves equipment taken or abandoned, and what is
    captured was not struck from afar."""
    if status == "shot_down" and category not in sch.airborne_categories():
        status = "destroyed"
    if method == "ground_capture" and status not in sch.capture_statuses():
        status = "captured"
    if status == "captured" and method in sch.strike_methods():
        method = "ground_capture"
    return status, method


def withdrawal_fits(event_kind: str, related_kind: str) -> bool:
    """Can an event of ``event_kind`` be a withdrawal_from one of ``related_kind`` (cross.withdrawal_kind)?"""
    return event_kind in sch.withdrawing_kinds() and related_kind in sch.withdrawn_from_kinds()


def fitting_source_kind(source_kind: str, people: bool, bodies: bool, affirm: bool) -> str:
    """The source of a claim drawn as ``source_kind``, made to fit: a named official's and a correspondent's
    claimant is a person, so without ``people`` the claim is an official statement, a body's, so without
    ``bodies`` the outlet's own reporting (cross.claimant_kind); the first claim of an event taken as fact
    (``affirm``) is not unattributed hearsay (cross.rumour_occurred)."""
    if source_kind in ("named_official", "correspondent") and not people:
        source_kind = "official_statement"
    if source_kind == "official_statement" and not bodies:
        source_kind = "outlet"
    if affirm and source_kind == "other_media":
        source_kind = "outlet"
    return source_kind


def fitting_stance(source_kind: str, stance: str, affirm: bool) -> str:
    """The stance of a claim drawn as ``stance``, made to fit: the outlet's narration asserts rather than
    'reports' (row.outlet_stance), and the first claim of an event that is not denied (``affirm``) does not
    deny it (cross.denied_event)."""
    if source_kind == "outlet" and stance == "reports":
        stance = "asserts"
    return "asserts" if affirm and stance == "denies" else stance


def claimant(c: Chooser, source_kind: str, people: Sequence[str], bodies: Sequence[str]) -> str:
    """Who makes a claim of ``source_kind``: nobody for the outlet, a person for a named official or a
    correspondent, a body for an official statement, anyone or nobody otherwise."""
    if source_kind == "outlet":
        return ""
    if source_kind in ("named_official", "correspondent"):
        return c.choice(list(people) or [""])
    if source_kind == "official_statement":
        return c.choice(list(bodies) or [""])
    return c.choice(["", *people, *bodies])


# ---------------------------------------------------------------------------------------- Articles


@dataclass
class Article:
    """An article text and where its tokens are."""

    text: str
    tokens: list[tuple[int, int]]  # code-point offsets of every token (never whitespace at either end)


def article_text(c: Chooser, with_nbsp: bool) -> Article:
    """An Arabic article: words, ASCII and Arabic-Indic numbers, a Latin name now and then, separated by
    spaces, Arabic commas, line breaks and (``with_nbsp``: at least one) no-break spaces."""
    words = []
    for _ in range(c.integer(4, 30)):
        kind = c.choice(("arabic", "arabic", "arabic", "digits", "indic", "latin"))
        if kind == "arabic":
            words.append(c.arabic_word())
        elif kind == "latin":
            words.append(c.choice(("AFP", "LNA")))
        else:
            digits = str(c.integer(0, 9999))
            words.append(digits if kind == "digits" else digits.translate(ARABIC_INDIC))
    separators = [c.choice(ARTICLE_SEPARATORS) for _ in range(len(words) - 1)]
    if with_nbsp and NBSP not in separators:
        separators[c.integer(0, len(separators) - 1)] = NBSP
    text, tokens = "", []
    for i, word in enumerate(words):
        tokens.append((len(text), len(text) + len(word)))
        text += word + (separators[i] if i < len(separators) else "\n")
    return Article(text, tokens)


def quote_span(c: Chooser, article: Article) -> tuple[int, int]:
    """Offsets of one to five whole tokens of the article."""
    first = c.integer(0, len(article.tokens) - 1)
    last = c.integer(first, min(first + 4, len(article.tokens) - 1))
    return article.tokens[first][0], article.tokens[last][1]


def article(c: Chooser, article_id: str, path: str, data: bytes) -> dict[str, str]:
    """The row of an article whose text file, at ``path``, holds ``data``: published between April 2019
    and the end of 2020."""
    precision, lo, hi = date_range(c, dt.date(2020, 12, 31), dt.date(2019, 4, 1))
    return row(
        "articles",
        article_id=article_id,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=str(len(data)),
        language="ar",
        outlet=optional(c, c.english),
        outlet_basis_en=optional(c, c.english),
        wire_sources=optional(c, c.english),
        headline_ar=optional(c, lambda: arabic(c)),
        published_earliest=lo.isoformat(),
        published_latest=hi.isoformat(),
        published_precision=precision,
        published_basis_en=c.english(),
    )


# ----------------------------------------------------------------------------------------- Records


def actor(c: Chooser, actor_id: str, parents: Sequence[str] = (), **given: str) -> dict[str, str]:
    """An actor whose parent, if any, is one of ``parents`` (earlier actors, so parents form a tree). Only
    foreign actors back a side (row.backs_side), only people have titles (row.person_title)."""
    actor_type = given.get("actor_type") or vocabulary(c, "actors", "actor_type")
    side = given.get("side") or vocabulary(c, "actors", "side")
    variants = lambda: " | ".join(arabic(c) for _ in range(c.integer(1, 3)))
    drawn = dict(
        actor_id=actor_id,
        name_en=c.english(),
        name_ar=arabic(c),
        name_ar_variants=optional(c, variants),
        actor_type=actor_type,
        side=side,
        backs_side=optional(c, lambda: vocabulary(c, "actors", "backs_side")) if side == "foreign" else "",
        title_en=optional(c, c.english) if actor_type == "person" else "",
        parent_actor_id=c.choice(["", *parents]),
        note=optional(c, c.english),
    )
    return row("actors", **{**drawn, **given})


def place(c: Chooser, place_id: str, earlier: Sequence[dict] = (), **given: str) -> dict[str, str]:
    """A place inside the coverage, without coordinates, or outside it (then with a coverage_note). Inside
    the coverage a place is in the coverage's country, outside elsewhere; a place outside is never inside a
    place within it (its parent is one of ``earlier``); a coordinate uncertainty comes only with
    coordinates."""
    kind = c.choice(("inside", "inside", "unlocated", "outside"))
    abroad = c.choice(sorted(ABROAD))  # the country of a place outside the coverage
    if kind == "unlocated":
        in_coverage = c.boolean()
        cells = dict(
            geo_precision="none",
            in_coverage="true" if in_coverage else "false",
            coverage_note=optional(c, c.english) if in_coverage else c.english(),
        )
    else:
        south, north, west, east = INSIDE if kind == "inside" else ABROAD[abroad]
        cells = dict(
            latitude=number(c.integer(south, north) / 10_000),
            longitude=number(c.integer(west, east) / 10_000),
            geo_precision=c.choice(LOCATED_PRECISIONS),
            in_coverage="true" if kind == "inside" else "false",
            coverage_note=optional(c, c.english) if kind == "inside" else c.english(),
        )
    inside = given.get("in_coverage", cells["in_coverage"]) == "true"
    parents = [p["place_id"] for p in earlier if inside or p["in_coverage"] == "false"]
    located = "latitude" in given or "latitude" in cells
    uncertainty = optional(c, lambda: number(c.integer(0, 5000) / 10)) if located else ""
    drawn = dict(
        place_id=place_id,
        name_en=c.english(),
        name_ar=arabic(c),
        place_type=vocabulary(c, "places", "place_type"),
        coord_uncertainty_km=uncertainty,
        parent_place_id=c.choice(["", *parents]),
        country=sch.package_metadata()["x-spatial-coverage"]["name"] if inside else abroad,
        admin1=optional(c, c.english),
        coord_source=optional(c, c.english),
        **cells,
    )
    return row("places", **{**drawn, **given})


def event(c: Chooser, event_id: str, published: dt.date, place_ids: Sequence[str] = (), **given: str) -> dict:
    """An event reported by an article last published on ``published``: dated no later (planned and
    announced events up to a year after), with ACLED codes that fit its kind."""
    status = given.get("status") or vocabulary(c, "events", "status")
    latest_start = published + dt.timedelta(days=365) if status in sch.future_statuses() else published
    precision, lo, hi = date_range(c, latest_start)
    event_kind = given.get("event_kind") or vocabulary(c, "events", "event_kind")
    event_type, sub_event_type = acled_codes(c, event_kind)
    drawn = dict(
        event_id=event_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_kind=event_kind,
        date_earliest=lo.isoformat(),
        date_latest=hi.isoformat(),
        date_precision=precision,
        time_of_day=optional(c, lambda: vocabulary(c, "events", "time_of_day")),
        date_note=optional(c, c.english),
        place_id=c.choice(["", *place_ids]),
        location_note_en=optional(c, c.english),
        status=status,
        description_en=c.english(),
    )
    return row("events", **{**drawn, **given})


def event_actor(c: Chooser, event_actor_id: str, event_id: str, actor_id: str, **given: str) -> dict[str, str]:
    """An actor taking part in an event, in some role."""
    role = given.get("role") or vocabulary(c, "event_actors", "role")
    return row("event_actors", event_actor_id=event_actor_id, event_id=event_id, actor_id=actor_id, role=role)


def relation(c: Chooser, relation_id: str, event_id: str, related_event_id: str, name: str, **given: str) -> dict:
    """A relation ``name`` from an event to a related one (the caller sees that it fits: :func:`event_relations`)."""
    drawn = dict(
        event_relation_id=relation_id,
        event_id=event_id,
        related_event_id=related_event_id,
        relation=name,
        note=optional(c, c.english),
    )
    return row("event_relations", **{**drawn, **given})


def loss(
    c: Chooser, loss_id: str, event_id: str, lost_by: str, actor_ids: Sequence[str], place_ids: Sequence[str], **given
) -> dict[str, str]:
    """An equipment loss of ``lost_by`` in an event: what happened to the equipment fits how it was lost
    and what it is (:func:`loss_outcome`), and it was never supplied by the actor that lost it."""
    category = given.get("category") or vocabulary(c, "equipment_losses", "category")
    status = given.get("status") or vocabulary(c, "equipment_losses", "status")
    method = given["method"] if "method" in given else optional(c, lambda: vocabulary(c, "equipment_losses", "method"))
    status, method = loss_outcome(category, status, method)
    drawn = dict(
        loss_id=loss_id,
        event_id=event_id,
        system_en=c.english(),
        system_ar=optional(c, lambda: arabic(c)),
        category=category,
        status=status,
        lost_by_actor_id=lost_by,
        method=method,
        place_id=c.choice(["", *place_ids]),
        origin_en=optional(c, c.english),
        supplied_by_actor_id=c.choice(["", *(a for a in actor_ids if a != lost_by)]),
        verification=vocabulary(c, "equipment_losses", "verification"),
    )
    return row("equipment_losses", **{**drawn, **given})


def casualty(
    c: Chooser,
    casualty_id: str,
    event_id: str,
    actor_id: str,
    civilian: bool,
    category: str | None = None,
    population: str | None = None,
    **given: str,
) -> dict[str, str]:
    """A casualty figure of who was counted (``category`` and ``population``, drawn when not chosen), with
    ordered counts (any of them may be missing). A civilian population's (``civilian``) people are never
    combatants, whatever population was chosen; the text's words for a quantity come only without a number."""
    category = category or vocabulary(c, "casualties", "category")
    population = population or vocabulary(c, "casualties", "population")
    if civilian and population == "combatant":
        population = "civilian"
    counts = sorted(c.integer(0, 500) for _ in range(3))
    low, best, high = [str(n) if c.boolean() else "" for n in counts]
    drawn = dict(
        casualty_id=casualty_id,
        event_id=event_id,
        actor_id=actor_id,
        category=category,
        population=population,
        count_low=low,
        count_best=best,
        count_high=high,
    )
    numbered = any(given.get(k, drawn[k]) for k in ("count_low", "count_best", "count_high"))
    drawn["quantity_text_en"] = "" if numbered else optional(c, c.english)
    return row("casualties", **{**drawn, **given})


def distance(c: Chooser, distance_id: str, place_id: str, from_place_id: str, **given: str) -> dict[str, str]:
    """A distance between two places (never from a place to itself), some given as a span."""
    tenths = c.integer(0, 5000)
    drawn = dict(
        distance_id=distance_id,
        place_id=place_id,
        from_place_id=from_place_id,
        distance_km=number(tenths / 10),
        distance_km_high=optional(c, lambda: number((tenths + c.integer(0, 500)) / 10)),
        direction_en=optional(c, c.english),
    )
    return row("place_distances", **{**drawn, **given})


def claim(
    c: Chooser,
    claim_id: str,
    source: tuple[str, str, int, int],
    record: tuple[str, str],
    people: Sequence[str] = (),
    bodies: Sequence[str] = (),
    affirm: bool = False,
    **given: str,
) -> dict[str, str]:
    """A claim for ``record`` (table, ID) quoting ``source`` (article ID, its text, start and end offsets in
    code points), its source, claimant and stance made to fit (:func:`fitting_source_kind`,
    :func:`claimant`, :func:`fitting_stance`; ``affirm``: the first claim of an event that is not denied)."""
    article_id, text, start, end = source
    source_kind = given.get("source_kind") or fitting_source_kind(
        vocabulary(c, "claims", "source_kind"), bool(people), bool(bodies), affirm
    )
    stance = given.get("stance") or fitting_stance(source_kind, vocabulary(c, "claims", "stance"), affirm)
    drawn = dict(
        claim_id=claim_id,
        article_id=article_id,
        record_table=record[0],
        record_id=record[1],
        quote=text[start:end],
        quote_start=str(start),
        quote_end=str(end),
        claimant_actor_id=claimant(c, source_kind, people, bodies),
        source_kind=source_kind,
        stance=stance,
        translation_en=c.english(),
    )
    return row("claims", **{**drawn, **given})


# ---------------------------------------------------------------------------------------- Packages


@dataclass
class GeneratedPackage:
    """A package as rows of cell text and article bytes, before it is written to a folder."""

    tables: dict[str, list[dict[str, str]]]  # table -> rows, every schema column present, as CSV text
    texts: dict[str, bytes]  # article path (data/sources/...) -> the file's bytes


def package(c: Chooser) -> GeneratedPackage:
    """A whole valid package: a few rows of every table, keys that resolve, quotes at their offsets."""
    tables: dict[str, list[dict]] = {t: [] for t in sch.table_names()}

    # Articles: the first always holds a no-break space, so that corruptions of one always have a target.
    # At least two (a same_report_as link joins reports of two articles), each ending in its own number so
    # that no two texts (and sha256) are the same.
    flags = [c.boolean() for _ in range(c.integer(2, 3))]
    texts = []
    for k, flag in enumerate(flags):
        a = article_text(c, with_nbsp=(k == 0 or flag))
        texts.append(Article(a.text + f"{k}\n", a.tokens + [(len(a.text), len(a.text) + len(str(k)))]))
    source_files = {}
    for k, text in enumerate(texts):
        data = text.text.encode("utf-8")
        path = f"data/sources/{k:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        source_files[path] = data
        tables["articles"].append(article(c, f"art-{k:03d}", path, data))
    articles = tables["articles"]
    by_article = {a["article_id"]: texts[k] for k, a in enumerate(articles)}

    actor_ids = slug_ids(c, "act", c.integer(1, 4))
    tables["actors"] = [actor(c, actor_id, actor_ids[:k]) for k, actor_id in enumerate(actor_ids)]
    actor_type_of = {a["actor_id"]: a["actor_type"] for a in tables["actors"]}
    place_ids = slug_ids(c, "pl", c.integer(1, 3))
    for k, place_id in enumerate(place_ids):
        tables["places"].append(place(c, place_id, tables["places"][:k]))

    # Events: each is reported by a primary article.
    primary = {}
    for event_id in numbered_ids(c, "ev", c.integer(1, 5)):
        reported_by = c.choice(articles)
        primary[event_id] = reported_by["article_id"]
        published = dt.date.fromisoformat(reported_by["published_latest"])
        tables["events"].append(event(c, event_id, published, place_ids))
    event_ids = list(primary)

    tables["event_relations"] = event_relations(c, tables["events"], primary)
    # Losses only in events that are not merely planned; each loss's actor takes part in its event.
    happened = [e["event_id"] for e in tables["events"] if e["status"] != "planned"]
    tables["equipment_losses"] = equipment_losses(c, happened, actor_ids, place_ids) if happened else []
    tables["casualties"] = (
        casualties(c, happened, actor_ids, actor_type_of, tables["event_relations"]) if happened else []
    )
    tables["event_actors"] = event_actors(c, event_ids, actor_ids, tables["equipment_losses"], tables["casualties"])
    # A distance is between two places, never from a place to itself.
    for distance_id in numbered_ids(c, "dist", c.integer(0, 2)) if len(place_ids) > 1 else []:
        place_id = c.choice(place_ids)
        origin = c.choice([p for p in place_ids if p != place_id])
        tables["place_distances"].append(distance(c, distance_id, place_id, origin))
    for k in range(c.integer(0, 2)):
        record_table = vocabulary(c, "retired_ids", "record_table")
        live = {"actors": actor_ids, "places": place_ids, "events": event_ids}.get(record_table, [])
        tables["retired_ids"].append(
            row(
                "retired_ids",
                retired_id=f"gone-{k}",
                record_table=record_table,
                superseded_by=c.choice(["", *live]),
                reason_en=c.english(),
                retired_in_version=c.choice(retired_versions()),
            )
        )
    tables["claims"] = claims(c, tables, by_article, primary)
    return GeneratedPackage(tables, source_files)


def retired_versions() -> list[str]:
    """Versions no later than the package's own: an ID is never retired in a version still to come."""
    current = json.loads((sch.package_root() / "datapackage.json").read_text(encoding="utf-8"))["version"]
    as_numbers = lambda v: tuple(int(x) for x in v.split("."))
    return sorted({v for v in ("0.0.1", "0.1.0", current) if as_numbers(v) <= as_numbers(current)})


def event_relations(c: Chooser, events: list[dict], primary: dict[str, str]) -> list[dict]:
    """Links from a later-starting event to an earlier-starting one (or any two, for same_report_as):
    never dated before the related event, and never a cycle.

    Each link starts from an event of its own (the later one), so no two link the same pair, and no other
    link joins two reports of one happening: each happening's reports but its earliest start a
    same_report_as link, so a link from that earliest leads out of the happening. same_report_as joins
    reports of different articles (never two of one article, even through other reports), withdrawal_from a
    move back to a move forward; where the drawn relation cannot, the link is a follows link."""
    ordered = sorted(events, key=lambda e: (e["date_earliest"], e["event_id"]))
    if len(ordered) < 2:
        return []
    ids = numbered_ids(c, "rel", c.integer(0, min(4, len(ordered) - 1)))
    laters = c.sample(range(1, len(ordered)), len(ids))
    happening = {e["event_id"]: {e["event_id"]} for e in events}  # an event -> the reports of its happening
    rows = []
    for relation_id, later in zip(ids, laters):
        earlier = c.integer(0, later - 1)
        name = vocabulary(c, "event_relations", "relation")
        pair = (ordered[later], ordered[earlier])
        a, b = pair[0]["event_id"], pair[1]["event_id"]
        if name == "same_report_as":
            if {primary[e] for e in happening[a]} & {primary[e] for e in happening[b]}:
                name = "follows"
            else:
                merged = happening[a] | happening[b]
                for e in merged:
                    happening[e] = merged
                if c.boolean():
                    pair = pair[::-1]
        if name == "withdrawal_from" and not withdrawal_fits(pair[0]["event_kind"], pair[1]["event_kind"]):
            name = "follows"
        rows.append(relation(c, relation_id, pair[0]["event_id"], pair[1]["event_id"], name))
    return rows


def equipment_losses(c: Chooser, event_ids: list[str], actor_ids: list[str], place_ids: list[str]) -> list[dict]:
    """Running totals with the batches counted in them (a total may be counted in the next total), and
    loose batches. A total states a quantity at least the sum of what it counts; all of them are one
    event's losses of one actor."""
    groups = [[c.integer(1, 20) for _ in range(c.integer(0, 3))] for _ in range(c.integer(0, 2))]
    loose = c.integer(0, 2)
    ids = iter(numbered_ids(c, "loss", len(groups) + sum(map(len, groups)) + loose))
    owner = (c.choice(event_ids), c.choice(actor_ids))
    rows: list[dict] = []
    previous_total: dict[str, str] = {}  # none yet
    for batches in groups:
        counted = sum(batches)
        nest = bool(previous_total) and c.boolean()
        if nest:
            counted += int(previous_total["quantity"])
        quantity = str(max(1, counted + c.integer(0, 5)))
        total = loss(c, next(ids), *owner, actor_ids, place_ids, quantity=quantity, is_total="true")
        if nest:
            previous_total["total_loss_id"] = total["loss_id"]
        rows.append(total)
        rows += [
            loss(
                c,
                next(ids),
                *owner,
                actor_ids,
                place_ids,
                quantity=str(q),
                is_total="false",
                total_loss_id=total["loss_id"],
            )
            for q in batches
        ]
        previous_total = total
    for _ in range(loose):
        quantity = optional(c, lambda: str(c.integer(1, 50)))
        event_id, lost_by = c.choice(event_ids), c.choice(actor_ids)
        rows.append(loss(c, next(ids), event_id, lost_by, actor_ids, place_ids, quantity=quantity, is_total="false"))
    return rows


def casualties(
    c: Chooser, event_ids: list[str], actor_ids: list[str], actor_type_of: dict[str, str], relations: list[dict]
) -> list[dict]:
    """Figures with ordered counts, and possibly one alternative_group of two or three figures for the same
    event, actor, category and population. A figure that would give a second number for one happening,
    actor, category and population outside the group gives none (cross.conflicting_figures)."""
    alternatives = c.choice([0, 0, 2, 3])
    loose = c.integer(0, 3)
    ids = iter(numbered_ids(c, "cas", alternatives + loose))

    def figure(event_id: str, actor_id: str, category: str, population: str, group: str = "") -> dict:
        civilian = actor_type_of[actor_id] == "civilian_population"
        cells = dict(category=category, population=population, alternative_group=group)
        return casualty(c, next(ids), event_id, actor_id, civilian, **cells)

    def people() -> tuple[str, str, str]:
        return c.choice(actor_ids), vocabulary(c, "casualties", "category"), vocabulary(c, "casualties", "population")

    event_id, counted = c.choice(event_ids), people()
    group = numbered_ids(c, "alt", 1)[0]
    rows = [figure(event_id, *counted, group=group) for _ in range(alternatives)]
    rows += [figure(c.choice(event_ids), *people()) for _ in range(loose)]
    linked = {frozenset((r["event_id"], r["related_event_id"])) for r in relations if r["relation"] == "same_report_as"}
    numbered: list[dict] = []
    for figure_row in rows:
        if not (figure_row["count_low"] or figure_row["count_best"] or figure_row["count_high"]):
            continue
        if any(_same_people(other, figure_row, linked) for other in numbered):
            figure_row.update(count_low="", count_best="", count_high="")
        else:
            numbered.append(figure_row)
    return rows


def _same_people(one: dict, other: dict, linked: set) -> bool:
    """Do two figures outside one alternative group count the same people of one happening?"""
    counted = lambda r: (r["actor_id"], r["category"], r["population"])
    same_happening = one["event_id"] == other["event_id"] or frozenset((one["event_id"], other["event_id"])) in linked
    grouped = bool(other["alternative_group"]) and one["alternative_group"] == other["alternative_group"]
    return counted(one) == counted(other) and same_happening and not grouped


def event_actors(
    c: Chooser, event_ids: list[str], actor_ids: list[str], losses: list[dict], figures: list[dict]
) -> list[dict]:
    """Who took part in each event: every actor that lost equipment or people in an event, and a few more;
    each actor once per event, in one role."""
    needed = [(r["event_id"], r["lost_by_actor_id"]) for r in losses] + [
        (r["event_id"], r["actor_id"]) for r in figures
    ]
    extra = [(c.choice(event_ids), c.choice(actor_ids)) for _ in range(c.integer(0, 4))]
    pairs = list(dict.fromkeys(needed + extra))
    ids = numbered_ids(c, "ea", len(pairs))
    return [event_actor(c, ea_id, event_id, actor_id) for ea_id, (event_id, actor_id) in zip(ids, pairs)]


def claims(c: Chooser, tables: dict[str, list[dict]], by_article: dict[str, Article], primary: dict) -> list[dict]:
    """One or two claims for every record that needs one, and now and then one for an event_actors or
    event_relations row. An event is one article's report: its claims, and those of its actors, losses,
    casualties and relations (by the event that relates), quote its primary article. The first claim of an
    event that is not denied affirms it (:func:`fitting_source_kind`, :func:`fitting_stance`)."""
    event_of = {t: {r[sch.primary_key(t)]: r["event_id"] for r in tables[t]} for t in sch.event_records()}
    event_of["events"] = {e: e for e in primary}
    denied = {e["event_id"] for e in tables["events"] if e["status"] == "denied"}
    wanted = []
    for table in sch.claimed_tables():
        key = sch.primary_key(table)
        for record in tables[table]:
            article_id = primary[event_of[table][record[key]]] if table in event_of else None
            affirm = table == "events" and record[key] not in denied
            wanted += [(table, record[key], article_id, affirm and i == 0) for i in range(c.integer(1, 2))]
    for table in ("event_actors", "event_relations"):
        key = sch.primary_key(table)
        wanted += [(table, r[key], primary[event_of[table][r[key]]], False) for r in tables[table] if c.boolean()]
    people = [a["actor_id"] for a in tables["actors"] if a["actor_type"] == "person"]
    bodies = [a["actor_id"] for a in tables["actors"] if a["actor_type"] != "person"]
    rows = []
    for claim_id, (table, record_id, article_id, affirm) in zip(numbered_ids(c, "cl", len(wanted)), wanted):
        article_id = article_id or c.choice(list(by_article))
        text = by_article[article_id]
        start, end = quote_span(c, text)
        rows.append(claim(c, claim_id, (article_id, text.text, start, end), (table, record_id), people, bodies, affirm))
    return rows


def write_package(generated: GeneratedPackage, folder: Path) -> Path:
    """Write a generated package as the build would: canonical CSV, article files, Parquet copies and a
    datapackage.json with every CSV's size and hash. Returns the folder."""
    from .build import reseal, sha256_hex
    from .tables import write_csv

    folder = Path(folder)
    (folder / "data" / "sources").mkdir(parents=True, exist_ok=True)
    for path, data in generated.texts.items():
        (folder / path).write_bytes(data)
    files = {}
    for table in sch.table_names():
        names, key = sch.field_names(table), sch.primary_key(table)
        rows = sorted(generated.tables[table], key=lambda r: r[key])
        data = write_csv(folder / "data" / f"{table}.csv", names, [[r[n] for n in names] for r in rows])
        files[table] = (len(data), sha256_hex(data))
    reseal(folder, sch.table_names(), descriptor=False)
    write_descriptor(folder, generated.tables["articles"], files)
    return folder


def write_descriptor(folder: Path, articles: list[dict], files: dict[str, tuple[int, str]]) -> None:
    """Write the datapackage.json of a generated package: the installed package's, with the generated
    ``articles`` (rows of text) as its sources and the size and sha256 of every CSV (``files``), as the
    build would write it."""
    from .build import seal_descriptor
    from .descriptor import package_sources

    descriptor = json.loads((sch.package_root() / "datapackage.json").read_text(encoding="utf-8"))
    named = ("article_id", "path", "outlet", "wire_sources", "published_earliest", "published_latest")
    descriptor["sources"] = package_sources([{k: a[k] for k in named} for a in articles])
    seal_descriptor(folder, files, descriptor)
