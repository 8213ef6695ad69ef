"""Cross-table rules: keys that resolve, quotes that match their articles, relations that make sense.

Foreign keys are checked with joins (Arrow hash tables, ``keys``), quotes article by article in bulk
(``offsets``), groups with pandas group-bys: no rule loops over the rows of a table, only over the
problems it reports.
"""

from __future__ import annotations

from libya_conflict import schema as sch

from . import joins
from .graphs import components, cycle_edges, loops, on_cycles
from .keys import codes, find, first_of, is_in, positions, repeated
from .report import report_rows
from .rule import rule
from .strings import is_one_of, vocabulary_index

# The domain vocabularies these rules check, from schemas/vocabularies.json.
CLAIMED_TABLES = sch.claimed_tables()
ORDERED_RELATIONS = sch.ordered_relations()
ACYCLIC_RELATIONS = sch.acyclic_relations()
FUTURE_STATUSES = sch.future_statuses()


def cross_foreign_key(package, report):
    """Every foreign key declared in schemas/ resolves to an existing record."""
    for table, table_schema in sch.schemas().items():
        f = package.frames.get(table)
        if f is None:
            continue
        for fk in table_schema.get("foreignKeys", []):
            column = fk["fields"]
            target_table = fk["reference"]["resource"] or table
            target_column = fk["reference"]["fields"]
            target = package.frames.get(target_table)
            if column not in f.columns or target is None or target_column not in target.columns:
                continue
            values = f[column]
            dangling = joins.dangling(package, table, column, target_table, target_column)
            report_rows(
                package,
                report,
                table,
                dangling,
                column,
                "cross.foreign_key",
                lambda i: f"{values.iloc[i]!r} is not a {target_column} in {target_table}",
            )


def cross_article_file(package, report):
    """Every article's text file exists, is UTF-8, and matches the sha256 and size in the articles table."""
    import numpy as np
    import pandas as pd

    f = package.frames.get("articles")
    if f is None:
        return
    # The files were read, hashed and checked for UTF-8 with the tables; compare column against column.
    known = f["article_id"].notna().to_numpy(dtype=bool)
    files = [package.articles.get(str(a)) if k else None for a, k in zip(f["article_id"].array, known)]
    present = np.array([k and x is not None and x.bytes is not None for k, x in zip(known, files)], dtype=bool)
    # A path the package may not open (out of the folder, a link out, a FIFO) is integrity.path's: it is
    # not missing, and nothing of it was read.
    unsafe = np.array([x is not None and x.unsafe is not None for x in files], dtype=bool)
    report_rows(
        package,
        report,
        "articles",
        unsafe,
        "path",
        "integrity.path",
        lambda i: f"text file {files[i].unsafe}; nothing of it was read",
    )
    utf8 = np.array([x is not None and x.utf8 for x in files], dtype=bool)
    digest = pd.Series([x.sha256 if x is not None else None for x in files], dtype="string", index=f.index)
    size = pd.Series([x.bytes if x is not None else None for x in files], dtype="Int64", index=f.index)
    report_rows(
        package,
        report,
        "articles",
        known & ~present & ~unsafe,
        "path",
        "cross.article_file",
        lambda i: f"text file {f['path'].iloc[i]!r} is missing",
    )
    report_rows(
        package,
        report,
        "articles",
        present & ~utf8,
        "path",
        "cross.article_file",
        lambda i: f"text file {f['path'].iloc[i]!r} is not valid UTF-8",
    )
    changed = present & (f["sha256"].notna() & (digest != f["sha256"])).fillna(False).to_numpy(dtype=bool)
    report_rows(
        package,
        report,
        "articles",
        changed,
        "sha256",
        "cross.article_hash",
        lambda i: (
            f"{f['path'].iloc[i]} has sha256 {digest.iloc[i]}, the table says {f['sha256'].iloc[i]}: "
            "the article text was changed"
        ),
    )
    resized = present & (f["bytes"].notna() & (size != f["bytes"])).fillna(False).to_numpy(dtype=bool)
    report_rows(
        package,
        report,
        "articles",
        resized,
        "bytes",
        "cross.article_hash",
        lambda i: f"{f['path'].iloc[i]} has {size.iloc[i]} bytes, the table says {f['bytes'].iloc[i]}",
    )


def cross_claim_quote(package, report):
    """Every claim quotes its article exactly at its offsets: text[quote_start:quote_end] == quote."""
    import numpy as np
    import pandas as pd

    from .offsets import quotes_match
    from .strings import arrow_array

    f = package.frames.get("claims")
    if f is None or not {"article_id", "quote", "quote_start", "quote_end"} <= set(f.columns):
        return
    # Articles whose text can be read (an unknown article is a foreign-key problem; a missing or
    # undecodable file an article problem).
    readable = {a: x for a, x in package.articles.items() if x.bytes is not None and x.utf8}
    files = list(readable.values())
    where = positions(f["article_id"], pd.Series(list(readable), dtype="string"))
    complete = f[["quote", "quote_start", "quote_end"]].notna().all(axis=1).to_numpy(dtype=bool) & (where >= 0)
    where[~complete] = -1
    start = f["quote_start"].to_numpy(dtype="int64", na_value=0)
    end = f["quote_end"].to_numpy(dtype="int64", na_value=0)
    texts = memoryview(package.texts)

    def read(first, last):
        """Texts first..last-1, one after another: straight from the bytes read, where they lie side by side
        unless an unreadable article sits between them (then copied together)."""
        chosen = files[first:last]
        begin, end = chosen[0].start, chosen[-1].start + chosen[-1].bytes
        if all(b.start == a.start + a.bytes for a, b in zip(chosen, chosen[1:])):
            return texts[begin:end], [x.start - begin for x in chosen]
        together = b"".join(texts[x.start : x.start + x.bytes] for x in chosen)
        return together, np.cumsum([0] + [x.bytes for x in chosen[:-1]]).tolist()

    matched = quotes_match(read, [x.bytes for x in files], where, start, end, arrow_array(f["quote"]))
    # What the bytes did not show equal is decided by Python's slicing, which is the rule's definition.
    decoded = {}
    unmatched = sorted(np.flatnonzero(complete & ~matched), key=lambda i: (str(f["article_id"].iloc[i]), i))
    for i in unmatched:
        article_id, quote, s, e = f["article_id"].iloc[i], f["quote"].iloc[i], start[i], end[i]
        if article_id not in decoded:
            x = readable[article_id]
            decoded[article_id] = bytes(texts[x.start : x.start + x.bytes]).decode("utf-8", "replace")
        found = decoded[article_id][int(s) : int(e)]
        if found != quote:
            report.add(
                "claims",
                package.row_key("claims", int(i)),
                "quote",
                "cross.claim_quote",
                f"{article_id}[{s}:{e}] is {found[:40]!r}, the quote is {str(quote)[:40]!r}",
            )


def cross_claim_record(package, report):
    """Every claim's record_table/record_id names a record that exists."""
    import numpy as np

    f = package.frames.get("claims")
    if f is None or not {"record_table", "record_id"} <= set(f.columns):
        return
    named = [str(t) for t in f["record_table"].dropna().unique() if str(t) in package.frames]
    rows = [joins.claims_without_record(package, table, sch.primary_key(table)) for table in named]
    report_rows(
        package,
        report,
        "claims",
        np.sort(np.concatenate(rows)) if rows else [],
        "record_id",
        "cross.claim_record",
        lambda i: f"{f['record_table'].iloc[i]} has no record {f['record_id'].iloc[i]!r}",
    )


def cross_record_has_claim(package, report):
    """Every record of actors, places, place_distances, events, equipment_losses and casualties has a claim."""
    if package.frames.get("claims") is None:
        return
    for table in CLAIMED_TABLES:
        if package.frames.get(table) is None:
            continue
        pk = sch.primary_key(table)
        report_rows(
            package,
            report,
            table,
            joins.records_without_claim(package, table, pk),
            pk,
            "cross.record_has_claim",
            lambda i: "no claim quotes an article for this record",
        )


def _dates_at(frame, column, where):
    """``frame[column]`` at positions ``where`` (NaT where -1), as a pandas Series of datetimes."""
    import numpy as np
    import pandas as pd

    values = frame[column].to_numpy()
    found = values[np.maximum(where, 0)] if len(values) else np.full(len(where), np.datetime64("NaT"), values.dtype)
    return pd.Series(np.where(where >= 0, found, np.datetime64("NaT")), dtype=values.dtype)


def cross_relation_date_order(package, report):
    """A withdrawal, response or follow-up is never dated before the event it relates to
    (its latest possible date is not before the related event's earliest possible date)."""
    rel, events = package.frames.get("event_relations"), package.frames.get("events")
    if rel is None or events is None:
        return
    # An event ID given twice dates its relations by its first row (column.unique reports the second).
    a = _dates_at(events, "date_latest", _event_rows(package, "event_relations", "event_id"))
    b = _dates_at(events, "date_earliest", _event_rows(package, "event_relations", "related_event_id"))
    bad = rel["relation"].isin(ORDERED_RELATIONS).to_numpy(dtype=bool, na_value=False) & (a < b).to_numpy(dtype=bool)
    report_rows(
        package,
        report,
        "event_relations",
        bad,
        "relation",
        "cross.relation_date_order",
        lambda i: (
            f"{rel['event_id'].iloc[i]} ({rel['relation'].iloc[i]}) is dated by {a.iloc[i].date()}, "
            f"before {rel['related_event_id'].iloc[i]} begins on {b.iloc[i].date()}"
        ),
    )


def cross_self_relation(package, report):
    """No event relates to itself."""
    rel = package.frames.get("event_relations")
    if rel is None:
        return
    bad = rel["event_id"] == rel["related_event_id"]
    report_rows(
        package,
        report,
        "event_relations",
        bad,
        "related_event_id",
        "cross.self_relation",
        lambda i: f"{rel['event_id'].iloc[i]} relates to itself",
    )


def cross_relation_cycle(package, report):
    """The follows and part_of relations have no cycle (A follows B follows A)."""
    rel = package.frames.get("event_relations")
    if rel is None:
        return
    for relation in ACYCLIC_RELATIONS:
        links = (rel["relation"] == relation) & (rel["event_id"] != rel["related_event_id"])
        if _points_back(package, links.to_numpy(dtype=bool, na_value=False)):
            continue
        sub = rel[links]
        sub = sub[on_cycles(sub["event_id"], sub["related_event_id"])]
        graph = {}
        for index, src, dst in zip(sub.index, sub["event_id"], sub["related_event_id"]):
            graph.setdefault(src, []).append((dst, index))
        for index in sorted(cycle_edges(graph)):
            report.add(
                "event_relations",
                package.row_key("event_relations", int(index)),
                "related_event_id",
                "cross.relation_cycle",
                f"this {relation} link is part of a cycle",
            )


def _points_back(package, links) -> bool:
    """Does every one of ``links`` (a numpy mask of event_relations) lead from an event to an earlier one,
    by earliest date and then row? Then they close no cycle, with no search: a cycle climbs somewhere, in
    any order of the events. Links point back in time, so this is the rule rather than the exception."""
    import numpy as np

    events = package.frames.get("events")
    if not links.any():
        return True
    if events is None or "date_earliest" not in events.columns or package.frames.get("event_relations") is None:
        return False
    a, b = (
        _event_rows(package, "event_relations", "event_id"),
        _event_rows(package, "event_relations", "related_event_id"),
    )
    earliest = events["date_earliest"].to_numpy()
    ea, eb = _take(earliest, a, np.datetime64("NaT")), _take(earliest, b, np.datetime64("NaT"))
    back = (a >= 0) & (b >= 0) & ((ea > eb) | ((ea == eb) & (a > b)))
    return bool(back[links].all())


def cross_alternative_group(package, report):
    """Casualty rows in one alternative_group report the same happening: same category and actor,
    and the same event or events linked as same_report_as; a group has at least two rows."""
    import numpy as np
    import pandas as pd

    f = package.frames.get("casualties")
    if f is None or "alternative_group" not in f.columns:
        return
    grouped = f[f["alternative_group"].notna()]
    by_group = grouped.groupby("alternative_group", sort=False)
    size = by_group["alternative_group"].transform("size").to_numpy()
    # Every row beside the first row of its group.
    firsts = grouped[(by_group.cumcount() == 0).to_numpy()]
    first = firsts.iloc[positions(grouped["alternative_group"], firsts["alternative_group"])].set_axis(grouped.index)

    def differ(column):
        # A missing value is column.required's to report; it cannot tell two happenings apart.
        a, b = grouped[column], first[column]
        return (a.notna() & b.notna() & (a != b)).to_numpy(dtype=bool, na_value=False, copy=True)

    category, actor, event = differ("category"), differ("actor_id"), differ("event_id")
    rel = package.frames.get("event_relations")
    if rel is not None and event.any():
        linked = rel.loc[rel["relation"] == "same_report_as", ["event_id", "related_event_id"]]
        pairs = pd.concat(
            [linked.set_axis(["a", "b"], axis=1), linked[["related_event_id", "event_id"]].set_axis(["a", "b"], axis=1)]
        ).drop_duplicates()
        asked = pd.DataFrame({"a": grouped["event_id"].to_numpy(), "b": first["event_id"].to_numpy()})
        same = asked.merge(pairs, on=["a", "b"], how="left", indicator=True)["_merge"].eq("both").to_numpy()
        event &= ~same
    single = size < 2
    bad = single | category | actor | event
    # Groups in order, rows in order within their group, as a reader goes through the table.
    for k in sorted(np.flatnonzero(bad), key=lambda k: (grouped["alternative_group"].iloc[k], grouped.index[k])):
        row, head, group = grouped.iloc[k], first.iloc[k], grouped["alternative_group"].iloc[k]
        key = package.row_key("casualties", int(grouped.index[k]))
        if single[k]:
            report.add(
                "casualties",
                key,
                "alternative_group",
                "cross.alternative_group",
                f"{group} has a single row: an alternative needs another report to be an alternative to",
            )
            continue
        reasons = []
        if category[k]:
            reasons.append(f"category {row['category']} vs {head['category']}")
        if actor[k]:
            reasons.append(f"actor {row['actor_id']} vs {head['actor_id']}")
        if event[k]:
            reasons.append(f"event {row['event_id']} is neither {head['event_id']} nor linked to it as same_report_as")
        report.add(
            "casualties",
            key,
            "alternative_group",
            "cross.alternative_group",
            f"{group} mixes different happenings: " + "; ".join(reasons),
        )


def cross_total_parts(package, report):
    """Totals are not counted on top of their parts: total_loss_id points to a row marked is_total, and a
    total is at least the sum of the rows counted in it (a total may be counted in a larger total)."""
    import numpy as np
    import pandas as pd

    f = package.frames.get("equipment_losses")
    if f is None or not {"loss_id", "is_total", "total_loss_id", "quantity"} <= set(f.columns):
        return
    totals = f[f["is_total"].fillna(False).astype(bool)]
    totals = totals[~totals["loss_id"].duplicated().to_numpy()]  # a duplicated key is column.unique's to report
    points = f["total_loss_id"].notna().to_numpy(dtype=bool)
    not_total = points & is_in(f["total_loss_id"], f["loss_id"]) & ~is_in(f["total_loss_id"], totals["loss_id"])
    report_rows(
        package,
        report,
        "equipment_losses",
        not_total,
        "total_loss_id",
        "cross.total_parts",
        lambda i: f"{f['total_loss_id'].iloc[i]} is not marked is_total: its parts would be counted twice",
    )
    sums = f[points].groupby("total_loss_id")["quantity"].sum(min_count=1)
    ids = pd.Series(sums.index, dtype="string")
    total_at, row_at = positions(ids, totals["loss_id"]), positions(ids, f["loss_id"])
    quantity = pd.Series(totals["quantity"].array.take(total_at, allow_fill=True), dtype="Int64")
    sums = sums.reset_index(drop=True)
    over = (total_at >= 0) & (quantity.notna() & sums.notna() & (sums > quantity)).fillna(False).to_numpy(dtype=bool)
    for k in np.flatnonzero(over):
        report.add(
            "equipment_losses",
            package.row_key("equipment_losses", int(row_at[k])),
            "quantity",
            "cross.total_parts",
            f"total {quantity.iloc[k]} is less than the {sums.iloc[k]} of the batches counted in it",
        )


def cross_dated_after_publication(package, report):
    """A record dated after the publication of every article that claims it must be planned or announced."""
    import pandas as pd

    events, claims, articles = (
        package.frames.get("events"),
        package.frames.get("claims"),
        package.frames.get("articles"),
    )
    if events is None or claims is None or articles is None:
        return
    latest_pub = pd.Series(joins.latest_publication(package), index=events.index)
    bad = (events["date_earliest"] > latest_pub) & ~events["status"].isin(FUTURE_STATUSES)
    report_rows(
        package,
        report,
        "events",
        bad,
        "date_earliest",
        "cross.dated_after_publication",
        lambda i: (
            f"dated from {events['date_earliest'].iloc[i].date()}, after every article reporting it was published "
            f"(by {latest_pub.iloc[i].date()}), yet its status is {events['status'].iloc[i]!r}"
        ),
    )


# ------------------------------------------------------------------ Records that contradict each other

HAPPENING_RELATIONS = sch.happening_relations()
WITHDRAWING_KINDS = sch.withdrawing_kinds()
WITHDRAWN_FROM_KINDS = sch.withdrawn_from_kinds()
OPPOSED_ROLES = sch.opposed_roles()
# Tables whose records belong to one event, and so to the article that event is a report of: table ->
# (its key, its columns naming an event; each is one of joins.EVENT_COLUMNS).
EVENT_RECORDS = {table: (sch.primary_key(table), sch.event_columns(table)) for table in sch.event_records()}


_in = is_one_of


def _take(values, where, fill):
    """``values[where]`` (numpy), ``fill`` where ``where`` is -1: safe when ``values`` is empty."""
    import numpy as np

    out = np.full(len(where), fill, dtype=values.dtype)
    found = where >= 0
    out[found] = values[where[found]]
    return out


def _at(package, table, column, where):
    """The Arrow column ``table.column`` at rows ``where`` (missing where -1)."""
    import pyarrow as pa

    return package.typed[table].column(column).take(pa.array(where, mask=where < 0))


EVENT_COLUMNS = joins.EVENT_COLUMNS


def _event_rows(package, table, column):
    """The first events row of each row's ``column`` (-1 when it names no event): :func:`joins.event_rows`."""
    return joins.event_rows(package)[(table, column)]


def _chain(following, keys, start: int, limit: int = 8) -> str:
    """``start``'s loop as text (a -> b -> a), for a message; only rows on a loop are asked."""
    path, at = [keys[start]], int(following[start])
    while at != start and len(path) <= limit:
        path.append(keys[at])
        at = int(following[at])
    return " -> ".join(path + ([keys[start]] if at == start else ["..."]))


def cross_hierarchy_cycle(package, report):
    """The actors and places hierarchies have no loop: no actor belongs, through its parents, to itself
    (parent_actor_id), and no place contains itself (parent_place_id)."""
    import numpy as np

    for table, key, parent in (("actors", "actor_id", "parent_actor_id"), ("places", "place_id", "parent_place_id")):
        f = package.frame_with(table, (key, parent))
        if f is None:
            continue
        following = joins.actor_rows(package)[(table, parent)] if table == "actors" else positions(f[parent], f[key])
        looping = np.flatnonzero(loops(following))
        if len(looping):
            keys = f[key].astype(object).where(f[key].notna(), "?").to_numpy()
            report_rows(
                package,
                report,
                table,
                looping,
                parent,
                "cross.hierarchy_cycle",
                lambda i: f"the {parent} chain loops: {_chain(following, keys, i)}",
            )


def cross_parent_place_coverage(package, report):
    """A place outside the coverage is not inside a place within it (a parent place inside Libya contains
    only places inside Libya)."""
    import numpy as np

    f = package.frame_with("places", ("place_id", "parent_place_id", "in_coverage"))
    if f is None:
        return
    inside = f["in_coverage"].to_numpy(dtype=bool, na_value=False)
    outside = (f["in_coverage"] == False).to_numpy(dtype=bool, na_value=False)  # noqa: E712 (NA stays NA)
    parent = positions(f["parent_place_id"], f["place_id"])
    bad = outside & (parent >= 0) & inside[np.maximum(parent, 0)]
    report_rows(
        package,
        report,
        "places",
        bad,
        "parent_place_id",
        "cross.parent_place_coverage",
        lambda i: f"a place outside the coverage inside {f['parent_place_id'].iloc[i]}, which is within it",
    )


def cross_total_cycle(package, report):
    """Running totals do not loop: no row is counted, through the totals it is counted in, in itself."""
    import numpy as np

    f = package.frame_with("equipment_losses", ("loss_id", "total_loss_id"))
    if f is None:
        return
    following = positions(f["total_loss_id"], f["loss_id"])
    looping = np.flatnonzero(loops(following))
    if len(looping):
        keys = f["loss_id"].astype(object).where(f["loss_id"].notna(), "?").to_numpy()
        report_rows(
            package,
            report,
            "equipment_losses",
            looping,
            "total_loss_id",
            "cross.total_cycle",
            lambda i: f"counted in itself: {_chain(following, keys, i)}",
        )


def cross_total_actor(package, report):
    """A row counted in a running total was lost by the total's actor or by one of its units (an actor whose
    parent_actor_id chain reaches it): a total counts one actor's losses."""
    import numpy as np

    f = package.frame_with("equipment_losses", ("loss_id", "total_loss_id", "lost_by_actor_id"))
    actors = package.frame_with("actors", ("actor_id", "parent_actor_id"))
    if f is None:
        return
    total = positions(f["total_loss_id"], f["loss_id"])
    counted = np.flatnonzero(total >= 0)
    actor, given = codes(f["lost_by_actor_id"])[0], f["lost_by_actor_id"].notna().to_numpy(dtype=bool)
    known = given[counted] & given[total[counted]]
    same = known & (actor[counted] == actor[total[counted]])
    if actors is not None and (known & ~same).any():
        parent = positions(actors["parent_actor_id"], actors["actor_id"])
        at = positions(f["lost_by_actor_id"], actors["actor_id"])
        up, goal = at[counted], at[total[counted]]
        for _ in range(64):  # deeper than any real chain of command; a looping chain is cross.hierarchy_cycle's
            walking = up >= 0
            if not walking.any():
                break
            up = np.where(walking, parent[np.maximum(up, 0)], -1)
            same |= walking & (up >= 0) & (up == goal)
    bad = counted[known & ~same]
    report_rows(
        package,
        report,
        "equipment_losses",
        bad,
        "lost_by_actor_id",
        "cross.total_actor",
        lambda i: (
            f"counted in {f['total_loss_id'].iloc[i]}, a total of losses of "
            f"{f['lost_by_actor_id'].iloc[int(total[i])]}, but lost by {f['lost_by_actor_id'].iloc[i]}, "
            "neither that actor nor one of its units"
        ),
    )


def cross_total_date_order(package, report):
    """A running total counts only what was lost by its date: a row counted in a total is not dated after the
    total's event (its earliest possible date is not after the total's event's latest)."""
    import numpy as np

    f = package.frame_with("equipment_losses", ("loss_id", "total_loss_id", "event_id"))
    events = package.frame_with("events", ("event_id", "date_earliest", "date_latest"))
    if f is None or events is None:
        return
    total = positions(f["total_loss_id"], f["loss_id"])
    event = _event_rows(package, "equipment_losses", "event_id")
    counted = np.flatnonzero(total >= 0)
    mine, theirs = event[counted], event[total[counted]]
    begins = _take(events["date_earliest"].to_numpy(), mine, np.datetime64("NaT"))
    total_ends = _take(events["date_latest"].to_numpy(), theirs, np.datetime64("NaT"))
    bad = counted[begins > total_ends]
    report_rows(
        package,
        report,
        "equipment_losses",
        bad,
        "total_loss_id",
        "cross.total_date_order",
        lambda i: (
            f"lost in {f['event_id'].iloc[i]}, from {events['date_earliest'].iloc[int(event[i])].date()}, "
            f"after {f['total_loss_id'].iloc[i]}'s event {f['event_id'].iloc[int(total[i])]} ended "
            f"({events['date_latest'].iloc[int(event[int(total[i])])].date()})"
        ),
    )


def cross_event_article(package, report):
    """An event row is one article's report: its claims all quote the same article."""
    events, claims = package.frames.get("events"), package.frames.get("claims")
    articles = package.frames.get("articles")
    if events is None or claims is None or articles is None:
        return
    stats = joins.event_claims(package)
    first, last = stats["first"], stats["last"]
    bad = (first >= 0) & (first != last)
    report_rows(
        package,
        report,
        "events",
        bad,
        "event_id",
        "cross.event_article",
        lambda i: (
            f"claims quote both {articles['article_id'].iloc[int(first[i])]} and "
            f"{articles['article_id'].iloc[int(last[i])]}: one row per happening per article"
        ),
    )


def _same_article(first, last, a, b):
    """Do events ``a`` and ``b`` (rows; -1 unknown) have an article in common (by the lowest and highest
    article rows of their claims, ``first`` and ``last``)?"""

    fa, la, fb, lb = _take(first, a, -1), _take(last, a, -1), _take(first, b, -1), _take(last, b, -1)
    return (fa >= 0) & (fb >= 0) & ((fa == fb) | (fa == lb) | (la == fb) | (la == lb))


def cross_same_report_article(package, report):
    """Reports of one happening come from different articles (an article has one row per happening): a
    same_report_as link never joins two reports of one article, nor do links through other reports."""
    import numpy as np

    rel, articles = (
        package.frame_with("event_relations", ("event_id", "related_event_id", "relation")),
        package.frames.get("articles"),
    )
    events = package.frame_with("events", ("event_id",))
    if rel is None or articles is None or events is None or package.frames.get("claims") is None:
        return
    stats = joins.event_claims(package)
    first = stats["first"]
    a, b = (
        _event_rows(package, "event_relations", "event_id"),
        _event_rows(package, "event_relations", "related_event_id"),
    )
    bad = _in(rel["relation"], {"same_report_as"}) & (a != b) & _same_article(first, stats["last"], a, b)
    report_rows(
        package,
        report,
        "event_relations",
        bad,
        "related_event_id",
        "cross.same_report_article",
        lambda i: (
            f"{rel['event_id'].iloc[i]} and {rel['related_event_id'].iloc[i]} are both reports of "
            f"{articles['article_id'].iloc[int(first[a[i]])]}: an article has one row per happening"
        ),
    )
    # Through other reports: two events of one happening (a component of the links) and one article. The
    # events of a link reported above are left out: that link is where to look.
    happening = _happenings(package)
    size = np.bincount(happening, minlength=len(events))
    if size.max(initial=0) < 3:  # two reports of one happening are one link, looked at above
        return
    shared_by = size[happening] > 1
    touched = np.zeros(len(events), dtype=bool)
    touched[a[bad]] = touched[b[bad]] = True
    known = shared_by & (first >= 0) & ~touched
    partner = first_of(happening * (len(articles) + 1) + first, known)
    again = np.flatnonzero(known & (partner != np.arange(len(events))))
    report_rows(
        package,
        report,
        "events",
        again,
        "event_id",
        "cross.same_report_article",
        lambda i: (
            f"{package.row_key('events', int(i))} and {package.row_key('events', int(partner[i]))} are both "
            f"reports of {articles['article_id'].iloc[int(first[i])]} and, through same_report_as links, "
            "of one happening: an article has one row per happening"
        ),
    )


def cross_claim_article(package, report):
    """A claim of an event's actor, casualty or loss quotes the article that event is a report of, and a
    claim of a relation quotes the article of one of its two events."""
    import numpy as np

    claims, articles = (
        package.frame_with("claims", ("article_id", "record_table", "record_id")),
        package.frames.get("articles"),
    )
    events = package.frame_with("events", ("event_id",))
    if claims is None or articles is None or events is None or "article_id" not in articles.columns:
        return
    stats = joins.event_claims(package)
    first, last = stats["first"], stats["last"]
    article_of = lambda event: articles["article_id"].iloc[int(first[event])]
    table_of = vocabulary_index(claims["record_table"], list(EVENT_RECORDS))
    about = np.flatnonzero(table_of >= 0)  # the claims of event records: few among the claims
    typed = package.typed["claims"]
    record_ids = typed.column("record_id").take(about)
    quoted = find(typed.column("article_id").take(about), articles["article_id"])
    for k, (table, (key, event_columns)) in enumerate(EVENT_RECORDS.items()):
        f = package.frame_with(table, (key, *event_columns))
        at_claims = np.flatnonzero(table_of[about] == k)
        if f is None or not len(at_claims):
            continue
        mine, article = about[at_claims], quoted[at_claims]
        record = find(record_ids.take(at_claims), f[key])
        known = (record >= 0) & (article >= 0)
        fits = np.zeros(len(mine), dtype=bool)
        chosen = []
        for column in event_columns:
            event = _take(_event_rows(package, table, column), record, -1)
            its_first, its_last = _take(first, event, -1), _take(last, event, -1)
            known &= its_first >= 0
            fits |= (its_first >= 0) & ((article == its_first) | (article == its_last))
            chosen.append(event)
        wrong = known & ~fits
        where = dict(zip(mine[wrong].tolist(), zip(*[e[wrong].tolist() for e in chosen])))
        report_rows(
            package,
            report,
            "claims",
            mine[wrong],
            "article_id",
            "cross.claim_article",
            lambda i, where=where: (
                f"{claims['record_table'].iloc[i]} {claims['record_id'].iloc[i]} belongs to "
                + " and ".join(f"{package.row_key('events', e)} (a report of {article_of(e)})" for e in where[i])
                + f", but the claim quotes {claims['article_id'].iloc[i]}"
            ),
        )


def _happenings(package):
    """For each event row, its happening: the lowest event row of its component of same_report_as links
    (so two rows share a label exactly when they report one happening)."""
    import numpy as np

    def compute():
        events = package.frames["events"]
        rel = package.frames["event_relations"]
        a, b = (
            _event_rows(package, "event_relations", "event_id"),
            _event_rows(package, "event_relations", "related_event_id"),
        )
        same = _in(rel["relation"], {"same_report_as"})
        return components(np.where(same, a, -1), np.where(same, b, -1), len(events))

    return joins.shared(package, "happenings", compute)


def cross_relation_within_happening(package, report):
    """Two reports of one happening (events joined by same_report_as links) are never withdrawal_from,
    response_to, part_of or follows each other: that would relate a happening to itself."""

    rel = package.frame_with("event_relations", ("event_id", "related_event_id", "relation"))
    if rel is None or package.frame_with("events", ("event_id",)) is None:
        return
    a, b = (
        _event_rows(package, "event_relations", "event_id"),
        _event_rows(package, "event_relations", "related_event_id"),
    )
    happening = _happenings(package)
    linked = (a >= 0) & (b >= 0) & (a != b)
    bad = _in(rel["relation"], HAPPENING_RELATIONS) & linked & (_take(happening, a, -1) == _take(happening, b, -2))
    report_rows(
        package,
        report,
        "event_relations",
        bad,
        "relation",
        "cross.relation_within_happening",
        lambda i: (
            f"{rel['event_id'].iloc[i]} and {rel['related_event_id'].iloc[i]} report one happening "
            f"(same_report_as), so one cannot be {rel['relation'].iloc[i]} the other"
        ),
    )


def cross_causal_cycle(package, report):
    """Withdrawals, responses and follow-ups together have no cycle: no event comes, through withdrawal_from,
    response_to and follows links, after and because of itself (cycles of follows alone are
    cross.relation_cycle's; this names the withdrawal_from or response_to link of a mixed cycle)."""
    import numpy as np

    rel = package.frame_with("event_relations", ("event_id", "related_event_id", "relation"))
    events = package.frame_with("events", ("event_id", "date_earliest"))
    if rel is None or events is None:
        return
    a, b = (
        _event_rows(package, "event_relations", "event_id"),
        _event_rows(package, "event_relations", "related_event_id"),
    )
    ordered = _in(rel["relation"], ORDERED_RELATIONS) & (a != b)
    if _points_back(package, ordered):
        return
    keep = np.flatnonzero(ordered)
    sub = rel[["event_id", "related_event_id"]].iloc[keep]
    alive = on_cycles(sub["event_id"], sub["related_event_id"])
    graph = {}
    for index, src, dst in zip(
        keep[alive], sub["event_id"].to_numpy()[alive], sub["related_event_id"].to_numpy()[alive]
    ):
        graph.setdefault(src, []).append((dst, index))
    for index in sorted(cycle_edges(graph)):
        if rel["relation"].iloc[index] != "follows":
            report.add(
                "event_relations",
                package.row_key("event_relations", int(index)),
                "related_event_id",
                "cross.causal_cycle",
                f"this {rel['relation'].iloc[index]} link is part of a cycle of withdrawals, responses and follow-ups",
            )


def cross_duplicate_relation(package, report):
    """Two events are linked at most once by each relation: no link is given twice, and same_report_as (which
    has no direction) not once each way."""
    import numpy as np

    rel = package.frame_with("event_relations", ("event_id", "related_event_id", "relation"))
    if rel is None or not len(rel) or package.frames.get("events") is None:
        return
    # Events by their rows (a link to no event is cross.foreign_key's), relations by their place in the vocabulary.
    a, b = (
        _event_rows(package, "event_relations", "event_id"),
        _event_rows(package, "event_relations", "related_event_id"),
    )
    names = sch.vocabulary("event_relations", "relation")
    kind = vocabulary_index(rel["relation"], names)
    same = kind == names.index("same_report_as")
    a, b = np.where(same, np.minimum(a, b), a), np.where(same, np.maximum(a, b), b)
    known = (a >= 0) & (b >= 0) & (kind >= 0)
    key = (a * len(package.frames["events"]) + b) * len(names) + kind
    again = repeated(key, known)  # the few links whose key recurs, then which came first among them
    first = np.arange(len(rel))
    first[again] = again[first_of(key[again], np.ones(len(again), dtype=bool))]
    bad = first != np.arange(len(rel))
    report_rows(
        package,
        report,
        "event_relations",
        bad,
        "related_event_id",
        "cross.duplicate_relation",
        lambda i: f"the same {rel['relation'].iloc[i]} link as {package.row_key('event_relations', int(first[i]))}",
    )


def cross_withdrawal_kind(package, report):
    """A withdrawal_from link joins a move back (a withdrawal, redeployment, flight or loss of territory) to the
    offensive or position it leaves (an offensive, clash, advance, capture, reinforcement, operation or
    other move forward), never to a retreat, strike, statement or talk."""
    import numpy as np

    from .rows import event_kinds

    rel = package.frame_with("event_relations", ("event_id", "related_event_id", "relation"))
    events = package.frame_with("events", ("event_id", "event_kind"))
    if events is None or rel is None:
        return
    withdrawing = _in(rel["relation"], {"withdrawal_from"})
    if not withdrawing.any():
        return
    kinds = sch.vocabulary("events", "event_kind")
    kind = np.append(event_kinds(package), -1)  # the last: no event
    for column, allowed, what in (
        ("event_id", WITHDRAWING_KINDS, "withdraws"),
        ("related_event_id", WITHDRAWN_FROM_KINDS, "is withdrawn from"),
    ):
        of = kind[_event_rows(package, "event_relations", column)]
        bad = withdrawing & (of >= 0) & ~np.isin(of, [kinds.index(k) for k in sorted(allowed)])
        report_rows(
            package,
            report,
            "event_relations",
            bad,
            column,
            "cross.withdrawal_kind",
            lambda i, of=of, column=column, what=what: (
                f"{rel[column].iloc[i]}, a {kinds[of[i]]}, {what} (withdrawal_from)"
            ),
        )


def cross_loss_actor_in_event(package, report):
    """An actor whose people were hit (casualties) or that lost equipment (equipment_losses) in an event takes
    part in it: event_actors lists it for that event."""
    import numpy as np
    import pandas as pd

    if (
        package.frame_with("event_actors", ("event_id", "actor_id")) is None
        or package.frames.get("actors") is None
        or package.frames.get("events") is None
    ):
        return
    actor_rows, n = joins.actor_rows(package), len(package.frames["actors"])
    pair = lambda table, column: _event_rows(package, table, "event_id") * n + actor_rows[(table, column)]
    # Events and actors by their rows: one that does not exist is cross.foreign_key's. The many event
    # actors are looked up among the few losses' (event, actor) pairs, never the reverse.
    sources = [
        (t, c)
        for t, c in (("casualties", "actor_id"), ("equipment_losses", "lost_by_actor_id"))
        if package.frame_with(t, ("event_id", c)) is not None
    ]
    wanted = {source: pair(*source) for source in sources}
    for source in sources:
        wanted[source][(_event_rows(package, source[0], "event_id") < 0) | (actor_rows[source] < 0)] = -1
    lost = np.unique(np.concatenate([wanted[s] for s in sources] or [np.zeros(0, np.int64)]))
    everyone = np.where(
        (_event_rows(package, "event_actors", "event_id") >= 0) & (actor_rows[("event_actors", "actor_id")] >= 0),
        pair("event_actors", "actor_id"),
        -1,
    )
    taking_part = everyone[pd.Series(everyone).isin(lost[lost >= 0]).to_numpy()]
    for table, column in sources:
        f = package.frames[table]
        missing = (wanted[(table, column)] >= 0) & ~np.isin(wanted[(table, column)], taking_part)
        report_rows(
            package,
            report,
            table,
            missing,
            column,
            "cross.loss_actor_in_event",
            lambda i, f=f, column=column: f"{f[column].iloc[i]} is not among the actors of {f['event_id'].iloc[i]}",
        )


def cross_casualty_population(package, report):
    """The people of a civilian population (actor_type civilian_population) are not combatants."""
    import numpy as np

    f = package.frame_with("casualties", ("actor_id", "population"))
    actors = package.frame_with("actors", ("actor_id", "actor_type"))
    if f is None or actors is None:
        return
    combatant = _in(f["population"], {"combatant"})
    at = np.where(combatant, joins.actor_rows(package)[("casualties", "actor_id")], -1)
    bad = (at >= 0) & _in(_at(package, "actors", "actor_type", at), {"civilian_population"})
    report_rows(
        package,
        report,
        "casualties",
        bad,
        "population",
        "cross.casualty_population",
        lambda i: f"{f['actor_id'].iloc[i]} is a civilian population, its people counted as combatants",
    )


def cross_alternative_population(package, report):
    """The rows of one alternative_group count the same people: they do not mix combatants and civilians."""
    import numpy as np

    f = package.frame_with("casualties", ("alternative_group", "population"))
    if f is None:
        return
    known = _in(f["population"], {"combatant", "civilian"}) & f["alternative_group"].notna().to_numpy(dtype=bool)
    grouped = f[known]
    if not len(grouped):
        return
    first = grouped.groupby("alternative_group", sort=False)["population"].transform("first")
    differ = (grouped["population"] != first).to_numpy(dtype=bool, na_value=False)
    rows = np.flatnonzero(known)[differ]
    report_rows(
        package,
        report,
        "casualties",
        rows,
        "population",
        "cross.alternative_population",
        lambda i: (
            f"{f['alternative_group'].iloc[i]} counts {f['population'].iloc[i]} people and "
            f"{'civilian' if f['population'].iloc[i] == 'combatant' else 'combatant'} people"
        ),
    )


def cross_planned_losses(package, report):
    """A planned event (intended or scheduled) has not happened: it has no casualties and no equipment losses."""
    if package.frame_with("events", ("event_id", "status")) is None:
        return
    for table in ("casualties", "equipment_losses"):
        if package.frame_with(table, ("event_id",)) is None:
            continue
        f = package.frames[table]
        bad = _in(_at(package, "events", "status", _event_rows(package, table, "event_id")), {"planned"})
        report_rows(
            package,
            report,
            table,
            bad,
            "event_id",
            "cross.planned_losses",
            lambda i, f=f: f"{f['event_id'].iloc[i]} is only planned, yet it has losses",
        )


def cross_denied_event(package, report):
    """An event whose every claim denies it is coded as denied (status 'denied'), not as having happened."""
    events = package.frame_with("events", ("event_id", "status"))
    if (
        events is None
        or package.frame_with("claims", ("record_table", "record_id", "stance")) is None
        or package.frames.get("articles") is None
    ):
        return
    stats = joins.event_claims(package)
    bad = (
        stats["claimed"]
        & ~stats["affirmed"]
        & events["status"].notna().to_numpy(dtype=bool)
        & ~_in(events["status"], {"denied"})
    )
    report_rows(
        package,
        report,
        "events",
        bad,
        "status",
        "cross.denied_event",
        lambda i: f"every claim denies it, yet its status is {events['status'].iloc[i]!r}",
    )


def cross_event_actor_roles(package, report):
    """An actor takes part in an event once in each role, and never on both sides of it (attacker and
    target, side_a and side_b, host and visitor)."""

    f = package.frame_with("event_actors", ("event_id", "actor_id", "role"))
    if f is None or not len(f) or package.frames.get("events") is None or package.frames.get("actors") is None:
        return
    # Only an actor named twice in one event can break the rule: events and actors by their rows (one that
    # does not exist is cross.foreign_key's) find those few rows; the roles are compared among them only.
    event, actor = (
        _event_rows(package, "event_actors", "event_id"),
        joins.actor_rows(package)[("event_actors", "actor_id")],
    )
    rows = repeated(event * len(package.frames["actors"]) + actor, (event >= 0) & (actor >= 0))
    if not len(rows):
        return
    sub = f[["event_id", "actor_id", "role"]].iloc[rows].astype(object).reset_index(drop=True)
    sub["row"] = rows
    named = sub[sub["role"].notna()]
    first = named.groupby(["event_id", "actor_id", "role"], sort=False)["row"].transform("min")
    twice = named["row"][(named["row"] != first).to_numpy()].to_numpy()
    firsts = dict(zip(named["row"], first))
    report_rows(
        package,
        report,
        "event_actors",
        twice,
        "role",
        "cross.event_actor_roles",
        lambda i: (
            f"{f['actor_id'].iloc[i]} is already {f['role'].iloc[i]} of {f['event_id'].iloc[i]} "
            f"({package.row_key('event_actors', int(firsts[i]))})"
        ),
    )
    held = set(zip(named["event_id"], named["actor_id"], named["role"]))
    for one, other in OPPOSED_ROLES:  # over the few rows found, not the table
        both = [
            int(r)
            for r, e, a, role in zip(named["row"], named["event_id"], named["actor_id"], named["role"])
            if role == other and (e, a, one) in held
        ]
        report_rows(
            package,
            report,
            "event_actors",
            sorted(set(both)),
            "role",
            "cross.event_actor_roles",
            lambda i, one=one, other=other: (
                f"{f['actor_id'].iloc[i]} is both {one} and {other} of {f['event_id'].iloc[i]}"
            ),
        )


def cross_named_official(package, report):
    """A named official's claim is a person's (docs/curation.md: claimant_actor_id = the person)."""
    import numpy as np

    from .rows import named_officials

    f = package.frame_with("claims", ("source_kind", "claimant_actor_id"))
    actors = package.frame_with("actors", ("actor_id", "actor_type"))
    if f is None or actors is None:
        return
    official = np.flatnonzero(named_officials(package))
    at = find(package.typed["claims"].column("claimant_actor_id").take(official), actors["actor_id"])
    kind = _at(package, "actors", "actor_type", at)
    bad = (at >= 0) & ~kind.is_null().to_numpy(zero_copy_only=False) & ~_in(kind, {"person"})
    kinds = dict(zip(official[bad].tolist(), kind.filter(bad).to_pylist()))
    report_rows(
        package,
        report,
        "claims",
        official[bad],
        "claimant_actor_id",
        "cross.named_official",
        lambda i: f"a named official's claim by {f['claimant_actor_id'].iloc[i]}, a {kinds[i]}, not a person",
    )


def cross_retired_id_live(package, report):
    """A retired ID names no live record: it is never the key of a row of its table (IDs are never reused)."""
    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_id", "record_table"))
    if retired is None or not len(retired):
        return
    live = np.zeros(len(retired), dtype=bool)
    for table in retired["record_table"].dropna().unique():
        f = package.frames.get(str(table))
        key = sch.primary_key(str(table)) if str(table) in sch.table_names() else None
        if f is None or key not in f.columns:
            continue
        mine = _in(retired["record_table"], {str(table)})
        ids = retired["retired_id"][mine]
        # The retired IDs are few: look the table's keys up among them, never the reverse.
        used = f[key][is_in(f[key], ids)]
        live[np.flatnonzero(mine)] = is_in(ids, used)
    report_rows(
        package,
        report,
        "retired_ids",
        live,
        "retired_id",
        "cross.retired_id_live",
        lambda i: (
            f"{retired['retired_id'].iloc[i]} is retired, yet a live record of "
            f"{retired['record_table'].iloc[i]} has it as its ID"
        ),
    )


def cross_retired_superseded(package, report):
    """A retired ID is superseded by a record of its own table, live or itself retired, never by itself
    nor through a loop of retired IDs back to itself."""
    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_id", "record_table", "superseded_by"))
    if retired is None or not len(retired):
        return
    by = retired["superseded_by"]
    named = by.notna().to_numpy(dtype=bool)
    # Within one table: the retired row of the same table that supersedes each row.
    same_table = retired["record_table"].astype(object).where(retired["record_table"].notna(), "")
    keyed = lambda ids: (same_table + "\x00" + ids.astype(object).where(ids.notna(), "")).astype("string")
    following = np.where(named, positions(keyed(by), keyed(retired["retired_id"])), -1)
    looping = loops(following)
    found = following >= 0
    for table in retired["record_table"].dropna().unique():
        f = package.frames.get(str(table))
        key = sch.primary_key(str(table)) if str(table) in sch.table_names() else None
        if f is None or key not in f.columns:
            found |= named & _in(retired["record_table"], {str(table)})  # nothing to look in: say nothing
            continue
        mine = named & _in(retired["record_table"], {str(table)})
        wanted = by[mine]
        found[np.flatnonzero(mine)] |= is_in(wanted, f[key][is_in(f[key], wanted)])
    keys = retired["retired_id"].astype(object).where(retired["retired_id"].notna(), "?").to_numpy()
    report_rows(
        package,
        report,
        "retired_ids",
        looping,
        "superseded_by",
        "cross.retired_superseded",
        lambda i: f"superseded in a loop: {_chain(following, keys, i)}",
    )
    report_rows(
        package,
        report,
        "retired_ids",
        named & ~found & ~looping,
        "superseded_by",
        "cross.retired_superseded",
        lambda i: f"superseded by {by.iloc[i]}, which is no record of {retired['record_table'].iloc[i]}",
    )


def cross_retired_version(package, report):
    """An ID is retired in a version no later than the package's own (datapackage.json version)."""
    import re

    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_in_version",))
    version = str((package.descriptor or {}).get("version", ""))
    if retired is None or not len(retired) or not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        return
    parts = retired["retired_in_version"].str.extract(r"^([0-9]+)\.([0-9]+)\.([0-9]+)$")
    current = [int(x) for x in version.split(".")]
    later, tied = np.zeros(len(retired), dtype=bool), np.ones(len(retired), dtype=bool)
    for k in range(3):  # compared part by part, as numbers
        part = parts[k].astype("Int64")
        later |= tied & (part > current[k]).to_numpy(dtype=bool, na_value=False)
        tied &= (part == current[k]).to_numpy(dtype=bool, na_value=False)
    report_rows(
        package,
        report,
        "retired_ids",
        later,
        "retired_in_version",
        "cross.retired_version",
        lambda i: f"retired in {retired['retired_in_version'].iloc[i]}, after this package's version {version}",
    )


def cross_conflicting_figures(package, report):
    """Casualty figures for one happening (the same event, or events linked by same_report_as), the same
    actor, category and population that both give a number share an alternative_group: otherwise a
    user summing the rows counts the same people twice."""
    import numpy as np
    import pandas as pd

    f = package.frame_with(
        "casualties",
        (
            "event_id",
            "actor_id",
            "category",
            "population",
            "count_low",
            "count_best",
            "count_high",
            "alternative_group",
        ),
    )
    if f is None or not len(f) or package.frames.get("events") is None:
        return
    numbered = f[["count_low", "count_best", "count_high"]].notna().any(axis=1).to_numpy(dtype=bool)
    # Events by their rows (a figure of no event is cross.foreign_key's), the rest as integer codes.
    event = _event_rows(package, "casualties", "event_id")
    actor, group = codes(f["actor_id"])[0], codes(f["alternative_group"])[0]
    categories, populations = (sch.vocabulary("casualties", c) for c in ("category", "population"))
    category, population = vocabulary_index(f["category"], categories), vocabulary_index(f["population"], populations)
    known = numbered & (event >= 0) & (actor >= 0) & (category >= 0) & (population >= 0)
    who = (actor * len(categories) + category) * len(populations) + population  # whose people, which kind
    figures = pd.DataFrame({"row": np.arange(len(f)), "event": event, "who": who, "group": group})[known]
    # Two figures of one event: only keys given twice can pair up.
    twice = figures[figures.duplicated(["event", "who"], keep=False).to_numpy()]
    pairs = [twice.merge(twice, on=["event", "who"])]
    rel = package.frame_with("event_relations", ("event_id", "related_event_id", "relation"))
    if rel is not None and len(figures):
        names = sch.vocabulary("event_relations", "relation")
        same = np.flatnonzero(vocabulary_index(rel["relation"], names) == names.index("same_report_as"))
        a = _event_rows(package, "event_relations", "event_id")[same]
        b = _event_rows(package, "event_relations", "related_event_id")[same]
        with_figures = figures["event"].to_numpy()
        linked = (a >= 0) & (b >= 0) & (a != b) & np.isin(a, with_figures) & np.isin(b, with_figures)
        if linked.any():
            links = pd.DataFrame(
                {"event": np.concatenate([a[linked], b[linked]]), "other": np.concatenate([b[linked], a[linked]])}
            )
            across = figures.merge(links, on="event").merge(
                figures.rename(columns={"event": "other"}), on=["other", "who"]
            )
            pairs.append(across[["row_x", "row_y", "group_x", "group_y"]])
    pairs = pd.concat(pairs, ignore_index=True)
    apart = (pairs["row_x"] != pairs["row_y"]) & ((pairs["group_x"] < 0) | (pairs["group_x"] != pairs["group_y"]))
    # Each row once, naming the first row it conflicts with.
    named = pairs.loc[apart, ["row_x", "row_y"]].groupby("row_x")["row_y"].min()
    report_rows(
        package,
        report,
        "casualties",
        named.index.to_numpy(),
        "alternative_group",
        "cross.conflicting_figures",
        lambda i: (
            f"{package.row_key('casualties', int(named[i]))} gives another figure for the same happening, "
            f"actor, category and population outside a shared alternative_group: summing them counts "
            "the same people twice"
        ),
    )


# The rules of this family in report order (registry.py collects them): id, function, corruptions.
RULES = [
    rule("cross.foreign_key", cross_foreign_key, "dangling_fk"),
    rule("cross.article_file", cross_article_file, "article_file_missing", "article_not_utf8"),
    # Reported by cross_article_file, beside cross.article_file.
    rule(
        "cross.article_hash",
        None,
        "article_text_changed",
        "nbsp_in_article",
        description="Each article's file matches the sha256 and size recorded in the articles table.",
    ),
    rule("cross.claim_quote", cross_claim_quote, "quote_offsets_off_by_one", "quote_text_edited", "nbsp_in_quote"),
    rule("cross.claim_record", cross_claim_record, "claim_for_missing_record"),
    rule("cross.record_has_claim", cross_record_has_claim, "unclaimed_record"),
    rule(
        "cross.relation_date_order",
        cross_relation_date_order,
        "withdrawal_before_offensive",
        "response_before_event",
        "follow_up_before_event",
    ),
    rule("cross.self_relation", cross_self_relation, "self_relation"),
    rule("cross.relation_cycle", cross_relation_cycle, "follows_cycle", "part_of_cycle"),
    rule(
        "cross.alternative_group",
        cross_alternative_group,
        "lonely_alternative",
        "alternative_mixes_categories",
        "alternative_mixes_actors",
        "alternative_mixes_events",
    ),
    rule("cross.total_parts", cross_total_parts, "total_below_parts", "counted_in_a_non_total"),
    rule("cross.dated_after_publication", cross_dated_after_publication, "future_date"),
    rule(
        "cross.conflicting_figures",
        cross_conflicting_figures,
        "second_figure_ungrouped",
        "figure_of_another_report_ungrouped",
    ),
    rule("cross.hierarchy_cycle", cross_hierarchy_cycle, "hierarchy_loop", "place_hierarchy_loop"),
    rule("cross.parent_place_coverage", cross_parent_place_coverage, "abroad_inside_libya"),
    rule("cross.total_cycle", cross_total_cycle, "total_counted_in_itself"),
    rule("cross.total_actor", cross_total_actor, "batch_of_another_actor"),
    rule("cross.total_date_order", cross_total_date_order, "batch_after_total"),
    rule("cross.event_article", cross_event_article, "event_from_two_articles"),
    rule(
        "cross.same_report_article", cross_same_report_article, "same_report_one_article", "same_report_through_another"
    ),
    rule(
        "cross.claim_article",
        cross_claim_article,
        "figure_from_other_article",
        "loss_from_other_article",
        "event_actor_from_other_article",
        "relation_from_other_article",
    ),
    rule("cross.relation_within_happening", cross_relation_within_happening, "follows_own_report"),
    rule("cross.causal_cycle", cross_causal_cycle, "response_against_follows"),
    rule("cross.duplicate_relation", cross_duplicate_relation, "same_report_both_ways", "relation_given_twice"),
    rule("cross.withdrawal_kind", cross_withdrawal_kind, "withdrawal_from_a_statement", "advance_as_a_withdrawal"),
    rule(
        "cross.loss_actor_in_event", cross_loss_actor_in_event, "casualty_of_an_absent_actor", "loss_of_an_absent_actor"
    ),
    rule("cross.casualty_population", cross_casualty_population, "civilians_as_combatants"),
    rule("cross.alternative_population", cross_alternative_population, "group_mixes_populations"),
    rule("cross.planned_losses", cross_planned_losses, "losses_of_a_planned_event", "equipment_of_a_planned_event"),
    rule("cross.denied_event", cross_denied_event, "denial_coded_as_fact"),
    rule(
        "cross.event_actor_roles",
        cross_event_actor_roles,
        "actor_on_both_sides",
        "actor_as_both_sides",
        "host_and_visitor",
        "actor_listed_twice",
    ),
    rule("cross.named_official", cross_named_official, "official_who_is_a_body"),
    rule("cross.retired_id_live", cross_retired_id_live, "retired_id_reused"),
    rule("cross.retired_superseded", cross_retired_superseded, "superseded_by_itself", "superseded_by_nothing"),
    rule("cross.retired_version", cross_retired_version, "retired_in_a_later_version"),
]


def check_cross(package, report) -> None:
    """Run every rule of this family that has a function, in report order."""
    for record in RULES:
        if record.check is not None:
            record.check(package, report)


# ------------------------------------------------------------------ Published IDs and claim conventions
# Rules of the second curation pass (docs/curation.md, "Who says it: claims"), appended to RULES below.

# Source kinds whose claim names who makes it.
CLAIMANT_KINDS = sch.claimant_source_kinds()
FACT_STATUSES = sch.fact_statuses()


def cross_claimant_kind(package, report):
    """A correspondent's or an official statement's claim names its claimant; a correspondent is a person,
    and an official statement is a body's (a person's own statement is named_official)."""
    claims = package.frame_with("claims", ("source_kind", "claimant_actor_id"))
    actors = package.frame_with("actors", ("actor_id", "actor_type"))
    if claims is None:
        return
    kind, claimant = claims["source_kind"], claims["claimant_actor_id"]
    named = claimant.notna().to_numpy(dtype=bool)
    needs = _in(kind, CLAIMANT_KINDS)
    report_rows(
        package,
        report,
        "claims",
        needs & ~named,
        "claimant_actor_id",
        "cross.claimant_kind",
        lambda i: f"a {kind.iloc[i]} claim without its claimant (docs/curation.md: who says it)",
    )
    if actors is None:
        return
    at = positions(claimant, actors["actor_id"])
    person = _take((actors["actor_type"] == "person").fillna(False).to_numpy(dtype=bool), at, False)
    known = at >= 0
    not_person = known & _in(kind, {"correspondent"}) & ~person
    is_person = known & _in(kind, {"official_statement"}) & person
    report_rows(
        package,
        report,
        "claims",
        not_person,
        "claimant_actor_id",
        "cross.claimant_kind",
        lambda i: f"a correspondent's claim by {claimant.iloc[i]}, which is not a person",
    )
    report_rows(
        package,
        report,
        "claims",
        is_person,
        "source_kind",
        "cross.claimant_kind",
        lambda i: (
            f"an official statement by {claimant.iloc[i]}, a person: a named person's statement is named_official"
        ),
    )


def cross_rumour_occurred(package, report):
    """An event whose only support is unattributed reports (every claim other_media with no claimant:
    'amid reports of') is a rumour: its status is reported, never occurred or ongoing."""
    import numpy as np

    claims = package.frame_with("claims", ("record_table", "record_id", "source_kind", "claimant_actor_id"))
    events = package.frame_with("events", ("event_id", "status"))
    if claims is None or events is None:
        return
    of_events = _in(claims["record_table"], {"events"})
    at = positions(claims["record_id"], events["event_id"])
    at = np.where(of_events, at, -1)
    hearsay = _in(claims["source_kind"], {"other_media"}) & claims["claimant_actor_id"].isna().to_numpy(dtype=bool)
    counted = at >= 0
    total = np.bincount(at[counted], minlength=len(events))
    rumours = np.bincount(at[counted & hearsay], minlength=len(events))
    bad = (total > 0) & (rumours == total) & _in(events["status"], FACT_STATUSES)
    report_rows(
        package,
        report,
        "events",
        bad,
        "status",
        "cross.rumour_occurred",
        lambda i: (
            f"coded {events['status'].iloc[i]}, but every claim of it is unattributed reports "
            "(other_media, no claimant): a rumour is 'reported'"
        ),
    )


def cross_published_ids(package, report):
    """Every ID of the register of published IDs (data/published_ids.csv) is present in its table or
    retired (listed in retired_ids), and an ID the register marks retired is neither a live record again nor
    dropped from retired_ids. A project checkout holds the register."""
    from libya_conflict.confine import Confined, UnsafePath
    from libya_conflict.register import PATH, RegisterError, parse_register

    rule = "cross.published_ids"
    folder = package.folder or Confined(package.root)
    try:
        data = folder.read_bytes(PATH)
    except FileNotFoundError:
        if (package.root / "pyproject.toml").is_file() and (package.root / "schemas").is_dir():
            report.add(
                "",
                "",
                "",
                rule,
                f"{PATH} is missing: the project keeps the register of every ID it "
                "has published (restore it from git or the last release)",
            )
        return
    except (UnsafePath, OSError) as exc:
        report.add("", "", "", rule, f"{PATH} cannot be read: {str(exc)[:300]}")
        return
    try:
        entries = parse_register(data, sch.table_names())
    except RegisterError as exc:
        report.add("", "", "", rule, str(exc))
        return
    retired_frame = package.frame_with("retired_ids", ("retired_id", "record_table"))
    if retired_frame is None:
        return
    retired = set(zip(retired_frame["record_table"].astype(object), retired_frame["retired_id"].astype(object)))
    live = {}
    for table in sch.table_names():
        f = package.frames.get(table)
        key = sch.primary_key(table)
        if table != "retired_ids" and f is not None and key in f.columns:
            live[table] = set(f[key].dropna().astype(object))
    for entry in entries.values():
        if entry.table not in live:
            continue  # a table not read is reported by its own rules
        key = sch.primary_key(entry.table)
        is_live, is_retired = entry.id in live[entry.table], (entry.table, entry.id) in retired
        if entry.retired_in and is_live:
            report.add(
                entry.table,
                entry.id,
                key,
                rule,
                f"{entry.id} was retired in {entry.retired_in} ({PATH}), yet a record of {entry.table} has "
                "it again: an ID is never reused, give the record a new ID",
            )
        elif entry.retired_in and not is_retired:
            report.add(
                "retired_ids",
                entry.id,
                "retired_id",
                rule,
                f"{entry.id} ({entry.table}) was retired in {entry.retired_in} ({PATH}) but retired_ids no "
                "longer lists it: restore its row",
            )
        elif not is_live and not is_retired:
            first = entry.first_published
            # A V-dev entry was never in a release: say what it was, not that V published it.
            was = (
                f"was in the repository before {first[: -len('-dev')]} was released"
                if first.endswith("-dev")
                else f"was published in {first}"
            )
            report.add(
                entry.table,
                entry.id,
                key,
                rule,
                f"{entry.id} {was} ({PATH}) and is neither in "
                f"{entry.table} nor in retired_ids: restore the record, or retire the ID (a retired_ids "
                "row saying what replaces it)",
            )


RULES.extend(
    [
        rule(
            "cross.claimant_kind",
            cross_claimant_kind,
            "claimant_against_source_kind",
            "correspondent_without_claimant",
            "statement_without_claimant",
            "person_as_official_statement",
        ),
        rule("cross.rumour_occurred", cross_rumour_occurred, "rumour_coded_as_fact"),
        rule(
            "cross.published_ids",
            cross_published_ids,
            "published_id_deleted",
            "retired_id_back",
            "retired_row_dropped",
            "register_malformed",
        ),
    ]
)
