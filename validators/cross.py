"""Cross-table rules: keys that resolve, quotes that match their articles, relations and figures that make
sense.

The cross-table family (``cross.*``) is in three modules, in report order: this one, ``contradictions.py``
(records that contradict each other) and ``conventions.py`` (IDs that stay published, and who makes a
claim). Foreign keys are checked with joins (Arrow hash tables, ``keys``), quotes article by article in
bulk (``offsets``), groups with pandas group-bys: no rule loops over the rows of a table, only over the
problems it reports.
"""

from __future__ import annotations

from libya_conflict import schema as sch

from . import joins
from .graphs import cycle_edges, on_cycles
from .keys import is_in, positions, take
from .report import report_rows
from .rule import rule

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
    a = _dates_at(events, "date_latest", joins.event_row(package, "event_relations", "event_id"))
    b = _dates_at(events, "date_earliest", joins.event_row(package, "event_relations", "related_event_id"))
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
        if points_back(package, links.to_numpy(dtype=bool, na_value=False)):
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


def points_back(package, links) -> bool:
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
        joins.event_row(package, "event_relations", "event_id"),
        joins.event_row(package, "event_relations", "related_event_id"),
    )
    earliest = events["date_earliest"].to_numpy()
    ea, eb = take(earliest, a, np.datetime64("NaT")), take(earliest, b, np.datetime64("NaT"))
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


# The rules of this module in report order (registry.py collects them): id, function, corruptions.
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
]


def check_cross(package, report) -> None:
    """Run every cross-table rule that has a function (those of this module, ``contradictions.py`` and
    ``conventions.py``), in report order."""
    from .registry import checks

    for check in checks("cross"):
        check(package, report)
