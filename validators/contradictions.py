"""Cross-table rules on records that contradict each other: hierarchies that loop, figures and batches that
disagree, claims quoting the wrong article, relations inside one happening, actors on both sides.

Second of the three modules of the cross-table family in report order (after ``cross.py``, before
``conventions.py``). The rows each record belongs to are looked up once for all rules (``joins``).
"""

from __future__ import annotations

from libya_conflict import schema as sch

from . import joins
from .cross import points_back
from .graphs import components, cycle_edges, loop_text, loops, on_cycles
from .keys import codes, find, first_of, positions, repeated, take
from .report import report_rows
from .rule import rule
from .strings import is_one_of, vocabulary_index

ORDERED_RELATIONS = sch.ordered_relations()
HAPPENING_RELATIONS = sch.happening_relations()
WITHDRAWING_KINDS = sch.withdrawing_kinds()
WITHDRAWN_FROM_KINDS = sch.withdrawn_from_kinds()
OPPOSED_ROLES = sch.opposed_roles()
# Tables whose records belong to one event, and so to the article that event is a report of: table ->
# (its key, its columns naming an event; each is one of joins.EVENT_COLUMNS).
EVENT_RECORDS = {table: (sch.primary_key(table), sch.event_columns(table)) for table in sch.event_records()}


_in = is_one_of


def _at(package, table, column, where):
    """The Arrow column ``table.column`` at rows ``where`` (missing where -1)."""
    import pyarrow as pa

    return package.typed[table].column(column).take(pa.array(where, mask=where < 0))


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
                lambda i: f"the {parent} chain loops: {loop_text(following, keys, i)}",
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
            lambda i: f"counted in itself: {loop_text(following, keys, i)}",
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
    event = joins.event_row(package, "equipment_losses", "event_id")
    counted = np.flatnonzero(total >= 0)
    mine, theirs = event[counted], event[total[counted]]
    begins = take(events["date_earliest"].to_numpy(), mine, np.datetime64("NaT"))
    total_ends = take(events["date_latest"].to_numpy(), theirs, np.datetime64("NaT"))
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

    fa, la, fb, lb = take(first, a, -1), take(last, a, -1), take(first, b, -1), take(last, b, -1)
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
        joins.event_row(package, "event_relations", "event_id"),
        joins.event_row(package, "event_relations", "related_event_id"),
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
            event = take(joins.event_row(package, table, column), record, -1)
            its_first, its_last = take(first, event, -1), take(last, event, -1)
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
            joins.event_row(package, "event_relations", "event_id"),
            joins.event_row(package, "event_relations", "related_event_id"),
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
        joins.event_row(package, "event_relations", "event_id"),
        joins.event_row(package, "event_relations", "related_event_id"),
    )
    happening = _happenings(package)
    linked = (a >= 0) & (b >= 0) & (a != b)
    bad = _in(rel["relation"], HAPPENING_RELATIONS) & linked & (take(happening, a, -1) == take(happening, b, -2))
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
        joins.event_row(package, "event_relations", "event_id"),
        joins.event_row(package, "event_relations", "related_event_id"),
    )
    ordered = _in(rel["relation"], ORDERED_RELATIONS) & (a != b)
    if points_back(package, ordered):
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
        joins.event_row(package, "event_relations", "event_id"),
        joins.event_row(package, "event_relations", "related_event_id"),
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
        of = kind[joins.event_row(package, "event_relations", column)]
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
    pair = lambda table, column: joins.event_row(package, table, "event_id") * n + actor_rows[(table, column)]
    # Events and actors by their rows: one that does not exist is cross.foreign_key's. The many event
    # actors are looked up among the few losses' (event, actor) pairs, never the reverse.
    sources = [
        (t, c)
        for t, c in (("casualties", "actor_id"), ("equipment_losses", "lost_by_actor_id"))
        if package.frame_with(t, ("event_id", c)) is not None
    ]
    wanted = {source: pair(*source) for source in sources}
    for source in sources:
        wanted[source][(joins.event_row(package, source[0], "event_id") < 0) | (actor_rows[source] < 0)] = -1
    lost = np.unique(np.concatenate([wanted[s] for s in sources] or [np.zeros(0, np.int64)]))
    everyone = np.where(
        (joins.event_row(package, "event_actors", "event_id") >= 0) & (actor_rows[("event_actors", "actor_id")] >= 0),
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
        bad = _in(_at(package, "events", "status", joins.event_row(package, table, "event_id")), {"planned"})
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
        joins.event_row(package, "event_actors", "event_id"),
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
    event = joins.event_row(package, "casualties", "event_id")
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
        a = joins.event_row(package, "event_relations", "event_id")[same]
        b = joins.event_row(package, "event_relations", "related_event_id")[same]
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


# The rules of this module in report order (registry.py collects them): id, function, corruptions.
RULES = [
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
]
