"""Synthetic data packages of any size: complete, valid, deterministic, and fast to make.

``synthesize(folder, events=N, seed=0)`` writes a data package folder as the build would: every table of
``schemas/`` as canonical CSV (schema column order, rows sorted by primary key, minimal quoting), Arabic
article texts whose quotes sit at exact code-point offsets, the Parquet copies, and a ``datapackage.json``
with every CSV's size and hash. ``libya-conflict validate FOLDER`` passes on it.

Tables keep the proportions of the curated data (rows per event, claims per record), so a package of a
million events looks like a million events of real coverage: about 35,000 articles, 440,000 actors and
3.2 million claims. The rules the generator of valid packages (:mod:`libya_conflict.generate`) follows
record by record are followed here too (dates that fit their precision, relations that only point back in
time, totals at least the sum of their parts, quotes cut from their articles), but whole columns are drawn
at once with numpy and assembled with ``pyarrow.compute``: a million events take seconds, not hours. The
rules that are a function of a record's own cells are the generator's, applied to whole columns of codes
through lookup tables (:func:`rule_table`).

The same ``seed`` and size give the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import schema as sch
from .generate import (
    ABROAD,
    ARABIC_LETTERS,
    ARABIC_WORDS,
    DATE_PRECISIONS,
    ENGLISH_WORDS,
    INSIDE,
    LOCATED_PRECISIONS,
    fitting_source_kind,
    fitting_stance,
    loss_outcome,
    withdrawal_fits,
    write_descriptor,
)

# Rows in the curated data of version 0.1.0, which had 142 events: the proportions to keep.
CURATED_ROWS = {
    "events": 142,
    "articles": 5,
    "actors": 62,
    "places": 37,
    "event_actors": 243,
    "event_relations": 101,
    "equipment_losses": 12,
    "casualties": 8,
    "place_distances": 4,
}
# Claims per table in the same data (455 in all: 3.2 per event).
CURATED_CLAIMS = {
    "events": 202,
    "actors": 126,
    "places": 71,
    "place_distances": 4,
    "equipment_losses": 19,
    "casualties": 9,
    "event_relations": 20,
    "event_actors": 4,
}
# Tables whose records belong to an event (for relations, the event that relates).
EVENT_RECORDS = sch.event_records()
# The curated data has no retired identifier yet; one per this many events keeps the table from being
# empty at benchmark sizes.
EVENTS_PER_RETIRED_ID = 10_000

# What follows each quoted sentence in an article: Arabic comma, full stop and line break, space, paragraph.
ARTICLE_SEPARATORS = ("، ", ".\n", " ", "\n\n")


def table_sizes(events: int) -> dict[str, int]:
    """Rows of each table for a package of ``events`` events, in the curated proportions.

    >>> table_sizes(142)["claims"]
    455
    """
    scale = events / CURATED_ROWS["events"]
    sizes = {t: round(n * scale) for t, n in CURATED_ROWS.items()}
    sizes["events"] = events
    for table in ("articles", "actors", "places"):  # every foreign key needs something to point to
        sizes[table] = max(1, sizes[table])
    if events < 2:
        sizes["event_relations"] = 0  # a relation needs two events
    sizes["retired_ids"] = events // EVENTS_PER_RETIRED_ID
    sizes["claims"] = sum(_claims_per_table(sizes).values())
    return sizes


def _claims_per_table(sizes: dict[str, int]) -> dict[str, int]:
    """Claims of each record table: the curated claims per record, and at least one per claimed record."""
    out = {}
    for table, claims in CURATED_CLAIMS.items():
        n = round(sizes[table] * claims / CURATED_ROWS[table])
        out[table] = max(n, sizes[table]) if table in sch.claimed_tables() else min(n, sizes[table])
    return out


# ------------------------------------------------------------------------------------------ Columns


def _strings(values):
    """A numpy array as an Arrow string array."""
    import pyarrow as pa

    return pa.array(values).cast(pa.string())


def numbered_ids(prefix: str, n: int):
    """``prefix-NNN-NNN`` for 0..n-1, zero-padded to one width so that string order is numeric order."""
    import numpy as np
    import pyarrow.compute as pc

    k = np.arange(n, dtype=np.int64)
    width = max(3, len(str(max(n - 1, 0) // 1000)))
    return pc.binary_join_element_wise(
        prefix, pc.utf8_lpad(_strings(k // 1000), width, "0"), pc.utf8_lpad(_strings(k % 1000), 3, "0"), "-"
    )


def serial_ids(prefix: str, n: int):
    """``prefix-NNN`` for 0..n-1, zero-padded to one width (article, actor and place IDs)."""
    import numpy as np
    import pyarrow.compute as pc

    width = max(3, len(str(max(n - 1, 0))))
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(_strings(np.arange(n)), width, "0"), "-")


def arabic_vocabulary(rng, count: int = 2000):
    """Arabic words: the real ones above and generated ones of two to seven letters (never a lone letter,
    which before an Arabic comma could read as cp1256 mojibake)."""
    import pyarrow as pa

    lengths = rng.integers(2, 8, count)
    picks = rng.integers(0, len(ARABIC_LETTERS), int(lengths.sum()))
    words, at = list(ARABIC_WORDS), 0
    for n in lengths:  # a vocabulary of a few thousand words, made once per package
        words.append("".join(ARABIC_LETTERS[i] for i in picks[at : at + n]))
        at += n
    return pa.array(words, pa.string())


def phrases(rng, words, n: int, fewest: int, most: int):
    """``n`` texts of ``fewest`` to ``most`` words drawn from ``words``, joined by spaces."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lengths = rng.integers(fewest, most + 1, n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    drawn = words.take(pa.array(rng.integers(0, len(words), int(offsets[-1]))))
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), drawn), " ").cast(pa.string())


def masked(values, keep):
    """``values`` where ``keep`` (a numpy bool array) is true, else missing (an empty cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(pa.array(keep), values, pa.scalar(None, values.type))


def sometimes(rng, values, share: float):
    """``values`` with about ``share`` of them kept and the rest missing."""
    return masked(values, rng.random(len(values)) < share)


def choice(rng, options, n: int, weights=None):
    """``n`` values drawn from ``options`` (with ``weights`` if given)."""
    import numpy as np
    import pyarrow as pa

    p = None if weights is None else np.asarray(weights, dtype=float) / sum(weights)
    return pa.array(list(options), pa.string()).take(pa.array(rng.choice(len(options), n, p=p)))


def _positions(values, targets):
    """For each of ``values``, its position in ``targets`` (numpy int64; every value is found)."""
    import pyarrow.compute as pc

    return pc.index_in(values, value_set=targets).to_numpy(zero_copy_only=False).astype("int64")


def rule_table(rule, answers, *vocabularies):
    """A record rule of :mod:`libya_conflict.generate` as a numpy lookup table over every combination of
    its arguments' codes: ``table[i, j, ...]`` is the place in ``answers`` of ``rule(vocabularies[0][i],
    vocabularies[1][j], ...)``. Indexed with whole columns of codes, it applies the rule to every row at once.
    """
    import itertools

    import numpy as np

    table = np.empty([len(v) for v in vocabularies], dtype=np.int64)
    for at in itertools.product(*(range(len(v)) for v in vocabularies)):
        table[at] = answers.index(rule(*(v[i] for v, i in zip(vocabularies, at))))
    return table


YES_NO = (False, True)


def pick(values, index):
    """``values[index]`` for a numpy array of indices."""
    import pyarrow as pa

    return values.take(pa.array(index))


def dates(days):
    """Days (numpy datetime64) as ISO date strings."""
    return _strings(days.astype("datetime64[D]"))


def numbers(values):
    """Numbers as CSV text: integers without a point, decimals in their shortest form (never 1e-05)."""
    return _strings(values)


# ----------------------------------------------------------------------------------------- Tables


def make_articles(rng, n: int, arabic, english):
    """Articles, published one after another from April 2019 to June 2020; about one in five has a
    publication range of a few days. Their texts, paths, sizes and hashes come later (:func:`article_texts`, :func:`write_articles`).

    Returns the columns and each article's last publication day.
    """
    import numpy as np

    earliest = np.datetime64("2019-04-01") + (np.arange(n) * 456 // n).astype("timedelta64[D]")
    ranged = rng.random(n) < 0.2
    latest = earliest + np.where(ranged, rng.integers(1, 4, n), 0).astype("timedelta64[D]")
    columns = {
        "article_id": serial_ids("art", n),
        "language": choice(rng, ["ar"], n),
        "outlet": sometimes(rng, phrases(rng, english, n, 1, 3), 0.3),
        "outlet_basis_en": sometimes(rng, phrases(rng, english, n, 6, 20), 0.8),
        "wire_sources": sometimes(rng, choice(rng, ["AFP", "Reuters", "Anadolu", "AFP; Reuters"], n), 0.2),
        "headline_ar": sometimes(rng, phrases(rng, arabic, n, 4, 10), 0.5),
        "published_earliest": dates(earliest),
        "published_latest": dates(latest),
        "published_precision": pick(_strings(np.array(["day", "range"])), ranged.astype(np.int64)),
        "published_basis_en": phrases(rng, english, n, 8, 30),
    }
    return columns, latest


def make_actors(rng, n: int, arabic, english):
    """Actors; a parent is always an earlier actor, so parents form a tree."""
    import numpy as np
    import pyarrow.compute as pc

    ids = serial_ids("act", n)
    parent = np.arange(n) // 10
    variants = pc.binary_join_element_wise(phrases(rng, arabic, n, 1, 3), phrases(rng, arabic, n, 1, 3), " | ")
    actor_type, side = (
        choice(rng, sch.vocabulary("actors", "actor_type"), n),
        choice(rng, sch.vocabulary("actors", "side"), n),
    )
    # Only foreign actors back a side (row.backs_side), only people have titles (row.person_title).
    foreign = np.asarray(pc.equal(side, "foreign").to_numpy(zero_copy_only=False), dtype=bool)
    person = np.asarray(pc.equal(actor_type, "person").to_numpy(zero_copy_only=False), dtype=bool)
    return {
        "actor_id": ids,
        "name_en": phrases(rng, english, n, 1, 4),
        "name_ar": phrases(rng, arabic, n, 1, 3),
        "name_ar_variants": sometimes(rng, variants, 0.15),
        "actor_type": actor_type,
        "side": side,
        "backs_side": masked(choice(rng, sch.vocabulary("actors", "backs_side"), n), foreign & (rng.random(n) < 0.5)),
        "title_en": masked(phrases(rng, english, n, 2, 8), person & (rng.random(n) < 0.7)),
        "parent_actor_id": masked(pick(ids, parent), (rng.random(n) < 0.5) & (parent < np.arange(n))),
        "note": sometimes(rng, phrases(rng, english, n, 5, 25), 0.3),
    }


def make_places(rng, n: int, arabic, english):
    """Places inside the coverage with coordinates, some without coordinates, some outside the coverage
    (north of it, in Europe) with a note saying why."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = rng.choice(3, n, p=[0.8, 0.1, 0.1])
    inside, unlocated, outside = kind == 0, kind == 1, kind == 2
    # Four decimals, as integers first so that the text is exact. Places inside lie in a box wholly inside
    # Libya's outline, those outside in one inside Italy's (row.coordinates_country).
    (south, north, west, east), italy = INSIDE, ABROAD["Italy"]
    lat = np.where(inside, rng.integers(south, north + 1, n), rng.integers(italy[0], italy[1] + 1, n)) / 1e4
    lon = np.where(inside, rng.integers(west, east + 1, n), rng.integers(italy[2], italy[3] + 1, n)) / 1e4
    in_coverage = ~outside & ~(unlocated & (rng.random(n) < 0.5))
    ids = serial_ids("pl", n)
    parent = np.arange(n) // 8
    # A place within the coverage contains only places within it (cross.parent_place_coverage).
    has_parent = (rng.random(n) < 0.6) & (parent < np.arange(n)) & ~(in_coverage[parent] & ~in_coverage)
    # Places inside the coverage are in Libya, the others elsewhere (row.coverage_country).
    country = pc.if_else(pa.array(in_coverage), pa.scalar("Libya"), pa.scalar("Italy"))
    precision = choice(rng, LOCATED_PRECISIONS, n)
    return {
        "place_id": ids,
        "name_en": phrases(rng, english, n, 1, 3),
        "name_ar": phrases(rng, arabic, n, 1, 3),
        "place_type": choice(rng, sch.vocabulary("places", "place_type"), n),
        "latitude": masked(numbers(lat), ~unlocated),
        "longitude": masked(numbers(lon), ~unlocated),
        "geo_precision": masked(precision, ~unlocated).fill_null("none"),
        "coord_uncertainty_km": masked(numbers(rng.integers(0, 500, n) / 10), ~unlocated & (rng.random(n) < 0.6)),
        "parent_place_id": masked(pick(ids, parent), has_parent),
        "country": country,
        "admin1": sometimes(rng, phrases(rng, english, n, 1, 2), 0.5),
        "in_coverage": pick(_strings(np.array(["false", "true"])), in_coverage.astype(np.int64)),
        "coverage_note": masked(phrases(rng, english, n, 4, 15), ~in_coverage | (rng.random(n) < 0.1)),
        "coord_source": sometimes(rng, phrases(rng, english, n, 2, 8), 0.5),
    }


def make_events(rng, n: int, published_latest, places, english):
    """Events spread over the articles in order, each dated no later than its primary article's last
    publication day, with a range that fits its precision.

    Returns the columns, each event's primary article and its earliest date.
    """
    import numpy as np
    import pyarrow as pa

    primary = np.arange(n) * len(published_latest) // n
    ACLED_SUB_EVENT_TYPES, EVENT_KIND_TYPES = sch.acled_sub_event_types(), sch.event_kind_acled_types()
    pairs = [(t, s) for t in sorted(ACLED_SUB_EVENT_TYPES) for s in sorted(ACLED_SUB_EVENT_TYPES[t])]
    pair = rng.integers(0, len(pairs), n)
    kinds = sch.vocabulary("events", "event_kind")
    kind = rng.integers(0, len(kinds), n)
    # A kind docs/curation.md codes one way takes one of its codes (row.event_kind).
    for k, name in enumerate(kinds):
        if name in EVENT_KIND_TYPES:
            allowed = [pairs.index(p) for p in sorted(EVENT_KIND_TYPES[name])]
            pair = np.where(kind == k, np.asarray(allowed)[rng.integers(0, len(allowed), n)], pair)
    d = published_latest[primary] - rng.integers(0, 31, n).astype("timedelta64[D]")
    precision = rng.choice(5, n, p=[0.7, 0.1, 0.08, 0.02, 0.1])  # day, week, month, year, range
    month, year = d.astype("datetime64[M]"), d.astype("datetime64[Y]")
    one_day = np.timedelta64(1, "D")
    lo = np.select([precision == 2, precision == 3], [month.astype("datetime64[D]"), year.astype("datetime64[D]")], d)
    hi = np.select(
        [precision == 1, precision == 2, precision == 3, precision == 4],
        [
            d + rng.integers(1, 7, n).astype("timedelta64[D]"),
            (month + 1).astype("datetime64[D]") - one_day,
            (year + 1).astype("datetime64[D]") - one_day,
            d + rng.integers(1, 31, n).astype("timedelta64[D]"),
        ],
        d,
    )
    columns = {
        "event_id": numbered_ids("ev", n),
        "event_type": pick(pa.array([p[0] for p in pairs]), pair),
        "sub_event_type": pick(pa.array([p[1] for p in pairs]), pair),
        "event_kind": pick(pa.array(kinds), kind),
        "date_earliest": dates(lo),
        "date_latest": dates(hi),
        "date_precision": pick(pa.array(DATE_PRECISIONS), precision),
        "time_of_day": sometimes(rng, choice(rng, sch.vocabulary("events", "time_of_day"), n), 0.3),
        "date_note": sometimes(rng, phrases(rng, english, n, 3, 12), 0.4),
        "place_id": sometimes(rng, pick(places, rng.integers(0, len(places), n)), 0.8),
        "location_note_en": sometimes(rng, phrases(rng, english, n, 3, 15), 0.5),
        "status": choice(rng, sch.vocabulary("events", "status"), n, weights=[85, 5, 4, 2, 2, 2, 1]),
        "description_en": phrases(rng, english, n, 8, 40),
    }
    return columns, primary, lo


def make_event_actors(rng, n: int, events, actors):
    """Who took part in which event, in what role: the rows spread evenly over the events (one or two each
    at the curated proportions) and each event's actors distinct, so that no actor takes part twice in one
    event (cross.event_actor_roles); with a single actor, its second row in an event is as a participant.

    Returns the columns and each row's event and actor (numpy indices)."""
    import numpy as np

    event = np.arange(n) * len(events) // max(n, 1)
    nth = np.arange(n) - np.searchsorted(event, event)  # rank of the row among its event's rows
    actor = (rng.integers(0, len(actors), len(events))[event] + nth) % len(actors)
    roles = sch.vocabulary("event_actors", "role")
    again = nth >= len(actors)  # only when there are fewer actors than rows per event
    single = len(actors) == 1
    role = np.where(
        again,
        roles.index("participant"),
        rng.choice([k for k, r in enumerate(roles) if not single or r != "participant"], n),
    )
    columns = {
        "event_actor_id": numbered_ids("ea", n),
        "event_id": pick(events, event),
        "actor_id": pick(actors, actor),
        "role": pick(_strings(np.array(roles)), role),
    }
    return columns, event, actor


def make_event_relations(rng, n: int, events, earliest, primary, kinds, english):
    """Links from an event to one that starts no later (up to 50 events back in date order): never dated
    before the related event, never to itself, and never a cycle (every link points back in one order).

    Each link starts from an event of its own, so no two link the same pair. same_report_as links join an
    event at an odd place in date order to the one just before it, of another article (else the link is a
    follows): every happening has at most two reports, and no other link joins them. A withdrawal_from link
    whose events are not a move back and a move forward (cross.withdrawal_kind) is a follows link instead.

    Returns the columns and which events are reports of a happening reported twice (numpy bool)."""
    import numpy as np
    import pyarrow as pa

    order = np.lexsort((np.arange(len(earliest)), earliest))
    later = 1 + rng.choice(len(earliest) - 1, n, replace=False) if n else np.zeros(0, np.int64)
    earlier = np.maximum(later - rng.integers(1, 51, n), 0)
    names = sch.vocabulary("event_relations", "relation")
    code = rng.integers(0, len(names), n)
    same, follows = names.index("same_report_as"), names.index("follows")
    reported = (code == same) & (later % 2 == 1)
    earlier = np.where(reported, later - 1, earlier)
    reported &= primary[order[later]] != primary[order[earlier]]
    code = np.where((code == same) & ~reported, follows, code)
    event_kinds = sch.vocabulary("events", "event_kind")
    kind = _positions(kinds, pa.array(event_kinds))
    fits = rule_table(withdrawal_fits, YES_NO, event_kinds, event_kinds)[kind[order[later]], kind[order[earlier]]] == 1
    code = np.where((code == names.index("withdrawal_from")) & ~fits, follows, code)
    relation = pick(_strings(np.array(names)), code)
    twice = np.zeros(len(earliest), dtype=bool)
    twice[order[later[reported]]] = twice[order[earlier[reported]]] = True
    # same_report_as has no direction: half of them point forward.
    swap = reported & (rng.random(n) < 0.5)
    source, target = np.where(swap, earlier, later), np.where(swap, later, earlier)
    return {
        "event_relation_id": numbered_ids("rel", n),
        "event_id": pick(events, order[source]),
        "related_event_id": pick(events, order[target]),
        "relation": relation,
        "note": sometimes(rng, phrases(rng, english, n, 4, 20), 0.5),
    }, twice


def make_equipment_losses(rng, n: int, taking_part, usable, actors, places, arabic, english):
    """Running totals, each followed by the one to three batches counted in it (a total is at least their
    sum), then loose batches; about half the rows belong to a total.

    Each loss is an event's actor's (a row of ``taking_part``, the event and actor columns of event_actors,
    among the ``usable`` rows: cross.loss_actor_in_event), and a total's batches are lost in its event by
    its actor. What happened to the equipment fits how it was lost and what it is (row.loss_status)."""
    import numpy as np

    batches = rng.integers(1, 4, max(n // 4, 1))
    ends = np.cumsum(batches + 1)
    groups = int(np.searchsorted(ends, n // 2, side="right"))
    batches, in_groups = batches[:groups], int(ends[groups - 1]) if groups else 0
    # Row layout: for each group its total then its batches, then the loose rows.
    starts = np.concatenate([[0], ends[: groups - 1]]) if groups else np.zeros(0, np.int64)
    group_of = np.repeat(np.arange(groups), batches + 1)
    is_total = np.zeros(n, bool)
    is_total[starts] = True
    quantity = rng.integers(1, 21, n)
    part = np.zeros(n, bool)
    part[:in_groups] = ~is_total[:in_groups]
    sums = np.bincount(group_of[part[:in_groups]], weights=quantity[:in_groups][part[:in_groups]], minlength=groups)
    quantity[starts] = sums.astype(np.int64) + rng.integers(0, 6, groups)
    total_of = np.full(n, -1)
    total_of[:in_groups] = starts[group_of]
    has_quantity = is_total | part | (rng.random(n) < 0.8)
    ids = numbered_ids("loss", n)
    # One event's actor per group (its total and batches) and per loose row.
    unit = np.concatenate([group_of, groups + np.arange(n - in_groups)]).astype(np.int64)
    by = usable[rng.integers(0, len(usable), groups + n - in_groups)][unit]
    event_of, actor_of, actor_index = taking_part
    supplier = rng.integers(0, len(actors), n)
    vocabulary = {c: sch.vocabulary("equipment_losses", c) for c in ("category", "status", "method")}
    category, status = rng.integers(0, len(vocabulary["category"]), n), rng.integers(0, len(vocabulary["status"]), n)
    method = rng.integers(0, len(vocabulary["method"]), n)

    # What happened to the equipment fits how it was lost and what it is (row.loss_status).
    drawn = (vocabulary["category"], vocabulary["status"], vocabulary["method"])
    outcome = lambda k, answers: rule_table(lambda *cells: loss_outcome(*cells)[k], answers, *drawn)
    status, method = (
        outcome(0, vocabulary["status"])[category, status, method],
        outcome(1, vocabulary["method"])[category, status, method],
    )
    text = lambda column, values: pick(_strings(np.array(vocabulary[column])), values)
    return {
        "loss_id": ids,
        "event_id": pick(event_of, by),
        "system_en": phrases(rng, english, n, 1, 5),
        "system_ar": sometimes(rng, phrases(rng, arabic, n, 1, 4), 0.7),
        "category": text("category", category),
        "quantity": masked(numbers(quantity), has_quantity),
        "status": text("status", status),
        "lost_by_actor_id": pick(actor_of, by),
        "method": masked(text("method", method), rng.random(n) < 0.8),
        "place_id": sometimes(rng, pick(places, rng.integers(0, len(places), n)), 0.7),
        "origin_en": sometimes(rng, phrases(rng, english, n, 1, 3), 0.4),
        # Never the actor that lost it (row.self_supplied).
        "supplied_by_actor_id": masked(pick(actors, supplier), (rng.random(n) < 0.3) & (supplier != actor_index[by])),
        "verification": choice(rng, sch.vocabulary("equipment_losses", "verification"), n),
        "is_total": pick(_strings(np.array(["false", "true"])), is_total.astype(np.int64)),
        "total_loss_id": masked(pick(ids, np.maximum(total_of, 0)), part),
    }


def make_casualties(rng, n: int, taking_part, usable, civilian, english):
    """Figures with ordered counts, any of them missing; about a third in alternative groups of two or
    three figures for the same event, actor, category and population (the groups first, then the loose rows).

    Each group, and each loose row, is the figure of an event's actor of its own (a row of ``taking_part``
    among the ``usable`` rows, whose events are reported once: cross.loss_actor_in_event), so no two figures
    outside a group count the same people (cross.conflicting_figures); should there be fewer such actors than
    figures, the figures beyond them give no number. A civilian population's people (``civilian``, for each
    row of ``taking_part``) are never combatants, and the text's words for a quantity come only without a
    number (row.quantity_text)."""
    import numpy as np

    sizes = rng.integers(2, 4, max(n // 6, 1))
    ends = np.cumsum(sizes)
    groups = int(np.searchsorted(ends, n // 3, side="right"))
    in_groups = int(ends[groups - 1]) if groups else 0
    group_of = np.concatenate([np.repeat(np.arange(groups), sizes[:groups]), np.arange(groups, groups + n - in_groups)])
    units = groups + n - in_groups
    by = rng.permutation(usable)[np.arange(units) % max(len(usable), 1)]
    alone = (np.arange(units) < len(usable))[group_of]
    event_of, actor_of = taking_part
    category = choice(rng, sch.vocabulary("casualties", "category"), units)
    populations = sch.vocabulary("casualties", "population")
    population = rng.integers(0, len(populations), units)
    population = np.where(
        civilian[by] & (population == populations.index("combatant")), populations.index("civilian"), population
    )[group_of]
    counts = np.sort(rng.integers(0, 501, (n, 3)), axis=1)
    given = (rng.random((n, 3)) < 0.5) & alone[:, None]
    grouped = np.arange(n) < in_groups
    return {
        "casualty_id": numbered_ids("cas", n),
        "event_id": pick(event_of, by[group_of]),
        "actor_id": pick(actor_of, by[group_of]),
        "category": pick(category, group_of),
        "population": pick(_strings(np.array(populations)), population),
        "count_low": masked(numbers(counts[:, 0]), given[:, 0]),
        "count_best": masked(numbers(counts[:, 1]), given[:, 1]),
        "count_high": masked(numbers(counts[:, 2]), given[:, 2]),
        "quantity_text_en": masked(phrases(rng, english, n, 2, 8), ~given.any(axis=1) & (rng.random(n) < 0.4)),
        "alternative_group": masked(
            pick(numbered_ids("alt", max(groups, 1)), np.minimum(group_of, max(groups - 1, 0))), grouped
        ),
    }


def make_place_distances(rng, n: int, places, english):
    """Distances between places, some given as a span."""

    tenths = rng.integers(0, 5001, n)
    place = rng.integers(0, len(places), n)
    away = (place + rng.integers(1, max(len(places), 2), n)) % len(places)  # never from itself (row.distance_self)
    return {
        "distance_id": numbered_ids("dist", n),
        "place_id": pick(places, place),
        "from_place_id": pick(places, away),
        "distance_km": numbers(tenths / 10),
        "distance_km_high": sometimes(rng, numbers((tenths + rng.integers(0, 501, n)) / 10), 0.3),
        "direction_en": sometimes(rng, choice(rng, ["north", "south", "east", "west", "south-west"], n), 0.6),
    }


def make_retired_ids(rng, n: int, events, english):
    """Identifiers withdrawn in earlier versions, some superseded by a live event."""

    return {
        "retired_id": serial_ids("gone", n),
        "record_table": choice(rng, ["events"], n),
        "superseded_by": sometimes(rng, pick(events, rng.integers(0, max(len(events), 1), n)), 0.5),
        "reason_en": phrases(rng, english, n, 4, 12),
        "retired_in_version": choice(rng, ["0.1.0"], n),
    }


def make_claims(rng, sizes, ids, primary, event_of, denied, person, n_articles: int, arabic, english):
    """Claims: at least one for every record that needs one, more for some records, and a few for
    event_actors and event_relations rows; numbered article by article, as curators number them. Each
    quotes a sentence of its own, which :func:`article_texts` puts into the article.

    An event is one article's report: its claims, and those of its actors, casualties, losses and relations
    (``event_of``: each record's event, by table), quote its primary article (cross.event_article,
    cross.claim_article). The first claim of an event that is not ``denied`` does not deny it
    (cross.denied_event) and is not unattributed hearsay (cross.rumour_occurred). The outlet's own reporting
    has no claimant and never 'reports' (row.outlet_stance); a named official and a correspondent are a
    ``person``, an official statement a body's (row.claim_source, cross.named_official, cross.claimant_kind).

    Returns the columns without offsets, and each claim's article (ascending).
    """
    import numpy as np
    import pyarrow as pa

    tables, records, articles, firsts = [], [], [], []
    for table, count in _claims_per_table(sizes).items():
        n = sizes[table]
        if table in sch.claimed_tables():
            record = np.concatenate([np.arange(n), rng.integers(0, max(n, 1), count - n)])
        else:
            record = rng.choice(n, count, replace=False) if n else np.zeros(0, np.int64)
        article = primary[event_of[table][record]] if table in event_of else rng.integers(0, n_articles, count)
        first = np.zeros(count, dtype=bool)
        if table == "events":
            first[:n] = ~denied
        tables.append(np.full(count, list(CURATED_CLAIMS).index(table)))
        records.append(pick(ids[table], record))
        articles.append(article)
        firsts.append(first)
    table_code, article = np.concatenate(tables), np.concatenate(articles)
    order = np.argsort(article, kind="stable")
    n = len(order)
    take = pa.array(order)
    stances = sch.vocabulary("claims", "stance")
    stance = rng.choice(len(stances), n, p=np.array([3, 5, 2, 1]) / 11)
    kinds = sch.vocabulary("claims", "source_kind")
    kind = rng.integers(0, len(kinds), n)
    people, bodies = np.flatnonzero(person), np.flatnonzero(~np.asarray(person, dtype=bool))
    # Sources and stances made to fit as the generator makes them: the first claim of an event taken as
    # fact (``affirm``) neither denies it nor is unattributed hearsay, the outlet's narration never 'reports'.
    affirm = np.concatenate(firsts)[order].astype(np.int64)
    fitting_kind = lambda k, a: fitting_source_kind(k, bool(len(people)), bool(len(bodies)), a)
    kind = rule_table(fitting_kind, kinds, kinds, YES_NO)[kind, affirm]
    stance = rule_table(fitting_stance, stances, kinds, stances, YES_NO)[kind, stance, affirm]
    official = np.isin(kind, [kinds.index("named_official"), kinds.index("correspondent")])
    statement = kind == kinds.index("official_statement")
    claimant = rng.integers(0, len(ids["actors"]), n)
    if len(people):
        claimant = np.where(official, people[rng.integers(0, len(people), n)], claimant)
    if len(bodies):
        claimant = np.where(statement, bodies[rng.integers(0, len(bodies), n)], claimant)
    # A correspondent's or official statement's claim names who makes it (cross.claimant_kind).
    claimed = official | statement | ((kind != kinds.index("outlet")) & (rng.random(n) < 0.3))
    columns = {
        "claim_id": numbered_ids("cl", n),
        "article_id": pick(serial_ids("art", n_articles), article[order]),
        "record_table": pick(pa.array(list(CURATED_CLAIMS)), table_code[order]),
        "record_id": pa.concat_arrays(records).take(take),
        "quote": phrases(rng, arabic, n, 3, 12),
        "claimant_actor_id": masked(pick(ids["actors"], claimant), claimed),
        "source_kind": pick(_strings(np.array(kinds)), kind),
        "stance": pick(_strings(np.array(stances)), stance),
        "translation_en": phrases(rng, english, n, 4, 20),
    }
    return columns, article[order]


# ------------------------------------------------------------------------------------------ Texts


def string_bytes(strings):
    """The UTF-8 bytes of every string of an Arrow string array, one after another (a zero-copy buffer)."""
    import numpy as np
    import pyarrow as pa

    strings = strings.cast(pa.large_string())
    if len(strings) == 0:
        return pa.py_buffer(b"")
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)[strings.offset : strings.offset + len(strings) + 1]
    return strings.buffers()[2][int(offsets[0]) : int(offsets[-1])]


def article_texts(rng, claims: dict, claim_article, n_articles: int, arabic):
    """Every article's text: a lead sentence, then the sentences its claims quote, each followed by a
    separator. Fills in the claims' offsets (in code points).

    Returns the texts of all articles in one buffer, and where each article's bytes begin (and end).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n_claims = len(claim_article)
    lead = pc.binary_join_element_wise(phrases(rng, arabic, n_articles, 4, 12), ".\n", "")
    separator = rng.integers(0, len(ARTICLE_SEPARATORS), n_claims)
    quote = claims["quote"]
    segment = pc.binary_join_element_wise(quote, pick(pa.array(ARTICLE_SEPARATORS), separator), "")

    # A claim starts after its article's lead and the segments before it in its article.
    seg_len = pc.utf8_length(segment).to_numpy().astype(np.int64)
    first_claim = np.searchsorted(claim_article, np.arange(n_articles))  # claims are sorted by article
    before = np.cumsum(seg_len) - seg_len
    lead_len = pc.utf8_length(lead).to_numpy().astype(np.int64)
    start = lead_len[claim_article] + before - before[first_claim[claim_article]]
    claims["quote_start"] = numbers(start)
    claims["quote_end"] = numbers(start + pc.utf8_length(quote).to_numpy().astype(np.int64))

    # Lay out each article's lead then its segments, article after article, in one buffer.
    position = np.empty(n_articles + n_claims, np.int64)
    lead_at = first_claim + np.arange(n_articles)
    position[lead_at] = np.arange(n_articles)
    position[np.arange(n_claims) + claim_article + 1] = n_articles + np.arange(n_claims)
    pieces = pa.concat_arrays([lead, segment]).cast(pa.large_string()).take(pa.array(position))
    piece_start = np.concatenate([[0], np.cumsum(pc.binary_length(pieces).to_numpy().astype(np.int64))])
    return string_bytes(pieces), np.append(piece_start[lead_at], piece_start[-1])


def write_articles(folder: Path, data, bounds, first: int, stop: int) -> list[tuple[str, str, int]]:
    """Write the texts of articles ``first`` to ``stop - 1``; returns their (path, sha256, bytes)."""
    width = max(3, len(str(len(bounds) - 2)))
    view, out = memoryview(data), []
    for k in range(first, stop):  # one file per article
        text = view[bounds[k] : bounds[k + 1]]
        digest = hashlib.sha256(text).hexdigest()
        path = f"data/sources/{k:0{width}d}_{digest[:16]}.txt"
        (folder / path).write_bytes(text)
        out.append((path, digest, len(text)))
    return out


def write_csv(path: Path, table: str, columns: dict) -> tuple[int, str]:
    """Write the canonical CSV of a table (the bytes :func:`libya_conflict.tables.write_csv` would write:
    header in schema order, LF line ends, a cell quoted only when it holds a comma, a double quote or a
    line break). Returns its size and sha256."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = (",".join(sch.field_names(table)) + "\n").encode("utf-8")
    digest, size = hashlib.sha256(header), len(header)
    fields = sch.table_schema(table)["fields"]
    body = pa.py_buffer(b"")
    if len(columns[fields[0]["name"]]):
        comma, nothing, newline = (pa.scalar(c, pa.large_string()) for c in (",", "", "\n"))
        cells = []
        for field in fields:
            cell = columns[field["name"]].cast(pa.large_string()).fill_null("")
            # Numbers, dates, booleans and vocabularies are made here and never need quotes: skip the scan.
            if field["type"] == "string" and not sch.enum_of(field):
                special = pc.match_substring_regex(cell, '[,"\r\n]')
                if pc.any(special).as_py():
                    quote = pa.scalar('"', pa.large_string())
                    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(cell, '"', '""'), quote, nothing)
                    cell = pc.if_else(special, quoted, cell)
            cells.append(cell)
        # The line end rides on the last cell: one more pass over a column, not over whole lines.
        cells[-1] = pc.binary_join_element_wise(cells[-1], newline, nothing)
        body = string_bytes(pc.binary_join_element_wise(*cells, comma))
        digest.update(body)
        size += body.size
    with open(path, "wb") as handle:
        handle.write(header)
        handle.write(body)
    return size, digest.hexdigest()


def write_parquet(folder: Path, table: str, columns: dict, csv_sha256: str) -> None:
    """The typed Parquet copy, converted from the CSV text exactly as the build converts it."""
    import pyarrow as pa

    from .build import write_copy

    names = sch.field_names(table)
    text = pa.table({n: columns[n].cast(pa.string()).fill_null("") for n in names})
    errors = write_copy(folder, table, text, csv_sha256)
    if errors:  # a bug here, not in the data: say which cell
        raise ValueError(f"synthetic {table} has a cell that is not of its type: {errors[0]}")


def synthesize(folder: Path, events: int, seed: int = 0) -> dict[str, int]:
    """Write a valid data package of ``events`` events (and every other table in proportion) to ``folder``.

    Returns the rows written per table.
    """
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import pyarrow as pa

    if events < 1:
        raise ValueError(f"--events must be at least 1, not {events}")
    folder = Path(folder)
    (folder / "data" / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "parquet").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    arabic, english = arabic_vocabulary(rng), pa.array(ENGLISH_WORDS, pa.string())
    sizes = table_sizes(events)

    tables = {}
    tables["articles"], published_latest = make_articles(rng, sizes["articles"], arabic, english)
    tables["actors"] = make_actors(rng, sizes["actors"], arabic, english)
    tables["places"] = make_places(rng, sizes["places"], arabic, english)
    actors, places = tables["actors"]["actor_id"], tables["places"]["place_id"]
    tables["events"], primary, earliest = make_events(rng, events, published_latest, places, english)
    ev = tables["events"]["event_id"]
    status = np.asarray(tables["events"]["status"].to_numpy(zero_copy_only=False))
    actor_type = np.asarray(tables["actors"]["actor_type"].to_numpy(zero_copy_only=False))
    tables["event_actors"], ea_event, ea_actor = make_event_actors(rng, sizes["event_actors"], ev, actors)
    tables["event_relations"], twice = make_event_relations(
        rng, sizes["event_relations"], ev, earliest, primary, tables["events"]["event_kind"], english
    )
    # Losses are those of an event's actors, never in a planned event (cross.planned_losses); casualty
    # figures moreover only in events reported once, so that no figure of another report can conflict.
    taking_part = (tables["event_actors"]["event_id"], tables["event_actors"]["actor_id"])
    happened = np.flatnonzero(status[ea_event] != "planned")
    happened = happened if len(happened) else np.arange(len(ea_event))
    once = happened[~twice[ea_event[happened]]]
    once = once if len(once) else happened
    tables["equipment_losses"] = make_equipment_losses(
        rng, sizes["equipment_losses"], (*taking_part, ea_actor), happened, actors, places, arabic, english
    )
    tables["casualties"] = make_casualties(
        rng, sizes["casualties"], taking_part, once, actor_type[ea_actor] == "civilian_population", english
    )
    tables["place_distances"] = make_place_distances(rng, sizes["place_distances"], places, english)
    tables["retired_ids"] = make_retired_ids(rng, sizes["retired_ids"], ev, english)
    ids = {t: tables[t][sch.primary_key(t)] for t in CURATED_CLAIMS}
    event_of = {t: _positions(tables[t]["event_id"], ev) for t in EVENT_RECORDS}
    event_of["events"] = np.arange(events)
    tables["claims"], claim_article = make_claims(
        rng,
        sizes,
        ids,
        primary,
        event_of,
        status == "denied",
        actor_type == "person",
        sizes["articles"],
        arabic,
        english,
    )
    data, bounds = article_texts(rng, tables["claims"], claim_article, sizes["articles"], arabic)

    def save(table):
        """Both files of a table; returns the CSV's size and hash."""
        size, digest = write_csv(folder / "data" / f"{table}.csv", table, tables[table])
        write_parquet(folder, table, tables[table], digest)
        return size, digest

    # Two workers for two cores: pyarrow and file writes release the GIL. Articles wait for their texts.
    with ThreadPoolExecutor(max_workers=2) as pool:
        half = sizes["articles"] // 2
        texts = [
            pool.submit(write_articles, folder, data, bounds, a, b) for a, b in ((0, half), (half, sizes["articles"]))
        ]
        others = [t for t in sch.table_names() if t != "articles"]
        others.sort(key=lambda t: -len(tables[t][sch.primary_key(t)]))  # largest first
        written = {t: pool.submit(save, t) for t in others}
        files = [row for part in texts for row in part.result()]
        articles = tables["articles"]
        articles["path"], articles["sha256"], articles["bytes"] = (
            pa.array([f[0] for f in files], pa.string()),
            pa.array([f[1] for f in files], pa.string()),
            numbers(np.array([f[2] for f in files], np.int64)),
        )
        written["articles"] = pool.submit(save, "articles")
        saved = {t: future.result() for t, future in written.items()}

    # The synthetic articles are the sources, as the build would name them.
    named = ("article_id", "path", "outlet", "wire_sources", "published_earliest", "published_latest")
    columns = {k: articles[k].to_pylist() for k in named}
    write_descriptor(folder, [dict(zip(named, values)) for values in zip(*columns.values())], saved)
    return {t: len(tables[t][sch.primary_key(t)]) for t in sch.table_names()}
