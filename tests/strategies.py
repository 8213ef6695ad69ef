"""Hypothesis strategies for whole, valid, mutually consistent libya-conflict data packages.

``packages()`` draws a :class:`GeneratedPackage`: every table of ``schemas/`` as rows of CSV cell text,
and the Arabic article texts the claims quote. It is valid by construction, never by filtering: keys are
drawn unique and foreign keys drawn from the keys already made; dates are drawn so that each range fits
its precision and no event that occurred is dated after the article reporting it; relations only point
back in time, which also keeps ``follows`` and ``part_of`` free of cycles; running totals are drawn
at least as large as what they count; quotes are spans of whole tokens of an article, with their offsets
in code points. ``write_package`` turns it into a data package folder as the build would.

Profiles (choose with the environment variable HYPOTHESIS_PROFILE): ``default`` is fast, for every test
run; ``thorough`` draws many more examples.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import string
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from libya_conflict import schema as sch
from libya_conflict.build import datapackage_descriptor, descriptor_bytes, reseal
from libya_conflict.tables import write_csv

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=15, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("thorough", max_examples=200, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ACLED_SUB_EVENT_TYPES, EVENT_KIND_TYPES = sch.acled_sub_event_types(), sch.event_kind_acled_types()
AIRBORNE_CATEGORIES, STRIKE_METHODS, CAPTURE_STATUSES = (
    sch.airborne_categories(),
    sch.strike_methods(),
    sch.capture_statuses(),
)
WITHDRAWING_KINDS, WITHDRAWN_FROM_KINDS = sch.withdrawing_kinds(), sch.withdrawn_from_kinds()
CLAIMED_TABLES = sch.claimed_tables()

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NBSP = "\u00a0"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NUMBER = {"type": "number"}


@dataclass
class GeneratedPackage:
    """A package as rows of cell text and article bytes, before it is written to a folder."""

    tables: dict[str, list[dict[str, str]]]  # table -> rows, every schema column present, as CSV text
    texts: dict[str, bytes]  # article path (data/sources/...) -> the file's bytes


# ------------------------------------------------------------------------------------------ Cells

# Words of two letters or more, as in real text: lone letters before commas could read as cp1256 mojibake
# ("ط،ط،" is "ءء").
arabic_words = st.text(ARABIC_LETTERS, min_size=2, max_size=7)
arabic_phrases = st.lists(arabic_words, min_size=1, max_size=4).map(" ".join)
# English text: never starts like a formula (= + - @) nor with whitespace; some non-ASCII; quotes and
# commas to exercise CSV quoting.
latin_words = st.text(string.ascii_letters + string.digits + "éāʿ’", min_size=1, max_size=9)
latin_texts = st.builds(
    lambda first, rest: first + "".join(sep + word for sep, word in rest),
    latin_words,
    st.lists(st.tuples(st.sampled_from([" ", ", ", " - ", " — ", '; "', '" ', " / "]), latin_words), max_size=5),
)


def optional(strategy):
    """The strategy's value, or the empty cell."""
    return st.one_of(st.just(""), strategy)


def vocabulary(table: str, column: str):
    """One of the values the schema allows in the column."""
    field = next(f for f in sch.table_schema(table)["fields"] if f["name"] == column)
    return st.sampled_from(sch.enum_of(field))


def number(value: float) -> str:
    """A decimal as the CSV writes it (the build's canonical text, so it round-trips)."""
    return sch.format_cell(NUMBER, value)


def blank_row(table: str, **cells) -> dict[str, str]:
    """A row of the table with every column empty but ``cells``."""
    row = {name: "" for name in sch.field_names(table)}
    row.update(cells)
    return row


@st.composite
def numbered_ids(draw, prefix: str, count: int) -> list[str]:
    """``count`` distinct IDs of the form prefix-NNN-NNN, in shuffled order (so rows need sorting).

    Distinct by construction (increasing numbers: each the last plus 1 to 10,000), not by a filter."""
    numbers, n = [], -1
    for gap in draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count)):
        n += gap
        numbers.append(n)
    numbers = draw(st.permutations(numbers))
    return [f"{prefix}-{n // 1000:03d}-{n % 1000:03d}" for n in numbers]


@st.composite
def slug_ids(draw, prefix: str, count: int) -> list[str]:
    """``count`` distinct IDs of the form prefix-slug-K (the last segment, K, makes them distinct)."""
    slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5}){0,1}", fullmatch=True)
    return [f"{prefix}-{slug}-{k}" for k, slug in enumerate(draw(st.lists(slugs, min_size=count, max_size=count)))]


@st.composite
def date_ranges(draw, latest_start: dt.date, earliest_start: dt.date = dt.date(1990, 1, 1)):
    """(precision, earliest, latest) fitting row.date_precision, with earliest <= latest_start."""
    precision = draw(st.sampled_from(["day", "week", "month", "year", "range"]))
    d = draw(st.dates(earliest_start, latest_start))
    if precision == "day":
        return precision, d, d
    if precision == "week":
        return precision, d, d + dt.timedelta(days=draw(st.integers(1, 6)))
    if precision == "range":
        return precision, d, d + dt.timedelta(days=draw(st.integers(1, 400)))
    if precision == "month":
        first = d.replace(day=1)
        return precision, first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return precision, dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


# ---------------------------------------------------------------------------------------- Articles


@dataclass
class Article:
    """An article text and where its tokens are."""

    text: str
    tokens: list[tuple[int, int]]  # code-point offsets of every token (never whitespace at either end)


@st.composite
def article_texts(draw, with_nbsp: bool) -> Article:
    """An Arabic article: words, ASCII and Arabic-Indic numbers, a Latin name now and then, separated by
    spaces, Arabic commas, line breaks and (``with_nbsp``: at least one) no-break spaces."""
    token = st.one_of(
        arabic_words,
        arabic_words,
        arabic_words,
        st.integers(0, 9999).map(str),
        st.integers(0, 9999).map(lambda n: str(n).translate(ARABIC_INDIC)),
        st.sampled_from(["AFP", "LNA"]),
    )
    words = draw(st.lists(token, min_size=4, max_size=30))
    separators = draw(
        st.lists(
            st.sampled_from([" ", " ", " ", "، ", ".\n", "\n\n", NBSP, " «"]),
            min_size=len(words) - 1,
            max_size=len(words) - 1,
        )
    )
    if with_nbsp and NBSP not in separators:
        separators[draw(st.integers(0, len(separators) - 1))] = NBSP
    text, tokens = "", []
    for i, word in enumerate(words):
        tokens.append((len(text), len(text) + len(word)))
        text += word + (separators[i] if i < len(separators) else "\n")
    return Article(text, tokens)


@st.composite
def quote_spans(draw, article: Article) -> tuple[int, int]:
    """Offsets of one to five whole tokens of the article."""
    first = draw(st.integers(0, len(article.tokens) - 1))
    last = draw(st.integers(first, min(first + 4, len(article.tokens) - 1)))
    return article.tokens[first][0], article.tokens[last][1]


# ---------------------------------------------------------------------------------------- Packages


@st.composite
def packages(draw) -> GeneratedPackage:
    """A whole valid package: every table, keys that resolve, quotes at their offsets."""
    tables: dict[str, list[dict]] = {t: [] for t in sch.table_names()}
    pick = lambda values: draw(st.sampled_from(values))

    # Articles: the first always holds a no-break space, so that corruptions of one always have a target.
    # At least two (a same_report_as link joins reports of two articles), each ending in its own number so
    # that no two texts (and sha256) are the same.
    texts = draw(
        st.lists(st.booleans(), min_size=2, max_size=3).flatmap(
            lambda flags: st.tuples(*[article_texts(with_nbsp=(i == 0 or f)) for i, f in enumerate(flags)])
        )
    )
    texts = [
        Article(a.text + f"{k}\n", a.tokens + [(len(a.text), len(a.text) + len(str(k)))]) for k, a in enumerate(texts)
    ]
    articles, source_files = [], {}
    for k, article in enumerate(texts):
        data = article.text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        path = f"data/sources/{k:03d}_{digest[:16]}.txt"
        source_files[path] = data
        precision, lo, hi = draw(date_ranges(dt.date(2020, 12, 31), dt.date(2019, 4, 1)))
        articles.append(
            blank_row(
                "articles",
                article_id=f"art-{k:03d}",
                path=path,
                sha256=digest,
                bytes=str(len(data)),
                language="ar",
                outlet=draw(optional(latin_texts)),
                outlet_basis_en=draw(optional(latin_texts)),
                wire_sources=draw(optional(latin_texts)),
                headline_ar=draw(optional(arabic_phrases)),
                published_earliest=lo.isoformat(),
                published_latest=hi.isoformat(),
                published_precision=precision,
                published_basis_en=draw(latin_texts),
            )
        )
    tables["articles"] = articles
    by_article = {a["article_id"]: texts[k] for k, a in enumerate(articles)}

    # Actors: a parent is always an earlier actor, so parents form a tree. Only foreign actors back a side,
    # only people have titles.
    actor_ids = draw(slug_ids("act", draw(st.integers(1, 4))))
    for k, actor_id in enumerate(actor_ids):
        actor_type, side = draw(vocabulary("actors", "actor_type")), draw(vocabulary("actors", "side"))
        tables["actors"].append(
            blank_row(
                "actors",
                actor_id=actor_id,
                name_en=draw(latin_texts),
                name_ar=draw(arabic_phrases),
                name_ar_variants=draw(optional(st.lists(arabic_phrases, min_size=1, max_size=3).map(" | ".join))),
                actor_type=actor_type,
                side=side,
                backs_side=draw(optional(vocabulary("actors", "backs_side"))) if side == "foreign" else "",
                title_en=draw(optional(latin_texts)) if actor_type == "person" else "",
                parent_actor_id=pick([""] + actor_ids[:k]),
                note=draw(optional(latin_texts)),
            )
        )
    actor_type_of = {a["actor_id"]: a["actor_type"] for a in tables["actors"]}

    place_ids = draw(slug_ids("pl", draw(st.integers(1, 3))))
    for k, place_id in enumerate(place_ids):
        tables["places"].append(draw(places(place_id, tables["places"][:k])))

    # Events: each is reported by a primary article and dated no later than its last publication day
    # (planned and announced events may be dated up to a year after).
    event_ids = draw(numbered_ids("ev", draw(st.integers(1, 5))))
    primary = {}
    for event_id in event_ids:
        article = pick(articles)
        primary[event_id] = article["article_id"]
        status = draw(vocabulary("events", "status"))
        published = dt.date.fromisoformat(article["published_latest"])
        latest_start = published + dt.timedelta(days=365) if status in ("planned", "announced") else published
        precision, lo, hi = draw(date_ranges(latest_start))
        event_kind = draw(vocabulary("events", "event_kind"))
        if event_kind in EVENT_KIND_TYPES:  # a kind docs/curation.md codes one way takes one of its codes
            event_type, sub_event_type = pick(sorted(EVENT_KIND_TYPES[event_kind]))
        else:
            event_type = pick(sorted(ACLED_SUB_EVENT_TYPES))
            sub_event_type = pick(sorted(ACLED_SUB_EVENT_TYPES[event_type]))
        tables["events"].append(
            blank_row(
                "events",
                event_id=event_id,
                event_type=event_type,
                sub_event_type=sub_event_type,
                event_kind=event_kind,
                date_earliest=lo.isoformat(),
                date_latest=hi.isoformat(),
                date_precision=precision,
                time_of_day=draw(optional(vocabulary("events", "time_of_day"))),
                date_note=draw(optional(latin_texts)),
                place_id=pick([""] + place_ids),
                location_note_en=draw(optional(latin_texts)),
                status=status,
                description_en=draw(latin_texts),
            )
        )

    tables["event_relations"] = draw(event_relations(tables["events"], primary))
    # Losses only in events that are not merely planned; each loss's actor takes part in its event.
    happened = [e["event_id"] for e in tables["events"] if e["status"] != "planned"]
    tables["equipment_losses"] = draw(equipment_losses(happened, actor_ids, place_ids)) if happened else []
    tables["casualties"] = (
        draw(casualties(happened, actor_ids, actor_type_of, tables["event_relations"])) if happened else []
    )
    tables["event_actors"] = draw(event_actors(event_ids, actor_ids, tables["equipment_losses"], tables["casualties"]))
    # A distance is between two places, never from a place to itself.
    for distance_id in draw(numbered_ids("dist", draw(st.integers(0, 2)))) if len(place_ids) > 1 else []:
        tenths = draw(st.integers(0, 5000))
        high = draw(optional(st.integers(0, 500).map(lambda extra: number((tenths + extra) / 10))))
        place_id = pick(place_ids)
        tables["place_distances"].append(
            blank_row(
                "place_distances",
                distance_id=distance_id,
                place_id=place_id,
                from_place_id=pick([p for p in place_ids if p != place_id]),
                distance_km=number(tenths / 10),
                distance_km_high=high,
                direction_en=draw(optional(latin_texts)),
            )
        )
    for k in range(draw(st.integers(0, 2))):
        record_table = draw(vocabulary("retired_ids", "record_table"))
        live = {"actors": actor_ids, "places": place_ids, "events": event_ids}.get(record_table, [])
        tables["retired_ids"].append(
            blank_row(
                "retired_ids",
                retired_id=f"gone-{k}",
                record_table=record_table,
                superseded_by=pick([""] + live),
                reason_en=draw(latin_texts),
                retired_in_version=draw(retired_versions()),
            )
        )

    tables["claims"] = draw(claims(tables, articles, by_article, primary, actor_ids))
    return GeneratedPackage(tables, source_files)


# Boxes wholly inside four countries' outlines, in ten-thousandths of a degree: south, north, west, east.
ABROAD = {
    "Tunisia": (335_000, 355_000, 88_000, 98_000),
    "Egypt": (230_000, 290_000, 270_000, 320_000),
    "Turkey": (380_000, 400_000, 300_000, 400_000),
    "Italy": (418_000, 426_000, 125_000, 138_000),
}


@st.composite
def places(draw, place_id: str, earlier: list[dict]) -> dict:
    """A place inside the coverage, without coordinates, or outside it (then with a coverage_note). Inside
    the coverage a place is in Libya, outside elsewhere; a place outside is never inside a place within it;
    a coordinate uncertainty comes only with coordinates."""
    kind = draw(st.sampled_from(["inside", "inside", "unlocated", "outside"]))
    abroad = draw(st.sampled_from(sorted(ABROAD)))  # the country of a place outside the coverage
    located_precision = st.sampled_from(["site", "centroid_town", "centroid_region", "approximate"])
    if kind == "inside":
        # A box wholly inside Libya's outline (row.coordinates_country), not the coverage's bounding box.
        lat, lon = draw(st.integers(240_000, 300_000)) / 10_000, draw(st.integers(120_000, 240_000)) / 10_000
        cells = dict(
            latitude=number(lat),
            longitude=number(lon),
            geo_precision=draw(located_precision),
            in_coverage="true",
            coverage_note=draw(optional(latin_texts)),
        )
    elif kind == "unlocated":
        in_coverage = draw(st.booleans())
        cells = dict(
            geo_precision="none",
            in_coverage="true" if in_coverage else "false",
            coverage_note=draw(optional(latin_texts) if in_coverage else latin_texts),
        )
    else:
        south, north, west, east = ABROAD[abroad]
        lat, lon = draw(st.integers(south, north)) / 10_000, draw(st.integers(west, east)) / 10_000
        cells = dict(
            latitude=number(lat),
            longitude=number(lon),
            geo_precision=draw(located_precision),
            in_coverage="false",
            coverage_note=draw(latin_texts),
        )
    inside = cells["in_coverage"] == "true"
    parents = [p["place_id"] for p in earlier if inside or p["in_coverage"] == "false"]
    uncertainty = draw(optional(st.integers(0, 5000).map(lambda t: number(t / 10)))) if "latitude" in cells else ""
    return blank_row(
        "places",
        place_id=place_id,
        name_en=draw(latin_texts),
        name_ar=draw(arabic_phrases),
        place_type=draw(vocabulary("places", "place_type")),
        coord_uncertainty_km=uncertainty,
        parent_place_id=draw(st.sampled_from([""] + parents)),
        country=sch.package_metadata()["x-spatial-coverage"]["name"] if inside else abroad,
        admin1=draw(optional(latin_texts)),
        coord_source=draw(optional(latin_texts)),
        **cells,
    )


@st.composite
def event_relations(draw, events: list[dict], primary: dict) -> list[dict]:
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
    ids = draw(numbered_ids("rel", draw(st.integers(0, min(4, len(ordered) - 1)))))
    laters = draw(st.lists(st.integers(1, len(ordered) - 1), min_size=len(ids), max_size=len(ids), unique=True))
    happening = {e["event_id"]: {e["event_id"]} for e in events}  # an event -> the reports of its happening
    rows = []
    for relation_id, later in zip(ids, laters):
        earlier = draw(st.integers(0, later - 1))
        relation = draw(vocabulary("event_relations", "relation"))
        pair = (ordered[later], ordered[earlier])
        a, b = pair[0]["event_id"], pair[1]["event_id"]
        if relation == "same_report_as":
            if {primary[e] for e in happening[a]} & {primary[e] for e in happening[b]}:
                relation = "follows"
            else:
                merged = happening[a] | happening[b]
                for e in merged:
                    happening[e] = merged
                if draw(st.booleans()):
                    pair = pair[::-1]
        if relation == "withdrawal_from" and not (
            pair[0]["event_kind"] in WITHDRAWING_KINDS and pair[1]["event_kind"] in WITHDRAWN_FROM_KINDS
        ):
            relation = "follows"
        rows.append(
            blank_row(
                "event_relations",
                event_relation_id=relation_id,
                event_id=pair[0]["event_id"],
                related_event_id=pair[1]["event_id"],
                relation=relation,
                note=draw(optional(latin_texts)),
            )
        )
    return rows


@st.composite
def equipment_losses(draw, event_ids, actor_ids, place_ids) -> list[dict]:
    """Running totals with the batches counted in them (a total may be counted in the next total), and
    loose batches. A total states a quantity at least the sum of what it counts; all of them are one
    event's losses of one actor. What happened to the equipment fits how it was lost and what it is, and it
    was never supplied by the actor that lost it."""
    groups = draw(st.lists(st.lists(st.integers(1, 20), max_size=3), max_size=2))
    loose = draw(st.integers(0, 2))
    ids = iter(draw(numbered_ids("loss", len(groups) + sum(map(len, groups)) + loose)))
    rows, previous_total = [], None
    owner = {"event_id": draw(st.sampled_from(event_ids)), "lost_by_actor_id": draw(st.sampled_from(actor_ids))}

    def loss(event_id=None, lost_by_actor_id=None, **cells):
        """One row of equipment_losses with everything but ``cells`` drawn."""
        lost_by = lost_by_actor_id or draw(st.sampled_from(actor_ids))
        category, status = (
            draw(vocabulary("equipment_losses", "category")),
            draw(vocabulary("equipment_losses", "status")),
        )
        method = draw(optional(vocabulary("equipment_losses", "method")))
        if status == "shot_down" and category not in AIRBORNE_CATEGORIES:
            status = "destroyed"
        if method == "ground_capture" and status not in CAPTURE_STATUSES:
            status = "captured"
        if status == "captured" and method in STRIKE_METHODS:
            method = "ground_capture"
        return blank_row(
            "equipment_losses",
            loss_id=next(ids),
            event_id=event_id or draw(st.sampled_from(event_ids)),
            system_en=draw(latin_texts),
            system_ar=draw(optional(arabic_phrases)),
            category=category,
            status=status,
            lost_by_actor_id=lost_by,
            method=method,
            place_id=draw(st.sampled_from([""] + place_ids)),
            origin_en=draw(optional(latin_texts)),
            supplied_by_actor_id=draw(st.sampled_from([""] + [a for a in actor_ids if a != lost_by])),
            verification=draw(vocabulary("equipment_losses", "verification")),
            **cells,
        )

    for batches in groups:
        counted = sum(batches)
        nest = previous_total is not None and draw(st.booleans())
        if nest:
            counted += int(previous_total["quantity"])
        total = loss(**owner, quantity=str(max(1, counted + draw(st.integers(0, 5)))), is_total="true")
        if nest:
            previous_total["total_loss_id"] = total["loss_id"]
        rows.append(total)
        rows += [loss(**owner, quantity=str(q), is_total="false", total_loss_id=total["loss_id"]) for q in batches]
        previous_total = total
    rows += [loss(quantity=draw(optional(st.integers(1, 50).map(str))), is_total="false") for _ in range(loose)]
    return rows


@st.composite
def casualties(draw, event_ids, actor_ids, actor_type_of, relations) -> list[dict]:
    """Figures with ordered counts (any of them may be missing), and possibly one alternative_group of
    two or three figures for the same event, actor, category and population. A civilian population's people
    are never combatants; the text's words for a quantity come only without a number; a figure that would
    give a second number for one happening, actor, category and population outside the group gives none."""
    alternatives = draw(st.sampled_from([0, 0, 2, 3]))
    loose = draw(st.integers(0, 3))
    ids = iter(draw(numbered_ids("cas", alternatives + loose)))

    def figure(event_id, actor_id, category, population, group=""):
        """One casualty figure with ordered counts."""
        counts = sorted(draw(st.lists(st.integers(0, 500), min_size=3, max_size=3)))
        low, best, high = [str(c) if draw(st.booleans()) else "" for c in counts]
        if actor_type_of[actor_id] == "civilian_population" and population == "combatant":
            population = "civilian"
        words = draw(optional(latin_texts)) if not (low or best or high) else ""
        return blank_row(
            "casualties",
            casualty_id=next(ids),
            event_id=event_id,
            actor_id=actor_id,
            category=category,
            population=population,
            count_low=low,
            count_best=best,
            count_high=high,
            quantity_text_en=words,
            alternative_group=group,
        )

    people = lambda: (
        draw(st.sampled_from(actor_ids)),
        draw(vocabulary("casualties", "category")),
        draw(vocabulary("casualties", "population")),
    )
    event, (actor, category, population) = draw(st.sampled_from(event_ids)), people()
    group = draw(numbered_ids("alt", 1))[0]
    rows = [figure(event, actor, category, population, group=group) for _ in range(alternatives)]
    rows += [figure(draw(st.sampled_from(event_ids)), *people()) for _ in range(loose)]
    linked = {frozenset((r["event_id"], r["related_event_id"])) for r in relations if r["relation"] == "same_report_as"}
    numbered = []
    for row in rows:
        if not (row["count_low"] or row["count_best"] or row["count_high"]):
            continue
        same = lambda other: (
            (other["actor_id"], other["category"], other["population"])
            == (row["actor_id"], row["category"], row["population"])
            and (other["event_id"] == row["event_id"] or frozenset((other["event_id"], row["event_id"])) in linked)
            and not (row["alternative_group"] and other["alternative_group"] == row["alternative_group"])
        )
        if any(same(other) for other in numbered):
            row.update(count_low="", count_best="", count_high="")
        else:
            numbered.append(row)
    return rows


@st.composite
def event_actors(draw, event_ids, actor_ids, losses, figures) -> list[dict]:
    """Who took part in each event: every actor that lost equipment or people in an event, and a few more;
    each actor once per event, in one role."""
    needed = list(
        dict.fromkeys(
            [(r["event_id"], r["lost_by_actor_id"]) for r in losses] + [(r["event_id"], r["actor_id"]) for r in figures]
        )
    )
    extra = draw(st.lists(st.tuples(st.sampled_from(event_ids), st.sampled_from(actor_ids)), max_size=4, unique=True))
    pairs = needed + [p for p in extra if p not in needed]
    return [
        blank_row(
            "event_actors",
            event_actor_id=event_actor_id,
            event_id=event_id,
            actor_id=actor_id,
            role=draw(vocabulary("event_actors", "role")),
        )
        for event_actor_id, (event_id, actor_id) in zip(draw(numbered_ids("ea", len(pairs))), pairs)
    ]


def retired_versions():
    """A version no later than the package's own: an ID is never retired in a version still to come."""
    current = json.loads((PROJECT_ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    as_numbers = lambda v: tuple(int(x) for x in v.split("."))
    return st.sampled_from(sorted({v for v in ("0.0.1", "0.1.0", current) if as_numbers(v) <= as_numbers(current)}))


@st.composite
def claims(draw, tables, articles, by_article, primary, actor_ids) -> list[dict]:
    """One or two claims for every record that needs one, and now and then one for an event_actors or
    event_relations row. An event is one article's report: its claims, and those of its actors, losses,
    casualties and relations (by the event that relates), quote its primary article. The first claim of an
    event that is not denied does not deny it, and is not unattributed hearsay (cross.rumour_occurred). The
    outlet's own reporting has no claimant and never 'reports'; a named official's and a correspondent's
    claimant is a person (when there is none, the claim is an official statement), an official statement's
    a body (cross.claimant_kind)."""
    event_of = {
        t: {r[sch.primary_key(t)]: r["event_id"] for r in tables[t]}
        for t in ("event_actors", "event_relations", "equipment_losses", "casualties")
    }
    event_of["events"] = {e: e for e in primary}
    denied = {e["event_id"] for e in tables["events"] if e["status"] == "denied"}
    wanted = []
    for table in CLAIMED_TABLES:
        key = sch.primary_key(table)
        for row in tables[table]:
            count = draw(st.integers(1, 2))
            article = primary[event_of[table][row[key]]] if table in event_of else None
            affirm = table == "events" and row[key] not in denied
            wanted += [(table, row[key], article, affirm and i == 0) for i in range(count)]
    for table in ("event_actors", "event_relations"):
        key = sch.primary_key(table)
        wanted += [
            (table, row[key], primary[event_of[table][row[key]]], False) for row in tables[table] if draw(st.booleans())
        ]
    people = [a["actor_id"] for a in tables["actors"] if a["actor_type"] == "person"]
    bodies = [a["actor_id"] for a in tables["actors"] if a["actor_type"] != "person"]
    rows = []
    for claim_id, (table, record_id, article_id, affirm) in zip(draw(numbered_ids("cl", len(wanted))), wanted):
        article_id = article_id or draw(st.sampled_from([a["article_id"] for a in articles]))
        article = by_article[article_id]
        start, end = draw(quote_spans(article))
        source_kind = draw(vocabulary("claims", "source_kind"))
        if source_kind in ("named_official", "correspondent") and not people:
            source_kind = "official_statement"
        if source_kind == "official_statement" and not bodies:
            source_kind = "outlet"
        if affirm and source_kind == "other_media":  # an event taken as fact is not only hearsay
            source_kind = "outlet"
        claimant = {
            "outlet": "",
            "named_official": draw(st.sampled_from(people or [""])),
            "correspondent": draw(st.sampled_from(people or [""])),
            "official_statement": draw(st.sampled_from(bodies or [""])),
        }.get(source_kind, draw(st.sampled_from([""] + actor_ids)))
        stance = draw(vocabulary("claims", "stance"))
        if source_kind == "outlet" and stance == "reports":  # outlet narration asserts (row.outlet_stance)
            stance = "asserts"
        rows.append(
            blank_row(
                "claims",
                claim_id=claim_id,
                article_id=article_id,
                record_table=table,
                record_id=record_id,
                quote=article.text[start:end],
                quote_start=str(start),
                quote_end=str(end),
                claimant_actor_id=claimant,
                source_kind=source_kind,
                stance="asserts" if affirm and stance == "denies" else stance,
                translation_en=draw(latin_texts),
            )
        )
    return rows


# ----------------------------------------------------------------------------------------- On disk


def write_package(package: GeneratedPackage, folder: Path) -> Path:
    """Write a generated package as the build would: canonical CSV, article files, Parquet copies and a
    datapackage.json with every CSV's size and hash. Returns the folder."""
    folder = Path(folder)
    (folder / "data" / "sources").mkdir(parents=True, exist_ok=True)
    for path, data in package.texts.items():
        (folder / path).write_bytes(data)
    csv_bytes = {}
    for table in sch.table_names():
        names, key = sch.field_names(table), sch.primary_key(table)
        rows = sorted(package.tables[table], key=lambda r: r[key])
        csv_bytes[table] = write_csv(folder / "data" / f"{table}.csv", names, [[r[n] for n in names] for r in rows])
    descriptor = datapackage_descriptor(PROJECT_ROOT, csv_bytes)
    (folder / "datapackage.json").write_bytes(descriptor_bytes(descriptor))
    reseal(folder, sch.table_names(), descriptor=False)
    return folder
