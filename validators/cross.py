"""Cross-table rules: keys that resolve, quotes that match their articles, relations that make sense.

Foreign keys are checked with joins (``isin``), claims article by article.
"""

from __future__ import annotations

import hashlib

from libya_conflict import schema as sch

# Tables whose every record must be supported by at least one claim.
CLAIMED_TABLES = ("actors", "places", "place_distances", "events", "equipment_losses", "casualties")
# Relations whose event is never dated before the related event.
ORDERED_RELATIONS = ("withdrawal_from", "response_to", "follows")
# Relations that must not loop back on themselves.
ACYCLIC_RELATIONS = ("follows", "part_of")
# Statuses that may be dated after every article that reports them.
FUTURE_STATUSES = {"planned", "announced"}


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _add_rows(package, report, table, mask, column, rule, message):
    import numpy as np

    for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)):
        report.add(table, package.row_key(table, int(i)), column, rule, message(int(i)))


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
            dangling = values.notna() & ~values.isin(target[target_column].dropna())
            _add_rows(package, report, table, dangling, column, "cross.foreign_key",
                      lambda i: f"{values.iloc[i]!r} is not a {target_column} in {target_table}")


def cross_article_file(package, report):
    """Every article's text file exists, is UTF-8, and matches the sha256 and size in the articles table."""
    f = package.frames.get("articles")
    if f is None:
        return
    for i, (article_id, rel, digest, size) in enumerate(zip(f["article_id"], f["path"], f["sha256"], f["bytes"])):
        if _missing(article_id):
            continue
        text, raw = package.articles.get(str(article_id), (None, None))
        key = package.row_key("articles", i)
        if raw is None:
            report.add("articles", key, "path", "cross.article_file", f"text file {rel!r} is missing")
            continue
        if text is None:
            report.add("articles", key, "path", "cross.article_file", f"text file {rel!r} is not valid UTF-8")
        actual = hashlib.sha256(raw).hexdigest()
        if not _missing(digest) and actual != digest:
            report.add("articles", key, "sha256", "cross.article_hash",
                       f"{rel} has sha256 {actual}, the table says {digest}: the article text was changed")
        if not _missing(size) and int(size) != len(raw):
            report.add("articles", key, "bytes", "cross.article_hash", f"{rel} has {len(raw)} bytes, the table says {size}")


def cross_claim_quote(package, report):
    """Every claim quotes its article exactly at its offsets: text[quote_start:quote_end] == quote."""
    f = package.frames.get("claims")
    if f is None or not {"article_id", "quote", "quote_start", "quote_end"} <= set(f.columns):
        return
    for article_id, group in f.groupby("article_id", sort=True):
        text = package.articles.get(str(article_id), (None, None))[0]
        if text is None:
            continue  # an unknown article is a foreign-key problem; a missing file an article problem
        for index, quote, start, end in zip(group.index, group["quote"], group["quote_start"], group["quote_end"]):
            if _missing(quote) or _missing(start) or _missing(end):
                continue
            found = text[int(start):int(end)]
            if found != quote:
                report.add("claims", package.row_key("claims", int(index)), "quote", "cross.claim_quote",
                           f"{article_id}[{start}:{end}] is {found[:40]!r}, the quote is {str(quote)[:40]!r}")


def cross_claim_record(package, report):
    """Every claim's record_table/record_id names a record that exists."""
    f = package.frames.get("claims")
    if f is None or not {"record_table", "record_id"} <= set(f.columns):
        return
    import pandas as pd

    ok = pd.Series(False, index=f.index)
    for table, group in f.groupby("record_table"):
        target = package.frames.get(str(table))
        if target is None:
            continue
        pk = sch.primary_key(str(table))
        ok.loc[group.index] = group["record_id"].isin(target[pk].dropna())
    bad = ~ok & f["record_table"].notna() & f["record_id"].notna() & f["record_table"].isin(list(package.frames))
    _add_rows(package, report, "claims", bad, "record_id", "cross.claim_record",
              lambda i: f"{f['record_table'].iloc[i]} has no record {f['record_id'].iloc[i]!r}")


def cross_record_has_claim(package, report):
    """Every record of actors, places, place_distances, events, equipment_losses and casualties has a claim."""
    claims = package.frames.get("claims")
    if claims is None:
        return
    for table in CLAIMED_TABLES:
        f = package.frames.get(table)
        if f is None:
            continue
        pk = sch.primary_key(table)
        claimed = claims.loc[claims["record_table"] == table, "record_id"].dropna()
        bad = f[pk].notna() & ~f[pk].isin(claimed)
        _add_rows(package, report, table, bad, pk, "cross.record_has_claim",
                  lambda i: "no claim quotes an article for this record")


def _events_by_id(package):
    events = package.frames.get("events")
    if events is None:
        return None
    return events.set_index("event_id")[["date_earliest", "date_latest", "status"]]


def cross_relation_date_order(package, report):
    """A withdrawal, response or follow-up is never dated before the event it relates to
    (its latest possible date is not before the related event's earliest possible date)."""
    rel, events = package.frames.get("event_relations"), _events_by_id(package)
    if rel is None or events is None:
        return
    events = events[~events.index.duplicated()]
    a = events.reindex(rel["event_id"]).reset_index(drop=True)
    b = events.reindex(rel["related_event_id"]).reset_index(drop=True)
    a.index = b.index = rel.index
    bad = rel["relation"].isin(ORDERED_RELATIONS) & (a["date_latest"] < b["date_earliest"])
    _add_rows(package, report, "event_relations", bad, "relation", "cross.relation_date_order",
              lambda i: f"{rel['event_id'].iloc[i]} ({rel['relation'].iloc[i]}) is dated by {a['date_latest'].iloc[i].date()}, "
                        f"before {rel['related_event_id'].iloc[i]} begins on {b['date_earliest'].iloc[i].date()}")


def cross_self_relation(package, report):
    """No event relates to itself."""
    rel = package.frames.get("event_relations")
    if rel is None:
        return
    bad = rel["event_id"] == rel["related_event_id"]
    _add_rows(package, report, "event_relations", bad, "related_event_id", "cross.self_relation",
              lambda i: f"{rel['event_id'].iloc[i]} relates to itself")


def cross_relation_cycle(package, report):
    """The follows and part_of relations have no cycle (A follows B follows A)."""
    rel = package.frames.get("event_relations")
    if rel is None:
        return
    for relation in ACYCLIC_RELATIONS:
        sub = rel[(rel["relation"] == relation) & (rel["event_id"] != rel["related_event_id"])]
        graph = {}
        for index, src, dst in zip(sub.index, sub["event_id"], sub["related_event_id"]):
            graph.setdefault(src, []).append((dst, index))
        for index in sorted(_cycle_edges(graph)):
            report.add("event_relations", package.row_key("event_relations", int(index)), "related_event_id",
                       "cross.relation_cycle", f"this {relation} link is part of a cycle")


def _cycle_edges(graph):
    """Indices of edges that lie on a cycle (iterative Tarjan strongly connected components)."""
    index_of, low, on_stack, stack, comp = {}, {}, set(), [], {}
    counter = [0]
    for start in list(graph):
        if start in index_of:
            continue
        work = [(start, iter(graph.get(start, [])))]
        index_of[start] = low[start] = counter[0]; counter[0] += 1
        stack.append(start); on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for dst, _ in edges:
                if dst not in index_of:
                    index_of[dst] = low[dst] = counter[0]; counter[0] += 1
                    stack.append(dst); on_stack.add(dst)
                    work.append((dst, iter(graph.get(dst, []))))
                    advanced = True
                    break
                if dst in on_stack:
                    low[node] = min(low[node], index_of[dst])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index_of[node]:
                while True:
                    member = stack.pop(); on_stack.discard(member); comp[member] = node
                    if member == node:
                        break
    return [i for src, edges in graph.items() for dst, i in edges if comp.get(src) == comp.get(dst)]


def cross_alternative_group(package, report):
    """Casualty rows in one alternative_group report the same happening: same category and actor,
    and the same event or events linked as same_report_as; a group has at least two rows."""
    f = package.frames.get("casualties")
    if f is None or "alternative_group" not in f.columns:
        return
    rel = package.frames.get("event_relations")
    same = set()
    if rel is not None:
        s = rel[rel["relation"] == "same_report_as"]
        same = set(zip(s["event_id"], s["related_event_id"])) | set(zip(s["related_event_id"], s["event_id"]))
    grouped = f[f["alternative_group"].notna()]
    for group, rows in grouped.groupby("alternative_group"):
        keys = [package.row_key("casualties", int(i)) for i in rows.index]
        if len(rows) < 2:
            report.add("casualties", keys[0], "alternative_group", "cross.alternative_group",
                       f"{group} has a single row: an alternative needs another report to be an alternative to")
            continue
        first = rows.iloc[0]

        def differ(row, column):
            # A missing value is column.required's to report; it cannot tell two happenings apart.
            return not _missing(row[column]) and not _missing(first[column]) and row[column] != first[column]

        for i, (index, row) in enumerate(rows.iterrows()):
            reasons = []
            if differ(row, "category"):
                reasons.append(f"category {row['category']} vs {first['category']}")
            if differ(row, "actor_id"):
                reasons.append(f"actor {row['actor_id']} vs {first['actor_id']}")
            if differ(row, "event_id") and (row["event_id"], first["event_id"]) not in same:
                reasons.append(f"event {row['event_id']} is neither {first['event_id']} nor linked to it as same_report_as")
            if reasons:
                report.add("casualties", keys[i], "alternative_group", "cross.alternative_group",
                           f"{group} mixes different happenings: " + "; ".join(reasons))


def cross_total_parts(package, report):
    """Totals are not counted on top of their parts: total_loss_id points to a row marked is_total, and a
    total is at least the sum of the rows counted in it (a total may be counted in a larger total)."""
    f = package.frames.get("equipment_losses")
    if f is None or not {"loss_id", "is_total", "total_loss_id", "quantity"} <= set(f.columns):
        return
    totals = f[f["is_total"].fillna(False).astype(bool)].set_index("loss_id")
    totals = totals[~totals.index.duplicated()]  # a duplicated key is column.unique's to report
    points = f["total_loss_id"].notna()
    not_total = points & f["total_loss_id"].isin(f["loss_id"]) & ~f["total_loss_id"].isin(totals.index)
    _add_rows(package, report, "equipment_losses", not_total, "total_loss_id", "cross.total_parts",
              lambda i: f"{f['total_loss_id'].iloc[i]} is not marked is_total: its parts would be counted twice")
    sums = f[points].groupby("total_loss_id")["quantity"].sum(min_count=1)
    for total_id, parts_sum in sums.items():
        if total_id in totals.index:
            quantity = totals.loc[total_id, "quantity"]
            if not _missing(quantity) and not _missing(parts_sum) and parts_sum > quantity:
                i = int(f.index[f["loss_id"] == total_id][0])
                report.add("equipment_losses", package.row_key("equipment_losses", i), "quantity", "cross.total_parts",
                           f"total {quantity} is less than the {parts_sum} of the batches counted in it")


def cross_dated_after_publication(package, report):
    """A record dated after the publication of every article that claims it must be planned or announced."""
    events, claims, articles = package.frames.get("events"), package.frames.get("claims"), package.frames.get("articles")
    if events is None or claims is None or articles is None:
        return
    published = articles.set_index("article_id")["published_latest"]
    published = published[~published.index.duplicated()]
    ev_claims = claims[claims["record_table"] == "events"][["record_id", "article_id"]].copy()
    ev_claims["published"] = published.reindex(ev_claims["article_id"]).to_numpy()
    last = ev_claims.groupby("record_id")["published"].max()
    latest_pub = last.reindex(events["event_id"]).to_numpy()
    import pandas as pd

    latest_pub = pd.Series(latest_pub, index=events.index)
    bad = (events["date_earliest"] > latest_pub) & ~events["status"].isin(FUTURE_STATUSES)
    _add_rows(package, report, "events", bad, "date_earliest", "cross.dated_after_publication",
              lambda i: f"dated from {events['date_earliest'].iloc[i].date()}, after every article reporting it was published "
                        f"(by {latest_pub.iloc[i].date()}), yet its status is {events['status'].iloc[i]!r}")


RULES = [cross_foreign_key, cross_article_file, cross_claim_quote, cross_claim_record, cross_record_has_claim,
         cross_relation_date_order, cross_self_relation, cross_relation_cycle, cross_alternative_group,
         cross_total_parts, cross_dated_after_publication]


def check_cross(package, report) -> None:
    for rule in RULES:
        rule(package, report)
