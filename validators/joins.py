"""Joins across tables in DuckDB: keys that resolve, and the rows they resolve to.

Each question here is a hash join between two tables. DuckDB answers it on both cores, straight from the
Arrow tables already in memory (registered, not copied). On a package of a million events the foreign
keys, claims-to-records and records-to-claims joins take about 1.5 s this way, against 4.8 s with
``pyarrow.compute.is_in`` (which builds its hash table anew for every lookup, on one core). See
bench/README.md.

Every table is registered with ``__row``, its row number, so that answers name rows as the rest of the
validator does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libya_conflict import schema as sch

if TYPE_CHECKING:  # only for the signatures: numpy is imported where it is used
    import numpy as np

    from .package import Package

ROW = "__row"


@dataclass
class Joins:
    """What the rules of one validation share about one package (``Package.joins``): the DuckDB
    connections over its tables, and the answers several rules ask for, each worked out once.

    The rules run on several threads: each field is read and changed under its lock. There are three, so
    that a question may ask another while it holds its own (an answer that needs a join takes the lock of
    the connections)."""

    # The package's tables as registered in DuckDB (each with its row numbers, ROW), made on first use.
    tables: dict[str, Any] | None = None
    # One connection per thread (a DuckDB connection is not shared between threads), all cursors of one.
    root: Any = None
    connections: dict[int, Any] = field(default_factory=dict)
    connections_lock: threading.Lock = field(default_factory=threading.Lock)
    # (target, target column) -> the answer of unresolved().
    unresolved: dict[tuple[str, str], dict] = field(default_factory=dict)
    unresolved_lock: threading.Lock = field(default_factory=threading.Lock)
    # name -> the answer of shared(), and one lock per answer, so that unrelated ones run side by side.
    answers: dict[str, Any] = field(default_factory=dict)
    answer_locks: dict[str, threading.Lock] = field(default_factory=dict)
    answers_lock: threading.Lock = field(default_factory=threading.Lock)


def database(package: Package):
    """A DuckDB connection with every readable table of ``package`` registered: one per thread (DuckDB
    connections are not shared between threads), made on first use."""
    joins = package.joins
    with joins.connections_lock:
        if joins.tables is None:
            import duckdb
            import numpy as np
            import pyarrow as pa

            tables = {}
            for table in package.frames:
                typed = package.typed[table]
                tables[table] = typed.append_column(ROW, pa.array(np.arange(typed.num_rows, dtype=np.int64)))
            joins.root, joins.tables = duckdb.connect(), tables
        me = threading.get_ident()
        if me not in joins.connections:
            connection = joins.root.cursor()
            for name, table in joins.tables.items():
                connection.register(name, table)
            joins.connections[me] = connection
        return joins.connections[me]


def _rows(result) -> np.ndarray:
    import numpy as np

    return np.sort(np.asarray(result[ROW], dtype=np.int64))


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def dangling(package, table: str, column: str, target: str, target_column: str):
    """Rows of ``table`` whose ``column`` holds a value found nowhere in ``target.target_column``."""
    return unresolved(package, target, target_column)[(table, column)]


def claims_without_record(package, table: str, key: str):
    """Rows of claims naming ``table`` whose record_id is no ``key`` of it."""
    return unresolved(package, table, key)[("claims", f"record_id of {table}")]


def references(package, target: str, target_column: str) -> list[tuple[tuple[str, str], str, str, str]]:
    """Every column that refers to ``target.target_column``: (name, table, column, SQL condition on the
    rows), from the foreign keys of schemas/ and the claims naming ``target`` records."""
    from libya_conflict import schema as sch

    out = []
    for table, table_schema in sch.schemas().items():
        for fk in table_schema.get("foreignKeys", []):
            reference, column = fk["reference"], fk["fields"]
            if (
                (reference["resource"] or table) == target
                and reference["fields"] == target_column
                and table in package.frames
                and column in package.frames[table].columns
            ):
                out.append(((table, column), table, column, "TRUE"))
    if "claims" in package.frames and sch.primary_key(target) == target_column:
        out.append((("claims", f"record_id of {target}"), "claims", "record_id", "record_table = " + _text(target)))
    return out


def unresolved(package, target: str, target_column: str) -> dict:
    """For every column referring to ``target.target_column``: the rows whose value it lacks (ascending).

    One query for them all, so that the target's hash table is built once however many columns refer to
    it. Computed on first use and kept (the foreign-key and claim rules ask for the same target)."""
    import numpy as np

    joins = package.joins
    with joins.unresolved_lock:
        cache = joins.unresolved
        if (target, target_column) not in cache:
            sources = references(package, target, target_column)
            known = _without_row(package, target, target_column)
            parts = [
                f"SELECT {k} AS k, {ROW}, {_name(column)} AS v FROM {_name(table)} WHERE {condition}"
                for k, (name, table, column, condition) in enumerate(sources)
                if name not in known
            ]
            k, rows = np.zeros(0, np.int64), np.zeros(0, np.int64)
            if parts:
                sql = (
                    f"SELECT k, {ROW} FROM ({' UNION ALL '.join(parts)}) a WHERE a.v IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {_name(target)} b WHERE b.{_name(target_column)} = a.v)"
                )
                found = database(package).execute(sql).fetchnumpy()
                k, rows = np.asarray(found["k"], dtype=np.int64), np.asarray(found[ROW], dtype=np.int64)
            cache[(target, target_column)] = {
                name: known[name] if name in known else np.sort(rows[k == i]) for i, (name, *_) in enumerate(sources)
            }
        return cache[(target, target_column)]


def _without_row(package, target: str, target_column: str) -> dict:
    """The rows whose value finds no row of ``target`` among the columns naming events or actors, which
    :func:`event_rows` and :func:`actor_rows` look up for the other rules anyway (no second join).
    A dict (table, column) -> ascending rows; empty for other targets."""
    import numpy as np

    looked_up = {("events", "event_id"): event_rows, ("actors", "actor_id"): actor_rows}.get((target, target_column))
    if looked_up is None:
        return {}
    out = {}
    for (table, column), found in looked_up(package).items():
        present = package.typed[table].column(column).is_valid().to_numpy(zero_copy_only=False)
        out[(table, column)] = np.flatnonzero(present & (found < 0))
    return out


def _text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def records_without_claim(package, table: str, key: str):
    """Rows of ``table`` whose ``key`` no claim names as a record of ``table``."""
    sql = (
        f"SELECT t.{ROW} FROM {_name(table)} t WHERE t.{_name(key)} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM claims c WHERE c.record_table = ? AND c.record_id = t.{_name(key)})"
    )
    return _rows(database(package).execute(sql, [table]).fetchnumpy())


def first_rows(package, table: str, column: str, target: str, target_column: str):
    """For each row of ``table``: the first row of ``target`` whose ``target_column`` equals its ``column``,
    or -1 (also where the value is missing). A numpy int64 array."""
    import numpy as np

    sql = (
        f"SELECT a.{ROW} AS a, b.first AS b FROM {_name(table)} a JOIN "
        f"(SELECT {_name(target_column)} AS key, min({ROW}) AS first FROM {_name(target)} "
        f"WHERE {_name(target_column)} IS NOT NULL GROUP BY 1) b ON a.{_name(column)} = b.key"
    )
    found = database(package).execute(sql).fetchnumpy()
    out = np.full(package.typed[table].num_rows, -1, dtype=np.int64)
    out[np.asarray(found["a"], dtype=np.int64)] = np.asarray(found["b"], dtype=np.int64)
    return out


def latest_publication(package):
    """For each event row: the latest ``published_latest`` of the articles its claims quote (an article ID
    given twice counts by its first row), as numpy datetime64[s] (NaT when no claim dates it)."""
    return event_claims(package)["published"]


def shared(package, name: str, compute):
    """``compute()``, worked out once per validation and kept: answers several rules need. One lock per
    answer, so that a computation may ask for another and unrelated ones run side by side."""
    joins = package.joins
    with joins.answers_lock:
        lock = joins.answer_locks.setdefault(name, threading.Lock())
    with lock:
        if name not in joins.answers:
            joins.answers[name] = compute()
        return joins.answers[name]


# Columns that name an event, whose rows the rules look up: those of the tables whose records belong to one
# event (schemas/vocabularies.json), read from the schemas' foreign keys.
EVENT_COLUMNS = tuple((table, column) for table in sch.event_records() for column in sch.event_columns(table))


def event_rows(package) -> dict:
    """The first events row of each value (-1 when it names no event) of every column of
    :data:`EVENT_COLUMNS`: one Arrow hash table of the event IDs for all of them, computed once (a DuckDB
    join per column costs several times more). A dict (table, column) -> numpy int64 array."""
    return shared(package, "event rows", lambda: _rows_in(package, EVENT_COLUMNS, "events", "event_id"))


def event_row(package, table: str, column: str):
    """The first events row of each value of ``table.column`` (-1 when it names no event), from
    :func:`event_rows`."""
    return event_rows(package)[(table, column)]


# Columns that name an actor, whose rows the rules look up.
ACTOR_COLUMNS = (
    ("event_actors", "actor_id"),
    ("casualties", "actor_id"),
    ("equipment_losses", "lost_by_actor_id"),
    ("actors", "parent_actor_id"),
)


def actor_rows(package) -> dict:
    """The first actors row of each value (-1 when it names no actor) of every column of
    :data:`ACTOR_COLUMNS`, with one Arrow hash table of the actor IDs, computed once. A dict (table, column)
    -> numpy int64 array."""
    return shared(package, "actor rows", lambda: _rows_in(package, ACTOR_COLUMNS, "actors", "actor_id"))


def _rows_in(package, sources, target: str, key: str) -> dict:
    """For each (table, column) of ``sources``: the first row of ``target`` whose ``key`` is each value."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .keys import _chunks, _set

    sources = [(t, c) for t, c in sources if t in package.frames and c in package.frames[t].columns]
    found_in = package.frames.get(target)
    if found_in is None or key not in found_in.columns:
        return {(t, c): np.full(len(package.frames[t]), -1, np.int64) for t, c in sources}
    chunks = [chunk for t, c in sources for chunk in _chunks(package.frames[t][c]).chunks]
    found = (
        pc.index_in(pa.chunked_array(chunks, type=pa.large_string()), value_set=_set(found_in[key]), skip_nulls=True)
        .fill_null(-1)
        .to_numpy()
        .astype(np.int64)
    )
    bounds = np.cumsum([0] + [len(package.frames[t]) for t, _ in sources])
    return {source: found[a:b] for source, a, b in zip(sources, bounds[:-1], bounds[1:])}


def event_claims(package):
    """For each event row, what its claims say about it: ``first``/``last`` (the lowest and highest row of
    articles among the articles its claims quote, an article ID given twice by its first row; -1 when no
    claim quotes a known article), ``published`` (the latest ``published_latest`` of those articles, as
    numpy datetime64[s]; NaT when none), ``claimed`` (some claim names it) and ``affirmed`` (some claim
    does not deny it). A dict of numpy arrays, from one join computed once."""
    import numpy as np

    def compute():
        sql = (
            f"SELECT e.{ROW} AS row, min(a.first) AS first, max(a.first) AS last, max(a.published) AS published, "
            f"bool_or(c.stance IS DISTINCT FROM 'denies') AS affirmed FROM events e "
            f"JOIN claims c ON c.record_table = 'events' AND c.record_id = e.event_id "
            f"LEFT JOIN (SELECT article_id, min({ROW}) AS first, first(published_latest ORDER BY {ROW}) AS published "
            f"FROM articles WHERE article_id IS NOT NULL GROUP BY 1) a ON a.article_id = c.article_id GROUP BY 1"
        )
        found = database(package).execute(sql).fetchnumpy()
        n = package.typed["events"].num_rows
        out = {
            "first": np.full(n, -1, np.int64),
            "last": np.full(n, -1, np.int64),
            "affirmed": np.zeros(n, bool),
            "claimed": np.zeros(n, bool),
            "published": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
        }
        rows = np.asarray(found["row"], dtype=np.int64)
        out["claimed"][rows] = True
        for name in ("first", "last"):
            out[name][rows] = np.ma.filled(found[name], -1).astype(np.int64)
        out["affirmed"][rows] = np.ma.filled(found["affirmed"], False).astype(bool)
        out["published"][rows] = np.ma.filled(found["published"], np.datetime64("NaT")).astype("datetime64[s]")
        return out

    return shared(package, "event_claims", compute)
